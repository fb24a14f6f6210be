"""The school's report settings: the flag's ratio and the smallest group shown."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from ..models import ReportSettings
from ..models.settings import DEFAULT_SIGN_OFF_WEEKS


class ReportSettingsForm(forms.ModelForm):
    class Meta:
        model = ReportSettings
        fields = ["flag_ratio", "smallest_group", "sign_off_weeks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty: the default (a form from before the setting existed stays valid).
        self.fields["sign_off_weeks"].required = False
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("save", "Save settings"))

    def clean_sign_off_weeks(self):
        weeks = self.cleaned_data.get("sign_off_weeks")
        return DEFAULT_SIGN_OFF_WEEKS if weeks is None else weeks
