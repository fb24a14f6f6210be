"""Missed deadlines: recording them for a class, undoing or excusing one, and granting one
pupil an extension (which excuses a miss already recorded). Each change runs the ladder's
engine (services/engine.py)."""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from homework.models import Assignment, Homework
from notifications.services import notifications_queue
from school import access
from school.models import User

from ..models import (
    AuditEntry,
    Miss,
    Sanction,
)
from ..notices import (
    MISSED_DEADLINE,
    SANCTION_CANCELLED,
    about_miss,
    about_sanction,
)
from . import SanctionError
from .engine import (
    audit_extend,
    counts_refresh,
    cycles_complete,
    escalation_year,
    pupils_lock,
    sanction_meeting_cancel,
)


@transaction.atomic
def miss_record(
    *,
    recorder: User,
    assignments: Sequence[Assignment],
    reason: str = "",
    now=None,
) -> list[Miss]:
    """Record missed deadlines for many pupils at once (a whole class from a register).
    A pupil who already has a counted miss for that homework, or who handed it in or was
    excused, or who has left the school, is skipped (a leaver climbs no ladder). Each miss
    returned carries the sanction it completed (or None). The number of queries grows
    neither with the number of pupils nor with the number of cycles completed."""
    now = now or timezone.now()
    assignments = list(assignments)
    if not assignments:
        return []
    school_id = assignments[0].school_id
    year = escalation_year(school_id, timezone.localdate(now))
    pupil_ids = [a.pupil_id for a in assignments]
    pupils_lock(school_id, year, pupil_ids)

    fresh = Assignment.objects.filter(
        access.on_roll(timezone.localdate(now), "pupil"),
        pk__in=[a.pk for a in assignments],
        status=Assignment.Status.SET,
        homework__status=Homework.Status.SET,
        due_at__lte=now,
    ).exclude(misses__status=Miss.Status.COUNTED)
    fresh = list(fresh.select_related("homework__teaching_group__subject"))
    misses = Miss.objects.bulk_create(
        Miss(
            school_id=a.school_id,
            assignment=a,
            pupil_id=a.pupil_id,
            academic_year=year,
            reason=reason,
            recorded_by=recorder,
            recorded_at=now,
        )
        for a in fresh
    )
    Assignment.objects.filter(pk__in=[a.pk for a in fresh]).update(status=Assignment.Status.MISSED)
    audit, events = [], []
    audit_extend(
        audit, actor=recorder, at=now, action="miss_recorded", reason=reason, misses=misses
    )
    events.extend(missed_deadline_event(m) for m in misses)
    completed = cycles_complete(
        school_id=school_id,
        year=year,
        pupil_ids=pupil_ids,
        actor=recorder,
        now=now,
        audit=audit,
        events=events,
    )
    sanction_of = {miss.pk: s for s in completed for miss in s.cycle_misses}
    for miss in misses:
        miss.sanction = sanction_of.get(miss.pk)
    counts_refresh(year, pupil_ids)
    AuditEntry.objects.bulk_create(audit)
    notifications_queue(events=events)
    return misses


def missed_deadline_event(miss: Miss):
    """The outbox event telling parents of a missed deadline (its assignment read with
    its homework's class and subject)."""
    homework = miss.assignment.homework
    return (
        miss.pupil_id,
        MISSED_DEADLINE,
        {
            "about": about_miss(miss.pk),
            "assignment": miss.assignment_id,
            "homework": homework.title,
            "subject": homework.teaching_group.subject.name,
            "due": timezone.localtime(miss.assignment.due_at).strftime("%d/%m/%Y %H:%M"),
        },
    )


