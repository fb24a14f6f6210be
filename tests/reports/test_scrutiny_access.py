"""Who may do what in work scrutiny, beyond the permission table: governors read the
results in the half-term report and open none of these pages (they name teachers and
judge their work); a subject leader sees whole-school rounds and their own, and in them
only their departments' homework, and runs only rounds within their departments; another
school's leaders see nothing of ours; drawing and closing answer only POST."""

import pytest
from django.urls import reverse

from reports.measures.scrutiny import FAMILY
from reports.models import ScrutinyRound
from reports.scrutiny import services
from reports.scrutiny.selectors import criteria_of
from tests.reports.scrutiny_fixture import drawn_ids, new_round, rate_all, scrutiny_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    s = scrutiny_school()
    services.criteria_ensure(school_id=s.school.pk)
    s.whole = new_round(s, per_group=50)
    services.round_draw(round=s.whole, again=False)
    s.maths_round = new_round(s, by=s.sam, subjects=[s.maths], per_group=50, title="Maths only")
    s.maths_sample = s.whole.samples.get(homework=s.mo_set[0])
    s.english_sample = s.whole.samples.get(homework=s.eve_set[0])
    s.review = services.review_save(
        sample=s.maths_sample,
        reviewer=s.sue,
        ratings=rate_all(criteria_of(s.school.pk)),
        comment="Clear.",
    )
    return s


def pages(s):
    return [
        reverse("scrutiny_rounds"),
        reverse("scrutiny_round_new"),
        reverse("scrutiny_round", args=[s.whole.pk]),
        reverse("scrutiny_sample", args=[s.maths_sample.pk]),
        reverse("scrutiny_checklist"),
        reverse("scrutiny_criterion", args=[criteria_of(s.school.pk)[0].pk]),
        reverse("scrutiny_results"),
        reverse("scrutiny_mine"),
        reverse("scrutiny_reply", args=[s.review.pk]),
    ]


def test_a_governor_reads_the_results_in_the_report_and_opens_no_scrutiny_page(client, s):
    client.force_login(s.gus)
    for url in pages(s):
        assert client.get(url).status_code == 404, url
    report = client.get(reverse("reports_half_term"), {"year": "2026/27"}).content.decode()
    assert FAMILY in report
    assert "Mo Ahmed" not in report and "Clear." not in report


def test_a_subject_leader_sees_only_their_departments_homework_in_a_whole_school_round(client, s):
    client.force_login(s.ed)
    page = client.get(reverse("scrutiny_round", args=[s.whole.pk])).content.decode()
    assert s.eve_set[0].title in page and s.mo_set[0].title not in page
    assert "Draw a new sample" not in page and "Close the round" not in page
    assert client.get(reverse("scrutiny_sample", args=[s.maths_sample.pk])).status_code == 404
    assert client.get(reverse("scrutiny_sample", args=[s.english_sample.pk])).status_code == 200
    # The maths leader's own round is not the English leader's.
    assert client.get(reverse("scrutiny_round", args=[s.maths_round.pk])).status_code == 404
    rounds = client.get(reverse("scrutiny_rounds")).content.decode()
    assert s.whole.title in rounds and "Maths only" not in rounds


def test_a_subject_leader_runs_only_rounds_within_their_departments(client, s):
    client.force_login(s.sam)
    whole = drawn_ids(s.whole)
    assert client.post(reverse("scrutiny_round_draw", args=[s.whole.pk])).status_code == 404
    assert client.post(reverse("scrutiny_round_close", args=[s.whole.pk])).status_code == 404
    assert drawn_ids(s.whole) == whole and not ScrutinyRound.objects.get(pk=s.whole.pk).closed_at

    response = client.post(reverse("scrutiny_round_draw", args=[s.maths_round.pk]))
    assert response.status_code == 302
    assert set(drawn_ids(s.maths_round)) == {h.pk for h in s.mo_set + s.max_set}
    client.post(reverse("scrutiny_round_close", args=[s.maths_round.pk]), {"action": "close"})
    assert ScrutinyRound.objects.get(pk=s.maths_round.pk).closed_at


def test_another_schools_leader_sees_nothing_of_ours(client, s):
    client.force_login(s.other_head)
    for url in pages(s)[2:4] + [pages(s)[5], pages(s)[8]]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("scrutiny_round_draw", args=[s.whole.pk])).status_code == 404
    assert s.whole.title not in client.get(reverse("scrutiny_rounds")).content.decode()
    assert "Clear instructions" not in client.get(reverse("scrutiny_results")).content.decode()
    assert "Mo Ahmed" not in client.get(reverse("scrutiny_mine")).content.decode()


def test_drawing_and_closing_answer_only_post(client, s):
    client.force_login(s.sue)
    for name in ["scrutiny_round_draw", "scrutiny_round_close"]:
        assert client.get(reverse(name, args=[s.whole.pk])).status_code == 405
