"""The trust view: the half-term report's measures for one period, one column per school
of a trust. Each school's period is its own: its academic year of the chosen name (e.g.
2026/27) and, in it, its half-term of the chosen name (e.g. Autumn 1) or the whole year.

Each measure is the report's own aggregate (misses.py, sanctions.py, homework.py,
clubs.py) over the report's own rows: each school's queryset, OR-ed together into one
query per family, with one conditional aggregate per school narrowed to that school. So
the view is a fixed number of queries however many schools the trust has: the schools
(1), their years and half-terms (2), then the roll, misses, bookings, meetings, detentions
served, homework set, homework due, club sessions and club attendances (9)."""

import datetime
import operator
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, Q

from school.models import AcademicYear, HalfTerm, Pupil, School, Trust

from . import clubs, homework, misses, sanctions
from .base import Cell, Measure, percent
from .periods import Period

YEAR = "year"
PERIOD_CHOICES = [*HalfTerm.Name.choices, (YEAR, "Year")]
LEFT_OUT = (
    "The trust view shows the measures counted the same way in every school; the pupil "
    "group splits, sanctions by step, homework against each school's own policy and the "
    "club newcomers are on each school's own report."
)


@dataclass(frozen=True)
class SchoolColumn:
    school: School
    year: AcademicYear | None
    period: Period | None  # None: the school has no such year or half-term

    @property
    def only(self) -> Q:
        return Q(school_id=self.school.pk)


@dataclass
class TrustReport:
    trust: Trust
    year_name: str
    period_label: str
    columns: list[SchoolColumn]
    measures: list[Measure]

    @property
    def families(self) -> list[tuple[str, list[Measure]]]:
        grouped: dict[str, list[Measure]] = {}
        for measure in self.measures:
            grouped.setdefault(measure.family, []).append(measure)
        return list(grouped.items())

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)


def year_names(trust: Trust) -> list[str]:
    """The names of the trust's schools' academic years, latest first (one query)."""
    names = (
        AcademicYear.objects.filter(school__trust=trust)
        .order_by("-start_date")
        .values_list("name", flat=True)
    )
    return list(dict.fromkeys(names))


def _columns(schools: list[School], year_name: str, period: str) -> list[SchoolColumn]:
    """Each school's year of that name and its period (two queries)."""
    years = {
        year.school_id: year
        for year in AcademicYear.objects.filter(school__in=schools, name=year_name)
    }
    half_terms = {}
    if period != YEAR:
        half_terms = {
            ht.school_id: ht
            for ht in HalfTerm.objects.filter(academic_year__in=years.values(), name=period)
        }
    columns = []
    for school in schools:
        year = years.get(school.pk)
        found = None
        if year is not None and period == YEAR:
            found = Period("Year", year.start_date, year.end_date, is_year=True)
        elif year is not None and school.pk in half_terms:
            ht = half_terms[school.pk]
            found = Period(ht.get_name_display(), ht.start_date, ht.end_date)
        columns.append(SchoolColumn(school, year, found))
    return columns


def _per_school(base: Callable, columns: list[SchoolColumn], aggregates: dict) -> dict:
    """One query: the schools' querysets (`base(column)`) OR-ed together, and each
    aggregate `build(column)` named `<name>_<i>` per school column."""
    queryset = reduce(operator.or_, (base(column) for column in columns))
    return queryset.aggregate(
        **{
            f"{name}_{i}": build(column)
            for name, build in aggregates.items()
            for i, column in enumerate(columns)
        }
    )


