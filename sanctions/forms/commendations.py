"""A commendation or positive contact home for one pupil."""

from django import forms
from django.utils import timezone

from school.forms_fields import text_field

from ..models import Commendation

NOTE_MAX_LENGTH = Commendation._meta.get_field("note").max_length


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        homework = obj.homework
        due = timezone.localtime(obj.due_at)
        return f"{homework.teaching_group.subject.name}: {homework.title} (due {due:%d/%m/%Y})"


class CommendationForm(forms.Form):
    kind = forms.ChoiceField(
        label="What to record",
        choices=Commendation.Kind.choices,
        initial=Commendation.Kind.COMMENDATION,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a commendation or a positive contact home.",
            "invalid_choice": "Choose a commendation or a positive contact home.",
        },
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason"), *Commendation.Reason.choices],
        error_messages={
            "required": "Choose the reason for the commendation.",
            "invalid_choice": "Choose one of the reasons listed.",
        },
    )
    assignment = AssignmentChoiceField(
        label="Homework (optional)",
        queryset=None,
        required=False,
        empty_label="Not for a particular homework",
        error_messages={"invalid_choice": "Choose one of this pupil's homework listed."},
    )
    note = text_field(
        label="Note for the record and the parents (optional)",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        rows=3,
        help_text=f"At most {NOTE_MAX_LENGTH} characters. Parents see it.",
    )

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments
