"""Misses per pupil, in the half-term report's misses family: the pupils on roll at the
period's end by how many counted misses they had in it (tests/reports/fixture.py)."""

import pytest

from reports.measures import half_term_report
from reports.measures.misses import miss_measures
from reports.measures.periods import periods_of
from tests.factories import PupilFactory
from tests.reports.fixture import TODAY, d, known_school

pytestmark = pytest.mark.django_db

BINS = ["0 misses", "1 miss", "2 misses", "3 to 5 misses", "6 to 10 misses", "11 or more misses"]


def distribution(report, column):
    return [report.measure(f"misses_per_pupil_{b}").cells[column] for b in range(len(BINS))]


def test_pupils_are_counted_by_their_counted_misses_in_each_period():
    known = known_school()
    report = half_term_report(known.year, today=TODAY)
    counts = {
        period.label: [cell.count for cell in distribution(report, i)]
        for i, period in enumerate(report.periods)
    }
    # Autumn 1: Ada and Ben one each, Dot (voided only) and Cal none; Ben has left by the
    # end of Autumn 2; the year: Ada two, Cal one, Dot none (Ben not on the year's roll).
    assert counts == {
        "Autumn 1": [2, 2, 0, 0, 0, 0],
        "Autumn 2": [1, 2, 0, 0, 0, 0],
        "Spring 1": [3, 0, 0, 0, 0, 0],
        "Year": [1, 1, 1, 0, 0, 0],
    }
    assert [cell.share for cell in distribution(report, 3)[:3]] == [33.3, 33.3, 33.3]
    assert report.measure("misses_per_pupil_1").label == "Pupils with 1 miss"
    assert "11 or more" in report.measure("misses_per_pupil_5").definition


def test_the_bins_edges_three_six_and_eleven():
    known = known_school()
    b = known.builder
    for misses in [3, 5, 6, 10, 11]:
        pupil = PupilFactory(tutor_group=known.ada.tutor_group)
        for day in range(misses):
            b.miss(pupil, d(10, 1 + day))
    report = half_term_report(known.year, today=TODAY)
    assert [cell.count for cell in distribution(report, 0)] == [2, 2, 0, 2, 2, 1]


@pytest.mark.parametrize("more_pupils", [0, 12])
def test_the_misses_family_is_three_queries(more_pupils, django_assert_num_queries):
    known = known_school()
    for _ in range(more_pupils):
        known.builder.miss(PupilFactory(tutor_group=known.ada.tutor_group), d(10, 5))
    periods = periods_of(known.year)
    # Misses (1), the roll (1), misses per pupil (1).
    with django_assert_num_queries(3):
        measures = miss_measures(known.school.pk, known.year, periods)
    assert measures[1].cells[0].count == 2 + more_pupils
