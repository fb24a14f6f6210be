"""Detention and internal exclusion sessions and their registers."""

from django import forms

from school.models import User

from ..models import DetentionBooking

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class DetentionSessionForm(forms.Form):
    """One session, or a weekly series on the chosen days from the first to the last
    day (non-school days are skipped by the service)."""

    kind = forms.ChoiceField(
        choices=[("single", "One session"), ("series", "A weekly series")],
        initial="single",
        widget=forms.RadioSelect,
    )
    date = forms.DateField(
        label="Date (first day of a series)",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
        error_messages={"required": "Give the date.", "invalid": "Enter a real date."},
    )
    end_date = forms.DateField(
        label="Last day (series only)",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
        error_messages={"invalid": "Enter a real date."},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Days of the week (series only)",
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "form-control"}),
        error_messages={"required": "Give the start time.", "invalid": "Enter a time."},
    )
    end_time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "form-control"}),
        error_messages={"required": "Give the end time.", "invalid": "Enter a time."},
    )
    room = forms.CharField(
        max_length=50,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": "Give the room."},
    )
    supervisor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="Not yet known",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=500,
        initial=20,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        error_messages={"required": "Give how many pupils the room holds."},
    )

    def __init__(self, *args, school_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = (
            User.objects.filter(school_id=school_id, role_assignments__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The session must end after it starts.")
        if data.get("kind") == "series":
            if not data.get("end_date") and "end_date" not in self.errors:
                self.add_error("end_date", "Give the last day of the series.")
            if not data.get("weekdays"):
                self.add_error("weekdays", "Choose at least one day of the week.")
            if data.get("date") and data.get("end_date") and data["end_date"] < data["date"]:
                self.add_error("end_date", "The last day must be on or after the first day.")
        return data


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
        elif len(notes) > NOTES_MAX_LENGTH:
            errors[booking.pk] = (
                f"Notes can be at most {NOTES_MAX_LENGTH} characters (these have {len(notes)})."
            )
        elif mark:
            marks[booking.pk] = (mark, notes)
    return marks, errors
