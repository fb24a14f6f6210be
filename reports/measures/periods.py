"""The columns of the report: each half-term of the chosen academic year (the school's
HalfTerm rows, school/calendar.py's one calendar), then the whole year.

Every measure family asks the database once for all the columns: one conditional
aggregate per column, never one query per half-term or per pupil.

Timestamps (a homework's due time, a sanction's or a miss's moment) are compared raw,
with the instants the school's days begin (`Period.during`): `(due_at AT TIME ZONE
...)::date >= ...` reads every row and converts each (no index can serve it, and with a
dozen per-period FILTERs that conversion was most of the report's slowest query), while
`due_at >= <the first day's midnight, school time>` is a plain comparison that an index
on (school, due_at) serves. The views run inside the school's time zone
(school.calendar.school_time_zone), so the current time zone is the school's; the days
are the same as TruncDate's. And every family's rows are bounded by the chosen year
(`Period.during`/`within` of the year column) so that the report reads that year's rows,
not the school's whole history."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

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

    def during(self, field: str) -> Q:
        """Rows whose timestamp `field` falls on one of the period's days (the school's
        dates, as TruncDate gives them): raw comparisons an index on `field` serves."""
        since, until = day_starts(self.start, self.end)
        return Q(**{f"{field}__gte": since, f"{field}__lt": until})

    def during_by_end(self, field: str) -> Q:
        """Rows whose timestamp `field` is before the end of the period's last day."""
        return Q(**{f"{field}__lt": day_starts(self.start, self.end)[1]})

    def by_end(self, field: str) -> Q:
        """Rows whose date `field` is from the year's start up to the period's end."""
        return Q(**{f"{field}__lte": self.end})


def day_starts(start: datetime.date, end: datetime.date) -> tuple:
    """The instant the school's day `start` begins and the one the day after `end` begins
    (aware datetimes in the current time zone, the school's in its views)."""
    zone = timezone.get_current_timezone()
    after = end + datetime.timedelta(days=1)
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(after, datetime.time.min, tzinfo=zone),
    )


def year_period(year: AcademicYear) -> Period:
    """The whole academic year as a period (the report's last column)."""
    return Period("Year", year.start_date, year.end_date, is_year=True)


def half_terms_of(year: AcademicYear):
    return HalfTerm.objects.filter(school_id=year.school_id, academic_year=year).order_by(
        "start_date"
    )


def periods_from(year: AcademicYear, half_terms) -> list[Period]:
    return [
        *(Period(ht.get_name_display(), ht.start_date, ht.end_date) for ht in half_terms),
        year_period(year),
    ]


def periods_of(year: AcademicYear) -> list[Period]:
    """The year's half-terms in date order, then the year (from its start date to its end
    date) as the last column (one query)."""
    return periods_from(year, half_terms_of(year))


def per_period(periods: list[Period], name: str, build: Callable) -> dict:
    """Aggregates named `<name>_<i>`, one per period: `build(period)` gives its expression."""
    return {f"{name}_{i}": build(period) for i, period in enumerate(periods)}


def column(result: dict, periods: list[Period], name: str) -> list:
    return [result.get(f"{name}_{i}") or 0 for i in range(len(periods))]
