"""Homework set and handed in (homework's Homework and Assignment rows): two queries for
every column.

Both read only the chosen year's rows: homework by its set date in the year, the pupils'
homework by its due time between the instants the year's first day begins and the day
after its last begins (raw comparisons on `due_at`, which the index on (school, due_at)
serves: homework 0002). A period's homework due is counted the same way (`due_in`), not
by the school's date of each row (TruncDate, a time zone conversion per row and per
column): at a 300-pupil school that conversion made this the report's slowest query."""

from django.db.models import Count, Q

from homework.models import Assignment, Homework
from homework.selectors.marking import HANDED_IN
from school.models import AcademicYear

from .base import EVERYONE, Cell, Measure, percent
from .periods import Period, column, per_period, year_period

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


def homework_set(school_id: int, year: AcademicYear):
    """The homework tasks HOMEWORK_SET counts in `year` (by `set_on`)."""
    return Homework.objects.filter(
        year_period(year).within("set_on"), school_id=school_id, status=Homework.Status.SET
    )


def assignments_due(school_id: int, year: AcademicYear):
    """The pupils' homework ON_TIME counts, due in `year` (a period's: `due_in` it)."""
    return Assignment.objects.filter(
        year_period(year).during("due_at"),
        school_id=school_id,
        homework__status=Homework.Status.SET,
    ).exclude(status=Assignment.Status.EXCUSED)


def due_in(period: Period, only: Q = EVERYONE) -> Count:
    """The pupils' homework due in `period` (of `assignments_due`)."""
    return Count("pk", filter=only & period.during("due_at"))


def on_time_in(period: Period, only: Q = EVERYONE) -> Count:
    return Count("pk", filter=only & ON_TIME_Q & period.during("due_at"))


def homework_measures(school_id: int, year: AcademicYear, periods: list[Period]) -> list[Measure]:
    set_result = homework_set(school_id, year).aggregate(
        **per_period(periods, "set", lambda p: Count("pk", filter=p.within("set_on")))
    )
    due = assignments_due(school_id, year).aggregate(
        **per_period(periods, "due", due_in),
        **per_period(periods, "on_time", on_time_in),
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
