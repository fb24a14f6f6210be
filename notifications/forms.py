from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template import loader
from django.utils.translation import gettext_lazy as _

from . import registry
from .models import Preference
from .services import email_queue


class PreferencesForm(forms.Form):
    """How one guardian record receives each kind the apps register that may be changed:
    one choice each, listed under the heading its app gives it. The mandatory kinds are
    not fields, so no input can switch them off."""

    def __init__(self, *args, guardian, frequencies=None, **kwargs):
        kwargs.setdefault("prefix", f"g{guardian.pk}")
        frequencies = frequencies or {}
        super().__init__(*args, **kwargs)
        self.guardian = guardian
        self.group_of = {}
        for kind in registry.choosable_kinds():
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                choices=Preference.Frequency.choices,
                initial=frequencies.get(kind.code, Preference.Frequency.IMMEDIATELY),
                error_messages={
                    "required": _("Choose how you want to receive this."),
                    "invalid_choice": _("Choose one of the options in the list."),
                },
            )
            self.group_of[kind.code] = kind.group

    def groups(self) -> list[tuple[str, list]]:
        """(heading, bound fields) for each app's kinds, in the order registered."""
        groups: dict[str, list] = {}
        for field in self:
            groups.setdefault(str(self.group_of[field.name]), []).append(field)
        return list(groups.items())


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
