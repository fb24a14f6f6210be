"""The escalation ladder's results (sanctions' Sanction, DetentionBooking and Meeting
rows): sanctions by step, detentions, internal exclusion days, meetings held, and pupils
who served a detention and have not missed a deadline since. One query each, for every
column.

Each reads only the chosen year's rows: sanctions by their academic year, bookings by
their session's date in the year, meetings by the instants of the year's days (raw
comparisons on the timestamps, not their school date per row: see periods.py)."""

from django.db.models import Count, Exists, OuterRef, Q

from sanctions.models import DetentionBooking, Meeting, Miss, Sanction, SessionKind
from school.models import AcademicYear

from .base import EVERYONE, Cell, Measure, percent
from .periods import Period, column, day_starts, per_period, year_period

FAMILY = "Sanctions"
Booking = DetentionBooking.Status

SANCTIONS_BY_STEP = (
    "Sanctions the ladder gave in the period at this step (a pupil's first, second, third "
    "... cycle of counted misses), by the day the sanction was made; cancelled sanctions "
    "(a miss in their cycle excused or voided before it was served) do not count."
)
DETENTIONS_SET = (
    "Pupils' detentions with a session in the period: each sanction counts once however "
    "often it was rebooked."
)
DETENTIONS_SERVED = "Detention bookings in the period marked attended (by the session's date)."
DETENTIONS_MISSED = (
    "Detention bookings in the period marked absent without an authorised reason (by the "
    "session's date); an authorised absence is rebooked and is not a miss."
)
EXCLUSION_DAYS = (
    "Days of internal exclusion in the period: bookings of an internal exclusion session, "
    "attended or still booked, by the session's date (one booking is one pupil's day)."
)
MEETINGS_HELD = (
    "Meetings with parents marked held, by the day the meeting was arranged for (or, when "
    "no time was arranged, the day it was marked held)."
)
NOT_REOFFENDED = (
    "Pupils who served (attended) a detention this year by the end of the period and "
    "have no counted miss recorded after the day of their latest detention served, up to "
    "the period's end; the percentage is of all pupils who served a detention by then."
)


# Each measure once: a queryset and an aggregate of one period over it, which `only`
# narrows to a group of pupils (reports/measures/groups.py splits by pupil group).
def sanctions_made(school_id: int, year: AcademicYear):
    """The sanctions SANCTIONS_BY_STEP counts (by the day each was made, `created_at`)."""
    return Sanction.objects.filter(school_id=school_id, academic_year=year).exclude(
        status=Sanction.Status.CANCELLED
    )


def sanctions_in(period: Period, only: Q = EVERYONE) -> Count:
    return Count("pk", filter=only & period.during("created_at"))


def bookings(school_id: int, year: AcademicYear):
    """The detention and exclusion bookings with a session in `year`."""
    return DetentionBooking.objects.filter(
        year_period(year).within("session__date"), school_id=school_id
    )


_DETENTION = Q(kind=SessionKind.DETENTION)


def detentions_set_in(period: Period, only: Q = EVERYONE) -> Count:
    return Count(
        "sanction", distinct=True, filter=only & _DETENTION & period.within("session__date")
    )


def detentions_served_in(period: Period, only: Q = EVERYONE) -> Count:
    return Count(
        "pk",
        filter=only & _DETENTION & Q(status=Booking.ATTENDED) & period.within("session__date"),
    )


def detentions_missed_in(period: Period, only: Q = EVERYONE) -> Count:
    return Count(
        "pk",
        filter=only
        & _DETENTION
        & Q(status=Booking.ABSENT_UNAUTHORISED)
        & period.within("session__date"),
    )


def exclusion_days_in(period: Period, only: Q = EVERYONE) -> Count:
    return Count(
        "pk",
        filter=only
        & Q(
            kind=SessionKind.INTERNAL_EXCLUSION,
            status__in=[Booking.ATTENDED, Booking.BOOKED],
        )
        & period.within("session__date"),
    )


def _held_during(period: Period) -> Q:
    """Meetings whose day (the time arranged, else the time marked held) is in `period`."""
    return period.during("proposed_at") | (
        Q(proposed_at__isnull=True) & period.during("changed_at")
    )


def meetings_held(school_id: int, year: AcademicYear):
    """The meetings MEETINGS_HELD counts, held on a day of `year`."""
    return Meeting.objects.filter(
        _held_during(year_period(year)), school_id=school_id, status=Meeting.Status.HELD
    )


def meetings_held_in(period: Period, only: Q = EVERYONE) -> Count:
    return Count("pk", filter=only & _held_during(period))


