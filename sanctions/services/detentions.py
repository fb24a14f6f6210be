"""Detention sessions and booking sanctions into them (DESIGN.md section 3, Detentions).

A sanction is booked into the earliest session with room that starts at least the
policy's minimum notice after the miss was recorded, on a school day (weekends only when
the policy allows them). Pupils with a flag that may make an after-school session hard
(young carer, SEN, a travel note) are booked as `needs_check`, and the head of year
confirms. Capacity is enforced under a lock on the session row.

Internal exclusion days are sessions of another kind, booked the same way by the
non-attendance rule: a pupil absent from their detention without an authorised reason
goes to the earliest exclusion day with room (in school hours, so flagged pupils are
booked straight in) that starts after the missed detention ended and the policy's notice
away. A register is taken only once its session has started."""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from notifications.services import notifications_queue
from school.calendar import school_days
from school.models import NonSchoolDay, School, User

from ..models import (
    AuditEntry,
    DetentionBooking,
    DetentionSession,
    EscalationPolicy,
    Sanction,
    SessionKind,
)
from ..notices import (
    DETENTION_BOOKED,
    DETENTION_MISSED,
    EXCLUSION_BOOKED,
    EXCLUSION_CANCELLED,
    about_sanction,
    session_facts,
)
from ..selectors.detentions import (
    left_by_session,
    register_not_open_message,
    register_open,
    waiting_for_a_place,
)

Status = DetentionBooking.Status


MAX_SERIES_DAYS = 366


class SchedulingError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""


class SessionsAdded(NamedTuple):
    sessions: list[DetentionSession]
    booked: int  # sanctions that were waiting for a place and now have one


def _policy(school_id: int) -> EscalationPolicy:
    """The school's current ladder, or the defaults when it has none yet."""
    policy = EscalationPolicy.objects.filter(school_id=school_id, is_current=True).first()
    return policy or EscalationPolicy(school_id=school_id)


def _check_session(*, start_time, end_time, room, capacity, supervisor, school_id):
    if end_time <= start_time:
        raise SchedulingError("A session must end after it starts.")
    if capacity < 1:
        raise SchedulingError("A session needs room for at least one pupil.")
    if not room.strip():
        raise SchedulingError("Give the room.")
    if supervisor is not None and supervisor.school_id != school_id:
        raise SchedulingError("The supervisor must work at this school.")


@transaction.atomic
def detention_session_create(
    *,
    school: School,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    room: str,
    supervisor: User | None,
    capacity: int,
    created_by: User,
    kind: str = SessionKind.DETENTION,
    now=None,
) -> SessionsAdded:
    """One session on one day, which must be a school day. Sanctions waiting for a
    place of this kind are booked into it."""
    _check_session(
        start_time=start_time,
        end_time=end_time,
        room=room,
        capacity=capacity,
        supervisor=supervisor,
        school_id=school.pk,
    )
    weekends = _policy(school.pk).weekend_sessions_allowed
    if not list(school_days(school_id=school.pk, start=date, end=date, weekends=weekends)):
        raise SchedulingError(
            f"{date:%A %d/%m/%Y} is not a school day (a weekend, a holiday or outside the "
            "terms): choose another day."
        )
    session = DetentionSession.objects.create(
        school=school,
        kind=kind,
        date=date,
        start_time=start_time,
        end_time=end_time,
        room=room.strip(),
        supervisor=supervisor,
        capacity=capacity,
        created_by=created_by,
    )
    booked = waiting_sanctions_book(school=school, kind=kind, now=now, actor=created_by)
    return SessionsAdded([session], booked)


