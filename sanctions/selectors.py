"""Reads shaped for the sanctions pages, each in a fixed number of queries."""

from collections.abc import Sequence
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from homework.models import Assignment, Homework
from school import access
from school.models import RoleAssignment, TeachingGroup

from . import scheduling
from .models import DetentionBooking, DetentionSession, Miss, Sanction, SessionKind
from .stages import stage_of, stage_prefetch

Role = RoleAssignment.Role


def assignments_missable(
    homework: Homework, assignment_ids: Sequence[int], *, now: datetime
) -> list[Assignment]:
    """The ticked assignments of this homework that are overdue and not handed in."""
    return list(
        homework.assignments.filter(
            pk__in=assignment_ids, status=Assignment.Status.SET, due_at__lte=now
        ).only("pk", "school_id", "pupil_id", "homework_id")
    )


def pupils_with_new_sanctions(misses: Sequence[Miss]) -> int:
    """How many of these misses' pupils completed a cycle with them."""
    return (
        Miss.objects.filter(pk__in=[miss.pk for miss in misses], sanction__isnull=False)
        .values("pupil_id")
        .distinct()
        .count()
    )


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


# Detentions ------------------------------------------------------------------------------

DETENTION_ROLES = (Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER)


def detention_sessions_visible_to(user, kind: str | None = None) -> QuerySet[DetentionSession]:
    """The school's sessions (of this kind: detentions or internal exclusion days) for
    heads of year and house and senior leaders; the sessions they supervise for anyone
    else. `taken`: the places filled."""
    if not access.is_staff_member(user):
        return DetentionSession.objects.none()
    sessions = DetentionSession.objects.filter(school_id=user.school_id)
    if kind is not None:
        sessions = sessions.filter(kind=kind)
    if not access.has_role(user, *DETENTION_ROLES):
        sessions = sessions.filter(supervisor=user)
    return sessions.select_related("supervisor", "school").annotate(
        taken=Count(
            "bookings",
            filter=Q(bookings__status__in=DetentionBooking.LIVE)
            & ~Q(bookings__sanction__status=Sanction.Status.CANCELLED),
        )
    )


def detention_viewer(user) -> bool:
    """Who may open the detentions pages (one query for a supervisor without a pastoral
    role, none otherwise)."""
    if access.has_role(user, *DETENTION_ROLES):
        return True
    return (
        access.is_staff_member(user)
        and DetentionSession.objects.filter(school_id=user.school_id, supervisor=user).exists()
    )


def detention_creator(user) -> bool:
    return access.has_role(user, Role.HEAD_OF_YEAR, Role.SENIOR_LEADER)


def _year_and_house(user, pupil: str) -> Q:
    """The viewer's year and house pupils (nobody for a viewer with neither role)."""
    return Q(**{f"{pupil}__year_group_id__in": access.scope_ids(user, Role.HEAD_OF_YEAR)}) | Q(
        **{f"{pupil}__house_id__in": access.scope_ids(user, Role.HEAD_OF_HOUSE)}
    )


def bookings_to_check(user) -> QuerySet[DetentionBooking]:
    """Bookings of flagged pupils awaiting a check: the viewer's year and house pupils,
    or the school's for senior leaders."""
    if not access.is_staff_member(user):
        return DetentionBooking.objects.none()
    bookings = DetentionBooking.objects.filter(
        school_id=user.school_id, status=DetentionBooking.Status.NEEDS_CHECK
    ).exclude(sanction__status=Sanction.Status.CANCELLED)
    if not access.has_role(user, Role.SENIOR_LEADER):
        bookings = bookings.filter(_year_and_house(user, "sanction__pupil"))
    return bookings.select_related(
        "session", "sanction__pupil__tutor_group", "sanction__pupil__year_group"
    ).order_by("session__date", "session__start_time", "sanction__pupil__last_name", "pk")


WAITING_SHOWN = 200


def sanctions_waiting(user, kind: str) -> list[Sanction]:
    """Sanctions waiting for a place of this kind (no session with room yet), oldest
    first: the viewer's year and house pupils, or the school's for senior leaders.
    `missed_on`: for exclusion days, the date of the detention missed without a reason;
    `where`: where each stands (sanctions/stages.py)."""
    if not access.is_staff_member(user):
        return []
    waiting = scheduling.waiting_for_a_place(user.school_id, kind)
    if not access.has_role(user, Role.SENIOR_LEADER):
        waiting = waiting.filter(_year_and_house(user, "pupil"))
    if kind == SessionKind.INTERNAL_EXCLUSION:
        missed = DetentionBooking.objects.filter(
            sanction=OuterRef("pk"),
            kind=SessionKind.DETENTION,
            status=DetentionBooking.Status.ABSENT_UNAUTHORISED,
        ).order_by("-session__date")
        waiting = waiting.annotate(missed_on=Subquery(missed.values("session__date")[:1]))
    waiting = list(
        waiting.select_related("pupil__tutor_group", "pupil__year_group").prefetch_related(
            stage_prefetch()
        )[:WAITING_SHOWN]
    )
    for sanction in waiting:
        sanction.where = stage_of(sanction)
    return waiting


def register_bookings(session: DetentionSession) -> list[DetentionBooking]:
    """A session's register, by pupil name (cancelled sanctions left out)."""
    return list(
        session.bookings.exclude(sanction__status=Sanction.Status.CANCELLED)
        .select_related("sanction__pupil__tutor_group", "sanction__pupil__year_group")
        .order_by("sanction__pupil__last_name", "sanction__pupil__first_name", "pk")
    )


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