def detentions_served(school_id: int, year: AcademicYear):
    """The detentions served this year that NOT_REOFFENDED starts from."""
    return DetentionBooking.objects.filter(
        school_id=school_id,
        kind=SessionKind.DETENTION,
        status=Booking.ATTENDED,
        session__date__gte=year.start_date,
        session__date__lte=year.end_date,
    )


def _missed_since(school_id: int, year: AcademicYear, period: Period) -> Exists:
    return Exists(
        Miss.objects.filter(
            school_id=school_id,
            academic_year=year,
            status=Miss.Status.COUNTED,
            pupil_id=OuterRef("sanction__pupil_id"),
            recorded_at__date__gt=OuterRef("session__date"),
            recorded_at__lt=day_starts(period.start, period.end)[1],
        )
    )


def served_by(period: Period, only: Q = EVERYONE) -> Count:
    return Count("sanction__pupil", distinct=True, filter=only & period.by_end("session__date"))


def not_reoffended_by(
    school_id: int, year: AcademicYear, period: Period, only: Q = EVERYONE
) -> Count:
    # A pupil has not missed since their latest detention served exactly when some
    # detention they served has no counted miss after it: the latest is such a one.
    return Count(
        "sanction__pupil",
        distinct=True,
        filter=only & period.by_end("session__date") & ~_missed_since(school_id, year, period),
    )


def _steps(school_id: int, year: AcademicYear, periods: list[Period]) -> list[Measure]:
    rows = (
        sanctions_made(school_id, year)
        .values("step_number")
        .annotate(**per_period(periods, "n", sanctions_in))
        .order_by("step_number")
    )
    return [
        Measure(
            f"sanctions_step_{row['step_number']}",
            f"Sanctions at step {row['step_number']}",
            SANCTIONS_BY_STEP,
            [Cell(n) for n in column(row, periods, "n")],
            FAMILY,
        )
        for row in rows
    ]


def _bookings(school_id: int, year: AcademicYear, periods: list[Period]) -> dict:
    return bookings(school_id, year).aggregate(
        **per_period(periods, "set", detentions_set_in),
        **per_period(periods, "served", detentions_served_in),
        **per_period(periods, "missed", detentions_missed_in),
        **per_period(periods, "exclusion", exclusion_days_in),
    )


def _meetings(school_id: int, year: AcademicYear, periods: list[Period]) -> list[int]:
    result = meetings_held(school_id, year).aggregate(
        **per_period(periods, "held", meetings_held_in)
    )
    return column(result, periods, "held")


def _not_reoffended(school_id: int, year: AcademicYear, periods: list[Period]) -> tuple:
    result = detentions_served(school_id, year).aggregate(
        **per_period(periods, "served", served_by),
        **per_period(periods, "clean", lambda p: not_reoffended_by(school_id, year, p)),
    )
    return column(result, periods, "clean"), column(result, periods, "served")


def sanction_measures(school_id: int, year: AcademicYear, periods: list[Period]) -> list[Measure]:
    """Four queries: sanctions by step, bookings, meetings, not re-offended."""
    steps = _steps(school_id, year, periods)
    bookings = _bookings(school_id, year, periods)
    meetings = _meetings(school_id, year, periods)
    clean, served = _not_reoffended(school_id, year, periods)
    return [
        *steps,
        Measure(
            "detentions_set",
            "Detentions set",
            DETENTIONS_SET,
            [Cell(n) for n in column(bookings, periods, "set")],
            FAMILY,
        ),
        Measure(
            "detentions_served",
            "Detentions served",
            DETENTIONS_SERVED,
            [Cell(n) for n in column(bookings, periods, "served")],
            FAMILY,
        ),
        Measure(
            "detentions_missed",
            "Detentions missed",
            DETENTIONS_MISSED,
            [Cell(n) for n in column(bookings, periods, "missed")],
            FAMILY,
        ),
        Measure(
            "exclusion_days",
            "Internal exclusion days",
            EXCLUSION_DAYS,
            [Cell(n) for n in column(bookings, periods, "exclusion")],
            FAMILY,
        ),
        Measure(
            "meetings_held", "Meetings held", MEETINGS_HELD, [Cell(n) for n in meetings], FAMILY
        ),
        Measure(
            "not_reoffended",
            "Served a detention and not missed a deadline since",
            NOT_REOFFENDED,
            [Cell(n, percent(n, whole)) for n, whole in zip(clean, served, strict=True)],
            FAMILY,
        ),
    ]
