"""The staff rota of the homework club (seed 001: teachers and learning support
assistants each give about an hour a half-term). Staff volunteer for sessions themselves
and withdraw before the day; leaders (senior leaders, school admins, a club's leader) see
the sessions short of staff and each person's minutes this half-term against the school's
target, and put a member of staff on a session.

The club policy is read in selectors/rota.py for the rota and the register: a school
without a policy row has the defaults, and reading never writes one."""

import datetime

from django.db import transaction
from django.utils import timezone

from school.models import User

from ..models import ClubPolicy, ClubSession, RotaSlot
from ..selectors.rota import is_rota_staff, rota_staff_of, session_over


class RotaError(Exception):
    """A request the rota rules refuse; the message is shown as it is."""


@transaction.atomic
def club_policy_ensure(*, school_id: int) -> ClubPolicy:
    """The school's policy row, created with the defaults the first time it is needed
    for a change."""
    policy, _ = ClubPolicy.objects.get_or_create(school_id=school_id)
    return policy


def _locked_session(session: ClubSession) -> ClubSession:
    return (
        ClubSession.objects.select_for_update(of=("self",))
        .select_related("club", "school")
        .get(pk=session.pk)
    )


def _check_open(session: ClubSession, now: datetime.datetime) -> None:
    if session.status != ClubSession.Status.SCHEDULED:
        raise RotaError("This session is cancelled.")
    if session_over(session, now):
        raise RotaError("This session has already taken place.")


@transaction.atomic
def rota_volunteer(*, session: ClubSession, staff: User, now=None) -> RotaSlot:
    """Put a teacher or learning support assistant on a session they chose, while it
    still needs staff and has not ended (held under a lock on the session row)."""
    now = now or timezone.now()
    if not is_rota_staff(staff) or staff.school_id != session.school_id:
        raise RotaError("Only teachers and learning support assistants volunteer for the rota.")
    session = _locked_session(session)
    _check_open(session, now)
    on = list(RotaSlot.objects.filter(session=session).values_list("staff_id", flat=True))
    if staff.pk in on:
        raise RotaError("You are already on the rota for this session.")
    if len(on) >= session.staff_needed:
        raise RotaError("This session already has all the staff it needs.")
    return RotaSlot.objects.create(
        school_id=session.school_id, session=session, staff=staff, created_by=staff
    )


@transaction.atomic
def rota_withdraw(*, session: ClubSession, staff: User, today=None) -> None:
    """Take oneself off a session, up to the day before it."""
    today = today or timezone.localdate()
    session = _locked_session(session)
    if session.date <= today:
        raise RotaError(
            "You can withdraw only before the day of the session: ask the club's leader."
        )
    deleted, _ = RotaSlot.objects.filter(session=session, staff=staff).delete()
    if not deleted:
        raise RotaError("You are not on the rota for this session.")


@transaction.atomic
def rota_assign(*, session: ClubSession, staff: User, actor: User, now=None) -> RotaSlot:
    """A leader puts a teacher or learning support assistant on a session that has not
    ended (even past the number needed: the leader decides)."""
    now = now or timezone.now()
    if (
        staff.school_id != session.school_id
        or not rota_staff_of(session.school_id).filter(pk=staff.pk).exists()
    ):
        raise RotaError("Choose a teacher or learning support assistant of this school.")
    session = _locked_session(session)
    _check_open(session, now)
    if RotaSlot.objects.filter(session=session, staff=staff).exists():
        raise RotaError(f"{staff} is already on the rota for this session.")
    return RotaSlot.objects.create(
        school_id=session.school_id, session=session, staff=staff, created_by=actor
    )