def _miss_uncount(*, actor: User, miss: Miss, status: str, reason: str, now) -> Miss:
    if not reason.strip():
        raise SanctionError("Give a reason: it is kept on the pupil's record.")
    pupils_lock(miss.school_id, miss.academic_year, [miss.pupil_id])
    miss = Miss.objects.select_related("sanction", "academic_year").get(pk=miss.pk)
    if miss.status != Miss.Status.COUNTED:
        raise SanctionError("This missed deadline has already been changed.")
    miss.status, miss.changed_by, miss.changed_at, miss.change_reason = status, actor, now, reason
    audit, events = [], []
    audit_extend(audit, actor=actor, at=now, action=f"miss_{status}", reason=reason, misses=[miss])
    sanction = miss.sanction
    if sanction is not None and not sanction.is_served:
        sanction.status = Sanction.Status.CANCELLED
        sanction.cancelled_at, sanction.cancel_reason = now, reason
        sanction.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        sanction.misses.update(sanction=None)
        miss.sanction = None
        audit_extend(
            audit,
            actor=actor,
            at=now,
            action="sanction_cancelled",
            reason=reason,
            sanctions=[sanction],
        )
        events.append(
            (
                miss.pupil_id,
                SANCTION_CANCELLED,
                {"about": about_sanction(sanction.pk), "cycle": sanction.cycle},
            )
        )
        sanction_meeting_cancel(
            sanction, actor=actor, now=now, reason=reason, audit=audit, events=events
        )
    miss.save()
    Assignment.objects.filter(pk=miss.assignment_id).update(
        status=Assignment.Status.EXCUSED if status == Miss.Status.EXCUSED else Assignment.Status.SET
    )
    cycles_complete(
        school_id=miss.school_id,
        year=miss.academic_year,
        pupil_ids=[miss.pupil_id],
        actor=actor,
        now=now,
        audit=audit,
        events=events,
    )
    counts_refresh(miss.academic_year, [miss.pupil_id])
    AuditEntry.objects.bulk_create(audit)
    notifications_queue(events=events)
    return miss


@transaction.atomic
def miss_void(*, actor: User, miss: Miss, reason: str, now=None) -> Miss:
    """Undo a miss recorded in error: the homework is open again for the pupil."""
    return _miss_uncount(
        actor=actor, miss=miss, status=Miss.Status.VOIDED, reason=reason, now=now or timezone.now()
    )


@transaction.atomic
def miss_excuse(*, actor: User, miss: Miss, reason: str, now=None) -> Miss:
    """Excuse a miss for extenuating circumstances: it no longer counts."""
    return _miss_uncount(
        actor=actor, miss=miss, status=Miss.Status.EXCUSED, reason=reason, now=now or timezone.now()
    )


@transaction.atomic
def extension_grant(
    *, actor: User, assignment: Assignment, due_at, reason: str, now=None
) -> Assignment:
    """Give one pupil more time for one homework: their own due date moves later. A
    missed deadline already recorded for it is excused (so an unserved detention of its
    cycle is cancelled and the parents told), and the homework is open again until the new
    date. The caller checks the person may grant it."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise SanctionError("Give a reason: it is kept on the pupil's record.")
    if due_at <= now:
        raise SanctionError("The new deadline must be in the future.")
    assignment = Assignment.objects.select_related("homework", "pupil").get(pk=assignment.pk)
    left_on = assignment.pupil.left_on
    if left_on is not None and left_on <= timezone.localdate(now):
        raise SanctionError("This pupil has left the school: their homework is closed.")
    if due_at <= assignment.due_at:
        raise SanctionError("The new deadline must be later than the current one.")
    if assignment.status not in (Assignment.Status.SET, Assignment.Status.MISSED):
        raise SanctionError("This homework has been handed in or excused: no extension needed.")
    label = f"Extension to {timezone.localtime(due_at):%d/%m/%Y %H:%M}: {reason}"
    counted = Miss.objects.filter(assignment=assignment, status=Miss.Status.COUNTED).first()
    if counted is not None:
        _miss_uncount(actor=actor, miss=counted, status=Miss.Status.EXCUSED, reason=label, now=now)
    else:
        year = escalation_year(assignment.school_id, timezone.localdate(now))
        pupils_lock(assignment.school_id, year, [assignment.pupil_id])
    Assignment.objects.filter(pk=assignment.pk).update(due_at=due_at, status=Assignment.Status.SET)
    AuditEntry.objects.create(
        school_id=assignment.school_id,
        at=now,
        actor=actor,
        pupil_id=assignment.pupil_id,
        action="extension_granted",
        reason=f"{assignment.homework.title}. {label}"[:300],
    )
    assignment.refresh_from_db()
    return assignment
