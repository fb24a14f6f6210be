"""The login form with the password switch-off, and the one question before signing in
with the school's account: the person's email address (the login page cannot know their
school, and the address's domain tells which school's service to send them to)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from school.auth import EMAIL_MAX_LENGTH, EmailLoginForm

from ..backends import PASSWORD_OFF_ATTRIBUTE


class SchoolLoginForm(EmailLoginForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            school = getattr(self.request, PASSWORD_OFF_ATTRIBUTE, None)
            if school is None:
                raise
            raise ValidationError(
                _(
                    "%(school)s signs its staff and pupils in with their school account, not "
                    'a password here. Choose "Sign in with your school account" below.'
                )
                % {"school": school},
                code="password_login_off",
            ) from None


class SchoolAccountForm(forms.Form):
    email = forms.EmailField(
        label=_("Your school email address"),
        max_length=EMAIL_MAX_LENGTH,
        help_text=_("We send you to your school's sign-in page (Microsoft or Google)."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
