"""The form part shared by every page that adds sittings (detentions, exclusion days, club
sessions): one session, or a weekly series on chosen weekdays from a first to a last day.
The services skip the days the school is shut."""

from django import forms

from .forms_fields import BoundedDateField

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
DATE_INPUT = {"type": "date", "class": "form-control"}
TIME_INPUT = {"type": "time", "class": "form-control"}


class SessionScheduleForm(forms.Form):
    """`what`: one session or a series; `date` (the first day of a series), `end_date` and
    `weekdays` (series only), `start_time` and `end_time`. Subclasses add their own
    fields and may narrow `weekdays_offered`."""

    weekdays_offered = WEEKDAYS

    what = forms.ChoiceField(
        choices=[("single", "One session"), ("series", "A weekly series")],
        initial="single",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one session or a weekly series."},
    )
    date = BoundedDateField(
        label="Date (first day of a series)",
        widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_INPUT),
        error_messages={"required": "Give the date.", "invalid": "Enter a real date."},
    )
    end_date = BoundedDateField(
        label="Last day (series only)",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs=DATE_INPUT),
        error_messages={"invalid": "Enter a real date."},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label="Days of the week (series only)",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs=TIME_INPUT),
        error_messages={"required": "Give the start time.", "invalid": "Enter a time."},
    )
    end_time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs=TIME_INPUT),
        error_messages={"required": "Give the end time.", "invalid": "Enter a time."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekdays"].choices = self.weekdays_offered

    @property
    def is_series(self) -> bool:
        return self.cleaned_data.get("what") == "series"

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
