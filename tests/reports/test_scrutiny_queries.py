"""Every work scrutiny page runs a fixed number of queries whatever the size of the round,
the checklist or the teacher's list: each page is counted at two sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.scrutiny import services
from reports.scrutiny.selectors import criteria_of
from tests.reports.scrutiny_fixture import d, homework, new_round, rate_all, scrutiny_school

pytestmark = pytest.mark.django_db


def world(more: int):
    """A drawn whole-school round with every homework of the period reviewed (by Sue) and
    replied to, plus `more` homework of Max's (each sampled, reviewed, replied to), as
    many more criteria, rounds and feedback given."""
    s = scrutiny_school()
    services.criteria_ensure(school_id=s.school.pk)
    for i in range(more):
        homework(s.ma8, s.max_, d(10, 10 + i % 10), title=f"Extra {i}")
        services.criterion_save(
            school_id=s.school.pk,
            criterion=None,
            name=f"Extra criterion {i}",
            guidance="",
            order=100 + i,
            is_active=True,
        )
        new_round(s)
    s.round = new_round(s, sample_by="teacher", per_group=50)
    services.round_draw(round=s.round, again=False)
    criteria = criteria_of(s.school.pk)
    for sample in s.round.samples.all():
        review = services.review_save(
            sample=sample, reviewer=s.sue, ratings=rate_all(criteria), comment="Fine."
        )
        services.reply_save(review=review, reply="Thanks.")
    s.sample = s.round.samples.get(homework=s.max_set[0])
    s.review = s.sample.review
    s.criterion = criteria[0]
    return s


PAGES = {
    # Session and user (2), roles (1), the rounds with their counts (1).
    "rounds": (lambda s: reverse("scrutiny_rounds"), "sue", 4),
    # Session, user, roles (3), checklist seeded? (1), the subjects (1), the teachers (1).
    "round_new": (lambda s: reverse("scrutiny_round_new"), "sue", 6),
    # Session, user, roles (3), the round (1), its subjects and teachers (2), the sample
    # with homework, class, subject, teacher and review (1).
    "round": (lambda s: reverse("scrutiny_round", args=[s.round.pk]), "sue", 7),
    # Session, user, roles (3), the sample with its homework and review (1), ratings (1),
    # criteria in use (1), attachments (1), marking counts and feedback (2).
    "sample": (lambda s: reverse("scrutiny_sample", args=[s.sample.pk]), "sue", 9),
    # Session, user, roles (3), checklist seeded? (1), the criteria (1).
    "checklist": (lambda s: reverse("scrutiny_checklist"), "sue", 5),
    # Session, user, roles (3), the criterion (1).
    "criterion": (lambda s: reverse("scrutiny_criterion", args=[s.criterion.pk]), "sue", 4),
    # Session, user, roles (3), the rounds (1), the ratings counted (1).
    "results": (lambda s: reverse("scrutiny_results"), "sue", 5),
    # Session, user, roles (3), the reviews (1) and their ratings (1).
    "mine": (lambda s: reverse("scrutiny_mine"), "max_", 5),
    # Session, user, roles (3), the review (1) and its ratings (1).
    "reply": (lambda s: reverse("scrutiny_reply", args=[s.review.pk]), "max_", 5),
}


@pytest.mark.parametrize("more", [0, 6])
@pytest.mark.parametrize("page", PAGES)
def test_each_page_runs_a_fixed_number_of_queries(client, page, more):
    s = world(more)
    url, who, budget = PAGES[page]
    client.force_login(getattr(s, who))
    address = url(s)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    assert len(queries) == budget, [q["sql"][:90] for q in queries.captured_queries]
