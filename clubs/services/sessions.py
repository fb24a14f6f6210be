"""Clubs, their sessions, cancellations and pupils' bookings (seeds 000, 001, 002).

A club's sessions are put only on school days (school.calendar): a weekly series skips
weekends, bank holidays, INSET days and the holidays between half-terms, and a one-off
session on a day the school is shut is refused. A pupil books a place in a session open to
their year; capacity holds under a lock on the session row, however many book at once.
A booking can be cancelled until the day before; a cancelled session frees its pupils and
their parents are told. The rota and the register are in services/rota.py and
services/register.py."""

import datetime
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from notifications.services import notifications_queue
from school.calendar import school_days
from school.models import Pupil, School, User, YearGroup

from ..models import Booking, Club, ClubSession
from ..notices import CLUB_SESSION_CANCELLED
from ..selectors.sessions import (
    booked_pupil_gone,
    open_to,
    school_now,
    session_ended,
    session_started,
)
from . import ClubError

MAX_SERIES_DAYS = 366


STUDY_SESSION_MAX_CAPACITY = 6


def _check_club(*, school: School, kind, name, room, capacity, staff_needed, leader):
    if kind not in Club.Kind.values:
        raise ClubError("Choose a homework club or a study session.")
    if not name.strip():
        raise ClubError("Give the club a name.")
    if not room.strip():
        raise ClubError("Give the room.")
    if capacity < 1:
        raise ClubError("A club needs room for at least one pupil.")
    if kind == Club.Kind.STUDY_SESSION and capacity > STUDY_SESSION_MAX_CAPACITY:
        raise ClubError(
            f"A study session is for a small group: at most {STUDY_SESSION_MAX_CAPACITY} pupils."
        )
    if staff_needed < 0:
        raise ClubError("The number of staff needed cannot be negative.")
    if leader is not None and leader.school_id != school.pk:
        raise ClubError("The leader must work at this school.")


@transaction.atomic
def club_create(
    *,
    school: School,
    name: str,
    kind: str = Club.Kind.HOMEWORK_CLUB,
    room: str,
    capacity: int,
    staff_needed: int,
    year_groups: Iterable[YearGroup] = (),
    leader: User | None,
    description: str = "",
) -> Club:
    """A club (or a teacher's study sessions, `kind`); its sessions are added after."""
    year_groups = list(year_groups)
    _check_club(
        school=school,
        kind=kind,
        name=name,
        room=room,
        capacity=capacity,
        staff_needed=staff_needed,
        leader=leader,
    )
    if any(year.school_id != school.pk for year in year_groups):
        raise ClubError("Choose year groups of this school.")
    club = Club.objects.create(
        school=school,
        name=name.strip(),
        kind=kind,
        description=description.strip(),
        room=room.strip(),
        capacity=capacity,
        staff_needed=staff_needed,
        leader=leader,
    )
    club.year_groups.set(year_groups)
    return club


@transaction.atomic
def study_sessions_offer(
    *,
    teacher: User,
    name: str,
    room: str,
    capacity: int,
    year_groups: Iterable[YearGroup] = (),
    description: str = "",
) -> Club:
    """A teacher offers study sessions that pupils book: a club of its own kind, led by
    the teacher, who is its one member of staff."""
    return club_create(
        school=teacher.school,
        name=name,
        kind=Club.Kind.STUDY_SESSION,
        room=room,
        capacity=capacity,
        staff_needed=1,
        year_groups=year_groups,
        leader=teacher,
        description=description,
    )


def _check_times(start_time: datetime.time, end_time: datetime.time) -> None:
    if end_time <= start_time:
        raise ClubError("A session must end after it starts.")


def _check_no_clash(club: Club, days: list[datetime.date], start_time, end_time) -> None:
    """A club meets once at a time: a session overlapping one it already has (not
    cancelled) on the same day is refused, and a series with any such day adds nothing.
    The club row is locked so that two leaders adding the same session at once are
    checked one after the other."""
    Club.objects.select_for_update().filter(pk=club.pk).first()
    clashes = sorted(
        set(
            ClubSession.objects.filter(
                club=club,
                status=ClubSession.Status.SCHEDULED,
                date__in=days,
                start_time__lt=end_time,
                end_time__gt=start_time,
            ).values_list("date", flat=True)
        )
    )
    if not clashes:
        return
    shown = ", ".join(f"{day:%a %d/%m/%Y}" for day in clashes[:5])
    more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
    raise ClubError(
        f"{club.name} already has a session at that time on {shown}{more}: nothing was "
        "added. Choose another time, or dates without a session."
    )


def _session(club: Club, day: datetime.date, start_time, end_time, series=None) -> ClubSession:
    return ClubSession(
        school_id=club.school_id,
        club=club,
        date=day,
        start_time=start_time,
        end_time=end_time,
        room=club.room,
        capacity=club.capacity,
        staff_needed=club.staff_needed,
        series=series,
    )


@transaction.atomic
def club_session_create(
    *,
    club: Club,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
) -> ClubSession:
    """One session of the club (its room, capacity and staff needed) on a school day,
    when the club has no session at that time already."""
    _check_times(start_time, end_time)
    if not list(school_days(school_id=club.school_id, start=date, end=date)):
        raise ClubError(
            f"{date:%A %d/%m/%Y} is not a school day (a weekend, a holiday or outside the "
            "terms): choose another day."
        )
    _check_no_clash(club, [date], start_time, end_time)
    session = _session(club, date, start_time, end_time)
    session.save()
    return session


