"""Detention and internal exclusion sessions and their registers."""

from django import forms
from django.db.models import Exists, OuterRef
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join

from school.forms_fields import text_field
from school.models import RoleAssignment, User
from school.session_forms import SessionScheduleForm

from ..models import DetentionBooking


class Select(forms.Select):
    """A <select> whose options are written in one pass: Django's own renders each option
    through a template, a cost felt with a school's hundred-odd staff on every view of
    the sessions pages. Same markup (attributes from the field and crispy, the chosen
    option selected; named Select, as crispy names the element's class after the widget's)."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, " selected" if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return format_html('<select name="{}"{}>{}</select>', name, attrs, options)


class StaffChoices(ModelChoiceIterator):
    """The options from three columns, labelled as User.__str__ does, without building a
    User for each (validation still reads the one chosen through the queryset)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pk", "first_name", "last_name", "email")
        for pk, first_name, last_name, email in rows:
            yield (pk, f"{first_name} {last_name}".strip() or email)


class StaffChoiceField(forms.ModelChoiceField):
    iterator = StaffChoices
    widget = Select


class DetentionSessionForm(SessionScheduleForm):
    """One session, or a weekly series on the chosen days from the first to the last
    day (non-school days are skipped by the service), with its room, supervisor and
    places."""

    room = text_field(max_length=50, required_message="Give the room.")
    supervisor = StaffChoiceField(
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
        # Staff with a role here (read from the school's roles, not its every login); the
        # columns the option's label and the service's check read.
        roles = RoleAssignment.objects.filter(school_id=school_id, user=OuterRef("pk"))
        self.fields["supervisor"].queryset = (
            User.objects.filter(Exists(roles), school_id=school_id)
            .only("first_name", "last_name", "email", "school_id")
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