def trust_report(trust: Trust, year_name: str, period: str, *, today: datetime.date) -> TrustReport:
    schools = list(School.objects.filter(trust=trust).order_by("name"))
    all_columns = _columns(schools, year_name, period)
    label = dict(PERIOD_CHOICES)[period]
    cols = [column for column in all_columns if column.period is not None]
    if not cols:
        return TrustReport(trust, year_name, str(label), all_columns, [])
    ids = [column.school.pk for column in cols]

    def values(result: dict, name: str) -> list:
        """Each school's value, None where it has no such period."""
        found = {c.school.pk: result.get(f"{name}_{i}") or 0 for i, c in enumerate(cols)}
        return [found.get(column.school.pk) for column in all_columns]

    roll = Pupil.objects.filter(school_id__in=ids).aggregate(
        **{f"roll_{i}": misses.on_roll_at(c.period, c.only) for i, c in enumerate(cols)}
    )
    missed = _per_school(
        lambda c: misses.counted_misses(c.school.pk, c.year),
        cols,
        {
            "misses": lambda c: misses.misses_in(c.period, c.only),
            "so_far": lambda c: misses.pupils_with_a_miss_by(c.period, c.only),
            "missing": lambda c: misses.pupils_missing_in(c.period, c.only),
        },
    )
    booked = _per_school(
        lambda c: sanctions.bookings(c.school.pk, c.year),
        cols,
        {
            "set": lambda c: sanctions.detentions_set_in(c.period, c.only),
            "served": lambda c: sanctions.detentions_served_in(c.period, c.only),
            "missed": lambda c: sanctions.detentions_missed_in(c.period, c.only),
            "exclusion": lambda c: sanctions.exclusion_days_in(c.period, c.only),
        },
    )
    meetings = _per_school(
        lambda c: sanctions.meetings_held(c.school.pk, c.year),
        cols,
        {"held": lambda c: sanctions.meetings_held_in(c.period, c.only)},
    )
    served = _per_school(
        lambda c: sanctions.detentions_served(c.school.pk, c.year),
        cols,
        {
            "served": lambda c: sanctions.served_by(c.period, c.only),
            "clean": lambda c: sanctions.not_reoffended_by(c.school.pk, c.year, c.period, c.only),
        },
    )
    set_ = _per_school(
        lambda c: homework.homework_set(c.school.pk, c.year),
        cols,
        {"set": lambda c: Count("pk", filter=c.only & c.period.within("set_on"))},
    )
    due = _per_school(
        lambda c: homework.assignments_due(c.school.pk, c.year),
        cols,
        {
            "due": lambda c: homework.due_in(c.period, c.only),
            "on_time": lambda c: homework.on_time_in(c.period, c.only),
        },
    )
    nights = _per_school(
        lambda c: clubs.club_sessions_held(c.school.pk, c.year, today=today),
        cols,
        {"held": lambda c: Count("pk", filter=c.only & c.period.within("date"))},
    )
    attended = _per_school(
        lambda c: clubs.club_attendances(c.school.pk, c.year, today=today),
        cols,
        {"all": lambda c: Count("pk", filter=c.only & c.period.within("session__date"))},
    )

    def counts(result, name):
        return [Cell(n) for n in values(result, name)]

    def shares(result, name, whole_result, whole_name, *, rate=False):
        return [
            Cell(None if rate else n, percent(n, whole)) if n is not None else Cell(None)
            for n, whole in zip(values(result, name), values(whole_result, whole_name), strict=True)
        ]

    def per_night(n, held):
        return Cell(round(n / held, 1) if n is not None and held else None)

    def measure(key, label, definition, family, cells):
        return Measure(key, label, definition, cells, family)

    return TrustReport(
        trust,
        year_name,
        str(label),
        all_columns,
        [
            measure(
                "roll",
                "Pupils on roll",
                misses.ROLL_DEFINITION,
                misses.FAMILY,
                counts(roll, "roll"),
            ),
            measure(
                "misses", "Misses recorded", misses.MISSES, misses.FAMILY, counts(missed, "misses")
            ),
            measure(
                "pupils_with_a_miss",
                "Pupils with at least one miss this year",
                misses.PUPILS_WITH_A_MISS,
                misses.FAMILY,
                shares(missed, "so_far", roll, "roll"),
            ),
            measure(
                "pupils_missing",
                "Pupils missing deadlines in the period",
                misses.PUPILS_MISSING,
                misses.FAMILY,
                counts(missed, "missing"),
            ),
            measure(
                "detentions_set",
                "Detentions set",
                sanctions.DETENTIONS_SET,
                sanctions.FAMILY,
                counts(booked, "set"),
            ),
            measure(
                "detentions_served",
                "Detentions served",
                sanctions.DETENTIONS_SERVED,
                sanctions.FAMILY,
                counts(booked, "served"),
            ),
            measure(
                "detentions_missed",
                "Detentions missed",
                sanctions.DETENTIONS_MISSED,
                sanctions.FAMILY,
                counts(booked, "missed"),
            ),
            measure(
                "exclusion_days",
                "Internal exclusion days",
                sanctions.EXCLUSION_DAYS,
                sanctions.FAMILY,
                counts(booked, "exclusion"),
            ),
            measure(
                "meetings_held",
                "Meetings held",
                sanctions.MEETINGS_HELD,
                sanctions.FAMILY,
                counts(meetings, "held"),
            ),
            measure(
                "not_reoffended",
                "Served a detention and not missed a deadline since",
                sanctions.NOT_REOFFENDED,
                sanctions.FAMILY,
                shares(served, "clean", served, "served"),
            ),
            measure(
                "homework_set",
                "Homework set",
                homework.HOMEWORK_SET,
                homework.FAMILY,
                counts(set_, "set"),
            ),
            measure(
                "on_time",
                "Handed in on time",
                homework.ON_TIME,
                homework.FAMILY,
                shares(due, "on_time", due, "due", rate=True),
            ),
            measure(
                "club_sessions",
                "Club sessions held",
                clubs.SESSIONS,
                clubs.FAMILY,
                counts(nights, "held"),
            ),
            measure(
                "club_attendances",
                "Club attendances",
                clubs.ATTENDANCES,
                clubs.FAMILY,
                counts(attended, "all"),
            ),
            measure(
                "club_per_night",
                "Attendance per night",
                clubs.PER_NIGHT,
                clubs.FAMILY,
                [
                    per_night(n, held)
                    for n, held in zip(values(attended, "all"), values(nights, "held"), strict=True)
                ],
            ),
        ],
    )
