"""Where a sanction stands: the one definition read by every page that shows a sanction's
status (the pupil's timeline, the dashboard's lists and their CSV, the parents' child
page). The stage is derived from the sanction's real state, its status and its bookings,
and never stored, so no page can say "To schedule" of a detention already booked.

Read sanctions with `.prefetch_related(stage_prefetch())` (one query for any number of
sanctions), then call `stage_of(sanction)`."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import DetentionBooking, Sanction, SessionKind

Booking = DetentionBooking.Status


class Stage:
    WAITING = "waiting"
    TO_REBOOK = "to_rebook"
    TO_CHECK = "to_check"
    BOOKED = "booked"
    WAITING_EXCLUSION = "waiting_exclusion"
    EXCLUSION_TO_CHECK = "exclusion_to_check"
    EXCLUSION_BOOKED = "exclusion_booked"
    EXCLUSION_TO_REBOOK = "exclusion_to_rebook"
    EXCLUSION_MISSED = "exclusion_missed"
    SERVED = "served"
    CANCELLED = "cancelled"

    # In staff words; "{day}" is the date of the booking the stage is about.
    LABELS = {
        WAITING: "To schedule: waiting for a detention session with room",
        TO_REBOOK: "Absent from the detention with a reason: waiting for another session",
        TO_CHECK: "Detention on {day} to check before confirming",
        BOOKED: "Detention booked for {day}",
        WAITING_EXCLUSION: "Missed the detention without a reason: waiting for an internal "
        "exclusion day",
        EXCLUSION_TO_CHECK: "Missed the detention without a reason: internal exclusion day on "
        "{day} to check before confirming",
        EXCLUSION_BOOKED: "Missed the detention without a reason: internal exclusion booked "
        "for {day}",
        EXCLUSION_TO_REBOOK: "Missed the internal exclusion day with a reason: waiting for "
        "another day",
        EXCLUSION_MISSED: "Missed the internal exclusion day on {day} without a reason: to "
        "follow up",
        SERVED: "Served: detention attended on {day}",
        CANCELLED: "Cancelled",
    }
    SERVED_BY_EXCLUSION = "Served: internal exclusion day attended on {day}"

    # In a parent's words (translated). A place still to check is not theirs to know yet:
    # they are told once it is confirmed.
    PARENT_LABELS = {
        WAITING: _("Waiting for a detention date"),
        TO_REBOOK: _("Waiting for a detention date"),
        TO_CHECK: _("The school is arranging the detention"),
        BOOKED: _("Detention booked"),
        WAITING_EXCLUSION: _(
            "Detention missed without a reason: the school will arrange an internal exclusion day"
        ),
        EXCLUSION_TO_CHECK: _(
            "Detention missed without a reason: the school will arrange an internal exclusion day"
        ),
        EXCLUSION_BOOKED: _("Detention missed: internal exclusion day booked"),
        EXCLUSION_TO_REBOOK: _(
            "Detention missed without a reason: the school will arrange an internal exclusion day"
        ),
        EXCLUSION_MISSED: _("Internal exclusion day missed: the school will contact you"),
        SERVED: _("Served"),
        CANCELLED: _("Cancelled"),
    }
    TONES = {
        WAITING: "info",
        TO_REBOOK: "info",
        TO_CHECK: "info",
        BOOKED: "warning",
        WAITING_EXCLUSION: "danger",
        EXCLUSION_TO_CHECK: "danger",
        EXCLUSION_BOOKED: "danger",
        EXCLUSION_TO_REBOOK: "danger",
        EXCLUSION_MISSED: "danger",
        SERVED: "success",
        CANCELLED: "secondary",
    }
    # Stages past a detention missed without a reason: the exclusion day is what counts.
    EXCLUSION = (
        WAITING_EXCLUSION,
        EXCLUSION_TO_CHECK,
        EXCLUSION_BOOKED,
        EXCLUSION_TO_REBOOK,
        EXCLUSION_MISSED,
    )
    TO_CONFIRM = (TO_CHECK, EXCLUSION_TO_CHECK)


@dataclass(frozen=True)
class SanctionStage:
    """A sanction's stage, with its detention and exclusion bookings (the live one of
    each kind, else the latest missed with a reason, else None)."""

    stage: str
    detention: DetentionBooking | None
    exclusion: DetentionBooking | None

    @property
    def booking(self) -> DetentionBooking | None:
        """The booking the stage is about: the exclusion day once the detention was
        missed without a reason (or attended to serve it), else the detention."""
        if self.stage == Stage.CANCELLED:
            return None
        if self.stage in Stage.EXCLUSION or self._served_by_exclusion:
            return self.exclusion if self.exclusion and self.exclusion.status in LIVE else None
        return self.detention if self.detention and self.detention.status in LIVE else None

    @property
    def confirmed_booking(self) -> DetentionBooking | None:
        """The booking as parents may see it: none while it waits for a check."""
        return None if self.stage in Stage.TO_CONFIRM else self.booking

    @property
    def _served_by_exclusion(self) -> bool:
        return (
            self.stage == Stage.SERVED
            and self.exclusion is not None
            and self.exclusion.status == Booking.ATTENDED
        )

    @property
    def label(self) -> str:
        template = (
            Stage.SERVED_BY_EXCLUSION if self._served_by_exclusion else Stage.LABELS[self.stage]
        )
        booking = self.booking
        if booking is None:
            # Only a served sanction can lack the booking its words name (one served
            # before its booking was recorded, say): it is served all the same.
            return template if "{day}" not in template else "Served"
        return template.format(day=f"{booking.session.date:%a %d/%m/%Y}")

    @property
    def parent_label(self) -> str:
        return Stage.PARENT_LABELS[self.stage]

    @property
    def tone(self) -> str:
        return Stage.TONES[self.stage]


LIVE = set(DetentionBooking.LIVE)


def stage_bookings() -> QuerySet[DetentionBooking]:
    """The bookings a stage is read from: all but those replaced by a later one."""
    return (
        DetentionBooking.objects.exclude(status=Booking.REBOOKED)
        .select_related("session")
        .order_by("session__date", "session__start_time", "pk")
    )


def stage_prefetch(lookup: str = "bookings") -> Prefetch:
    """Prefetch what `stage_of` reads, through `lookup` (the sanction's bookings)."""
    return Prefetch(lookup, queryset=stage_bookings(), to_attr="stage_bookings")


def _of_kind(bookings, kind) -> DetentionBooking | None:
    """The live booking of this kind, else the latest one missed with a reason (waiting
    to be rebooked)."""
    mine = [booking for booking in bookings if booking.kind == kind]
    live = [booking for booking in mine if booking.status in LIVE]
    return (live or mine or [None])[-1]


def stage_of(sanction: Sanction) -> SanctionStage:
    """Where the sanction stands, from `sanction.stage_bookings` (see stage_prefetch)."""
    bookings = sanction.stage_bookings
    detention = _of_kind(bookings, SessionKind.DETENTION)
    exclusion = _of_kind(bookings, SessionKind.INTERNAL_EXCLUSION)
    if sanction.status == Sanction.Status.CANCELLED:
        stage = Stage.CANCELLED
    elif sanction.status == Sanction.Status.SERVED:
        stage = Stage.SERVED
    elif detention is None:
        stage = Stage.WAITING
    elif detention.status == Booking.ABSENT_AUTHORISED:
        stage = Stage.TO_REBOOK
    elif detention.status == Booking.NEEDS_CHECK:
        stage = Stage.TO_CHECK
    elif detention.status != Booking.ABSENT_UNAUTHORISED:
        stage = Stage.BOOKED
    elif exclusion is None:
        stage = Stage.WAITING_EXCLUSION
    else:
        stage = {
            Booking.NEEDS_CHECK: Stage.EXCLUSION_TO_CHECK,
            Booking.ABSENT_AUTHORISED: Stage.EXCLUSION_TO_REBOOK,
            Booking.ABSENT_UNAUTHORISED: Stage.EXCLUSION_MISSED,
        }.get(exclusion.status, Stage.EXCLUSION_BOOKED)
    return SanctionStage(stage, detention, exclusion)
