"""Commendations and positive contacts home."""

from django.db import transaction
from django.utils import timezone

from homework.models import Assignment
from notifications.notices import COMMENDATION
from notifications.services import notifications_queue
from school.models import Pupil, User

from ..models import (
    AuditEntry,
    Commendation,
)
from . import SanctionError


@transaction.atomic
def commendation_record(
    *,
    actor: User,
    pupil: Pupil,
    kind: str,
    reason: str,
    note: str = "",
    assignment: Assignment | None = None,
    now=None,
) -> Commendation:
    """Put a commendation or positive contact home on the pupil's record, with an audit
    entry, and tell each guardian with parental responsibility. `assignment` (the homework
    it is for) must be the pupil's; the caller checks the person may see it."""
    now = now or timezone.now()
    if kind not in Commendation.Kind.values:
        raise SanctionError("Choose a commendation or a positive contact home.")
    if reason not in Commendation.Reason.values:
        raise SanctionError("Choose the reason for the commendation.")
    if assignment is not None and assignment.pupil_id != pupil.pk:
        raise SanctionError("That homework is not this pupil's.")
    note = note.strip()
    commendation = Commendation.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        kind=kind,
        reason=reason,
        note=note,
        assignment=assignment,
        awarded_by=actor,
        awarded_at=now,
    )
    label = commendation.get_reason_display()
    AuditEntry.objects.create(
        school_id=pupil.school_id,
        at=now,
        actor=actor,
        pupil=pupil,
        action="commendation_recorded",
        reason=f"{commendation.get_kind_display()}: {label}"[:300],
    )
    notifications_queue(
        events=[
            (
                pupil.pk,
                COMMENDATION,
                {
                    "kind": kind,
                    # The code: the family reads its label in their own language.
                    "commendation_reason": reason,
                    "note": note,
                    "homework": assignment.homework.title if assignment else "",
                },
            )
        ]
    )
    return commendation
