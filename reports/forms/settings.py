"""The school's report settings: the flag's ratio and the smallest group shown."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from ..models import ReportSettings


class ReportSettingsForm(forms.ModelForm):
    class Meta:
        model = ReportSettings
        fields = ["flag_ratio", "smallest_group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", "Save settings"))
