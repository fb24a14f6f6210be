"""Booking the detentions of many new sanctions at once (a class's missed deadlines that
complete several pupils' cycles in one request), by the rules of detentions._book: each
sanction, oldest first, into the earliest detention session with room the policy's notice
away, on a permitted day and before the pupil leaves; a flagged pupil's place waits for a
check; the parents are told of every place booked straight in.

A fixed number of queries however many sanctions: the sessions with room (one grouped
query), a lock on the sessions the sanctions would fill, taken in the order every booking
takes them (date, start, id) so that two requests never deadlock, their places counted
again under that lock, and one insert. Only when a session filled up between the read
and the lock do the sanctions left without a place go through the one-at-a-time path."""

from django.db.models import Count, F

from school.models import NonSchoolDay, Pupil, School

from ..models import DetentionBooking, DetentionSession, EscalationPolicy, Sanction, SessionKind
from ..selectors.detentions import left_by_session
from .detentions import _book, _booked_event, _earliest_from, _needs_check, _taken

Status = DetentionBooking.Status


def _places_taken(session_ids) -> dict[int, int]:
    return dict(
        DetentionBooking.objects.filter(
            session_id__in=session_ids, status__in=DetentionBooking.LIVE
        )
        .exclude(sanction__status=Sanction.Status.CANCELLED)
        .exclude(left_by_session())
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("session_id", "n")
    )


def _fits(session: DetentionSession, pupil: Pupil) -> bool:
    return pupil.left_on is None or session.date < pupil.left_on


def new_sanctions_book(
    *,
    sanctions: list[Sanction],
    pupils: dict[int, Pupil],
    school: School,
    policy: EscalationPolicy,
    now,
    events: list,
) -> list[DetentionBooking]:
    """Book these new sanctions' detentions (none has a booking yet); `pupils` maps each
    sanction's pupil id to the pupil (its flags and leaving date). The parents' events are
    added to `events`, for the caller's one call to notifications_queue. Sanctions with no
    session with room wait for one, as with sanction_schedule."""
    if not sanctions:
        return []
    kind = SessionKind.DETENTION
    candidates = (
        DetentionSession.objects.filter(school_id=school.pk, kind=kind)
        .filter(_earliest_from(school, policy, now))
        .exclude(date__in=NonSchoolDay.objects.filter(school_id=school.pk).values("date"))
        .annotate(taken=_taken())
        .filter(taken__lt=F("capacity"))
        .order_by("date", "start_time", "pk")
    )
    if not policy.weekend_sessions_allowed:
        candidates = candidates.exclude(date__week_day__in=[1, 7])  # Sunday, Saturday
    with_room = list(candidates.values_list("pk", "capacity", "taken"))
    wanted, room = [], 0
    for session_id, capacity, taken in with_room:
        if room >= len(sanctions):
            break
        wanted.append(session_id)
        room += capacity - taken
    if not wanted:
        return []
    sessions = list(
        DetentionSession.objects.select_for_update()
        .filter(pk__in=wanted)
        .order_by("date", "start_time", "pk")
    )
    taken = _places_taken(wanted)
    free = {session.pk: session.capacity - taken.get(session.pk, 0) for session in sessions}
    bookings, unplaced = [], []
    for sanction in sanctions:
        pupil = pupils[sanction.pupil_id]
        session = next(
            (s for s in sessions if free[s.pk] > 0 and _fits(s, pupil)),
            None,
        )
        if session is None:
            unplaced.append(sanction)
            continue
        free[session.pk] -= 1
        bookings.append(
            DetentionBooking(
                school_id=sanction.school_id,
                sanction=sanction,
                session=session,
                kind=kind,
                status=Status.NEEDS_CHECK if _needs_check(pupil) else Status.BOOKED,
            )
        )
    DetentionBooking.objects.bulk_create(bookings)
    events.extend(
        _booked_event(booking, booking.session, booking.sanction.pupil_id)
        for booking in bookings
        if booking.status == Status.BOOKED
    )
    if unplaced and len(with_room) > len(wanted):
        # Sessions filled since they were read: later ones may still have room.
        for sanction in unplaced:
            sanction.pupil, sanction.school = pupils[sanction.pupil_id], school
            booking = _book(sanction, kind, now)[0]
            if booking is not None:
                bookings.append(booking)
    return bookings
