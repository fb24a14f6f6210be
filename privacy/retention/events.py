"""What the record kinds (`<app>/privacy_retention.py`) share: the dates their periods
count from, read at the school's own midnight, and the removal of uploaded files after
the batch that deleted their rows has committed."""

import datetime
from collections.abc import Iterable

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import QuerySet

from school.calendar import zone_named
from school.models import AcademicYear, School


def start_of(school: School, day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` at the school: rows whose moment is before it came
    before `day` there."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone_named(school.time_zone))


def first_year_not_ended(school: School, cutoff: datetime.date) -> datetime.date:
    """The first day of the earliest academic year that had not ended before `cutoff`:
    a row dated before it belongs to a year that ended before `cutoff` (the summer gap
    counts with the year just ended). Past the school's last year, the day after it
    ended; a school with no years follows England's year, 1 September to 31 August."""
    years = AcademicYear.objects.filter(school=school)
    not_ended = years.filter(end_date__gte=cutoff).order_by("start_date").first()
    if not_ended is not None:
        return not_ended.start_date
    september = datetime.date(cutoff.year if cutoff.month >= 9 else cutoff.year - 1, 9, 1)
    last = years.order_by("-end_date").first()
    if last is None:
        return september
    return max(september, last.end_date + datetime.timedelta(days=1))


def year_ended_before(school: School, cutoff: datetime.date) -> datetime.datetime:
    """`first_year_not_ended` as a moment at the school, for fields holding one."""
    return start_of(school, first_year_not_ended(school, cutoff))


def files_remove_after_commit(storage: Storage, names: Iterable[str]) -> None:
    """Delete these stored files once the transaction deleting their rows has committed,
    so that a batch rolled back never loses the file of a row it kept."""
    names = [name for name in names if name]
    if not names:
        return

    def remove():
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove)


def rows_delete(rows: QuerySet) -> int:
    """Delete the rows (and what cascades from them): how many of the rows themselves."""
    _, per_model = rows.delete()
    return per_model.get(rows.model._meta.label, 0)
