"""The escalation ladder's results (sanctions' Sanction, DetentionBooking and Meeting
rows): sanctions by step, detentions, internal exclusion days, meetings held, and pupils
who served a detention and have not missed a deadline since. One query each, for every
column."""

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Coalesce, TruncDate

from sanctions.models import DetentionBooking, Meeting, Miss, Sanction, SessionKind
from school.models import AcademicYear

from .base import Cell, Measure, percent
from .periods import Period, column, per_period

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


def _steps(school_id: int, year: AcademicYear, periods: list[Period]) -> list[Measure]:
    rows = (
        Sanction.objects.filter(school_id=school_id, academic_year=year)
        .exclude(status=Sanction.Status.CANCELLED)
        .annotate(made_on=TruncDate("created_at"))
        .values("step_number")
        .annotate(**per_period(periods, "n", lambda p: Count("pk", filter=p.within("made_on"))))
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


def _bookings(school_id: int, periods: list[Period]) -> dict:
    detention = Q(kind=SessionKind.DETENTION)
    return DetentionBooking.objects.filter(school_id=school_id).aggregate(
        **per_period(
            periods,
            "set",
            lambda p: Count(
                "sanction", distinct=True, filter=detention & p.within("session__date")
            ),
        ),
        **per_period(
            periods,
            "served",
            lambda p: Count(
                "pk",
                filter=detention & Q(status=Booking.ATTENDED) & p.within("session__date"),
            ),
        ),
        **per_period(
            periods,
            "missed",
            lambda p: Count(
                "pk",
                filter=detention
                & Q(status=Booking.ABSENT_UNAUTHORISED)
                & p.within("session__date"),
            ),
        ),
        **per_period(
            periods,
            "exclusion",
            lambda p: Count(
                "pk",
                filter=Q(
                    kind=SessionKind.INTERNAL_EXCLUSION,
                    status__in=[Booking.ATTENDED, Booking.BOOKED],
                )
                & p.within("session__date"),
            ),
        ),
    )


def _meetings(school_id: int, periods: list[Period]) -> list[int]:
    result = (
        Meeting.objects.filter(school_id=school_id, status=Meeting.Status.HELD)
        .annotate(
            held_on=TruncDate(Coalesce("proposed_at", "changed_at")),
        )
        .aggregate(**per_period(periods, "held", lambda p: Count("pk", filter=p.within("held_on"))))
    )
    return column(result, periods, "held")


def _not_reoffended(school_id: int, year: AcademicYear, periods: list[Period]) -> tuple:
    def missed_since(period: Period) -> Exists:
        return Exists(
            Miss.objects.filter(
                school_id=school_id,
                academic_year=year,
                status=Miss.Status.COUNTED,
                pupil_id=OuterRef("sanction__pupil_id"),
                recorded_at__date__gt=OuterRef("session__date"),
                recorded_at__date__lte=period.end,
            )
        )

    served = DetentionBooking.objects.filter(
        school_id=school_id,
        kind=SessionKind.DETENTION,
        status=Booking.ATTENDED,
        session__date__gte=year.start_date,
    )
    # A pupil has not missed since their latest detention served exactly when some
    # detention they served has no counted miss after it: the latest is such a one.
    result = served.aggregate(
        **per_period(
            periods,
            "served",
            lambda p: Count("sanction__pupil", distinct=True, filter=p.by_end("session__date")),
        ),
        **per_period(
            periods,
            "clean",
            lambda p: Count(
                "sanction__pupil",
                distinct=True,
                filter=p.by_end("session__date") & ~missed_since(p),
            ),
        ),
    )
    return column(result, periods, "clean"), column(result, periods, "served")


def sanction_measures(school_id: int, year: AcademicYear, periods: list[Period]) -> list[Measure]:
    """Four queries: sanctions by step, bookings, meetings, not re-offended."""
    steps = _steps(school_id, year, periods)
    bookings = _bookings(school_id, periods)
    meetings = _meetings(school_id, periods)
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
