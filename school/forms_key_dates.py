"""The form leaders add and edit a key date with (school/key_dates.py)."""

from django import forms

from .forms_fields import date_field, text_field, time_field
from .models import KeyDate


class KeyDateForm(forms.Form):
    kind = forms.ChoiceField(
        label="Kind",
        choices=KeyDate.Kind.choices,
        initial=KeyDate.Kind.OTHER,
        error_messages={"required": "Choose what kind of date it is."},
    )
    title = text_field(
        label="Title",
        max_length=150,
        required_message="Give the date a title families will understand.",
        help_text="For example “Year 11 mock exams” or “Year 7 parents' evening”.",
    )
    date = date_field(label="Date (or first day)", required_message="Enter the date.")
    ends_on = date_field(
        label="Last day (optional)", required=False, help_text="For dates over several days."
    )
    start_time = time_field(label="Starts at (optional)", required=False)
    end_time = time_field(label="Ends at (optional)", required=False)
    details = text_field(
        label="Details for families (optional)", max_length=1000, required=False, rows=3
    )
    year_groups = forms.TypedMultipleChoiceField(
        label="Year groups",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one year group.",
            "invalid_choice": "You can add key dates only for your own year groups.",
        },
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.years = {year.pk: year for year in years}
        self.fields["year_groups"].choices = [(year.pk, f"Year {year.number}") for year in years]

    @classmethod
    def initial_from(cls, key_date: KeyDate) -> dict:
        return {
            "kind": key_date.kind,
            "title": key_date.title,
            "date": key_date.date,
            "ends_on": key_date.ends_on,
            "start_time": key_date.start_time,
            "end_time": key_date.end_time,
            "details": key_date.details,
            "year_groups": [year.pk for year in key_date.year_groups.all()],
        }

    def clean(self):
        data = super().clean()
        first, last = data.get("date"), data.get("ends_on")
        if first and last and last < first:
            self.add_error("ends_on", "The last day is before the first.")
        start, end = data.get("start_time"), data.get("end_time")
        if end and not start:
            self.add_error("start_time", "Enter when it starts too, or clear the end time.")
        elif start and end and end <= start:
            self.add_error("end_time", "The end time is before the start time.")
        data["years"] = [self.years[pk] for pk in data.get("year_groups") or []]
        return data
