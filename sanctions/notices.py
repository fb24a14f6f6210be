"""What the sanctions tell parents, as the outbox sees it: each event names the miss or the
sanction it is about, so that what one event says about one sanction is one part of one
message (notifications/events.py), and a message is checked against the sanction as it
stands when it is sent: a detention cancelled or moved before the message went out is
not announced as booked, or is announced where it now is."""

from notifications.events import register_fact_check
from notifications.models import Notification

from .models import DetentionBooking, DetentionSession, Miss, Sanction, SessionKind

Kind = Notification.Kind


def about_sanction(sanction_id: int) -> str:
    return f"sanction:{sanction_id}"


def about_miss(miss_id: int) -> str:
    return f"miss:{miss_id}"


def session_facts(session: DetentionSession) -> dict:
    """The facts of a sitting the family is told of: its day, times and room."""
    return {
        "date": session.date.isoformat(),
        "start_time": session.start_time.strftime("%H:%M"),
        "end_time": session.end_time.strftime("%H:%M"),
        "room": session.room,
    }


BOOKED_KIND = {
    Kind.DETENTION_BOOKED: SessionKind.DETENTION,
    Kind.EXCLUSION_BOOKED: SessionKind.INTERNAL_EXCLUSION,
}
# What a part takes in about the booking that followed it (events.ABSORBS).
FOLLOWING_BOOKING = {
    Kind.SANCTION_DUE: Kind.DETENTION_BOOKED,
    Kind.DETENTION_MISSED: Kind.EXCLUSION_BOOKED,
}
# Still true once the sanction is cancelled or served: they say so, or tell of the past.
ALWAYS_TRUE = {Kind.SANCTION_CANCELLED, Kind.EXCLUSION_CANCELLED, Kind.MEETING_CANCELLED}


def _booked(sanction: Sanction, session_kind: str) -> DetentionSession | None:
    """The session the sanction is booked into now (confirmed, not yet taken place)."""
    booking = (
        DetentionBooking.objects.filter(
            sanction=sanction, kind=session_kind, status=DetentionBooking.Status.BOOKED
        )
        .select_related("session")
        .order_by("-pk")
        .first()
    )
    return booking.session if booking else None


def _with_booking(part: dict, kind: str, session: DetentionSession | None) -> dict:
    following = {k: v for k, v in part["with"].items() if k != kind}
    if session is not None:
        following[kind] = {**part["with"].get(kind, {}), **session_facts(session)}
    return {**part, "with": following}


def sanction_part_now(part: dict) -> dict | None:
    kind = part["kind"]
    if kind in ALWAYS_TRUE:
        return part
    sanction_id = part["facts"]["about"].split(":", 1)[1]
    sanction = Sanction.objects.filter(pk=sanction_id).first() if sanction_id.isdigit() else None
    if sanction is None or sanction.status == Sanction.Status.CANCELLED:
        return None
    if kind in BOOKED_KIND:
        session = _booked(sanction, BOOKED_KIND[kind])
        return (
            None
            if session is None
            else {**part, "facts": {**part["facts"], **session_facts(session)}}
        )
    if kind == Kind.SANCTION_DUE and sanction.status == Sanction.Status.SERVED:
        return None  # served before the message went: nothing left to tell of it
    if kind in FOLLOWING_BOOKING:
        following = FOLLOWING_BOOKING[kind]
        return _with_booking(part, following, _booked(sanction, BOOKED_KIND[following]))
    return part


def miss_part_now(part: dict) -> dict | None:
    miss_id = part["facts"]["about"].split(":", 1)[1]
    counted = miss_id.isdigit() and (
        Miss.objects.filter(pk=miss_id, status=Miss.Status.COUNTED).exists()
    )
    return part if counted else None


def fact_checks_register() -> None:
    register_fact_check("sanction", sanction_part_now)
    register_fact_check("miss", miss_part_now)
