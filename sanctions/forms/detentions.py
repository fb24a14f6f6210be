"""Detention and internal exclusion sessions and their registers."""

from django import forms

from school.forms_fields import text_field
from school.models import User
from school.session_forms import SessionScheduleForm

from ..models import DetentionBooking


class DetentionSessionForm(SessionScheduleForm):
    """One session, or a weekly series on the chosen days from the first to the last
    day (non-school days are skipped by the service), with its room, supervisor and
    places."""

    room = text_field(max_length=50, required_message="Give the room.")
    supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label="Not yet known"
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=500,
        initial=20,
        error_messages={"required": "Give how many pupils the room holds."},
    )

    def __init__(self, *args, school_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = (
            User.objects.filter(school_id=school_id, role_assignments__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )


REGISTER_MARKS = [
    (DetentionBooking.Status.ATTENDED, "Attended"),
    (DetentionBooking.Status.ABSENT_AUTHORISED, "Absent, authorised (rebook)"),
    (DetentionBooking.Status.ABSENT_UNAUTHORISED, "Absent, unauthorised"),
]
NOTES_MAX_LENGTH = DetentionBooking._meta.get_field("notes").max_length


ACTIVITIES = [
    ("restorative", "Restorative activity done"),
    ("homework", "Outstanding homework completed"),
]


def register_activities(data, bookings) -> dict[int, set[str]]:
    """What each marked pupil did: the ticked `did_<id>` boxes (unknown values ignored)."""
    known = {value for value, _ in ACTIVITIES}
    return {booking.pk: set(data.getlist(f"did_{booking.pk}")) & known for booking in bookings}


def register_marks(data, bookings) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """Read a register POST: `mark_<id>` and `notes_<id>` per markable booking. Returns
    the marks (a pupil left unmarked is skipped) and the errors by booking id."""
    allowed = {value for value, _ in REGISTER_MARKS}
    marks, errors = {}, {}
    for booking in bookings:
        mark = data.get(f"mark_{booking.pk}", "")
        notes = data.get(f"notes_{booking.pk}", "").strip()
        if mark and mark not in allowed:
            errors[booking.pk] = "Choose attended, absent authorised or absent unauthorised."
        elif "\x00" in notes:  # PostgreSQL refuses it in text
            errors[booking.pk] = "Notes cannot contain a null character: type them again."
        elif len(notes) > NOTES_MAX_LENGTH:
            errors[booking.pk] = (
                f"Notes can be at most {NOTES_MAX_LENGTH} characters (these have {len(notes)})."
            )
        elif mark:
            marks[booking.pk] = (mark, notes)
    return marks, errors