@transaction.atomic
def detention_series_create(
    *,
    school: School,
    start_date: datetime.date,
    end_date: datetime.date,
    weekdays: Iterable[int],
    start_time: datetime.time,
    end_time: datetime.time,
    room: str,
    supervisor: User | None,
    capacity: int,
    created_by: User,
    kind: str = SessionKind.DETENTION,
    now=None,
) -> SessionsAdded:
    """One session on each chosen weekday (0 = Monday) from start_date to end_date,
    skipping weekends (unless the policy allows them), non-school days and, when the
    school has entered its half-terms, the holidays between them. Sanctions waiting for
    a place of this kind are booked into them."""
    _check_session(
        start_time=start_time,
        end_time=end_time,
        room=room,
        capacity=capacity,
        supervisor=supervisor,
        school_id=school.pk,
    )
    weekdays = set(weekdays)
    if not weekdays:
        raise SchedulingError("Choose at least one day of the week.")
    if end_date < start_date:
        raise SchedulingError("The last day must be on or after the first day.")
    if (end_date - start_date).days > MAX_SERIES_DAYS:
        raise SchedulingError("A series can cover at most a year.")
    weekends = _policy(school.pk).weekend_sessions_allowed
    series = uuid.uuid4()
    days = [
        day
        for day in school_days(
            school_id=school.pk, start=start_date, end=end_date, weekends=weekends
        )
        if day.weekday() in weekdays
    ]
    if not days:
        raise SchedulingError("No school day in that range falls on the days chosen.")
    sessions = DetentionSession.objects.bulk_create(
        DetentionSession(
            school=school,
            kind=kind,
            date=day,
            start_time=start_time,
            end_time=end_time,
            room=room.strip(),
            supervisor=supervisor,
            capacity=capacity,
            series=series,
            created_by=created_by,
        )
        for day in days
    )
    booked = waiting_sanctions_book(school=school, kind=kind, now=now, actor=created_by)
    return SessionsAdded(sessions, booked)


def _needs_check(pupil) -> bool:
    return bool(pupil.young_carer or pupil.sen or pupil.travel_note.strip())


def _booked_event(booking: DetentionBooking, session: DetentionSession, pupil_id: int):
    return (
        pupil_id,
        EXCLUSION_BOOKED if session.is_exclusion else DETENTION_BOOKED,
        {"about": about_sanction(booking.sanction_id), **session_facts(session)},
    )


def _earliest_from(school: School, policy: EscalationPolicy, now, not_before=None) -> Q:
    """Sessions starting at least the policy's minimum notice after `now`, and not before
    `not_before` when given, in the school's time zone."""
    earliest = now + datetime.timedelta(hours=policy.minimum_notice_hours)
    if not_before is not None:
        earliest = max(earliest, not_before)
    earliest = earliest.astimezone(ZoneInfo(school.time_zone))
    return Q(date__gt=earliest.date()) | Q(date=earliest.date(), start_time__gte=earliest.time())


MISSED = [Status.ABSENT_UNAUTHORISED, Status.ABSENT_AUTHORISED, Status.REBOOKED]


def _missed_session_end(sanction: Sanction) -> datetime.datetime | None:
    """When the latest session the pupil missed for this sanction ended: whatever is
    booked next (the exclusion day for a detention missed without a reason, or the
    session replacing one missed with a reason) starts after it, even when its register
    is taken early or the policy's notice is short."""
    last = (
        DetentionSession.objects.filter(bookings__sanction=sanction, bookings__status__in=MISSED)
        .order_by("-date", "-end_time")
        .values_list("date", "end_time")
        .first()
    )
    if last is None:
        return None
    return datetime.datetime.combine(*last, tzinfo=ZoneInfo(sanction.school.time_zone))


