"""Homework club (clubs' ClubSession and Attendance rows): two queries for every column,
each of the chosen year's sessions only (by their date, up to today)."""

from django.db.models import Count, Q

from clubs.models import Attendance, Club, ClubSession
from school.models import AcademicYear

from .base import Cell, Measure, percent
from .periods import Period, column, per_period, year_period

FAMILY = "Homework club"

SESSIONS = (
    "Homework club sessions held in the period: sessions of the school's homework clubs "
    "(not study sessions with a teacher) on or before today that were not cancelled."
)
ATTENDANCES = "Pupils' attendances at those sessions (one pupil on one night counts once)."
PER_NIGHT = "Attendances divided by the sessions held in the period."
REWARDS = (
    "Attendances at which the pupil was rewarded for working effectively (the school's "
    "reward time, 30 minutes by default)."
)
PP_SHARE = "The share of the attendances that were by Pupil Premium pupils."


def club_attendances(school_id: int, year: AcademicYear, *, today):
    """The attendances ATTENDANCES counts in `year` (shared with reports/measures/groups.py)."""
    return Attendance.objects.filter(
        year_period(year).within("session__date"),
        school_id=school_id,
        session__club__kind=Club.Kind.HOMEWORK_CLUB,
        session__status=ClubSession.Status.SCHEDULED,
        session__date__lte=today,
    )


def club_sessions_held(school_id: int, year: AcademicYear, *, today):
    """The sessions SESSIONS counts in `year` (by `date`; shared with the trust view)."""
    return ClubSession.objects.filter(
        year_period(year).within("date"),
        school_id=school_id,
        club__kind=Club.Kind.HOMEWORK_CLUB,
        status=ClubSession.Status.SCHEDULED,
        date__lte=today,
    )


def club_measures(
    school_id: int, year: AcademicYear, periods: list[Period], *, today
) -> list[Measure]:
    sessions = club_sessions_held(school_id, year, today=today).aggregate(
        **per_period(periods, "held", lambda p: Count("pk", filter=p.within("date")))
    )
    attended = club_attendances(school_id, year, today=today).aggregate(
        **per_period(periods, "all", lambda p: Count("pk", filter=p.within("session__date"))),
        **per_period(
            periods,
            "rewards",
            lambda p: Count("pk", filter=Q(worked_effectively=True) & p.within("session__date")),
        ),
        **per_period(
            periods,
            "pp",
            lambda p: Count("pk", filter=Q(pupil__pupil_premium=True) & p.within("session__date")),
        ),
    )
    nights = column(sessions, periods, "held")
    attendances = column(attended, periods, "all")
    pp = column(attended, periods, "pp")
    return [
        Measure("club_sessions", "Club sessions held", SESSIONS, [Cell(n) for n in nights], FAMILY),
        Measure(
            "club_attendances",
            "Club attendances",
            ATTENDANCES,
            [Cell(n) for n in attendances],
            FAMILY,
        ),
        Measure(
            "club_per_night",
            "Attendance per night",
            PER_NIGHT,
            [
                Cell(round(n / held, 1) if held else None)
                for n, held in zip(attendances, nights, strict=True)
            ],
            FAMILY,
        ),
        Measure(
            "club_rewards",
            "Club rewards",
            REWARDS,
            [Cell(n) for n in column(attended, periods, "rewards")],
            FAMILY,
        ),
        Measure(
            "club_pupil_premium",
            "Pupil Premium share of attendances",
            PP_SHARE,
            [Cell(None, percent(n, whole)) for n, whole in zip(pp, attendances, strict=True)],
            FAMILY,
        ),
    ]
