"""Homework set and handed in (homework's Homework and Assignment rows): two queries for
every column."""

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from homework.models import Assignment, Homework
from homework.selectors.marking import HANDED_IN

from .base import Cell, Measure, percent
from .periods import Period, column, per_period

FAMILY = "Homework"

HOMEWORK_SET = (
    "Homework tasks set to a class (not drafts) with a set date in the period; a task "
    "counts once however many pupils it was set to."
)
ON_TIME = (
    "Of the pupils' homework due in the period (by the due date, the school's date), the "
    "share handed in (online or on paper) by the deadline. Excused homework is left out "
    "of both; homework not yet handed in counts as not on time."
)


# Shared with the split by pupil group and subject (reports/measures/groups.py).
ON_TIME_Q = Q(status__in=HANDED_IN, is_late=False)


def homework_set(school_id: int):
    """The homework tasks HOMEWORK_SET counts (by `set_on`)."""
    return Homework.objects.filter(school_id=school_id, status=Homework.Status.SET)


def assignments_due(school_id: int):
    """The pupils' homework ON_TIME counts, with its school date due (`due_on`)."""
    return (
        Assignment.objects.filter(school_id=school_id, homework__status=Homework.Status.SET)
        .exclude(status=Assignment.Status.EXCUSED)
        .annotate(due_on=TruncDate("due_at"))
    )


def homework_measures(school_id: int, periods: list[Period]) -> list[Measure]:
    set_result = homework_set(school_id).aggregate(
        **per_period(periods, "set", lambda p: Count("pk", filter=p.within("set_on")))
    )
    on_time = ON_TIME_Q
    due = assignments_due(school_id).aggregate(
        **per_period(periods, "due", lambda p: Count("pk", filter=p.within("due_on"))),
        **per_period(
            periods, "on_time", lambda p: Count("pk", filter=on_time & p.within("due_on"))
        ),
    )
    return [
        Measure(
            "homework_set",
            "Homework set",
            HOMEWORK_SET,
            [Cell(n) for n in column(set_result, periods, "set")],
            FAMILY,
        ),
        Measure(
            "on_time",
            "Handed in on time",
            ON_TIME,
            [
                Cell(None, percent(n, whole))
                for n, whole in zip(
                    column(due, periods, "on_time"), column(due, periods, "due"), strict=True
                )
            ],
            FAMILY,
        ),
    ]