def _book(sanction: Sanction, kind: str, now) -> tuple[DetentionBooking | None, bool]:
    """Book the sanction into the earliest session of this kind with room, the policy's
    notice away. Returns the booking (None when no session has room: it waits for one)
    and whether it is new; a sanction already booked keeps its live booking. A pupil
    is never booked into a session on or after the day they leave."""
    existing = (
        DetentionBooking.objects.filter(
            sanction=sanction, kind=kind, status__in=DetentionBooking.LIVE
        )
        .exclude(left_by_session())
        .first()
    )
    if existing is not None:
        return existing, False
    policy = _policy(sanction.school_id)
    candidates = (
        DetentionSession.objects.filter(school_id=sanction.school_id, kind=kind)
        .filter(_earliest_from(sanction.school, policy, now, _missed_session_end(sanction)))
        .exclude(date__in=NonSchoolDay.objects.filter(school_id=sanction.school_id).values("date"))
        .exclude(bookings__sanction=sanction)
        .annotate(taken=_taken())
        .filter(taken__lt=F("capacity"))
        .order_by("date", "start_time", "pk")
    )
    if not policy.weekend_sessions_allowed:
        candidates = candidates.exclude(date__week_day__in=[1, 7])  # Sunday, Saturday
    if sanction.pupil.left_on is not None:
        candidates = candidates.filter(date__lt=sanction.pupil.left_on)
    exclusion = kind == SessionKind.INTERNAL_EXCLUSION
    for session_id in list(candidates.values_list("pk", flat=True)):
        session = DetentionSession.objects.select_for_update().get(pk=session_id)
        if _taken_count(session) >= session.capacity:
            continue  # filled since the candidates were read
        # An exclusion day is in school hours, so a flag is no reason to check first.
        needs_check = not exclusion and _needs_check(sanction.pupil)
        status = Status.NEEDS_CHECK if needs_check else Status.BOOKED
        # An authorised absence still waiting for a place is rebooked now, so that its
        # register can no longer be changed into a second live booking.
        DetentionBooking.objects.filter(
            sanction=sanction, kind=kind, status=Status.ABSENT_AUTHORISED
        ).update(status=Status.REBOOKED)
        booking = DetentionBooking.objects.create(
            school_id=sanction.school_id,
            sanction=sanction,
            session=session,
            kind=kind,
            status=status,
        )
        if status == Status.BOOKED:
            notifications_queue(events=[_booked_event(booking, session, sanction.pupil_id)])
        return booking, True
    return None, False


def _open_sanction(sanction: Sanction) -> Sanction | None:
    sanction = Sanction.objects.select_related("pupil", "school").get(pk=sanction.pk)
    return sanction if sanction.status == Sanction.Status.TO_SCHEDULE else None


@transaction.atomic
def sanction_schedule(*, sanction: Sanction, now=None) -> DetentionBooking | None:
    """Book the sanction's detention into the earliest session with room, or return None
    (the sanction stays to schedule) when none has. A sanction already booked is left as
    it is and its live booking returned."""
    sanction = _open_sanction(sanction)
    if sanction is None:
        return None
    return _book(sanction, SessionKind.DETENTION, now or timezone.now())[0]


@transaction.atomic
def exclusion_schedule(
    *, sanction: Sanction, now=None, actor: User | None = None
) -> DetentionBooking | None:
    """The non-attendance rule: a pupil who missed their detention without an authorised
    reason spends the earliest internal exclusion day with room (the policy's notice
    away) in the exclusion room; the parents are told and the booking is audited. None
    when no day has room yet: the sanction waits for one (`waiting_for_a_place`)."""
    sanction = _open_sanction(sanction)
    if sanction is None:
        return None
    now = now or timezone.now()
    booking, new = _book(sanction, SessionKind.INTERNAL_EXCLUSION, now)
    if new:
        AuditEntry.objects.create(
            **_audit_fields(sanction, booking, actor, now, "internal_exclusion_booked")
        )
    return booking


@transaction.atomic
def waiting_sanctions_book(
    *, school: School, kind: str, now=None, actor: User | None = None
) -> int:
    """After sessions are added: book the sanctions that were waiting for a place, oldest
    first. Returns how many were booked."""
    now = now or timezone.now()
    booked = 0
    for sanction in list(waiting_for_a_place(school.pk, kind)[:500]):
        if kind == SessionKind.INTERNAL_EXCLUSION:
            booking = exclusion_schedule(sanction=sanction, now=now, actor=actor)
        else:
            booking = sanction_schedule(sanction=sanction, now=now)
        if booking is not None:
            booked += 1
    return booked


def _taken():
    return Count(
        "bookings",
        filter=Q(bookings__status__in=DetentionBooking.LIVE)
        & ~Q(bookings__sanction__status=Sanction.Status.CANCELLED)
        & ~left_by_session("bookings__", "date"),
    )


def _taken_count(session: DetentionSession) -> int:
    return (
        session.bookings.filter(status__in=DetentionBooking.LIVE)
        .exclude(sanction__status=Sanction.Status.CANCELLED)
        .exclude(left_by_session())
        .count()
    )


