"""The school calendar: which days are school days (in a half-term when the school has
entered them, not a bank holiday, INSET day or closure, and a weekday unless weekends
are asked for). Sessions of detention, exclusion and clubs are only ever put on them."""

import datetime
from collections.abc import Iterator

from .models import HalfTerm, NonSchoolDay


def school_days(
    *, school_id: int, start: datetime.date, end: datetime.date, weekends: bool = False
) -> Iterator[datetime.date]:
    """The days from start to end (inclusive) on which the school is open (two queries)."""
    closed = set(
        NonSchoolDay.objects.filter(
            school_id=school_id, date__gte=start, date__lte=end
        ).values_list("date", flat=True)
    )
    terms = list(
        HalfTerm.objects.filter(
            school_id=school_id, end_date__gte=start, start_date__lte=end
        ).values_list("start_date", "end_date")
    )
    has_terms = terms or HalfTerm.objects.filter(school_id=school_id).exists()
    day = start
    while day <= end:
        in_term = not has_terms or any(a <= day <= b for a, b in terms)
        if in_term and day not in closed and (weekends or day.weekday() < 5):
            yield day
        day += datetime.timedelta(days=1)
