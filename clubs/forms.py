"""Forms of the clubs pages: a club (or a teacher's study sessions), its sessions, and
cancelling a session. The rules themselves are checked again by clubs/services.py."""

from django import forms

from school.models import User, YearGroup

from .models import Club, ClubSession
from .services import STUDY_SESSION_MAX_CAPACITY

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")]
TEXT = {"class": "form-control"}


class ClubForm(forms.Form):
    """A club. Leaders choose every field; a teacher offering study sessions gets the
    form without `kind`, `leader` and `staff_needed` (they lead it, alone)."""

    name = forms.CharField(
        max_length=100,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "Give the club a name."},
    )
    kind = forms.ChoiceField(
        choices=Club.Kind.choices,
        initial=Club.Kind.HOMEWORK_CLUB,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    room = forms.CharField(
        max_length=50,
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "Give the room."},
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=500,
        initial=25,
        label="Places (pupils)",
        widget=forms.NumberInput(attrs=TEXT),
        error_messages={"required": "Give how many pupils the room holds."},
    )
    staff_needed = forms.IntegerField(
        min_value=0,
        max_value=20,
        initial=2,
        label="Staff needed each session",
        widget=forms.NumberInput(attrs=TEXT),
        error_messages={"required": "Give how many staff each session needs."},
    )
    year_groups = forms.ModelMultipleChoiceField(
        queryset=YearGroup.objects.none(),
        required=False,
        label="Open to (none ticked: every year)",
        widget=forms.CheckboxSelectMultiple,
    )
    leader = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        empty_label="No leader yet",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    description = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={**TEXT, "rows": 2}),
    )

    def __init__(self, *args, school_id, study_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.study_only = study_only
        self.fields["year_groups"].queryset = YearGroup.objects.filter(school_id=school_id)
        self.fields["leader"].queryset = (
            User.objects.filter(school_id=school_id, role_assignments__isnull=False)
            .distinct()
            .order_by("last_name", "first_name", "pk")
        )
        if study_only:
            for name in ("kind", "leader", "staff_needed"):
                del self.fields[name]
            self.fields["capacity"] = forms.IntegerField(
                min_value=1,
                max_value=STUDY_SESSION_MAX_CAPACITY,
                initial=4,
                label=f"Places (pupils, at most {STUDY_SESSION_MAX_CAPACITY})",
                widget=forms.NumberInput(attrs=TEXT),
                error_messages={"required": "Give how many pupils can come."},
            )

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") == Club.Kind.STUDY_SESSION
            and (data.get("capacity") or 0) > STUDY_SESSION_MAX_CAPACITY
        ):
            self.add_error(
                "capacity",
                f"A study session is for a small group: at most {STUDY_SESSION_MAX_CAPACITY}.",
            )
        return data


class SessionsForm(forms.Form):
    """One session, or a weekly series on the chosen weekdays from the first to the last
    day (the service skips days the school is shut)."""

    what = forms.ChoiceField(
        choices=[("single", "One session"), ("series", "A weekly series")],
        initial="series",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one session or a weekly series."},
    )
    date = forms.DateField(
        label="Date (first day of a series)",
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", **TEXT}),
        error_messages={"required": "Give the date.", "invalid": "Enter a real date."},
    )
    end_date = forms.DateField(
        label="Last day (series only)",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", **TEXT}),
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
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", **TEXT}),
        error_messages={"required": "Give the start time.", "invalid": "Enter a time."},
    )
    end_time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", **TEXT}),
        error_messages={"required": "Give the end time.", "invalid": "Enter a time."},
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The session must end after it starts.")
        if data.get("what") == "series":
            if not data.get("end_date") and "end_date" not in self.errors:
                self.add_error("end_date", "Give the last day of the series.")
            if not data.get("weekdays"):
                self.add_error("weekdays", "Choose at least one day of the week.")
            if data.get("date") and data.get("end_date") and data["end_date"] < data["date"]:
                self.add_error("end_date", "The last day must be on or after the first day.")
        return data


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        max_length=ClubSession._meta.get_field("cancelled_reason").max_length,
        label="Reason (parents of booked pupils are told it)",
        widget=forms.TextInput(attrs=TEXT),
        error_messages={"required": "Give the reason: parents of booked pupils are told it."},
    )
