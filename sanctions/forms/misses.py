"""Recording, undoing and excusing missed deadlines."""

import datetime

from django import forms
from django.utils import timezone

from school.forms_fields import BoundedDateField, reason_field

from ..models import Miss

REASON_MAX_LENGTH = Miss._meta.get_field("reason").max_length


class MissRecordForm(forms.Form):
    """The register's missed-deadline form: the ticked assignments are read from the POST
    by the view (a pupil who cannot be recorded is skipped, not an error)."""

    reason = forms.CharField(
        max_length=REASON_MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": "A reason can be at most %(limit_value)d characters "
            "(this one has %(show_value)d)."
        },
    )

    @staticmethod
    def ticked_ids(data) -> list[int]:
        return [
            int(value)
            for value in data.getlist("missed")
            if value.isdigit() and len(value) <= 18  # an id, not a number the database refuses
        ]


class MissChangeForm(forms.Form):
    """Why a missed deadline is undone or excused: kept on the pupil's record."""

    reason = reason_field(label="Reason (kept on the pupil's record)", max_length=REASON_MAX_LENGTH)


class ExtensionForm(forms.Form):
    """A new deadline for one pupil, and why."""

    date = BoundedDateField(
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
        error_messages={"required": "Give the new date.", "invalid": "Enter a real date."},
    )
    time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "form-control"}),
        error_messages={"required": "Give the time.", "invalid": "Enter a time, e.g. 08:30."},
    )
    reason = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Give a reason: it is kept on the pupil's record.",
            "max_length": "A reason can be at most %(limit_value)d characters "
            "(this one has %(show_value)d).",
        },
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason: it is kept on the pupil's record.")
        return reason

    def due_at(self):
        combined = datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(combined)
