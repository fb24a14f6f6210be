"""The escalation policy: the ladder's settings and its steps (a formset, one form per
step, with one blank step to add and a box to remove each)."""

from crispy_forms.bootstrap import AppendedText
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms

from ..models import MeetingWith
from ..services.policy import PolicyStep

MAX_STEPS = 10


class PolicyForm(forms.Form):
    misses_per_cycle = forms.IntegerField(
        label="Missed deadlines per cycle",
        min_value=1,
        max_value=20,
        error_messages={
            "required": "Give how many missed deadlines make a cycle.",
            "min_value": "A cycle needs at least %(limit_value)s missed deadline.",
            "max_value": "A cycle can be at most %(limit_value)s missed deadlines.",
        },
    )
    minimum_notice_hours = forms.IntegerField(
        label="Minimum notice before a detention",
        min_value=0,
        max_value=168,
        error_messages={
            "required": "Give the minimum notice in hours (0 for none).",
            "invalid": "Enter a whole number of hours.",
            "min_value": "The notice cannot be negative.",
            "max_value": "The notice can be at most %(limit_value)s hours (a week).",
        },
    )
    weekend_sessions_allowed = forms.BooleanField(
        label="Detentions may be held at weekends",
        required=False,
    )
    # The version the page showed: a save on top of someone else's newer one is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> has its own token
        self.helper.layout = Layout(
            "version",
            Row(
                Column("misses_per_cycle", css_class="col-12 col-sm-6 col-lg-4"),
                Column(
                    AppendedText("minimum_notice_hours", "hours"),
                    css_class="col-12 col-sm-6 col-lg-4",
                ),
                Column("weekend_sessions_allowed", css_class="col-12 col-lg-4 pt-lg-4"),
                css_class="g-3",
            ),
        )


class StepForm(forms.Form):
    detention_minutes = forms.IntegerField(
        label="Detention (minutes)",
        min_value=10,
        max_value=240,
        error_messages={
            "required": "Give the detention's length in minutes.",
            "invalid": "Enter a whole number of minutes.",
            "min_value": "A detention is at least %(limit_value)s minutes.",
            "max_value": "A detention is at most %(limit_value)s minutes (four hours).",
        },
    )
    meeting_with = forms.ChoiceField(
        label="Meeting with",
        choices=MeetingWith.choices,
        required=False,
        error_messages={"invalid_choice": "Choose who the meeting is with, or no meeting."},
    )
    parents_invited = forms.BooleanField(
        label="Parents invited to the meeting",
        required=False,
    )


class BaseStepFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = "Remove this step"

    def kept_forms(self) -> list[StepForm]:
        """The steps to keep, in order: neither removed nor the blank step left empty."""
        return [
            form
            for index, form in enumerate(self.forms)
            if not self._should_delete_form(form)
            and (index < self.initial_form_count() or form.has_changed())
        ]

    def clean(self):
        if any(self.errors) or not self.management_form.is_valid():
            return  # the errors already found say more than a count would
        kept = len(self.kept_forms())
        if kept == 0:
            raise forms.ValidationError("Keep at least one step on the ladder.")
        if kept > MAX_STEPS:
            raise forms.ValidationError(f"The ladder can have at most {MAX_STEPS} steps.")

    def steps(self) -> list[PolicyStep]:
        return [
            PolicyStep(
                form.cleaned_data["detention_minutes"],
                form.cleaned_data["meeting_with"],
                form.cleaned_data["parents_invited"],
            )
            for form in self.kept_forms()
        ]


StepFormSet = forms.formset_factory(
    StepForm, formset=BaseStepFormSet, extra=1, can_delete=True, max_num=MAX_STEPS + 1
)
