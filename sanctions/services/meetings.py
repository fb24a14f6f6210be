"""Arranging, holding, cancelling and reassigning a meeting the ladder added (the engine
creates and cancels them with their sanction). Parents are told when a meeting they are
invited to is arranged, rearranged, given to someone else or cancelled."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from notifications.services import notifications_queue
from school.models import Pupil, User

from ..models import AuditEntry, Meeting
from ..notices import MEETING_ARRANGED
from ..selectors.meetings import (
    OUTCOME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    staff_choices,
)
from . import SanctionError
from .engine import meeting_cancelled_event


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
    left_on = Pupil.objects.filter(pk=meeting.pupil_id).values_list("left_on", flat=True).get()
    if left_on is not None and left_on <= timezone.localtime(when).date():
        raise SanctionError(
            f"The pupil leaves the school on {left_on:%d/%m/%Y}: no meeting is arranged "
            "for them from that day."
        )
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
