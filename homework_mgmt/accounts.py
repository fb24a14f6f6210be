"""Asking for a password reset link. The page does the same work whatever address is
typed: it counts the request against the limits and queues one task; the worker looks the
address up and emails a link only if an account uses it. So the answer, and how long it
takes, says nothing about who has an account, and nobody can flood a mailbox: a few
requests an hour per address and a few more per client (PASSWORD_RESET_LIMIT_*)."""

import logging
from datetime import timedelta

from celery import shared_task
from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from notifications.forms import QueuedPasswordResetForm
from school.auth import EMAIL_MAX_LENGTH, TOO_LONG
from school.ratelimits import Limit, client_address, limit_hit
from sso.sign_in import PASSWORD_TOOLS_OFF_SESSION_KEY, password_login_off_for

logger = logging.getLogger(__name__)

TEMPLATES = {
    "subject_template_name": "registration/password_reset_subject.txt",
    "email_template_name": "registration/password_reset_email.txt",
    "html_email_template_name": "registration/password_reset_email.html",
}
HOUR = timedelta(hours=1)


def reset_limits() -> tuple[Limit, Limit]:
    """Per address and per client, read when used so that tests and settings agree."""
    return (
        Limit("password-reset-address", settings.PASSWORD_RESET_LIMIT_PER_ADDRESS, HOUR),
        Limit("password-reset-client", settings.PASSWORD_RESET_LIMIT_PER_CLIENT, HOUR),
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "required": _("Enter the email address you log in with."),
            "invalid": _("Enter an email address, like name@example.com."),
            "max_length": TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


TOO_MANY = _(
    "We have already sent several reset emails for this address, or from this "
    "connection, in the last hour. Check your inbox and junk folder for them, or try "
    "again in an hour."
)
NOT_SENT = _(
    "We could not send the email just now, so nothing was sent. Please try again in a few minutes."
)


class PasswordResetRequestView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm

    def form_valid(self, form):
        email = form.cleaned_data["email"].lower()
        by_address, by_client = reset_limits()
        # Both limits are counted every time (no short cut), so every request costs the same.
        address_ok = limit_hit(by_address, email)
        client_ok = limit_hit(by_client, client_address(self.request))
        if not (address_ok and client_ok):
            return self._refused(form, TOO_MANY, status=429)
        try:
            password_reset_email_send.apply_async(
                kwargs={
                    "email": email,
                    "domain": self.request.get_host(),
                    "use_https": self.request.is_secure(),
                    "language": translation.get_language(),
                },
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
            )
        except Exception:  # noqa: BLE001 - any broker failure: say so, never a 500
            logger.warning("Could not queue a password reset email.", exc_info=True)
            return self._refused(form, NOT_SENT, status=503)
        return redirect(self.get_success_url())

    def _refused(self, form, message, *, status):
        form.add_error(None, message)
        return self.render_to_response(self.get_context_data(form=form), status=status)


class SchoolPasswordResetForm(QueuedPasswordResetForm):
    """No reset link for staff and pupils of a school that switched password login off
    (their break-glass admin and parents still get one): a password they could not use.
    The page asking for it says the same as for any address (the choice is made here, in
    the worker)."""

    def get_users(self, email):
        for user in super().get_users(email):
            if password_login_off_for(user) is None:
                yield user


class SchoolPasswordChangeView(auth_views.PasswordChangeView):
    """Django's page, except for staff and pupils of a school that signs them in with its
    own account: a page saying so instead of a password form they could not use."""

    off_template_name = "registration/password_change_off.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            policy = password_login_off_for(request.user)
            # The top bar reads this from the session (sso/apps.py): keep it true to now.
            if request.session.get(PASSWORD_TOOLS_OFF_SESSION_KEY) != (policy is not None):
                request.session[PASSWORD_TOOLS_OFF_SESSION_KEY] = policy is not None
            if policy is not None:
                return TemplateResponse(
                    request, self.off_template_name, {"school": policy.school}, status=403
                )
        return super().dispatch(request, *args, **kwargs)


class SchoolPasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page, except that a link sent before the school switched password login
    off for its staff and pupils no longer sets a password for them (it reads as a link
    no longer valid)."""

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is not None and password_login_off_for(user) is not None:
            return None
        return user


@shared_task(acks_late=True)
def password_reset_email_send(*, email: str, domain: str, use_https: bool, language: str = ""):
    """In the worker: a reset link to each active account with a usable password that
    uses `email` (none for an unknown address), in the language the page was read in."""
    form = SchoolPasswordResetForm({"email": email})
    if form.is_valid():
        with translation.override(language or settings.LANGUAGE_CODE):
            form.save(domain_override=domain, use_https=use_https, **TEMPLATES)
