"""Meetings the ladder adds (sanctions/services.py creates and cancels them with their
sanction): who sees them, who may change them, and arranging, holding, cancelling and
reassigning one. Parents are told when a meeting they are invited to is arranged,
rearranged, given to someone else or cancelled."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from notifications.services import notifications_queue
from school import access
from school.models import GuardianLink, RoleAssignment, User

from . import dashboard
from .models import AuditEntry, Meeting, Miss
from .notices import MEETING_ARRANGED
from .services import SanctionError, meeting_cancelled_event

Role = RoleAssignment.Role
MEETING_ROLES = (Role.FORM_TUTOR, Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER)
OUTCOME_MAX_LENGTH = 4000
REASON_MAX_LENGTH = AuditEntry._meta.get_field("reason").max_length
PLACE_MAX_LENGTH = Meeting._meta.get_field("place").max_length

# Selectors -------------------------------------------------------------------------------


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
    return meetings.select_related("pupil__tutor_group", "pupil__year_group", "owner", "sanction")


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
    to_arrange = visible.filter(yours, status=Meeting.Status.TO_ARRANGE)
    arranged = visible.filter(status=Meeting.Status.ARRANGED)
    others = visible.exclude(pk__in=to_arrange.values("pk")).exclude(status=Meeting.Status.ARRANGED)
    to_arrange = list(_with_details(to_arrange).order_by("created_at", "pk"))
    arranged = list(_with_details(arranged).order_by("proposed_at", "pk"))
    others = list(_with_details(others).order_by("-created_at", "-pk")[: OTHERS_SHOWN + 1])
    return MeetingList(
        to_arrange=to_arrange,
        arranged=arranged,
        others=others[:OTHERS_SHOWN],
        others_cut=len(others) > OTHERS_SHOWN,
    )


def meetings_for_export(user, *, status: str = "") -> QuerySet[Meeting]:
    meetings = meetings_visible_to(user)
    if status:
        meetings = meetings.filter(status=status)
    return _with_details(meetings).order_by("status", "proposed_at", "created_at", "pk")


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
            "sanction",
            "changed_by",
        )
        .get(pk=meeting_id)
    )


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


ACTION_LABELS = dashboard.ACTION_LABELS | {
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


# Services --------------------------------------------------------------------------------


def _locked_open(meeting: Meeting) -> Meeting:
    """The meeting again under a row lock, refused once held or cancelled."""
    locked = (
        Meeting.objects.select_for_update(of=("self",)).select_related("owner").get(pk=meeting.pk)
    )
    if locked.status == Meeting.Status.HELD:
        raise SanctionError("This meeting has been held: it can no longer be changed.")
    if locked.status == Meeting.Status.CANCELLED:
        raise SanctionError("This meeting has been cancelled: it can no longer be changed.")
    return locked


def _audit(meeting: Meeting, *, actor, now, action: str, reason: str) -> None:
    AuditEntry.objects.create(
        school_id=meeting.school_id,
        at=now,
        actor=actor,
        pupil_id=meeting.pupil_id,
        action=action,
        sanction_id=meeting.sanction_id,
        reason=reason[:REASON_MAX_LENGTH],
    )


def _arranged_event(meeting: Meeting, *, rearranged: bool):
    when = timezone.localtime(meeting.proposed_at)
    return (
        meeting.pupil_id,
        MEETING_ARRANGED,
        {
            "meeting_with": meeting.meeting_with,
            "at": when.isoformat(),
            "date": f"{when:%d/%m/%Y}",
            "time": f"{when:%H:%M}",
            "place": meeting.place,
            "with": str(meeting.owner) if meeting.owner else "",
            "rearranged": rearranged,
        },
    )


def _save(meeting: Meeting, *, actor, now, fields) -> None:
    meeting.changed_by, meeting.changed_at = actor, now
    meeting.save(update_fields=[*fields, "changed_by", "changed_at"])


@transaction.atomic
def meeting_arrange(
    *, actor: User, meeting: Meeting, when: datetime, place: str, now=None
) -> Meeting:
    """Give the meeting a date, time and place (again, to rearrange it). Someone arranging
    a meeting that has no owner (a senior leader's) takes it. Invited parents are told."""
    now = now or timezone.now()
    place = place.strip()
    if when <= now:
        raise SanctionError("Choose a date and time in the future.")
    if not place:
        raise SanctionError("Give the place of the meeting.")
    if len(place) > PLACE_MAX_LENGTH:
        raise SanctionError(f"A place can be at most {PLACE_MAX_LENGTH} characters.")
    meeting = _locked_open(meeting)
    rearranged = meeting.status == Meeting.Status.ARRANGED
    if meeting.owner_id is None:
        meeting.owner = actor
    meeting.status, meeting.proposed_at, meeting.place = Meeting.Status.ARRANGED, when, place
    _save(meeting, actor=actor, now=now, fields=["owner", "status", "proposed_at", "place"])
    local = timezone.localtime(when)
    _audit(
        meeting,
        actor=actor,
        now=now,
        action="meeting_rearranged" if rearranged else "meeting_arranged",
        reason=f"{local:%d/%m/%Y %H:%M}, {place}, with {meeting.owner}",
    )
    if meeting.parents_invited:
        notifications_queue(events=[_arranged_event(meeting, rearranged=rearranged)])
    return meeting


@transaction.atomic
def meeting_record_held(*, actor: User, meeting: Meeting, outcome: str, now=None) -> Meeting:
    """Record that the meeting took place, with what was agreed. A meeting held without
    being arranged here first (parents who came in that day) is dated now."""
    now = now or timezone.now()
    outcome = outcome.strip()
    if not outcome:
        raise SanctionError("Write the outcome: what was discussed and agreed.")
    if len(outcome) > OUTCOME_MAX_LENGTH:
        raise SanctionError(f"The outcome can be at most {OUTCOME_MAX_LENGTH} characters.")
    meeting = _locked_open(meeting)
    if meeting.proposed_at is None or meeting.status == Meeting.Status.TO_ARRANGE:
        meeting.proposed_at = now
    if meeting.owner_id is None:
        meeting.owner = actor
    meeting.status, meeting.outcome = Meeting.Status.HELD, outcome
    _save(meeting, actor=actor, now=now, fields=["owner", "status", "proposed_at", "outcome"])
    _audit(meeting, actor=actor, now=now, action="meeting_held", reason=outcome)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str, now=None) -> Meeting:
    """Cancel the meeting (its sanction stands). Parents who had been given a date are
    told."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise SanctionError("Give a reason: it is kept on the pupil's record.")
    if len(reason) > REASON_MAX_LENGTH:
        raise SanctionError(f"A reason can be at most {REASON_MAX_LENGTH} characters.")
    meeting = _locked_open(meeting)
    was_arranged = meeting.status == Meeting.Status.ARRANGED
    meeting.status = Meeting.Status.CANCELLED
    _save(meeting, actor=actor, now=now, fields=["status"])
    _audit(meeting, actor=actor, now=now, action="meeting_cancelled", reason=reason)
    if was_arranged and meeting.parents_invited:
        notifications_queue(events=[meeting_cancelled_event(meeting)])
    return meeting


@transaction.atomic
def meeting_reassign(
    *, actor: User, meeting: Meeting, owner: User, reason: str = "", now=None
) -> Meeting:
    """Give the meeting to another member of staff of the school. Parents already given a
    date are told whom they will meet."""
    now = now or timezone.now()
    if (
        owner.school_id != meeting.school_id
        or not owner.is_active
        or not staff_choices(meeting.school_id).filter(pk=owner.pk).exists()
    ):
        raise SanctionError("Choose an active member of staff of this school.")
    meeting = _locked_open(meeting)
    if meeting.owner_id == owner.pk:
        raise SanctionError(f"{owner} already owns this meeting.")
    meeting.owner = owner
    _save(meeting, actor=actor, now=now, fields=["owner"])
    text = f"To {owner}" + (f": {reason.strip()}" if reason.strip() else "")
    _audit(meeting, actor=actor, now=now, action="meeting_reassigned", reason=text)
    if meeting.status == Meeting.Status.ARRANGED and meeting.parents_invited:
        notifications_queue(events=[_arranged_event(meeting, rearranged=True)])
    return meeting
