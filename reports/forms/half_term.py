"""The report's year picker: one of the school's academic years."""

from django import forms

from school.models import AcademicYear


class YearForm(forms.Form):
    year = forms.ModelChoiceField(
        queryset=AcademicYear.objects.none(),
        label="Academic year",
        empty_label=None,
        to_field_name="name",
        error_messages={"invalid_choice": "Choose one of the school's academic years."},
    )

    def __init__(self, *args, school_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].queryset = AcademicYear.objects.filter(school_id=school_id).order_by(
            "-start_date"
        )
