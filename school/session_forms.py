"""The form part shared by every page that adds sittings (detentions, exclusion days, club
sessions): one session, or a weekly series on chosen weekdays from a first to a last day.
The services skip the days the school is shut."""

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from .forms_fields import date_field, time_field

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
CHOSEN_APART = ("what", "weekdays")  # groups of boxes, each in its own fieldset


class SessionScheduleForm(forms.Form):
    """`what`: one session or a series; `date` (the first day of a series), `end_date` and
    `weekdays` (series only), `start_time` and `end_time`. Subclasses add their own
    fields (laid out in the grid after the times, `field_columns` wide) and may narrow
    `weekdays_offered`. Render it with `{% crispy form %}` inside the page's <form>."""

    weekdays_offered = WEEKDAYS
    field_columns = "col-sm-6 col-lg-4"

    what = forms.ChoiceField(
        label="What to add",
        choices=[("single", "One session"), ("series", "A weekly series")],
        initial="single",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose one session or a weekly series."},
    )
    date = date_field(label="Date (first day of a series)")
    end_date = date_field(label="Last day (series only)", required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label="Days of the week (series only)",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = time_field(required_message="Give the start time.")
    end_time = time_field(required_message="Give the end time.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weekdays"].choices = self.weekdays_offered
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has its own token
        self.helper.layout = Layout(
            InlineRadios("what"),
            Row(
                *(
                    Column(name, css_class=self.field_columns)
                    for name in self.fields
                    if name not in CHOSEN_APART
                ),
                css_class="g-3",
            ),
            InlineCheckboxes("weekdays"),
        )

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
