"""Missed deadlines (sanctions' Miss rows), the roll they are measured against and misses
per pupil: three queries for every column.

The misses are the chosen year's (by their academic year), and a period's are those
recorded between the instants its first day and the day after its last begin (raw
comparisons on `recorded_at`, see periods.py), not by converting each row's moment to the
school's date in every column's FILTER."""

from django.db.models import Count, Q

from sanctions.models import Miss
from school.access import on_roll
from school.models import AcademicYear, Pupil

from .base import EVERYONE, Cell, Measure, percent
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
PER_PUPIL = (
    "Misses per pupil: the pupils on the roll at the end of the period by how many counted "
    "misses were recorded for them in the period (0, 1, 2, 3 to 5, 6 to 10, 11 or more), "
    "and their percentage of that roll; the rows add up to the roll. " + COUNTED
)


ON_THE_DAY = "recorded_at"
# Misses per pupil: the bins of the distribution (lowest, highest; None: no upper end).
BINS = [(0, 0), (1, 1), (2, 2), (3, 5), (6, 10), (11, None)]


def counted_misses(school_id: int, year: AcademicYear):
    """The misses every measure of the family counts (COUNTED)."""
    return Miss.objects.filter(school_id=school_id, academic_year=year, status=Miss.Status.COUNTED)


# Each measure once, as an aggregate over `counted_misses` (or, for the roll, the school's
# pupils) of one period; `only` narrows it to a group of pupils (reports/measures/groups.py).
def misses_in(period: Period, only: Q = EVERYONE) -> Count:
    return Count("pk", filter=only & period.during(ON_THE_DAY))


def pupils_with_a_miss_by(period: Period, only: Q = EVERYONE) -> Count:
    return Count(
        "pupil",
        distinct=True,
        filter=only & period.during_by_end(ON_THE_DAY) & on_roll(period.end, "pupil"),
    )


def pupils_missing_in(period: Period, only: Q = EVERYONE) -> Count:
    return Count("pupil", distinct=True, filter=only & period.during(ON_THE_DAY))


def on_roll_at(period: Period, only: Q = EVERYONE) -> Count:
    return Count("pk", filter=only & on_roll(period.end))


def roll(school_id: int, periods: list[Period]) -> list[int]:
    """The roll at each period's end (one query)."""
    result = Pupil.objects.filter(school_id=school_id).aggregate(
        **per_period(periods, "roll", on_roll_at)
    )
    return column(result, periods, "roll")


def _bin_label(low: int, high: int | None) -> str:
    if high is None:
        return f"{low} or more misses"
    if low == high:
        return f"{low} miss" if low == 1 else f"{low} misses"
    return f"{low} to {high} misses"


def per_pupil(school_id: int, year: AcademicYear, periods: list[Period]) -> list[Measure]:
    """Misses per pupil: the pupils on roll at each period's end by how many counted misses
    they had in the period (one query: each pupil's misses per period, then binned)."""
    counted = Q(misses__status=Miss.Status.COUNTED, misses__academic_year=year)
    pupils = Pupil.objects.filter(school_id=school_id).annotate(
        **per_period(
            periods,
            "m",
            lambda p: Count("misses", filter=counted & p.during(f"misses__{ON_THE_DAY}")),
        )
    )

    def in_bin(i: int, low: int, high: int | None) -> Q:
        q = Q(**{f"m_{i}__gte": low})
        return q & Q(**{f"m_{i}__lte": high}) if high is not None else q

    result = pupils.aggregate(
        **{
            f"bin{b}_{i}": Count("pk", filter=on_roll(period.end) & in_bin(i, low, high))
            for b, (low, high) in enumerate(BINS)
            for i, period in enumerate(periods)
        }
    )
    bins = [column(result, periods, f"bin{b}") for b in range(len(BINS))]
    rolls = [sum(counts) for counts in zip(*bins, strict=True)]
    return [
        Measure(
            f"misses_per_pupil_{b}",
            f"Pupils with {_bin_label(low, high)}",
            PER_PUPIL,
            [Cell(n, percent(n, whole)) for n, whole in zip(bins[b], rolls, strict=True)],
            FAMILY,
        )
        for b, (low, high) in enumerate(BINS)
    ]


def miss_measures(school_id: int, year: AcademicYear, periods: list[Period]) -> list[Measure]:
    """Misses recorded, pupils with a miss so far (and % of roll), pupils missing
    deadlines in the period, the roll, and misses per pupil (three queries)."""
    result = counted_misses(school_id, year).aggregate(
        **per_period(periods, "misses", misses_in),
        **per_period(periods, "so_far", pupils_with_a_miss_by),
        **per_period(periods, "missing", pupils_missing_in),
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
        *per_pupil(school_id, year, periods),
    ]
