"""The weekly sign-off's forms: the guardian's confirmation with an optional comment, the
tutor's choice of group and week, and the tutor's reply to a comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from school.forms_fields import BoundedDateField

from .signoff import COMMENT_MAX_LENGTH, REPLY_MAX_LENGTH

TOO_LONG = _("This can be at most %(limit_value)d characters (it has %(show_value)d).")


class SignOffForm(forms.Form):
    pupil = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the child you are signing for."),
            "invalid": _("Choose the child you are signing for."),
        },
    )
    comment = forms.CharField(
        label=_("A comment for the tutor (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"max_length": TOO_LONG},
    )


class TutorWeekForm(forms.Form):
    """`group` is parsed here; whether the person may see it is the view's question (an
    unknown or hidden group answers 404)."""

    group = forms.IntegerField(
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid": "Choose a tutor group from the list."},
    )
    week = BoundedDateField(
        label="Week of",
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control"}),
        error_messages={"invalid": "Enter a real date, e.g. 23/11/2026."},
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class SignOffReplyForm(forms.Form):
    sign_off = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a comment.", "invalid": "Choose a comment."},
    )
    reply = forms.CharField(
        label="Your reply",
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        error_messages={"required": "Write your reply.", "max_length": TOO_LONG},
    )

    def clean_reply(self):
        reply = self.cleaned_data["reply"].strip()
        if not reply:
            raise forms.ValidationError("Write your reply.")
        return reply
