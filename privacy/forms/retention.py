"""The retention pages' forms: the schedule (a period in months for every registered
kind, its default filled in, with the guidance it follows and what happens to a row as
help), and the reason for a legal hold."""

from crispy_forms.helper import FormHelper
from django import forms

from school.forms_fields import reason_field

from ..retention.selectors import ScheduleLine
from . import ReasonForm

MAX_MONTHS = 1200  # a hundred years


def months_field_name(key: str) -> str:
    return f"months_{key}"


class ScheduleForm(forms.Form):
    def __init__(self, *args, lines: list[ScheduleLine], **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            kind = line.kind
            self.fields[months_field_name(kind.key)] = forms.IntegerField(
                label=f"{kind.label}: months after {kind.event}",
                min_value=1,
                max_value=MAX_MONTHS,
                initial=line.months,
                help_text=f"{kind.action} {kind.guidance} (Suggested: {kind.default_months}.)",
                error_messages={
                    "required": f"Enter how many months to keep {kind.label.lower()}.",
                    "invalid": "Enter a whole number of months.",
                    "min_value": "Keep records for at least 1 month.",
                    "max_value": f"Enter at most {MAX_MONTHS} months.",
                },
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def months(self) -> dict[str, int]:
        return {
            line.kind.key: self.cleaned_data[months_field_name(line.kind.key)]
            for line in self.lines
        }


class HoldForm(ReasonForm):
    reason = reason_field(
        label="Why the pupil's records must be kept",
        max_length=300,
        required_message="Say why the pupil's records must be kept.",
        help_text="For example: a safeguarding case, or a claim against the school. "
        "Nothing about the pupil is removed while the hold stands.",
    )
