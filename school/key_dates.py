"""Key dates for year groups (exams, information evenings, parents' evenings, other): who
may keep them (senior leaders and school admins for every year, heads of year for their
own), the writes, and the reads for the staff list and for families (the upcoming dates
of their children's year groups). Every read starts with the school."""

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet

from . import access
from .models import KeyDate, RoleAssignment, User, YearGroup

Role = RoleAssignment.Role
UPCOMING_DAYS = 120  # how far ahead families see
UPCOMING_LIMIT = 8


class KeyDateError(Exception):
    """A request the rules refuse; the message is shown as it is."""


def years_kept_by(user) -> QuerySet[YearGroup]:
    """The year groups whose key dates this person keeps (none: the pages answer 404)."""
    if not access.is_staff_member(user):
        return YearGroup.objects.none()
    years = YearGroup.objects.filter(school_id=user.school_id).order_by("number")
    if access.is_school_wide(user):
        return years
    return years.filter(pk__in=access.scope_ids(user, Role.HEAD_OF_YEAR))


def may_keep_key_dates(user) -> bool:
    """Without a query where the roles tell (the top bar asks it on every page)."""
    return access.is_school_wide(user) or access.has_role(user, Role.HEAD_OF_YEAR)


def key_dates_kept_by(user) -> QuerySet[KeyDate]:
    """Key dates this person may edit: school-wide leaders all of their school's; a head
    of year those for their years only (none for another year as well)."""
    if not may_keep_key_dates(user):
        return KeyDate.objects.none()
    dates = KeyDate.objects.filter(school_id=user.school_id)
    if access.is_school_wide(user):
        return dates
    mine = access.scope_ids(user, Role.HEAD_OF_YEAR)
    return (
        dates.exclude(year_groups__in=YearGroup.objects.exclude(pk__in=mine))
        .filter(year_groups__in=mine)
        .distinct()
    )


def key_dates_list(user, *, since: datetime.date) -> list[KeyDate]:
    """The school's key dates from `since` on (with their years, two queries), each marked
    `editable` by this person."""
    editable = set(key_dates_kept_by(user).values_list("pk", flat=True))
    rows = list(
        KeyDate.objects.filter(school_id=user.school_id)
        .filter(Q(date__gte=since) | Q(ends_on__gte=since))
        .prefetch_related(Prefetch("year_groups", queryset=YearGroup.objects.order_by("number")))
        .order_by("date", "start_time", "pk")
    )
    for row in rows:
        row.editable = row.pk in editable
    return rows


def key_dates_for_pupils(
    pupils: Sequence, *, since: datetime.date, until=None, with_years: bool = True
) -> QuerySet:
    """The key dates of these pupils' year groups at their schools, from `since` (to
    `until` if given), each once, with their year groups (unless `with_years` is False:
    the caller reads only those it asks about). One query, plus one for the year groups
    when there are any."""
    year_ids = {pupil.year_group_id for pupil in pupils}
    school_ids = {pupil.school_id for pupil in pupils}
    if not year_ids:
        return KeyDate.objects.none()
    rows = KeyDate.objects.filter(
        school_id__in=school_ids,
        pk__in=KeyDate.year_groups.through.objects.filter(yeargroup_id__in=year_ids).values(
            "keydate_id"
        ),
    ).filter(Q(date__gte=since) | Q(ends_on__gte=since))
    if until is not None:
        rows = rows.filter(date__lte=until)
    if with_years:
        rows = rows.prefetch_related(
            Prefetch("year_groups", queryset=YearGroup.objects.order_by("number"))
        )
    return rows.order_by("date", "start_time", "pk")


@transaction.atomic
def key_date_save(
    *,
    user: User,
    key_date: KeyDate | None,
    kind: str,
    title: str,
    date: datetime.date,
    ends_on: datetime.date | None,
    start_time: datetime.time | None,
    end_time: datetime.time | None,
    details: str,
    year_groups: Sequence[YearGroup],
) -> KeyDate:
    """Add a key date (`key_date` None) or change one; only for years the person keeps."""
    allowed = set(years_kept_by(user).values_list("pk", flat=True))
    if not year_groups:
        raise KeyDateError("Choose at least one year group.")
    if any(year.pk not in allowed for year in year_groups):
        raise KeyDateError("You can add key dates only for your own year groups.")
    if ends_on is not None and ends_on < date:
        raise KeyDateError("The last day is before the first.")
    if key_date is None:
        key_date = KeyDate(school_id=user.school_id, created_by=user)
    elif key_date.school_id != user.school_id:
        raise KeyDateError("That key date belongs to another school.")
    key_date.kind = kind
    key_date.title = title
    key_date.date = date
    key_date.ends_on = ends_on if ends_on != date else None
    key_date.start_time = start_time
    key_date.end_time = end_time
    key_date.details = details
    key_date.save()
    key_date.year_groups.set(year_groups)
    return key_date


@transaction.atomic
def key_date_delete(*, key_date: KeyDate) -> None:
    key_date.delete()
