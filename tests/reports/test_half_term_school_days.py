"""The half-term report puts a timestamp on the school's day (Europe/London) by comparing
it with the instants the school's days begin, not by converting every row: a miss or a
homework just after midnight in London (still the day before in UTC) belongs to the
London day, and the report's queries read only the chosen year's rows through plain
comparisons (periods.py)."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from homework.models import Assignment
from reports.measures import half_term_report
from tests.factories import PupilFactory
from tests.reports.fixture import LONDON, TODAY, d, school_build

pytestmark = pytest.mark.django_db


def london(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def cells(report, key):
    return [str(cell) for cell in report.measure(key).cells]


@pytest.fixture
def edges():
    """Autumn 1 ends on Friday 23 October 2026 (British Summer Time)."""
    b, tutor_group = school_build("edges")
    ada = PupilFactory(tutor_group=tutor_group, first_name="Ada")
    ben = PupilFactory(tutor_group=tutor_group, first_name="Ben")
    late_evening = b.miss(ada, d(10, 23))
    late_evening.recorded_at = london(d(10, 23), 23, 30)
    late_evening.save(update_fields=["recorded_at"])
    after_midnight = b.miss(ben, d(10, 24))
    after_midnight.recorded_at = london(d(10, 24), 0, 30)  # 23:30 on the 23rd in UTC
    after_midnight.save(update_fields=["recorded_at"])

    handed_in = b.homework(d(10, 12), d(10, 16))
    handed_in.due_at = london(d(10, 23), 23, 59)
    handed_in.save(update_fields=["due_at"])
    b.assignment(handed_in, ada, Assignment.Status.SUBMITTED)
    not_yet = b.homework(d(10, 12), d(10, 16))
    not_yet.due_at = london(d(10, 24), 0, 30)  # 23:30 on the 23rd in UTC
    not_yet.save(update_fields=["due_at"])
    b.assignment(not_yet, ada)
    return b


def test_a_miss_just_after_midnight_in_london_belongs_to_the_next_school_day(edges):
    report = half_term_report(edges.year, today=TODAY)
    assert [p.label for p in report.periods] == ["Autumn 1", "Autumn 2", "Spring 1", "Year"]
    # Ada's miss at 23:30 on the last day counts in Autumn 1; Ben's at 00:30 the next day
    # is in the half-term holiday: the year's only.
    assert cells(report, "misses") == ["1", "0", "0", "2"]


def test_homework_due_just_after_midnight_in_london_is_not_due_in_the_half_term(edges):
    report = half_term_report(edges.year, today=TODAY)
    # Due in Autumn 1: the two missed homework of the misses and the one handed in; the
    # one due at 00:30 after its last day is due in the holiday (the year's only).
    assert cells(report, "on_time") == ["33.3%", "–", "–", "25.0%"]


def test_the_reports_queries_compare_timestamps_raw_and_bound_the_year(edges):
    with CaptureQueriesContext(connection) as queries:
        half_term_report(edges.year, today=TODAY)
    converted = {
        column
        for q in queries.captured_queries
        for column in re.findall(r'"(\w+)" AT TIME ZONE', q["sql"])
    }
    # Only a miss's moment is put on its school day in SQL (club newcomers' misses per day,
    # and misses after a detention's date); due, made and meeting times compare raw.
    assert converted == {"recorded_at"}
    (due,) = [
        q["sql"] for q in queries.captured_queries if 'FROM "homework_assignment"' in q["sql"]
    ]
    where = due.split("WHERE")[-1]
    assert '"homework_assignment"."due_at" >=' in where
    assert '"homework_assignment"."due_at" <' in where
