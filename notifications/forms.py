from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from .models import MANDATORY_KINDS, Notification, Preference
from .services import email_queue

SWITCHABLE_KINDS = [
    (kind, label) for kind, label in Notification.Kind.choices if kind not in MANDATORY_KINDS
]
MANDATORY_CHOICES = [
    (kind, label) for kind, label in Notification.Kind.choices if kind in MANDATORY_KINDS
]


class PreferencesForm(forms.Form):
    """How one guardian record receives each kind that may be changed: one choice each.
    The mandatory kinds are not fields, so no input can switch them off."""

    def __init__(self, *args, guardian, frequencies=None, **kwargs):
        kwargs.setdefault("prefix", f"g{guardian.pk}")
        frequencies = frequencies or {}
        super().__init__(*args, **kwargs)
        self.guardian = guardian
        for kind, label in SWITCHABLE_KINDS:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Preference.Frequency.choices,
                initial=frequencies.get(kind, Preference.Frequency.IMMEDIATELY),
                error_messages={
                    "required": _("Choose how you want to receive this."),
                    "invalid_choice": _("Choose one of the options in the list."),
                },
                widget=forms.Select(attrs={"class": "form-select"}),
            )


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email sent by the Celery worker instead of the
    web request, so a slow mail server never holds up the page."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        html_body = (
            loader.render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        email_queue(subject=subject, body=body, to=[to_email], html_body=html_body)
