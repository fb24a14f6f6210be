"""Missed deadlines (sanctions' Miss rows) and the roll they are measured against: two
queries for every column."""

from django.db.models import Count

from sanctions.models import Miss
from school.access import on_roll
from school.models import AcademicYear, Pupil

from .base import Cell, Measure, percent
from .periods import Period, column, per_period

FAMILY = "Missed deadlines"

ROLL = (
    "The roll of a half-term is the school's pupils on roll on its last day (not yet "
    "left by then); the year's is the roll on the year's last day. A pupil who joins during "
    "the year counts on the roll of every half-term, as the school's records give no "
    "joining date."
)
COUNTED = (
    "Only counted misses count: a miss recorded in error (voided) or excused does not. "
    "A miss belongs to the half-term of the day it was recorded (the school's date)."
)
MISSES = "Missed homework deadlines recorded in the period. " + COUNTED
PUPILS_WITH_A_MISS = (
    "Pupils on the roll at the end of the period with at least one counted miss from the "
    "start of the academic year up to the period's end, and their percentage of the roll. " + ROLL
)
PUPILS_MISSING = (
    "Pupils with at least one counted miss recorded in the period (whether or not they "
    "are still on roll)."
)
ROLL_DEFINITION = "Pupils on roll on the period's last day. " + ROLL


def roll(school_id: int, periods: list[Period]) -> list[int]:
    """The roll at each period's end (one query)."""
    result = Pupil.objects.filter(school_id=school_id).aggregate(
        **per_period(periods, "roll", lambda p: Count("pk", filter=on_roll(p.end)))
    )
    return column(result, periods, "roll")


def miss_measures(school_id: int, year: AcademicYear, periods: list[Period]) -> list[Measure]:
    """Misses recorded, pupils with a miss so far (and % of roll), pupils missing
    deadlines in the period, and the roll (two queries)."""
    on_the_day = "recorded_at__date"
    result = Miss.objects.filter(
        school_id=school_id, academic_year=year, status=Miss.Status.COUNTED
    ).aggregate(
        **per_period(periods, "misses", lambda p: Count("pk", filter=p.within(on_the_day))),
        **per_period(
            periods,
            "so_far",
            lambda p: Count(
                "pupil", distinct=True, filter=p.by_end(on_the_day) & on_roll(p.end, "pupil")
            ),
        ),
        **per_period(
            periods,
            "missing",
            lambda p: Count("pupil", distinct=True, filter=p.within(on_the_day)),
        ),
    )
    rolls = roll(school_id, periods)
    so_far = column(result, periods, "so_far")
    return [
        Measure(
            "roll",
            "Pupils on roll",
            ROLL_DEFINITION,
            [Cell(n) for n in rolls],
            FAMILY,
        ),
        Measure(
            "misses",
            "Misses recorded",
            MISSES,
            [Cell(n) for n in column(result, periods, "misses")],
            FAMILY,
        ),
        Measure(
            "pupils_with_a_miss",
            "Pupils with at least one miss this year",
            PUPILS_WITH_A_MISS,
            [Cell(n, percent(n, whole)) for n, whole in zip(so_far, rolls, strict=True)],
            FAMILY,
        ),
        Measure(
            "pupils_missing",
            "Pupils missing deadlines in the period",
            PUPILS_MISSING,
            [Cell(n) for n in column(result, periods, "missing")],
            FAMILY,
        ),
    ]
