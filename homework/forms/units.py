"""A class's unit dates (a start and an end date for each unit of its subject and year,
a new unit, the same plan for the other classes), and a unit's parent resources."""

from django import forms
from django.core.exceptions import ValidationError

from school.forms_fields import date_field, text_field

from ..services.units import UnitDates

TITLE_MAX_LENGTH = 200


class ClassPlanForm(forms.Form):
    """One row of dates per unit (`start_<id>`, `end_<id>`): both dates to plan it, both
    empty to leave it out. Dates must fall in the class's academic year."""

    new_title = text_field(
        label="New unit",
        max_length=TITLE_MAX_LENGTH,
        required=False,
        help_text="Add a unit to this subject and year's scheme of work, with its dates.",
    )
    new_start = date_field(label="Starts", required=False)
    new_end = date_field(label="Ends", required=False)
    apply_to_course = forms.BooleanField(required=False)

    def __init__(self, *args, units, group, course_groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = units
        self.group = group
        self.year = group.academic_year
        others = [other for other in course_groups if other.pk != group.pk]
        self.fields["apply_to_course"].label = (
            f"Use the same dates for my other {group.subject.name} Year "
            f"{group.year_group.number} classes: " + ", ".join(other.name for other in others)
            if others
            else ""
        )
        if not others:
            del self.fields["apply_to_course"]
        for unit in units:
            plan = unit.plan
            self.fields[f"start_{unit.pk}"] = date_field(
                label=f"{unit.title}: starts",
                required=False,
                initial=plan.starts_on if plan else None,
            )
            self.fields[f"end_{unit.pk}"] = date_field(
                label=f"{unit.title}: ends",
                required=False,
                initial=plan.ends_on if plan else None,
            )

    def rows(self):
        """(unit, start field, end field) for the template."""
        return [(unit, self[f"start_{unit.pk}"], self[f"end_{unit.pk}"]) for unit in self.units]

    def _check_span(self, start_name, end_name):
        start = self.cleaned_data.get(start_name)
        end = self.cleaned_data.get(end_name)
        if start_name in self.errors or end_name in self.errors:
            return None
        if start is None and end is None:
            return None
        if start is None:
            self.add_error(start_name, "Enter the date it starts too, or clear both dates.")
            return None
        if end is None:
            self.add_error(end_name, "Enter the date it ends too, or clear both dates.")
            return None
        if end < start:
            self.add_error(end_name, "The end date is before the start date.")
            return None
        for name, day in ((start_name, start), (end_name, end)):
            if not (self.year.start_date <= day <= self.year.end_date):
                self.add_error(
                    name,
                    f"Choose a date in the school year {self.year.name} "
                    f"({self.year.start_date:%d/%m/%Y} to {self.year.end_date:%d/%m/%Y}).",
                )
                return None
        return UnitDates(start, end)

    def clean(self):
        data = super().clean()
        data["dates"] = {
            unit.pk: self._check_span(f"start_{unit.pk}", f"end_{unit.pk}") for unit in self.units
        }
        new_dates = self._check_span("new_start", "new_end")
        title = data.get("new_title") or ""
        unchecked = not (self.has_error("new_start") or self.has_error("new_end"))
        if title and new_dates is None and unchecked:
            self.add_error("new_start", "Give the new unit a start and an end date.")
        if not title and new_dates is not None:
            self.add_error("new_title", "Give the new unit a title, or clear its dates.")
        if title and title.casefold() in {unit.title.casefold() for unit in self.units}:
            self.add_error("new_title", "This subject and year already has a unit of that title.")
        data["new_dates"] = new_dates
        return data


class UnitResourceForm(forms.Form):
    title = text_field(
        label="Title",
        max_length=150,
        required_message="Give the link a title parents will understand.",
        help_text="For example “BBC Bitesize: adding fractions”.",
    )
    url = forms.URLField(
        label="Web address",
        max_length=500,
        assume_scheme="https",
        help_text="A secure address, starting with https://",
        error_messages={
            "required": "Enter the web address.",
            "invalid": "Enter a web address, like https://www.bbc.co.uk/bitesize.",
            "max_length": "Use an address of at most 500 characters.",
        },
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        if not url.lower().startswith("https://"):
            raise ValidationError("Use a secure address, starting with https://.")
        return url
