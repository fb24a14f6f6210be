"""The imports home's forms: a file to upload (its kind and the file), and the school's
DfE number that Common Transfer Files are checked against."""

import re

from crispy_forms.helper import FormHelper
from django import forms

from school.forms_fields import text_field

from ..kinds import FileRejected, all_kinds
from ..services.runs import MAX_FILE_MB, file_size_check


class UploadForm(forms.Form):
    kind = forms.ChoiceField(
        label="What the file holds",
        error_messages={
            "required": "Choose what the file holds.",
            "invalid_choice": "Choose one of the kinds of file listed.",
        },
    )
    file = forms.FileField(
        label="Your file",
        help_text=f"A Common Transfer File (XML) or a CSV export, up to {MAX_FILE_MB} MB.",
        error_messages={
            "required": "Choose the file to upload.",
            "empty": "The file is empty.",
            "invalid": "Choose the file to upload.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Choose…")] + [
            (kind.key, kind.label) for kind in all_kinds()
        ]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            file_size_check(upload.size)
        except FileRejected as rejected:
            raise forms.ValidationError(rejected.message, code="size") from rejected
        return upload


class DfeNumberForm(forms.Form):
    dfe_number = text_field(
        label="DfE number (LAESTAB)",
        required=False,
        max_length=12,
        help_text="7 digits: the local authority number and the establishment number, e.g. "
        "3304321. Common Transfer Files for another school are refused.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_dfe_number(self):
        number = re.sub(r"[\s/-]", "", self.cleaned_data["dfe_number"])
        if number and not re.fullmatch(r"\d{7}", number):
            raise forms.ValidationError(
                "Enter the 7 digits of the DfE number, e.g. 3304321 (the LA number 330 "
                "and the establishment number 4321).",
                code="format",
            )
        return number
