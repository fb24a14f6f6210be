"""The pupil's planner: handing in work online."""

from django import forms
from django.core.exceptions import ValidationError

from school.forms_fields import text_field

from .uploads import ALLOWED_UPLOAD_DESCRIPTION, MAX_UPLOAD_FILES, AttachmentsField

ANSWER_MAX_LENGTH = 20000

CONFIDENCE_CHOICES = [
    (1, "1 – Not confident at all"),
    (2, "2 – Not very confident"),
    (3, "3 – Fairly confident"),
    (4, "4 – Confident"),
    (5, "5 – Very confident"),
]


class SubmissionForm(forms.Form):
    """A pupil's online hand-in: an answer and/or files (checked like teachers'
    attachments), and a short self-assessment. `existing_files` are the files already
    handed in, which the pupil may remove."""

    text = text_field(label="Your answer", required=False, max_length=ANSWER_MAX_LENGTH, rows=8)
    files = AttachmentsField(
        label="Attach files",
        help_text=(
            f"Up to {MAX_UPLOAD_FILES} files, each at most 10 MB: {ALLOWED_UPLOAD_DESCRIPTION}."
        ),
    )
    remove_files = forms.TypedMultipleChoiceField(
        label="Remove files you handed in",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confidence = forms.TypedChoiceField(
        label="How confident do you feel about this work?",
        choices=CONFIDENCE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    reflection = text_field(
        label="Reflection",
        help_text="What went well, or what did you find hard? Up to 500 characters.",
        max_length=500,
        required=False,
        rows=3,
    )

    def __init__(self, *args, existing_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_files = list(existing_files)
        if self.existing_files:
            self.fields["remove_files"].choices = [
                (upload.pk, upload.original_name) for upload in self.existing_files
            ]
        else:
            del self.fields["remove_files"]

    def clean(self):
        data = super().clean()
        if "files" in self.errors:
            return data
        new = data.get("files") or []
        removed = set(data.get("remove_files") or [])
        kept = [upload for upload in self.existing_files if upload.pk not in removed]
        if len(kept) + len(new) > MAX_UPLOAD_FILES:
            self.add_error(
                "files",
                ValidationError(
                    "You can hand in at most %(max)d files in all, and you already have "
                    "%(kept)d. Remove a file first.",
                    code="too_many_files",
                    params={"max": MAX_UPLOAD_FILES, "kept": len(kept)},
                ),
            )
        elif not data.get("text") and not new and not kept:
            raise ValidationError(
                "Write your answer or attach a file before handing in.", code="empty"
            )
        return data
