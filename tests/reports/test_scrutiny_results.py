"""Results of work scrutiny with known answers: per department and criterion, the share of
reviewed homework meeting it, round by round (page and CSV), narrowed to a subject
leader's departments; and the half-term report's "Quality of homework (work scrutiny)"
family, by the period of the homework's set date, never counting another school's."""

import csv
import io

import pytest
from django.urls import reverse

from reports.measures import half_term_report
from reports.measures.periods import periods_of
from reports.measures.scrutiny import FAMILY, scrutiny_measures
from reports.models import ScrutinyRound
from reports.scrutiny import services
from reports.scrutiny.selectors import criteria_of
from tests.reports.scrutiny_fixture import d, homework, new_round, rate_all, scrutiny_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    """Autumn 1 reviewed in one round (Maths: three homework, English: one), a November
    maths homework in a second round, and the other school's homework all "not met"."""
    s = scrutiny_school()
    services.criteria_ensure(school_id=s.school.pk)
    c = criteria_of(s.school.pk)
    autumn = new_round(s, per_group=50)
    services.round_draw(round=autumn, again=False)

    def review(round, hw, **ratings):
        services.review_save(
            sample=round.samples.get(homework=hw),
            reviewer=s.sue,
            ratings=rate_all(c, **ratings),
            comment="Seen.",
        )

    review(autumn, s.mo_set[0], c2="partly")
    review(autumn, s.mo_set[1], c1="not_met", c3="n_a")
    review(autumn, s.max_set[0])
    review(autumn, s.eve_set[0], c1="not_met")

    s.november = homework(s.ma7, s.mo, d(11, 2))
    later = services.round_create(
        school_id=s.school.pk,
        created_by=s.sue,
        details=services.RoundDetails(
            title="Autumn 2 scrutiny",
            period_start=d(10, 24),
            period_end=d(12, 18),
            sample_by=ScrutinyRound.SampleBy.DEPARTMENT,
            per_group=5,
        ),
        subject_ids=[],
        teacher_ids=[],
    )
    services.round_draw(round=later, again=False)
    services.review_save(
        sample=later.samples.get(),
        reviewer=s.sue,
        ratings={c[0].pk: "met"},
        comment="Better.",
    )

    services.criteria_ensure(school_id=s.other.pk)
    elsewhere = services.round_create(
        school_id=s.other.pk,
        created_by=s.other_head,
        details=services.RoundDetails(
            title="Elsewhere",
            period_start=d(9, 1),
            period_end=d(10, 23),
            sample_by=ScrutinyRound.SampleBy.DEPARTMENT,
            per_group=5,
        ),
        subject_ids=[],
        teacher_ids=[],
    )
    services.round_draw(round=elsewhere, again=False)
    services.review_save(
        sample=elsewhere.samples.get(),
        reviewer=s.other_head,
        ratings=rate_all(criteria_of(s.other.pk), "not_met"),
        comment="No.",
    )
    s.c = c
    return s


def rows_of(page: str) -> dict:
    """{(department, criterion): [cells]} of the results table."""
    import re

    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        rows[(cells[0], cells[1])] = cells[2:]
    return rows


def test_results_give_each_departments_share_meeting_each_criterion_by_round(client, s):
    client.force_login(s.sue)
    rows = rows_of(client.get(reverse("scrutiny_results")).content.decode())
    assert rows[("Maths", "Clear instructions")] == ["66.7% (2 of 3)", "100.0% (1 of 1)"]
    assert rows[("Maths", "Matched to the scheme of work")] == ["66.7% (2 of 3)", "–"]
    assert rows[("Maths", "Right length for the time given")] == ["100.0% (2 of 2)", "–"]
    assert rows[("English", "Clear instructions")] == ["0.0% (0 of 1)", "–"]
    assert rows[("English", "Feedback given")] == ["100.0% (1 of 1)", "–"]
    assert len(rows) == 10


def test_results_download_as_csv(client, s):
    client.force_login(s.sue)
    response = client.get(reverse("scrutiny_results"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == [
        "Department",
        "Criterion",
        "Autumn 1 scrutiny (01/09/2026–23/10/2026)",
        "Autumn 2 scrutiny (24/10/2026–18/12/2026)",
    ]
    assert ["Maths", "Clear instructions", "66.7% (2 of 3)", "100.0% (1 of 1)"] in lines


def test_a_subject_leader_reads_the_results_of_their_departments_only(client, s):
    client.force_login(s.ed)
    rows = rows_of(client.get(reverse("scrutiny_results")).content.decode())
    assert {department for department, _ in rows} == {"English"}


def test_the_report_shares_homework_meeting_each_criterion_by_the_period_it_was_set(s):
    measures = scrutiny_measures(s.school.pk, periods_of(s.year))
    by_label = {m.label: [str(cell) for cell in m.cells] for m in measures}
    # Autumn 1, then the year (November's homework counts only in the year).
    assert by_label["Meeting “Clear instructions”"] == ["2 (50.0%)", "3 (60.0%)"]
    assert by_label["Meeting “Right length for the time given”"] == ["3 (100.0%)", "3 (100.0%)"]
    assert by_label["Meeting “Matched to the scheme of work”"] == ["3 (75.0%)", "3 (75.0%)"]
    assert [m.label for m in measures][0] == "Meeting “Clear instructions”"
    assert {m.family for m in measures} == {FAMILY}


def test_a_year_without_reviews_has_no_scrutiny_family(s):
    from tests.factories import AcademicYearFactory

    last_year = AcademicYearFactory(
        school=s.school, name="2025/26", start_date=d(9, 1, 2025), end_date=d(8, 31, 2026)
    )
    assert scrutiny_measures(s.school.pk, periods_of(last_year)) == []
    report = half_term_report(last_year, today=d(12, 9))
    assert FAMILY not in [family.name for family in report.families]


def test_the_half_term_report_shows_the_family_with_its_definition(client, s):
    client.force_login(s.sue)
    page = client.get(reverse("reports_half_term"), {"year": "2026/27"}).content.decode()
    assert FAMILY in page
    assert "Meeting “Clear instructions”" in page
    assert "partly met” does not count as met" in page
