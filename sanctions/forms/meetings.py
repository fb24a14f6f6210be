"""The meeting list's filter and one meeting's forms (arrange, record as held, cancel,
reassign), each posted on its own with an `action` field."""

import datetime

from django import forms
from django.utils import timezone

from school.forms_fields import date_field, reason_field, text_field, time_field

from ..models import Meeting
from ..selectors.meetings import (
    OUTCOME_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    staff_choices,
)


class MeetingFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "All statuses"), *Meeting.Status.choices],
        required=False,
        error_messages={"invalid_choice": "Choose a status from the list."},
    )


class MeetingArrangeForm(forms.Form):
    date = date_field()
    time = time_field()
    place = text_field(
        max_length=PLACE_MAX_LENGTH, required_message="Give the place of the meeting."
    )

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            when = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
            if when <= self.now:
                self.add_error("date", "Choose a date and time in the future.")
            data["when"] = when
        return data


class MeetingHeldForm(forms.Form):
    outcome = text_field(
        label="Outcome (what was discussed and agreed)",
        max_length=OUTCOME_MAX_LENGTH,
        required_message="Write the outcome: what was discussed and agreed.",
        rows=4,
    )


class MeetingCancelForm(forms.Form):
    reason = reason_field(
        label="Reason (kept on the pupil's record)", max_length=REASON_MAX_LENGTH, rows=2
    )
    confirm = forms.BooleanField(
        label="Yes, cancel this meeting",
        error_messages={"required": "Tick the box to confirm the cancellation."},
    )


class MeetingReassignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label="Give the meeting to",
        queryset=None,
        error_messages={
            "required": "Choose who takes the meeting.",
            "invalid_choice": "Choose an active member of staff of this school.",
        },
    )
    reason = text_field(
        label="Why (optional)",
        required=False,
        max_length=REASON_MAX_LENGTH - 110,  # room for "To <name>: " in the audit entry
    )

    def __init__(self, *args, school_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_choices(school_id)
