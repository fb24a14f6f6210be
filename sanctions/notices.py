"""What the sanctions tell parents, as the outbox sees it: the kinds of message they send
(registered with notifications, with their templates under templates/sanctions/email/);
each event names the miss or the sanction it is about, so that what one event says about
one sanction is one part of one message (notifications/events.py), and a message is
checked against the sanction as it stands when it is sent: a detention cancelled or
moved before the message went out is not announced as booked, or is announced where it
now is."""

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from notifications import registry
from notifications.events import register_fact_check

from .models import Commendation, DetentionBooking, DetentionSession, Miss, Sanction, SessionKind

MISSED_DEADLINE = "missed_deadline"
SANCTION_DUE = "sanction_due"
SANCTION_CANCELLED = "sanction_cancelled"
DETENTION_BOOKED = "detention_booked"
DETENTION_MISSED = "detention_missed"
EXCLUSION_BOOKED = "exclusion_booked"
EXCLUSION_CANCELLED = "exclusion_cancelled"
MEETING_ARRANGED = "meeting_arranged"
MEETING_CANCELLED = "meeting_cancelled"

# Who a meeting is with, as a family reads it in a sentence ("a meeting with ...").
MEETING_WITH = {
    "form_tutor": _("the form tutor"),
    "head_of_house": _("the head of house"),
    "head_of_year": _("the head of year"),
    "senior_leader": _("a senior leader"),
}


def kinds_register() -> None:
    """Notices of detentions and internal exclusions (and of their cancellation) always go
    out at once: a family must know where their child is after school. A message of
    several parts is headed by what the family must act on first (lowest headline)."""
    group = _("Homework and behaviour")

    def kind(code, label, **how):
        registry.register_kind(code, label, group=group, templates="sanctions/email", **how)

    kind(MISSED_DEADLINE, _("Missed deadline"), headline=100)
    kind(SANCTION_DUE, _("Detention due"), mandatory=True, headline=10, absorbs={DETENTION_BOOKED})
    kind(
        SANCTION_CANCELLED,
        _("Detention cancelled"),
        mandatory=True,
        headline=50,
        absorbs={MEETING_CANCELLED},
        cancels={SANCTION_DUE, DETENTION_BOOKED, MEETING_ARRANGED},
    )
    kind(DETENTION_BOOKED, _("Detention booked"), mandatory=True, headline=40)
    kind(EXCLUSION_BOOKED, _("Internal exclusion booked"), mandatory=True, headline=30)
    kind(
        EXCLUSION_CANCELLED,
        _("Internal exclusion cancelled"),
        mandatory=True,
        headline=60,
        cancels={EXCLUSION_BOOKED},
    )
    kind(MEETING_ARRANGED, _("Meeting arranged"), headline=80)
    kind(MEETING_CANCELLED, _("Meeting cancelled"), headline=70, cancels={MEETING_ARRANGED})
    kind(
        DETENTION_MISSED,
        _("Detention missed"),
        mandatory=True,
        headline=20,
        absorbs={EXCLUSION_BOOKED},
    )
    # Codes a message holds, read in the family's language.
    registry.register_labels("commendation_reason", Commendation.Reason.choices)
    registry.register_labels("meeting_with", MEETING_WITH.items())


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
    DETENTION_BOOKED: SessionKind.DETENTION,
    EXCLUSION_BOOKED: SessionKind.INTERNAL_EXCLUSION,
}
# What a part takes in about the booking that followed it (its kind's `absorbs`).
FOLLOWING_BOOKING = {
    SANCTION_DUE: DETENTION_BOOKED,
    DETENTION_MISSED: EXCLUSION_BOOKED,
}
# Still true once the sanction is cancelled or served: they say so, or tell of the past.
ALWAYS_TRUE = {SANCTION_CANCELLED, EXCLUSION_CANCELLED, MEETING_CANCELLED}


def _booked(sanction: Sanction, session_kind: str) -> DetentionSession | None:
    """The session the sanction is booked into now (confirmed, not yet taken place; none
    once the pupil has left by its day)."""
    booking = (
        DetentionBooking.objects.filter(
            sanction=sanction, kind=session_kind, status=DetentionBooking.Status.BOOKED
        )
        .exclude(sanction__pupil__left_on__lte=F("session__date"))
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
    if kind == SANCTION_DUE and sanction.status == Sanction.Status.SERVED:
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
