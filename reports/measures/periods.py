"""The columns of the report: each half-term of the chosen academic year (the school's
HalfTerm rows, school/calendar.py's one calendar), then the whole year.

Every measure family asks the database once for all the columns: one conditional
aggregate per column, never one query per half-term or per pupil."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from school.models import AcademicYear, HalfTerm


@dataclass(frozen=True)
class Period:
    label: str
    start: datetime.date
    end: datetime.date
    is_year: bool = False

    def within(self, field: str) -> Q:
        """Rows whose date `field` falls in the period (both ends included)."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    def by_end(self, field: str) -> Q:
        """Rows whose date `field` is from the year's start up to the period's end."""
        return Q(**{f"{field}__lte": self.end})


def periods_of(year: AcademicYear) -> list[Period]:
    """The year's half-terms in date order, then the year (from its start date to its end
    date) as the last column (one query)."""
    half_terms = HalfTerm.objects.filter(school_id=year.school_id, academic_year=year).order_by(
        "start_date"
    )
    return [
        *(Period(ht.get_name_display(), ht.start_date, ht.end_date) for ht in half_terms),
        Period("Year", year.start_date, year.end_date, is_year=True),
    ]


def per_period(periods: list[Period], name: str, build: Callable) -> dict:
    """Aggregates named `<name>_<i>`, one per period: `build(period)` gives its expression."""
    return {f"{name}_{i}": build(period) for i, period in enumerate(periods)}


def column(result: dict, periods: list[Period], name: str) -> list:
    return [result.get(f"{name}_{i}") or 0 for i in range(len(periods))]
