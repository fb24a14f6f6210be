"""The migration that gives tutor groups an academic year dates each school's existing
groups to its current year (the calendar's rule), else its latest; a school with no year
keeps groups of no year."""

import datetime
import importlib

import time_machine
from django.apps import apps

from school.models import AcademicYear, TutorGroup
from tests.factories import SchoolFactory, TutorGroupFactory, YearGroupFactory

migration = importlib.import_module("school.migrations.0004_year_placements")


def test_existing_tutor_groups_belong_to_their_schools_current_year(db):
    current, planned, only_future, none = (SchoolFactory() for _ in range(4))
    years = {}
    for school, name, start in [
        (current, "2025/26", datetime.date(2025, 9, 1)),
        (current, "2026/27", datetime.date(2026, 9, 1)),
        (planned, "2026/27", datetime.date(2026, 9, 1)),
        (planned, "2027/28", datetime.date(2027, 9, 1)),
        (only_future, "2027/28", datetime.date(2027, 9, 1)),
    ]:
        years[(school.pk, name)] = AcademicYear.objects.create(
            school=school, name=name, start_date=start, end_date=start.replace(year=start.year + 1)
        )
    groups = {
        school.pk: TutorGroupFactory(school=school, year_group=YearGroupFactory(school=school))
        for school in (current, planned, only_future, none)
    }

    with time_machine.travel(datetime.datetime(2026, 12, 5, 12), tick=False):
        migration.tutor_groups_date(apps, None)

    def year_of(school):
        return TutorGroup.objects.get(pk=groups[school.pk].pk).academic_year

    assert year_of(current) == years[(current.pk, "2026/27")]
    assert year_of(planned) == years[(planned.pk, "2026/27")]  # not the year to come
    assert year_of(only_future) == years[(only_future.pk, "2027/28")]
    assert year_of(none) is None
