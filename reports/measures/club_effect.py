"""Did homework club help? The counted misses of the pupils who came to the club for the
first time this year, per pupil-week before their first night and after it: two queries
for every column (the pupils' first nights; their misses counted around them)."""

import datetime
from collections import defaultdict

from django.db.models import Count, Min
from django.db.models.functions import TruncDate

from sanctions.models import Miss
from school.models import AcademicYear

from .base import Cell, Measure
from .clubs import club_attendances
from .periods import Period

FAMILY = "Homework club"
WEEK = 7
WHOLE_WEEK_BEFORE = datetime.timedelta(days=WEEK)

NEWCOMERS = (
    "Pupils whose first homework club night of the academic year (an attendance at a "
    "homework club session that was not cancelled, on or before today) fell in the period "
    "and who had at least seven days of the year before it: the pupils the next two rows "
    "compare."
)
LEFT_OUT = (
    "Pupils whose first night of the year fell in the period but in the year's first "
    "seven days: they have no week before to compare with, so they are left out of the "
    "comparison."
)
BEFORE = (
    "Those pupils' counted misses (not voided or excused, by the day recorded, the "
    "school's date) from the start of the academic year to the day before their first "
    "night, divided by their pupil-weeks in that time (days divided by seven, holidays "
    "included). A pupil who joined during the year counts from the year's start, as the "
    "school's records give no joining date."
)
AFTER = (
    "The same pupils' counted misses from the day of their first night up to the end of "
    "the period (or today, or the day before they left, if earlier), divided by their "
    "pupil-weeks in that time (days divided by seven, holidays included)."
)


def _club_nights(school_id: int, year: AcademicYear, today: datetime.date):
    """The attendances the report counts (reports/measures/clubs.py) in this year."""
    return club_attendances(school_id, year, today=today)


def _rate(misses: int, days: int) -> float | None:
    return round(misses * WEEK / days, 2) if days else None


def club_effect_measures(
    school_id: int, year: AcademicYear, periods: list[Period], *, today: datetime.date
) -> list[Measure]:
    nights = _club_nights(school_id, year, today)
    firsts = list(
        nights.values("pupil_id", "pupil__left_on").annotate(first=Min("session__date")).order_by()
    )
    # The club pupils' counted misses per day (a semi-join on the attendees, not a
    # subquery per miss): their windows are counted below.
    misses_on: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for row in (
        Miss.objects.filter(
            school_id=school_id,
            academic_year=year,
            status=Miss.Status.COUNTED,
            pupil_id__in=nights.values("pupil_id"),
        )
        .annotate(day=TruncDate("recorded_at"))
        .values("pupil_id", "day")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        misses_on[row["pupil_id"]].append((row["day"], row["n"]))
    compared_from = year.start_date + WHOLE_WEEK_BEFORE

    def counted(pupil_id: int, start: datetime.date, end: datetime.date) -> int:
        return sum(n for day, n in misses_on[pupil_id] if start <= day <= end)

    newcomers, left_out, before, after = [], [], [], []
    for period in periods:
        pupils = left = days_before = days_after = misses_before = misses_after = 0
        for row in firsts:
            first = row["first"]
            if not period.start <= first <= period.end:
                continue
            if first < compared_from:
                left += 1
                continue
            pupils += 1
            day_before = first - datetime.timedelta(days=1)
            days_before += (first - year.start_date).days
            misses_before += counted(row["pupil_id"], year.start_date, day_before)
            end = min(period.end, today)
            if row["pupil__left_on"] is not None:
                end = min(end, row["pupil__left_on"] - datetime.timedelta(days=1))
            days_after += max((end - first).days + 1, 0)
            misses_after += counted(row["pupil_id"], first, end)
        newcomers.append(Cell(pupils))
        left_out.append(Cell(left))
        before.append(Cell(_rate(misses_before, days_before)))
        after.append(Cell(_rate(misses_after, days_after)))
    return [
        Measure("club_newcomers", "Pupils new to the club, compared", NEWCOMERS, newcomers, FAMILY),
        Measure(
            "club_newcomers_left_out",
            "Pupils new to the club in the year's first week (left out)",
            LEFT_OUT,
            left_out,
            FAMILY,
        ),
        Measure(
            "club_misses_before",
            "Their misses per pupil-week before their first night",
            BEFORE,
            before,
            FAMILY,
        ),
        Measure(
            "club_misses_after",
            "Their misses per pupil-week from their first night",
            AFTER,
            after,
            FAMILY,
        ),
    ]
