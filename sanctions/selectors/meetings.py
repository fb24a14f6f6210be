"""Reads for the meetings the ladder adds: who sees them and who may change them, the
lists, one meeting with its cycle's misses, the parents to contact and its history."""

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from django.db.models import Q, QuerySet
from django.utils import timezone

from school import access
from school.models import GuardianLink, RoleAssignment, User
from school.placements import as_placed_each

from ..models import AuditEntry, Meeting, Miss
from .dashboard import ACTION_LABELS as DASHBOARD_ACTION_LABELS

Role = RoleAssignment.Role


MEETING_ROLES = (Role.FORM_TUTOR, Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER)


OUTCOME_MAX_LENGTH = 4000


REASON_MAX_LENGTH = AuditEntry._meta.get_field("reason").max_length


PLACE_MAX_LENGTH = Meeting._meta.get_field("place").max_length


def meetings_visible_to(user) -> QuerySet[Meeting]:
    """The meetings they own; their tutees'; their year's and house's; the school's for
    senior leaders. Nobody else's (parents, pupils, other schools: none)."""
    if not getattr(user, "is_authenticated", False) or user.school_id is None:
        return Meeting.objects.none()
    meetings = Meeting.objects.filter(school_id=user.school_id)
    if access.has_role(user, Role.SENIOR_LEADER):
        return meetings
    return meetings.filter(
        Q(owner=user)
        | Q(pupil__tutor_group_id__in=access.scope_ids(user, Role.FORM_TUTOR))
        | Q(pupil__year_group_id__in=access.scope_ids(user, Role.HEAD_OF_YEAR))
        | Q(pupil__house_id__in=access.scope_ids(user, Role.HEAD_OF_HOUSE))
    )


def may_reassign(user, meeting: Meeting) -> bool:
    """The pupil's head of year or house, or a senior leader (no query: roles are cached)."""
    if meeting.school_id != user.school_id:
        return False
    return (
        access.has_role(user, Role.SENIOR_LEADER)
        or meeting.pupil.year_group_id in access.scope_ids(user, Role.HEAD_OF_YEAR)
        or meeting.pupil.house_id in access.scope_ids(user, Role.HEAD_OF_HOUSE)
    )


def may_change(user, meeting: Meeting) -> bool:
    """The owner, and whoever may reassign; a form tutor who is not the owner only reads."""
    return meeting.owner_id == user.pk or may_reassign(user, meeting)


def _with_details(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related(
        "pupil__tutor_group", "pupil__year_group", "owner", "sanction__academic_year"
    )


def _as_placed(meetings: list[Meeting]) -> list[Meeting]:
    """Each meeting's pupil in the groups of its sanction's academic year, when that year
    has been rolled over (school/placements.py; one query, none in the current year)."""
    as_placed_each((meeting.sanction.academic_year, meeting.pupil) for meeting in meetings)
    return meetings


@dataclass
class MeetingList:
    to_arrange: list[Meeting]
    arranged: list[Meeting]
    others: list[Meeting]
    others_cut: bool


OTHERS_SHOWN = 200


def meeting_list(user, *, status: str = "") -> MeetingList:
    """The list page in three queries: the viewer's meetings to arrange (for a senior
    leader also the ones nobody has taken yet), the arranged meetings by date, and the
    rest of their scope, newest first (the first OTHERS_SHOWN)."""
    visible = meetings_visible_to(user)
    if status:
        visible = visible.filter(status=status)
    yours = Q(owner=user)
    if access.has_role(user, Role.SENIOR_LEADER):
        yours |= Q(owner__isnull=True)
    # A leaver's open meeting leaves the lists to act on (it stays in the rest, and on
    # their timeline).
    on_roll = access.on_roll(timezone.localdate(), "pupil")
    to_arrange = visible.filter(on_roll, yours, status=Meeting.Status.TO_ARRANGE)
    arranged = visible.filter(on_roll, status=Meeting.Status.ARRANGED)
    others = visible.exclude(pk__in=to_arrange.values("pk")).exclude(
        on_roll, status=Meeting.Status.ARRANGED
    )
    to_arrange = list(_with_details(to_arrange).order_by("created_at", "pk"))
    arranged = list(_with_details(arranged).order_by("proposed_at", "pk"))
    others = list(_with_details(others).order_by("-created_at", "-pk")[: OTHERS_SHOWN + 1])
    _as_placed(to_arrange + arranged + others)
    return MeetingList(
        to_arrange=to_arrange,
        arranged=arranged,
        others=others[:OTHERS_SHOWN],
        others_cut=len(others) > OTHERS_SHOWN,
    )


EXPORT_CHUNK = 500


def meetings_for_export(user, *, status: str = "") -> Iterator[Meeting]:
    """The meetings to download, read EXPORT_CHUNK at a time, each pupil in the groups of
    the meeting's year (a placements query per chunk in a rolled-over year)."""
    meetings = meetings_visible_to(user)
    if status:
        meetings = meetings.filter(status=status)
    rows = _with_details(meetings).order_by("status", "proposed_at", "created_at", "pk")
    rows = rows.iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(rows, EXPORT_CHUNK)):
        yield from _as_placed(chunk)


