"""The message forms: a guardian starting a thread about one child (to that child's form
tutor or one of their teachers) and a reply from either side. Bodies are plain text."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..messages import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH

TOO_LONG = _("This can be at most %(limit_value)d characters (it has %(show_value)d).")


def _body_field(label):
    # CharField strips the ends, so a body of only spaces is refused as "required".
    return forms.CharField(
        label=label,
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Write your message."), "max_length": TOO_LONG},
    )


class ThreadStartForm(forms.Form):
    staff = forms.TypedChoiceField(
        label=_("To"),
        coerce=int,
        error_messages={
            "required": _("Choose whom to write to."),
            "invalid_choice": _("Choose the form tutor or one of the teachers in the list."),
        },
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX_LENGTH,
        error_messages={"required": _("Give your message a subject."), "max_length": TOO_LONG},
    )
    body = _body_field(_("Message"))

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff_choices = {choice.user.pk: choice for choice in choices}
        self.fields["staff"].choices = [("", _("Choose…"))] + [
            (choice.user.pk, choice.label) for choice in choices
        ]

    def clean_staff(self):
        return self.staff_choices[self.cleaned_data["staff"]].user


class MessageReplyForm(forms.Form):
    body = _body_field(_("Your reply"))
