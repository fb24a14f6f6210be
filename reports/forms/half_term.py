"""The report's year picker: one of the school's academic years, by name."""

from django import forms

from school.calendar import academic_year_for
from school.models import AcademicYear


class YearForm(forms.Form):
    year = forms.ChoiceField(
        label="Academic year",
        error_messages={"invalid_choice": "Choose one of the school's academic years."},
    )

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        # Read once (one query), for the choices and for the year chosen.
        self.years = {
            year.name: year
            for year in AcademicYear.objects.filter(school_id=school_id).order_by("-start_date")
        }
        self.fields["year"].choices = [(name, name) for name in self.years]

    def clean_year(self) -> AcademicYear:
        return self.years[self.cleaned_data["year"]]


def pick_year(query, school, today) -> tuple[YearForm, AcademicYear | None]:
    """The year a report page shows: ?year=<name> where given (None when it is not one of
    the school's), else the current year by the one calendar's rule, else the school's
    latest; with the picker showing it."""
    if "year" in query:
        form = YearForm(query, school_id=school.pk)
        return form, form.cleaned_data["year"] if form.is_valid() else None
    form = YearForm(school_id=school.pk)
    year = academic_year_for(school, today) or next(iter(form.years.values()), None)
    if year is not None:
        form.initial = {"year": year.name}
    return form, year