def meeting_detail(user, meeting_id: int) -> Meeting:
    """One meeting the person may see, with its pupil, owner and sanction (raises
    Meeting.DoesNotExist otherwise)."""
    return (
        meetings_visible_to(user)
        .select_related(
            "pupil__tutor_group",
            "pupil__year_group",
            "pupil__house",
            "owner",
            "sanction__academic_year",
            "changed_by",
        )
        .get(pk=meeting_id)
    )


def meeting_as_placed(meeting: Meeting) -> Meeting:
    """The meeting with its pupil shown in the groups of its sanction's academic year, for
    its page once the access checks are done (they read the pupil's groups of now, as
    meetings_visible_to does)."""
    return _as_placed([meeting])[0]


def cycle_misses(meeting: Meeting) -> list[Miss]:
    """The misses that made the meeting's cycle (none once its sanction is cancelled)."""
    return list(
        Miss.objects.filter(school_id=meeting.school_id, sanction_id=meeting.sanction_id)
        .select_related("assignment__homework__teaching_group__subject", "recorded_by")
        .order_by("recorded_at", "pk")
    )


def parents_to_contact(meeting: Meeting) -> list[GuardianLink]:
    """The pupil's parents and carers with parental responsibility, first contact first."""
    return list(
        GuardianLink.objects.filter(pupil_id=meeting.pupil_id, parental_responsibility=True)
        .select_related("guardian")
        .order_by("contact_priority", "pk")
    )


ACTION_LABELS = DASHBOARD_ACTION_LABELS | {
    "meeting_arranged": "Meeting arranged",
    "meeting_rearranged": "Meeting rearranged",
    "meeting_held": "Meeting held",
    "meeting_cancelled": "Meeting cancelled",
    "meeting_reassigned": "Meeting given to someone else",
}


def meeting_history(meeting: Meeting) -> list[AuditEntry]:
    """The audit entries of the meeting's sanction, oldest first, each with a `label`."""
    entries = list(
        AuditEntry.objects.filter(school_id=meeting.school_id, sanction_id=meeting.sanction_id)
        .select_related("actor")
        .order_by("at", "pk")
    )
    for entry in entries:
        entry.label = ACTION_LABELS.get(entry.action, entry.action.replace("_", " ").capitalize())
    return entries


def staff_choices(school_id: int) -> QuerySet[User]:
    """Whom a meeting can be given to: the school's active staff."""
    return User.objects.filter(
        school_id=school_id,
        is_active=True,
        pk__in=RoleAssignment.objects.filter(school_id=school_id).values("user_id"),
    ).order_by("last_name", "first_name", "pk")
