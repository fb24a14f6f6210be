"""The trust view's picker: an academic year by name (the trust's schools' years) and a
half-term by name, or the whole year."""

from django import forms

from ..measures.trust import PERIOD_CHOICES


class TrustPeriodForm(forms.Form):
    year = forms.ChoiceField(
        label="Academic year",
        error_messages={"invalid_choice": "Choose one of the trust's academic years."},
    )
    period = forms.ChoiceField(
        label="Half-term",
        choices=PERIOD_CHOICES,
        error_messages={"invalid_choice": "Choose a half-term or the year."},
    )

    def __init__(self, *args, year_names: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(name, name) for name in year_names]
