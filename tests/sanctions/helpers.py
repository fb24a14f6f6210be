"""Shared set-up for the sanctions tests."""

import datetime
import zoneinfo

from django.utils import timezone

from homework.services.setting import HomeworkDetails, homework_set
from tests.factories import SubjectFactory, TeachingGroupFactory


def overdue_assignments(world, pupil, count, *, teacher=None):
    """`count` separate homework, all overdue, each in a class of its own with `pupil`."""
    teacher = teacher or world.teacher
    due = timezone.now() - datetime.timedelta(days=1)
    assignments = []
    for n in range(count):
        group = TeachingGroupFactory(
            school=world.school,
            academic_year=world.academic_year,
            year_group=pupil.year_group,
            subject=SubjectFactory(school=world.school),
            teachers=[teacher],
            pupils=[pupil],
        )
        (homework,) = homework_set(
            teacher=teacher,
            teaching_groups=[group],
            details=HomeworkDetails(
                title=f"Task {n}",
                instructions="Do it.",
                set_on=timezone.localdate() - datetime.timedelta(days=8),
                due_at=due,
                estimated_minutes=30,
            ),
        )
        assignments.append(homework.assignments.get(pupil=pupil))
    return assignments


def when_it_starts(time_machine, session, *, minutes=0):
    """Move the clock to the session's start (a register opens then), or `minutes` after."""
    start = datetime.datetime.combine(
        session.date, session.start_time, tzinfo=zoneinfo.ZoneInfo("Europe/London")
    )
    time_machine.move_to(start + datetime.timedelta(minutes=minutes), tick=False)
