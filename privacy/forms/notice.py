"""The lead's form for the school's privacy notice in one language."""

from crispy_forms.helper import FormHelper
from django import forms

from school.models import Guardian

BODY_LENGTH = 20_000


class NoticeForm(forms.Form):
    language = forms.ChoiceField(
        label="Language",
        choices=Guardian.Language.choices,
        error_messages={"invalid_choice": "Choose English, Polish or Urdu."},
    )
    body = forms.CharField(
        label="The notice",
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=BODY_LENGTH,
        help_text="Markdown: **bold**, *italic*, ### headings, - lists, [links](https://…). "
        "Anything else (scripts, styles, images) is taken out when the notice is shown. "
        "The page adds what the product holds and for how long, from the retention schedule.",
        error_messages={
            "required": "Write the notice: a privacy notice cannot be empty.",
            "max_length": "The notice is too long: at most %(limit_value)d characters.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Write the notice: a privacy notice cannot be empty.")
        return body