@transaction.atomic
def club_series_create(
    *,
    club: Club,
    start_date: datetime.date,
    end_date: datetime.date,
    weekdays: Iterable[int],
    start_time: datetime.time,
    end_time: datetime.time,
) -> list[ClubSession]:
    """A session on each chosen weekday (0 = Monday) from start_date to end_date that is
    a school day; they share a `series`. Nothing is added when the club already has a
    session at that time on any of those days."""
    _check_times(start_time, end_time)
    weekdays = set(weekdays)
    if not weekdays:
        raise ClubError("Choose at least one day of the week.")
    if end_date < start_date:
        raise ClubError("The last day must be on or after the first day.")
    if (end_date - start_date).days > MAX_SERIES_DAYS:
        raise ClubError("A series can cover at most a year.")
    days = [
        day
        for day in school_days(school_id=club.school_id, start=start_date, end=end_date)
        if day.weekday() in weekdays
    ]
    if not days:
        raise ClubError("No school day in that range falls on the days chosen.")
    _check_no_clash(club, days, start_time, end_time)
    series = uuid.uuid4()
    return ClubSession.objects.bulk_create(
        _session(club, day, start_time, end_time, series) for day in days
    )


def _cancelled_event(session: ClubSession, pupil_id: int, reason: str):
    return (
        pupil_id,
        CLUB_SESSION_CANCELLED,
        {
            "club": session.club.name,
            "club_kind": session.club.kind,
            "date": session.date.isoformat(),
            "start_time": session.start_time.strftime("%H:%M"),
            "end_time": session.end_time.strftime("%H:%M"),
            "room": session.room,
            "reason": reason,
        },
    )


@transaction.atomic
def club_session_cancel(*, session: ClubSession, reason: str, actor: User, now=None) -> int:
    """Cancel a session that has not ended: its bookings are cancelled and the parents of
    each booked pupil are told. Returns how many pupils were booked."""
    reason = reason.strip()
    if not reason:
        raise ClubError("Give the reason: parents of booked pupils are told it.")
    session = (
        ClubSession.objects.select_for_update().select_related("club", "school").get(pk=session.pk)
    )
    if session.status == ClubSession.Status.CANCELLED:
        raise ClubError("This session is already cancelled.")
    if session_ended(session, now):
        raise ClubError("This session has already taken place.")
    now = now or timezone.now()
    booked = list(
        session.bookings.filter(status=Booking.Status.BOOKED).values_list("pupil_id", flat=True)
    )
    session.bookings.filter(status=Booking.Status.BOOKED).update(
        status=Booking.Status.CANCELLED, cancelled_at=now
    )
    session.status = ClubSession.Status.CANCELLED
    session.cancelled_reason = reason[:300]
    session.cancelled_at = now
    session.cancelled_by = actor
    session.save(update_fields=["status", "cancelled_reason", "cancelled_at", "cancelled_by"])
    notifications_queue(events=[_cancelled_event(session, pupil_id, reason) for pupil_id in booked])
    return len(booked)


@transaction.atomic
def booking_create(*, session: ClubSession, pupil: Pupil, booked_by: User, now=None) -> Booking:
    """Book the pupil a place. The session row is locked first, so places are counted
    and taken one booking at a time: capacity holds however many book at once."""
    session = (
        ClubSession.objects.select_for_update(of=("self",))
        .select_related("club", "school")
        .get(pk=session.pk)
    )
    if session.school_id != pupil.school_id:
        raise ClubError("This session is at another school.")
    if session.status == ClubSession.Status.CANCELLED:
        raise ClubError("This session is cancelled.")
    if not session.club.is_active:
        raise ClubError("This club is no longer running.")
    if session_started(session, now):
        raise ClubError("This session has already started.")
    if not open_to(session.club, pupil):
        raise ClubError(f"{session.club.name} is not open to {pupil.year_group}.")
    if pupil.left_on is not None and pupil.left_on <= session.date:
        raise ClubError(f"{pupil.full_name} has left the school by then.")
    booked = session.bookings.filter(status=Booking.Status.BOOKED).exclude(booked_pupil_gone())
    if booked.filter(pupil=pupil).exists():
        raise ClubError("You already have a place in this session.")
    if booked.count() >= session.capacity:
        raise ClubError("This session is full.")
    return Booking.objects.create(
        school_id=session.school_id,
        session=session,
        pupil=pupil,
        booked_at=now or timezone.now(),
        booked_by=booked_by,
    )


@transaction.atomic
def booking_cancel(*, booking: Booking, now=None) -> Booking:
    """Give the place back, until the day before the session (not on the day or after)."""
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("session__school")
        .get(pk=booking.pk)
    )
    if booking.status != Booking.Status.BOOKED:
        raise ClubError("This booking is already cancelled.")
    if booking.session.date <= school_now(booking.session.school, now).date():
        raise ClubError(
            "Bookings can be cancelled until the day before. On the day, tell the club's staff."
        )
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now or timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    return booking
