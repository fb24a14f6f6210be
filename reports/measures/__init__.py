"""The half-term report's measures (seed 001), one module per family. Each measure is
counted in one place, with its definition in words beside it: the page shows that text,
so what is counted and what is said are the same.

The whole report is seventeen queries whatever the size of the school: the half-terms
(1), misses, the roll and misses per pupil (3), sanctions by step, bookings, meetings and
"not re-offended" (4), homework set and handed in (2), set against the frequency policy
(2), club sessions and attendances (2), club newcomers' misses before and after their
first night (2), and work scrutiny's ratings (1)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from school.models import AcademicYear

from . import cache
from .base import Cell, Measure
from .club_effect import club_effect_measures
from .clubs import club_measures
from .homework import homework_measures
from .misses import miss_measures
from .periods import Period, half_terms_of, periods_from
from .policy import policy_measures
from .sanctions import sanction_measures
from .scrutiny import scrutiny_measures


@dataclass
class Family:
    name: str
    measures: list[Measure]


@dataclass
class HalfTermReport:
    year: AcademicYear
    periods: list[Period]
    families: list[Family]
    # The school's marks when the report began: other figures of the page (a family the
    # view counts itself) are kept under them too, with no query of their own.
    marks: cache.Marks | None = None
    key_parts: tuple = ()

    @property
    def measures(self) -> list[Measure]:
        return [m for family in self.families for m in family.measures]

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)


def half_term_report(year: AcademicYear, *, today: datetime.date) -> HalfTermReport:
    """Every measure of the school's `year`, per half-term and for the year (17 queries;
    one, the half-terms with the school's marks, while the figures kept for these marks
    hold: reports/measures/cache.py)."""
    school_id = year.school_id
    half_terms = half_terms_of(year)
    if cache.enabled():
        half_terms = half_terms.annotate(marks=cache.marks_sql(school_id))
    half_terms = list(half_terms)
    periods = periods_from(year, half_terms)
    marks = cache.marks_of(half_terms, school_id)
    parts = (year.pk, today.isoformat(), timezone.get_current_timezone_name())
    families = marks.cached(
        "half-term", cache.HALF_TERM_SOURCES, parts, lambda: _families(year, periods, today)
    )
    return HalfTermReport(year, periods, families, marks, parts)


def _families(year: AcademicYear, periods: list[Period], today: datetime.date) -> list[Family]:
    school_id = year.school_id
    groups = [
        miss_measures(school_id, year, periods),
        sanction_measures(school_id, year, periods),
        homework_measures(school_id, year, periods) + policy_measures(school_id, year, periods),
        club_measures(school_id, year, periods, today=today)
        + club_effect_measures(school_id, year, periods, today=today),
        # Quality of homework (work scrutiny's ratings): one query.
        scrutiny_measures(school_id, periods),
    ]
    return [Family(measures[0].family, measures) for measures in groups if measures]


__all__ = ["Cell", "HalfTermReport", "Measure", "Period", "half_term_report"]
