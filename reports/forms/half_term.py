"""The report's year picker: one of the school's academic years, by name."""

from django import forms

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
