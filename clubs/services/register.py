"""A club session's register (seed 001): the session's rota staff and leaders tick in
the pupils who booked, find walk-ins by name, check pupils out, and mark "worked
effectively" for the reward once a pupil has stayed the policy's minutes (default 30).
The reward is the Attendance row on the pupil's record, and parents are told as a
commendation. Each row shows the pupil's overdue and due-tomorrow homework so that staff
can help with it."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.notices import COMMENDATION
from notifications.services import notifications_queue
from school.models import Pupil, User

from ..models import Attendance, Booking, ClubSession
from ..selectors.register import minutes_between, pupils_for_club, register_refusal
from ..selectors.rota import club_policy


class RegisterError(Exception):
    """A request the register's rules refuse; the message is shown as it is."""


def _check_open(session: ClubSession, now: datetime.datetime) -> None:
    refusal = register_refusal(session, now)
    if refusal:
        raise RegisterError(refusal)


@transaction.atomic
def attendance_check_in(*, session: ClubSession, pupil: Pupil, actor: User, now=None) -> Attendance:
    """Tick a pupil in: one who booked, or a walk-in of the club's year groups."""
    now = now or timezone.now()
    _check_open(session, now)
    if pupil.left_on is not None and pupil.left_on <= session.date:
        raise RegisterError(f"{pupil.full_name} has left the school.")
    booked = Booking.objects.filter(
        session=session, pupil=pupil, status=Booking.Status.BOOKED
    ).exists()
    if not booked and not pupils_for_club(session.club).filter(pk=pupil.pk).exists():
        raise RegisterError(f"{pupil.full_name} is not in the year groups this club is for.")
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                school_id=session.school_id,
                session=session,
                pupil=pupil,
                checked_in_at=now,
                checked_in_by=actor,
            )
    except IntegrityError:
        raise RegisterError(f"{pupil.full_name} is already checked in.") from None


def _locked_attendance(session: ClubSession, pupil: Pupil) -> Attendance:
    attendance = Attendance.objects.select_for_update().filter(session=session, pupil=pupil).first()
    if attendance is None:
        raise RegisterError(f"{pupil.full_name} is not checked in.")
    return attendance


@transaction.atomic
def attendance_check_out(
    *, session: ClubSession, pupil: Pupil, actor: User, now=None
) -> Attendance:
    """Tick a pupil out; their time in the club is from check-in to now."""
    now = now or timezone.now()
    attendance = _locked_attendance(session, pupil)
    if attendance.checked_out_at is not None:
        raise RegisterError(f"{pupil.full_name} is already checked out.")
    attendance.checked_out_at = max(now, attendance.checked_in_at)
    attendance.checked_out_by = actor
    attendance.save(update_fields=["checked_out_at", "checked_out_by"])
    return attendance


@transaction.atomic
def attendance_reward(*, session: ClubSession, pupil: Pupil, actor: User, now=None) -> Attendance:
    """Mark that the pupil worked effectively: only once they have stayed the policy's
    minutes (to check-out, or to now while still in). Parents are told as a commendation."""
    now = now or timezone.now()
    attendance = _locked_attendance(session, pupil)
    if attendance.worked_effectively:
        raise RegisterError(f"{pupil.full_name} already has the reward for this session.")
    needed = club_policy(session.school_id).reward_minutes
    stayed = minutes_between(attendance.checked_in_at, attendance.checked_out_at or now)
    if stayed < needed:
        raise RegisterError(
            f"{pupil.full_name} has been in the club for {stayed} minutes: the reward needs "
            f"at least {needed} minutes of work."
        )
    attendance.worked_effectively = True
    attendance.rewarded_by = actor
    attendance.rewarded_at = now
    attendance.save(update_fields=["worked_effectively", "rewarded_by", "rewarded_at"])
    notifications_queue(
        events=[
            (
                pupil.pk,
                COMMENDATION,
                # Facts, not a sentence: the family reads them in their own language.
                {
                    "kind": "club_reward",
                    "club": session.club.name,
                    "club_kind": session.club.kind,
                    "minutes": stayed,
                },
            )
        ]
    )
    return attendance
