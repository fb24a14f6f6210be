"""Writes for scheme-of-work units with dates: a class's unit dates (optionally the same
plan for every class of the subject and year the person plans), a new unit, and the
parent resources a department adds to a unit."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from school.models import TeachingGroup, User

from ..models import SchemeOfWorkUnit, UnitPlan, UnitResource
from . import HomeworkError


@dataclass(frozen=True)
class UnitDates:
    starts_on: date
    ends_on: date


@transaction.atomic
def unit_plans_save(
    *,
    user: User,
    groups: Sequence[TeachingGroup],
    dates: Mapping[int, UnitDates | None],
    new_unit_title: str = "",
    new_unit_dates: UnitDates | None = None,
) -> int:
    """Give each unit (by id) its dates for each of `groups` (all of one subject and year),
    or take a unit's dates off (None); a new unit title makes (or reuses) the unit and
    dates it. Returns how many classes were planned."""
    if not groups:
        raise HomeworkError("Choose at least one class.")
    first = groups[0]
    if any(
        (group.school_id, group.subject_id, group.year_group_id)
        != (first.school_id, first.subject_id, first.year_group_id)
        for group in groups
    ):
        raise HomeworkError("A plan is for classes of one subject and year.")
    units = SchemeOfWorkUnit.objects.filter(
        school_id=first.school_id, subject_id=first.subject_id, year_group_id=first.year_group_id
    )
    known = set(units.filter(pk__in=list(dates)).values_list("pk", flat=True))
    if set(dates) - known:
        raise HomeworkError("That unit is not one of this subject and year.")
    wanted = {pk: span for pk, span in dates.items() if span is not None}
    if new_unit_title.strip():
        if new_unit_dates is None:
            raise HomeworkError("Give the new unit a start and an end date.")
        unit, _ = SchemeOfWorkUnit.objects.get_or_create(
            school_id=first.school_id,
            subject_id=first.subject_id,
            year_group_id=first.year_group_id,
            title=new_unit_title.strip(),
        )
        wanted[unit.pk] = new_unit_dates
    for span in wanted.values():
        if span.ends_on < span.starts_on:
            raise HomeworkError("A unit cannot end before it starts.")
    group_ids = [group.pk for group in groups]
    cleared = [pk for pk, span in dates.items() if span is None]
    if cleared:
        UnitPlan.objects.filter(
            school_id=first.school_id, teaching_group_id__in=group_ids, unit_id__in=cleared
        ).delete()
    now = timezone.now()
    UnitPlan.objects.bulk_create(
        [
            UnitPlan(
                school_id=first.school_id,
                teaching_group_id=group_pk,
                unit_id=unit_pk,
                starts_on=span.starts_on,
                ends_on=span.ends_on,
                updated_by=user,
                updated_at=now,
            )
            for group_pk in group_ids
            for unit_pk, span in wanted.items()
        ],
        update_conflicts=True,
        unique_fields=["teaching_group", "unit"],
        update_fields=["starts_on", "ends_on", "updated_by", "updated_at"],
    )
    return len(group_ids)


@transaction.atomic
def unit_resource_add(*, user: User, unit: SchemeOfWorkUnit, title: str, url: str) -> UnitResource:
    if not url.lower().startswith("https://"):
        raise HomeworkError("Give a secure web address, starting with https://.")
    return UnitResource.objects.create(
        school_id=unit.school_id, unit=unit, title=title.strip(), url=url.strip(), added_by=user
    )


@transaction.atomic
def unit_resource_delete(*, resource: UnitResource) -> None:
    resource.delete()
