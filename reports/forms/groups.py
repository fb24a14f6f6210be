"""The group split's choices: the academic year (as the report's picker), the period (a
half-term the school has entered for that year, or the whole year) and the grouping."""

from django import forms

from school.models import HalfTerm

from ..measures.groups import By
from ..measures.periods import Period
from .half_term import YearForm

YEAR = "year"


class GroupsForm(YearForm):
    period = forms.ChoiceField(
        label="Period",
        choices=[*HalfTerm.Name.choices, (YEAR, "The whole year")],
        initial=YEAR,
        error_messages={"invalid_choice": "Choose a half-term or the whole year."},
    )
    by = forms.ChoiceField(
        label="Split by",
        choices=By.choices,
        initial=By.CHARACTERISTICS,
        error_messages={"invalid_choice": "Choose how to split the pupils."},
    )
    field_order = ["year", "period", "by"]

    def chosen_period(self, periods: list[Period]) -> Period | None:
        """The period chosen, among the year's `periods` (periods_of); None, with the
        form's error, when the school has not entered that half-term for the year."""
        name = self.cleaned_data["period"]
        if name == YEAR:
            return periods[-1]
        label = HalfTerm.Name(name).label
        period = next((p for p in periods if not p.is_year and p.label == label), None)
        if period is None:
            self.add_error(
                "period",
                f"The school has entered no {label} for {self.cleaned_data['year'].name}.",
            )
        return period
