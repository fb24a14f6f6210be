"""The weekly sign-off's forms: the guardian's confirmation with an optional comment, the
tutor's choice of group and week, and the tutor's reply to a comment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from school.forms_fields import BoundedDateField

from ..signoff import COMMENT_MAX_LENGTH, REPLY_MAX_LENGTH

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
        widget=forms.Textarea(attrs={"rows": 3}),
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
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date, e.g. 23/11/2026."},
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )

    def clean(self):
        # `group` comes from the page's own links, with no box to show its error under.
        if "group" in self.errors:
            self.add_error(None, self.errors.pop("group"))
        return super().clean()


class SignOffReplyForm(forms.Form):
    """The form tutor's answer to one comment: one on the page for each comment waiting,
    labelled with whom it answers."""

    sign_off = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a comment.", "invalid": "Choose a comment."},
    )
    reply = forms.CharField(
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Write your reply.", "max_length": TOO_LONG},
    )

    def __init__(self, *args, sign_off, **kwargs):
        super().__init__(*args, initial={"sign_off": sign_off.pk}, **kwargs)
        self.auto_id = f"reply{sign_off.pk}_%s"
        self.fields["reply"].label = f"Your reply to {sign_off.guardian.full_name}"