@transaction.atomic
def detention_booking_confirm(
    *, booking: DetentionBooking, actor: User, now=None
) -> DetentionBooking:
    """The head of year has checked a flagged pupil can attend: the booking stands and
    the parents are told."""
    booking = (
        DetentionBooking.objects.select_for_update()
        .select_related("session", "sanction")
        .get(pk=booking.pk)
    )
    if booking.status != Status.NEEDS_CHECK:
        raise SchedulingError("This detention has already been confirmed or changed.")
    booking.status, booking.changed_by, booking.changed_at = (
        Status.BOOKED,
        actor,
        now or timezone.now(),
    )
    booking.save(update_fields=["status", "changed_by", "changed_at"])
    notifications_queue(events=[_booked_event(booking, booking.session, booking.sanction.pupil_id)])
    return booking


REGISTER_MARKS = [Status.ATTENDED, Status.ABSENT_AUTHORISED, Status.ABSENT_UNAUTHORISED]


REGISTER_FIELDS = [
    "status",
    "notes",
    "restorative_done",
    "homework_completed",
    "changed_by",
    "changed_at",
]


@dataclass
class RegisterOutcome:
    """What saving a register did, for the message shown to the person who saved it."""

    attended: int = 0
    rebooked: int = 0
    to_rebook: int = 0  # absent with a reason, and no later session has room yet
    absent_unauthorised: int = 0
    excluded_on: list[datetime.date] = field(default_factory=list)  # one per pupil
    to_exclude: int = 0  # absent from a detention without a reason, no exclusion day yet


@transaction.atomic
def detention_register_save(
    *,
    session: DetentionSession,
    marks: dict[int, tuple[str, str]],
    actor: User,
    activities: dict[int, set[str]] | None = None,
    now=None,
) -> RegisterOutcome:
    """Save a session's register (a detention or an internal exclusion day): `marks` maps
    booking id to (mark, notes). Attended serves the sanction; absent with an authorised
    reason rebooks it into the next session of the same kind with room; absent without
    one from a detention books an internal exclusion day (the non-attendance rule), and
    from an exclusion day is recorded for the head of year to follow up. A detention
    register corrected from absent without a reason takes back the exclusion day it had
    booked, unless that day's register has been taken. `activities` (booking id to a set
    of "restorative", "homework") records what an attending pupil did; an absent pupil
    did neither. Refused (SchedulingError, nothing saved) before the session starts."""
    now = now or timezone.now()
    activities = activities or {}
    session = (
        DetentionSession.objects.select_for_update(of=("self",))
        .select_related("school")
        .get(pk=session.pk)
    )
    if not register_open(session, now):
        raise SchedulingError(register_not_open_message(session))
    bookings = {
        b.pk: b
        for b in session.bookings.select_related("sanction__pupil", "sanction__school")
        .filter(
            pk__in=list(marks),
            status__in=[
                Status.BOOKED,
                Status.ATTENDED,
                Status.ABSENT_AUTHORISED,
                Status.ABSENT_UNAUTHORISED,
            ],
        )
        .exclude(sanction__status=Sanction.Status.CANCELLED)
        .exclude(left_by_session())
    }
    outcome = RegisterOutcome()
    audit = []
    freed_exclusion_place = False
    for booking_id, (mark, notes) in marks.items():
        booking = bookings.get(booking_id)
        if booking is None or mark not in REGISTER_MARKS:
            continue
        sanction = booking.sanction
        did = activities.get(booking_id, set()) if mark == Status.ATTENDED else set()
        restorative, homework = "restorative" in did, "homework" in did
        if (booking.status, booking.notes) == (mark, notes) and (
            booking.restorative_done,
            booking.homework_completed,
        ) == (restorative, homework):
            continue
        was = booking.status
        booking.notes = notes
        booking.restorative_done, booking.homework_completed = restorative, homework
        booking.changed_by, booking.changed_at = actor, now
        if mark != Status.ABSENT_UNAUTHORISED and was == Status.ABSENT_UNAUTHORISED:
            taken_back = _exclusion_take_back(booking, sanction, actor, now)
            audit += taken_back
            freed_exclusion_place |= bool(taken_back)
        if mark == Status.ATTENDED:
            booking.status = Status.ATTENDED
            if sanction.status == Sanction.Status.TO_SCHEDULE:
                sanction.status = Sanction.Status.SERVED
                sanction.save(update_fields=["status"])
                audit.append(_register_audit(sanction, booking, actor, now, "sanction_served"))
            outcome.attended += 1
        elif mark == Status.ABSENT_UNAUTHORISED:
            _unserve(sanction)
            booking.status = Status.ABSENT_UNAUTHORISED
            booking.save(update_fields=REGISTER_FIELDS)
            outcome.absent_unauthorised += 1
            if was != Status.ABSENT_UNAUTHORISED:
                action = f"{booking.kind}_missed"
                audit.append(_register_audit(sanction, booking, actor, now, action))
                if booking.kind == SessionKind.DETENTION:
                    notifications_queue(events=[_missed_event(booking, session)])
            if booking.kind == SessionKind.DETENTION and was != Status.ABSENT_UNAUTHORISED:
                excluded = exclusion_schedule(sanction=sanction, now=now, actor=actor)
                if excluded is not None:
                    outcome.excluded_on.append(excluded.session.date)
                else:
                    outcome.to_exclude += 1
        else:
            _unserve(sanction)
            # Saved first: an authorised absence frees the sanction to be booked again.
            booking.status = Status.ABSENT_AUTHORISED
            booking.save(update_fields=REGISTER_FIELDS)
            if _book(sanction, booking.kind, now)[0] is not None:
                booking.status = Status.REBOOKED
                outcome.rebooked += 1
            else:
                outcome.to_rebook += 1
        booking.save(update_fields=REGISTER_FIELDS)
    AuditEntry.objects.bulk_create(audit)
    if freed_exclusion_place:  # once every mark is saved, so nobody freed is rebooked
        waiting_sanctions_book(
            school=session.school, kind=SessionKind.INTERNAL_EXCLUSION, now=now, actor=actor
        )
    return outcome


