"""Every page costs the same number of queries for few families and answers or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services
from consultations.models import Consultation, Question, Tag
from consultations.navigation import _overview_panel

from .conftest import consultation_build, option
from .test_results import families

pytestmark = pytest.mark.django_db


def busy(world, n):
    """A sent consultation with `n` more families answering, each with a tagged text."""
    consultation = consultation_build(world)
    q = consultation.q
    tags = [Tag.objects.get_or_create(school=world.school, name=f"Tag {k}")[0] for k in range(n)]
    for k, guardian in enumerate(families(world, n, pupil_premium=True)):
        response, _ = services.response_save(
            consultation=consultation,
            guardian_id=guardian.pk,
            answers={
                q[Question.Kind.SINGLE].pk: option(consultation, Question.Kind.SINGLE, "Always").pk,
                q[Question.Kind.MULTIPLE].pk: [
                    o.pk for o in consultation.q[Question.Kind.MULTIPLE].options.all()
                ],
                q[Question.Kind.SCALE].pk: str(1 + k % 5),
                q[Question.Kind.TEXT].pk: f"Comment {k}",
            },
            language="en-gb",
        )
        response.answers.get(question=q[Question.Kind.TEXT]).tags.set(tags)
    consultation_build(world, sent=False)  # another, in the list
    return consultation


LEADER_PAGES = [
    # session, user, roles; and what each page reads:
    ("consultations_list", False, 1),  # the consultations with their counts
    ("consultations_tags", False, 1),  # the tags
    ("consultations_new", False, 4),  # the year, the year groups, tutor groups, drafts
    # the consultation, its year and tutor groups, questions, options, outcomes; the
    # families asked, the answers.
    ("consultations_detail", True, 8),
    # the consultation and its parts (6); families asked, those who answered; the rates by
    # year and by group; answers per question, per option, per point; the texts with their
    # tags; the school's tags.
    ("consultations_results", True, 16),
    # the consultation and its parts (6); the responses, their answers and their tags
    ("consultations_csv", True, 9),
    ("consultations_outcome", True, 6),
]


@pytest.mark.parametrize("name, with_id, queries", LEADER_PAGES)
@pytest.mark.parametrize("size", [1, 6])
def test_leader_pages(client, world, django_assert_num_queries, name, with_id, queries, size):
    consultation = busy(world, size)
    client.force_login(world.senior_leader)
    url = reverse(name, args=[consultation.pk] if with_id else [])
    with django_assert_num_queries(3 + queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name, queries",
    [
        # the draft and its parts (6); the year groups, tutor groups and draft agreements
        ("consultations_edit", 9),
        # the draft and its parts (6); the families asked
        ("consultations_send", 8),
        ("consultations_question_add", 6),  # the draft and its parts
    ],
)
@pytest.mark.parametrize("size", [1, 6])
def test_draft_pages(client, world, django_assert_num_queries, name, queries, size):
    busy(world, size)
    draft = consultation_build(world, sent=False)
    draft.year_groups.add(world.y7)
    client.force_login(world.senior_leader)
    with django_assert_num_queries(3 + queries):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_the_parents_answer_page(client, world, django_assert_num_queries, size):
    consultation = busy(world, size)
    client.force_login(world.parent)
    url = reverse("consultations_answer", args=[consultation.pk])
    client.post(
        url,
        {
            f"q{consultation.q[Question.Kind.SCALE].pk}": "3",
            f"q{consultation.q[Question.Kind.SINGLE].pk}": str(
                option(consultation, Question.Kind.SINGLE, "Always").pk
            ),
        },
    )
    # session, user, the guardian's language, the top bar's is-a-pupil; their children; the
    # consultation (its agreement with it), its year and tutor groups, questions, options;
    # their response and its answers.
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200


def _overview_queries(client, world, consultations):
    for _k in range(consultations):
        consultation = busy(world, consultations)
        services.outcome_publish(
            consultation=consultation, text="We did it.", translations={}, actor=world.senior_leader
        )
    client.force_login(world.parent)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("parents_overview")).content.decode()
    assert html.count("We did it.") == consultations
    return len(queries)


@pytest.mark.parametrize("consultations", [1, 3])
def test_the_panel_on_the_parents_overview(world, django_assert_num_queries, consultations):
    for _k in range(consultations):
        busy(world, consultations)
    # the children, the consultations asking them with their year and tutor groups
    # (whether the parent answered, whether they have outcomes; the outcomes only when
    # there are any: none here)
    with django_assert_num_queries(2):
        context = _overview_panel(user=world.parent)
    assert len(context["to_answer"]) == consultations


def test_the_parents_overview_costs_the_same_for_one_consultation_or_three(client, world):
    one = _overview_queries(client, world, 1)
    Consultation.objects.all().delete()
    assert _overview_queries(client, world, 3) == one
