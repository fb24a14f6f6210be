"""The data-protection pages' forms, by area (as privacy/views/)."""

from crispy_forms.helper import FormHelper
from django import forms


class ReasonForm(forms.Form):
    """A lead's action that is kept with its reason (a legal hold, an erasure). A subclass
    sets `reason` with school.forms_fields.reason_field; the form renders inside the
    page's own <form> tag."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_reason(self):
        # Runs of spaces and line breaks become one space: the reason is read in a list.
        return " ".join(self.cleaned_data["reason"].split())
