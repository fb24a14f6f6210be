"""Recording, undoing and excusing missed deadlines."""

import datetime

from django import forms
from django.utils import timezone

from school.forms_fields import date_field, reason_field, time_field

from ..models import Miss

REASON_MAX_LENGTH = Miss._meta.get_field("reason").max_length


class MissRecordForm(forms.Form):
    """The register's missed-deadline form: the ticked assignments are read from the POST
    by the view (a pupil who cannot be recorded is skipped, not an error)."""

    # Its errors are read out in a message at the top of the register, away from the
    # field: the message names the reason.
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

    date = date_field(label="New date", required_message="Give the new date.")
    time = time_field(label="Time")
    reason = reason_field(label="Reason (kept on the pupil's record)")

    def due_at(self):
        combined = datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"])
        return timezone.make_aware(combined)
