"""The meeting list's filter and one meeting's forms (arrange, record as held, cancel,
reassign), each posted on its own with an `action` field."""

import datetime

from django import forms
from django.utils import timezone

from school.forms_fields import BoundedDateField

from ..meetings import OUTCOME_MAX_LENGTH, PLACE_MAX_LENGTH, REASON_MAX_LENGTH, staff_choices
from ..models import Meeting

TOO_LONG = "This can be at most %(limit_value)d characters (it has %(show_value)d)."


class MeetingFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "All statuses"), *Meeting.Status.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "Choose a status from the list."},
    )


class MeetingArrangeForm(forms.Form):
    date = BoundedDateField(
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
        error_messages={"required": "Give the date.", "invalid": "Enter a real date."},
    )
    time = forms.TimeField(
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "class": "form-control"}),
        error_messages={"required": "Give the time.", "invalid": "Enter a time, e.g. 15:30."},
    )
    place = forms.CharField(
        max_length=PLACE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": "Give the place of the meeting.", "max_length": TOO_LONG},
    )

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()

    def clean_place(self):
        place = self.cleaned_data["place"].strip()
        if not place:
            raise forms.ValidationError("Give the place of the meeting.")
        return place

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            when = timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))
            if when <= self.now:
                self.add_error("date", "Choose a date and time in the future.")
            data["when"] = when
        return data


class MeetingHeldForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome (what was discussed and agreed)",
        max_length=OUTCOME_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        error_messages={
            "required": "Write the outcome: what was discussed and agreed.",
            "max_length": TOO_LONG,
        },
    )

    def clean_outcome(self):
        outcome = self.cleaned_data["outcome"].strip()
        if not outcome:
            raise forms.ValidationError("Write the outcome: what was discussed and agreed.")
        return outcome


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(
        label="Reason (kept on the pupil's record)",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        error_messages={
            "required": "Give a reason: it is kept on the pupil's record.",
            "max_length": TOO_LONG,
        },
    )
    confirm = forms.BooleanField(
        label="Yes, cancel this meeting",
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        error_messages={"required": "Tick the box to confirm the cancellation."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason: it is kept on the pupil's record.")
        return reason


class MeetingReassignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label="Give the meeting to",
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Choose who takes the meeting.",
            "invalid_choice": "Choose an active member of staff of this school.",
        },
    )
    reason = forms.CharField(
        label="Why (optional)",
        required=False,
        max_length=REASON_MAX_LENGTH - 110,  # room for "To <name>: " in the audit entry
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"max_length": TOO_LONG},
    )

    def __init__(self, *args, school_id, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff_choices(school_id)
