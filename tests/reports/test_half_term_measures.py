"""Each measure of the half-term report on a hand-built school with known answers
(tests/reports/fixture.py): columns Autumn 1, Autumn 2, Spring 1 (no data), the year."""

import pytest

from reports.measures import half_term_report
from tests.reports.fixture import TODAY, known_school

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    school = known_school()
    return half_term_report(school.year, today=TODAY)


def cells(report, key):
    return [str(cell) for cell in report.measure(key).cells]


def test_the_columns_are_the_half_terms_then_the_year(report):
    assert [p.label for p in report.periods] == ["Autumn 1", "Autumn 2", "Spring 1", "Year"]


def test_the_roll_is_the_pupils_on_roll_on_each_last_day_so_a_leaver_leaves_it(report):
    assert cells(report, "roll") == ["4", "3", "3", "3"]


def test_only_counted_misses_count_never_voided_or_excused_nor_another_schools(report):
    assert cells(report, "misses") == ["2", "2", "0", "4"]


def test_pupils_with_a_miss_so_far_are_those_still_on_roll_as_a_share_of_it(report):
    # Autumn 1: Ada and Ben of 4; Autumn 2: Ben has left, Cal joins them: 2 of 3.
    assert cells(report, "pupils_with_a_miss") == [
        "2 (50.0%)",
        "2 (66.7%)",
        "2 (66.7%)",
        "2 (66.7%)",
    ]


def test_pupils_missing_deadlines_in_the_half_term_include_a_leaver_then(report):
    assert cells(report, "pupils_missing") == ["2", "2", "0", "3"]


def test_sanctions_by_step_leave_out_the_cancelled(report):
    assert cells(report, "sanctions_step_1") == ["1", "0", "0", "1"]
    assert cells(report, "sanctions_step_2") == ["0", "1", "0", "1"]
    assert "sanctions_step_3" not in [m.key for m in report.measures]


def test_a_rebooked_detention_is_set_once_then_served_or_missed(report):
    assert cells(report, "detentions_set") == ["1", "1", "0", "2"]
    assert cells(report, "detentions_served") == ["1", "0", "0", "1"]
    assert cells(report, "detentions_missed") == ["0", "1", "0", "1"]


def test_internal_exclusion_days_count_the_booked_days(report):
    assert cells(report, "exclusion_days") == ["0", "1", "0", "1"]


def test_meetings_held_by_their_arranged_day_or_the_day_marked_held(report):
    assert cells(report, "meetings_held") == ["1", "1", "0", "2"]


def test_not_reoffended_until_the_pupil_misses_again(report):
    # Ada served on 15/10 and missed again on 20/11.
    assert cells(report, "not_reoffended") == ["1 (100.0%)", "0 (0.0%)", "0 (0.0%)", "0 (0.0%)"]


def test_homework_set_counts_tasks_not_drafts(report):
    # Autumn 1: the task and the three missed tasks set then; Autumn 2: three.
    assert cells(report, "homework_set") == ["4", "3", "0", "7"]


def test_on_time_leaves_out_excused_and_counts_late_and_missing_as_not_on_time(report):
    # Autumn 1: 6 due (excused left out), Cal's paper hand-in the one on time.
    assert cells(report, "on_time") == ["16.7%", "0.0%", "–", "12.5%"]


def test_club_counts_held_homework_club_nights_only(report):
    assert cells(report, "club_sessions") == ["2", "0", "0", "2"]
    assert cells(report, "club_attendances") == ["3", "0", "0", "3"]
    assert cells(report, "club_per_night") == ["1.5", "–", "–", "1.5"]
    assert cells(report, "club_rewards") == ["1", "0", "0", "1"]
    assert cells(report, "club_pupil_premium") == ["66.7%", "–", "–", "66.7%"]


def test_every_measure_has_a_definition(report):
    assert all(len(m.definition) > 40 for m in report.measures)
