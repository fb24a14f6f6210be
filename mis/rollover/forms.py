"""The new academic year's two forms: its calendar (step 1) and who moves where (step 2).
Each turns what the admin typed into the services' NewYear and Choices, and back into the
plain values the wizard keeps in the session between steps."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError

from school.forms_fields import date_field, text_field
from school.models import HalfTerm, NonSchoolDay

from .services import DEFAULT_LEAVER_YEARS, Choices, DayOff, NewYear

TERMS = list(HalfTerm.Name.choices)
DAY_LISTS = {
    "inset_days": NonSchoolDay.Kind.INSET,
    "bank_holidays": NonSchoolDay.Kind.BANK_HOLIDAY,
    "closures": NonSchoolDay.Kind.CLOSURE,
}
DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%y")


def _parse_day(text: str) -> datetime.date | None:
    for pattern in DAY_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def days_text(days: list[DayOff]) -> str:
    return "\n".join(f"{day.day:%d/%m/%Y} {day.description}".strip() for day in days)


class CalendarForm(forms.Form):
    """Step 1: the next year, its six half-terms and its days off."""

    name = text_field(label="Name of the year", max_length=20, help_text="e.g. 2027/28")
    start_date = date_field(label="First day of the year")
    end_date = date_field(label="Last day of the year")
    inset_days = text_field(
        label="INSET (staff training) days",
        max_length=2000,
        required=False,
        rows=5,
        help_text="One a line: the date (dd/mm/yyyy), then a note if you like.",
    )
    bank_holidays = text_field(
        label="Bank holidays in term time",
        max_length=2000,
        required=False,
        rows=5,
        help_text="England's bank holidays that fall on a school day of the half-terms "
        "above, worked out for you. One a line, as above.",
    )
    closures = text_field(
        label="Other days the school is closed",
        max_length=2000,
        required=False,
        rows=3,
        help_text="One a line, as above.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in TERMS:
            self.fields[f"{key}_start"] = date_field(label=f"{label} starts")
            self.fields[f"{key}_end"] = date_field(label=f"{label} ends")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Fieldset(
                "The year",
                Row(
                    Column("name", css_class="col-12 col-md-4"),
                    Column("start_date", css_class="col-6 col-md-4"),
                    Column("end_date", css_class="col-6 col-md-4"),
                ),
            ),
            Fieldset(
                "Half-terms",
                *(
                    Row(
                        Column(f"{key}_start", css_class="col-6"),
                        Column(f"{key}_end", css_class="col-6"),
                    )
                    for key, _ in TERMS
                ),
            ),
            Fieldset("Days off in term time", "inset_days", "bank_holidays", "closures"),
        )

    @classmethod
    def initial_for(cls, year: NewYear) -> dict:
        initial = {"name": year.name, "start_date": year.start_date, "end_date": year.end_date}
        for key, first, last in year.half_terms:
            initial[f"{key}_start"], initial[f"{key}_end"] = first, last
        for field_name, kind in DAY_LISTS.items():
            initial[field_name] = days_text([day for day in year.days_off if day.kind == kind])
        return initial

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", "The year must end after it starts.")
            start = end = None  # nothing else is measured against it
        previous_end = None
        for key, label in TERMS:
            first, last = data.get(f"{key}_start"), data.get(f"{key}_end")
            if not (first and last):
                continue
            if last < first:
                self.add_error(f"{key}_end", f"{label} must end after it starts.")
            elif start and end and (first < start or last > end):
                self.add_error(f"{key}_start", f"{label} must lie within the year.")
            elif previous_end and first <= previous_end:
                self.add_error(f"{key}_start", f"{label} must start after the one before ends.")
            previous_end = last
        days = {}
        for field_name, kind in DAY_LISTS.items():
            for line_number, line in enumerate(data.get(field_name, "").splitlines(), start=1):
                line = line.strip()
                if not line:
                    continue
                text, _, description = line.partition(" ")
                day = _parse_day(text)
                if day is None:
                    self.add_error(
                        field_name,
                        f"Line {line_number}: “{text}” is not a date (write it as dd/mm/yyyy).",
                    )
                    continue
                if start and end and not start <= day <= end:
                    self.add_error(
                        field_name, f"Line {line_number}: {day:%d/%m/%Y} is outside the year."
                    )
                    continue
                if day in days:
                    self.add_error(
                        field_name, f"Line {line_number}: {day:%d/%m/%Y} is listed twice."
                    )
                    continue
                days[day] = DayOff(day, kind, description.strip()[:200])
        self.days_off = sorted(days.values(), key=lambda day: day.day)
        return data

    def new_year(self) -> NewYear:
        data = self.cleaned_data
        return NewYear(
            name=data["name"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            half_terms=[(key, data[f"{key}_start"], data[f"{key}_end"]) for key, _ in TERMS],
            days_off=self.days_off,
        )


class ChoicesForm(forms.Form):
    """Step 2: who leaves, and whether last year's classes are copied."""

    leaver_years = forms.TypedMultipleChoiceField(
        label="Year groups who leave",
        choices=[(number, f"Year {number}") for number in range(7, 14)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Their pupils are marked as left from the first day of the new year; "
        "everyone else moves up one year.",
    )
    copy_teaching_groups = forms.BooleanField(
        label="Copy this year's classes into the new year (7x/Ma1 becomes 8x/Ma1, with its "
        "teachers and the pupils who stay)",
        required=False,
        help_text="Leave it unticked if the new year's classes will come from the MIS import.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    @classmethod
    def initial_for(cls, choices: Choices | None = None) -> dict:
        choices = choices or Choices(leaver_years=DEFAULT_LEAVER_YEARS)
        return {
            "leaver_years": list(choices.leaver_years),
            "copy_teaching_groups": choices.copy_teaching_groups,
        }

    def choices(self) -> Choices:
        return Choices(
            leaver_years=tuple(sorted(self.cleaned_data["leaver_years"])),
            copy_teaching_groups=self.cleaned_data["copy_teaching_groups"],
        )


# Kept between steps in the session, as plain values ------------------------------------


def new_year_to_session(year: NewYear) -> dict:
    return {
        "name": year.name,
        "start_date": year.start_date.isoformat(),
        "end_date": year.end_date.isoformat(),
        "half_terms": [[key, a.isoformat(), b.isoformat()] for key, a, b in year.half_terms],
        "days_off": [[d.day.isoformat(), d.kind, d.description] for d in year.days_off],
    }


def new_year_from_session(values: dict) -> NewYear:
    day = datetime.date.fromisoformat
    try:
        return NewYear(
            name=values["name"],
            start_date=day(values["start_date"]),
            end_date=day(values["end_date"]),
            half_terms=[(key, day(a), day(b)) for key, a, b in values["half_terms"]],
            days_off=[DayOff(day(d), kind, text) for d, kind, text in values["days_off"]],
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError("The wizard's saved answers are not readable.") from error


def choices_to_session(choices: Choices) -> dict:
    return {
        "leaver_years": list(choices.leaver_years),
        "copy_teaching_groups": choices.copy_teaching_groups,
    }


def choices_from_session(values: dict) -> Choices:
    try:
        return Choices(
            leaver_years=tuple(int(n) for n in values["leaver_years"]),
            copy_teaching_groups=bool(values["copy_teaching_groups"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ValidationError("The wizard's saved answers are not readable.") from error
