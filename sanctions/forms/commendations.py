"""A commendation or positive contact home for one pupil."""

from django import forms
from django.utils import timezone

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
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={
            "required": "Choose a commendation or a positive contact home.",
            "invalid_choice": "Choose a commendation or a positive contact home.",
        },
    )
    reason = forms.ChoiceField(
        label="Reason",
        choices=[("", "Choose a reason"), *Commendation.Reason.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
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
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={"invalid_choice": "Choose one of this pupil's homework listed."},
    )
    note = forms.CharField(
        label="Note for the record and the parents (optional)",
        max_length=NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={
            "max_length": "A note can be at most %(limit_value)d characters "
            "(this one has %(show_value)d)."
        },
    )

    def __init__(self, *args, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments
