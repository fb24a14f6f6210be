"""Detention sessions and booking sanctions into them (DESIGN.md section 3, Detentions).

A sanction is booked into the earliest session with room that starts at least the
policy's minimum notice after the miss was recorded, on a school day (weekends only when
the policy allows them). Pupils with a flag that may make an after-school session hard
(young carer, SEN, a travel note) are booked as `needs_check`, and the head of year
confirms. Capacity is enforced under a lock on the session row."""

import datetime
import uuid
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notifications_queue
from school.models import HalfTerm, NonSchoolDay, School, User

from .models import DetentionBooking, DetentionSession, EscalationPolicy, Sanction

Status = DetentionBooking.Status
MAX_SERIES_DAYS = 366


class SchedulingError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""


def _policy(school_id: int) -> EscalationPolicy:
    """The school's current ladder, or the defaults when it has none yet."""
    policy = EscalationPolicy.objects.filter(school_id=school_id, is_current=True).first()
    return policy or EscalationPolicy(school_id=school_id)


def _school_days(*, school_id: int, start: datetime.date, end: datetime.date, weekends: bool):
    """The days from start to end (inclusive) on which a session may run."""
    closed = set(
        NonSchoolDay.objects.filter(
            school_id=school_id, date__gte=start, date__lte=end
        ).values_list("date", flat=True)
    )
    terms = list(
        HalfTerm.objects.filter(
            school_id=school_id, end_date__gte=start, start_date__lte=end
        ).values_list("start_date", "end_date")
    )
    has_terms = terms or HalfTerm.objects.filter(school_id=school_id).exists()
    day = start
    while day <= end:
        in_term = not has_terms or any(a <= day <= b for a, b in terms)
        if in_term and day not in closed and (weekends or day.weekday() < 5):
            yield day
        day += datetime.timedelta(days=1)


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
) -> DetentionSession:
    """One session on one day, which must be a school day."""
    _check_session(
        start_time=start_time,
        end_time=end_time,
        room=room,
        capacity=capacity,
        supervisor=supervisor,
        school_id=school.pk,
    )
    weekends = _policy(school.pk).weekend_sessions_allowed
    if not list(_school_days(school_id=school.pk, start=date, end=date, weekends=weekends)):
        raise SchedulingError(
            f"{date:%A %d/%m/%Y} is not a school day (a weekend, a holiday or outside the "
            "terms): choose another day."
        )
    return DetentionSession.objects.create(
        school=school,
        date=date,
        start_time=start_time,
        end_time=end_time,
        room=room.strip(),
        supervisor=supervisor,
        capacity=capacity,
        created_by=created_by,
    )


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
) -> list[DetentionSession]:
    """One session on each chosen weekday (0 = Monday) from start_date to end_date,
    skipping weekends (unless the policy allows them), non-school days and, when the
    school has entered its half-terms, the holidays between them."""
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
        for day in _school_days(
            school_id=school.pk, start=start_date, end=end_date, weekends=weekends
        )
        if day.weekday() in weekdays
    ]
    if not days:
        raise SchedulingError("No school day in that range falls on the days chosen.")
    return DetentionSession.objects.bulk_create(
        DetentionSession(
            school=school,
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


def _needs_check(pupil) -> bool:
    return bool(pupil.young_carer or pupil.sen or pupil.travel_note.strip())


def _booked_event(booking: DetentionBooking, session: DetentionSession, pupil_id: int):
    return (
        pupil_id,
        Notification.Kind.DETENTION_BOOKED,
        {
            "date": session.date.isoformat(),
            "start_time": session.start_time.strftime("%H:%M"),
            "end_time": session.end_time.strftime("%H:%M"),
            "room": session.room,
        },
    )


def _earliest_from(school: School, policy: EscalationPolicy, now) -> Q:
    """Sessions starting at least the policy's minimum notice after `now`, in the
    school's time zone."""
    earliest = (now + datetime.timedelta(hours=policy.minimum_notice_hours)).astimezone(
        ZoneInfo(school.time_zone)
    )
    return Q(date__gt=earliest.date()) | Q(date=earliest.date(), start_time__gte=earliest.time())


@transaction.atomic
def sanction_schedule(*, sanction: Sanction, now=None) -> DetentionBooking | None:
    """Book the sanction into the earliest session with room, or return None (the
    sanction stays to schedule) when none has. A sanction already booked is left as it
    is and its live booking returned."""
    now = now or timezone.now()
    sanction = Sanction.objects.select_related("pupil", "school").get(pk=sanction.pk)
    if sanction.status != Sanction.Status.TO_SCHEDULE:
        return None
    live = DetentionBooking.objects.filter(sanction=sanction, status__in=DetentionBooking.LIVE)
    existing = live.first()
    if existing is not None:
        return existing
    policy = _policy(sanction.school_id)
    candidates = (
        DetentionSession.objects.filter(school_id=sanction.school_id)
        .filter(_earliest_from(sanction.school, policy, now))
        .exclude(date__in=NonSchoolDay.objects.filter(school_id=sanction.school_id).values("date"))
        .exclude(bookings__sanction=sanction)
        .annotate(taken=_taken())
        .filter(taken__lt=F("capacity"))
        .order_by("date", "start_time", "pk")
    )
    if not policy.weekend_sessions_allowed:
        candidates = candidates.exclude(date__week_day__in=[1, 7])  # Sunday, Saturday
    for session_id in list(candidates.values_list("pk", flat=True)):
        session = DetentionSession.objects.select_for_update().get(pk=session_id)
        if _taken_count(session) >= session.capacity:
            continue  # filled since the candidates were read
        status = Status.NEEDS_CHECK if _needs_check(sanction.pupil) else Status.BOOKED
        booking = DetentionBooking.objects.create(
            school_id=sanction.school_id, sanction=sanction, session=session, status=status
        )
        if status == Status.BOOKED:
            notifications_queue(events=[_booked_event(booking, session, sanction.pupil_id)])
        return booking
    return None


def _taken():
    return Count(
        "bookings",
        filter=Q(bookings__status__in=DetentionBooking.LIVE)
        & ~Q(bookings__sanction__status=Sanction.Status.CANCELLED),
    )


def _taken_count(session: DetentionSession) -> int:
    return (
        session.bookings.filter(status__in=DetentionBooking.LIVE)
        .exclude(sanction__status=Sanction.Status.CANCELLED)
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


@transaction.atomic
def detention_register_save(
    *, session: DetentionSession, marks: dict[int, tuple[str, str]], actor: User, now=None
) -> dict[str, int]:
    """Save a session's register: `marks` maps booking id to (mark, notes). Attended
    serves the sanction; absent with an authorised reason rebooks it into the next session
    with room; absent without one is recorded (internal exclusion follows from it).
    Returns how many bookings got each outcome."""
    now = now or timezone.now()
    session = DetentionSession.objects.select_for_update().get(pk=session.pk)
    bookings = {
        b.pk: b
        for b in session.bookings.select_related("sanction").filter(
            pk__in=list(marks),
            status__in=[
                Status.BOOKED,
                Status.ATTENDED,
                Status.ABSENT_AUTHORISED,
                Status.ABSENT_UNAUTHORISED,
            ],
        )
    }
    outcome = {"attended": 0, "rebooked": 0, "to_rebook": 0, "absent_unauthorised": 0}
    for booking_id, (mark, notes) in marks.items():
        booking = bookings.get(booking_id)
        if booking is None or mark not in REGISTER_MARKS:
            continue
        sanction = booking.sanction
        if booking.status == mark and booking.notes == notes:
            continue
        booking.notes = notes
        booking.changed_by, booking.changed_at = actor, now
        if mark == Status.ATTENDED:
            booking.status = Status.ATTENDED
            if sanction.status == Sanction.Status.TO_SCHEDULE:
                sanction.status = Sanction.Status.SERVED
                sanction.save(update_fields=["status"])
            outcome["attended"] += 1
        elif mark == Status.ABSENT_UNAUTHORISED:
            _unserve(sanction)
            booking.status = Status.ABSENT_UNAUTHORISED
            outcome["absent_unauthorised"] += 1
        else:
            _unserve(sanction)
            # Saved first: an authorised absence frees the sanction to be booked again.
            booking.status = Status.ABSENT_AUTHORISED
            booking.save(update_fields=["status", "notes", "changed_by", "changed_at"])
            if sanction_schedule(sanction=sanction, now=now):
                booking.status = Status.REBOOKED
                outcome["rebooked"] += 1
            else:
                outcome["to_rebook"] += 1
        booking.save(update_fields=["status", "notes", "changed_by", "changed_at"])
    return outcome


def _unserve(sanction: Sanction) -> None:
    """A register corrected from attended to absent: the detention is not served."""
    if sanction.status == Sanction.Status.SERVED:
        sanction.status = Sanction.Status.TO_SCHEDULE
        sanction.save(update_fields=["status"])
