"""The reason the lead gives for erasing a guardian's record (kept in its history)."""

from crispy_forms.helper import FormHelper
from django import forms

from ..erasure.services import REASON_LENGTH


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label="Why this record is erased",
        max_length=REASON_LENGTH,
        help_text="For example: removed from the pupil's contacts by the MIS, or the parent "
        "asked to be forgotten and the school has no reason to keep their details. "
        "Kept in the record's history; do not write personal details here.",
        error_messages={
            "required": "Say why the record is erased.",
            "max_length": "Say it in at most %(limit_value)d characters.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError("Say why the record is erased.")
        return reason
