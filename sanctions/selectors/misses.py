"""Reads for recording, undoing, excusing and extending: which homework a teacher may
record, and which misses and assignments a person may change."""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from homework.models import Assignment, Homework
from school import access
from school.models import RoleAssignment, TeachingGroup

from ..models import Miss

Role = RoleAssignment.Role


def assignments_missable(
    homework: Homework, assignment_ids: Sequence[int], *, now: datetime
) -> list[Assignment]:
    """The ticked assignments of this homework that are overdue and not handed in, of
    pupils still on roll."""
    return list(
        homework.assignments.filter(
            access.on_roll(timezone.localdate(now), "pupil"),
            pk__in=assignment_ids,
            status=Assignment.Status.SET,
            due_at__lte=now,
        ).only("pk", "school_id", "pupil_id", "homework_id")
    )


def pupils_with_new_sanctions(misses: Sequence[Miss]) -> int:
    """How many of these misses' pupils completed a cycle with them (the misses as
    miss_record returns them, each with the sanction it completed: no query)."""
    return len({miss.pupil_id for miss in misses if miss.sanction_id is not None})


def _pastoral(user) -> Q:
    """The pupil's form tutor and head of year."""
    return Q(pupil__tutor_group_id__in=access.scope_ids(user, Role.FORM_TUTOR)) | Q(
        pupil__year_group_id__in=access.scope_ids(user, Role.HEAD_OF_YEAR)
    )


def _with_details(misses: QuerySet[Miss], user) -> QuerySet[Miss]:
    taught = TeachingGroup.objects.filter(school_id=user.school_id, teachers=user)
    return misses.annotate(
        viewer_teaches=Exists(taught.filter(pk=OuterRef("assignment__homework__teaching_group_id")))
    ).select_related(
        "pupil",
        "recorded_by",
        "sanction",
        "assignment__homework__teaching_group__subject",
    )


def misses_voidable_by(user) -> QuerySet[Miss]:
    """Misses this member of staff may undo (recorded in error): those of the classes they
    teach, and of their tutees and year. `viewer_teaches`: whether they teach the class."""
    if not access.is_staff_member(user):
        return Miss.objects.none()
    taught = TeachingGroup.objects.filter(school_id=user.school_id, teachers=user)
    misses = Miss.objects.filter(school_id=user.school_id).filter(
        Q(assignment__homework__teaching_group__in=taught) | _pastoral(user)
    )
    return _with_details(misses, user)


def misses_excusable_by(user) -> QuerySet[Miss]:
    """Misses this member of staff may excuse: their tutees' and year's, or the school's
    for senior leaders. A subject teacher may not excuse."""
    if not access.is_staff_member(user):
        return Miss.objects.none()
    misses = Miss.objects.filter(school_id=user.school_id)
    if not access.has_role(user, Role.SENIOR_LEADER):
        misses = misses.filter(_pastoral(user))
    return _with_details(misses, user)


def assignments_extendable_by(user) -> QuerySet[Assignment]:
    """Pupils' homework this member of staff may give more time for: the class's
    teachers, the pupil's form tutor and head of year, senior leaders (the school's).
    `viewer_teaches`: whether they teach the class."""
    if not access.is_staff_member(user):
        return Assignment.objects.none()
    taught = TeachingGroup.objects.filter(school_id=user.school_id, teachers=user)
    assignments = Assignment.objects.filter(
        school_id=user.school_id, homework__status=Homework.Status.SET
    )
    if not access.has_role(user, Role.SENIOR_LEADER):
        assignments = assignments.filter(Q(homework__teaching_group__in=taught) | _pastoral(user))
    return assignments.annotate(
        viewer_teaches=Exists(taught.filter(pk=OuterRef("homework__teaching_group_id")))
    ).select_related("pupil", "homework__teaching_group__subject")