def _audit_fields(sanction, booking, actor, now, action) -> dict:
    session = booking.session
    return {
        "school_id": sanction.school_id,
        "at": now,
        "actor": actor,
        "pupil_id": sanction.pupil_id,
        "action": action,
        "sanction": sanction,
        "reason": f"{session.get_kind_display()} {session.date:%d/%m/%Y}"
        + (f": {booking.notes}" if booking.notes else ""),
    }


def _missed_event(booking: DetentionBooking, session: DetentionSession):
    return (
        booking.sanction.pupil_id,
        DETENTION_MISSED,
        {
            "about": about_sanction(booking.sanction_id),
            "date": session.date.isoformat(),
            "start_time": session.start_time.strftime("%H:%M"),
            "room": session.room,
        },
    )


def _register_audit(sanction, booking, actor, now, action) -> AuditEntry:
    return AuditEntry(**_audit_fields(sanction, booking, actor, now, action))


def _exclusion_take_back(booking: DetentionBooking, sanction: Sanction, actor, now):
    """A detention register corrected from an unauthorised absence: the exclusion day it
    booked goes, unless that day's register has already been taken. Returns the audit
    entries."""
    if booking.kind != SessionKind.DETENTION:
        return []
    taken_back = list(
        DetentionBooking.objects.select_related("session").filter(
            sanction=sanction,
            kind=SessionKind.INTERNAL_EXCLUSION,
            status__in=[Status.BOOKED, Status.NEEDS_CHECK],
        )
    )
    DetentionBooking.objects.filter(pk__in=[b.pk for b in taken_back]).delete()
    notifications_queue(
        events=[
            (
                sanction.pupil_id,
                EXCLUSION_CANCELLED,
                {
                    "about": about_sanction(sanction.pk),
                    "date": b.session.date.isoformat(),
                    "room": b.session.room,
                },
            )
            for b in taken_back
            if b.status == Status.BOOKED  # the parents of a flagged pupil were not told yet
        ]
    )
    return [
        _register_audit(sanction, b, actor, now, "internal_exclusion_cancelled") for b in taken_back
    ]


def _unserve(sanction: Sanction) -> None:
    """A register corrected from attended to absent: the sanction is not served."""
    if sanction.status == Sanction.Status.SERVED:
        sanction.status = Sanction.Status.TO_SCHEDULE
        sanction.save(update_fields=["status"])
