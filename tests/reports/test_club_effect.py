"""Homework club newcomers' misses per pupil-week before and after their first night, on
the hand-built school (tests/reports/fixture.py): Ada and Ben first came on 6/10 (the
year began on 1/9: 35 days before each); Ada missed on 1/10 and 20/11, Ben on 10/10 and
left on 10/11; Dot's night is after today; Cal's study session is not the club. Cal is
added here at the club on 3/9, in the year's first week: left out."""

import pytest

from clubs.models import Club
from reports.measures import half_term_report
from tests.reports.fixture import TODAY, d, known_school

pytestmark = pytest.mark.django_db


def cells(report, key):
    return [str(cell) for cell in report.measure(key).cells]


@pytest.fixture
def report():
    known = known_school()
    b = known.builder
    homework_club = Club.objects.get(school=b.school, kind=Club.Kind.HOMEWORK_CLUB)
    b.attend(b.club_session(homework_club, d(9, 3)), known.cal)
    return half_term_report(known.year, today=TODAY)


def test_newcomers_are_counted_in_the_half_term_of_their_first_night(report):
    assert cells(report, "club_newcomers") == ["2", "0", "0", "2"]
    assert cells(report, "club_newcomers_left_out") == ["1", "0", "0", "1"]


def test_misses_before_are_per_pupil_week_of_the_year_before_the_first_night(report):
    # Ada's miss on 1/10 in 70 pupil-days (35 each): 1 * 7 / 70.
    assert cells(report, "club_misses_before") == ["0.1", "–", "–", "0.1"]


def test_misses_after_run_to_the_periods_end_today_or_the_day_before_leaving(report):
    # Autumn 1: Ben's 10/10 in 6/10-23/10 (18 days each): 1 * 7 / 36 = 0.19.
    # The year: up to today (9/12) for Ada (65 days, her 20/11 miss), to 9/11 for Ben
    # (35 days, his 10/10 miss): 2 * 7 / 100 = 0.14.
    assert cells(report, "club_misses_after") == ["0.19", "–", "–", "0.14"]
