"""Logging in by email address, with django-axes counting failures per account; pupils
who have left sign in no more."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The longest address email allows (RFC 5321), and so the longest login.
EMAIL_MAX_LENGTH = 254
# django-axes keeps the username of each attempt in a column of this size.
AXES_USERNAME_LENGTH = 255

TOO_LONG = _(
    "That email address is too long: an address has at most %(limit_value)d characters. "
    "Check what you typed."
)


def lockout_username(request, credentials):
    """The account a login attempt counts against: the email as typed, in any case (cut to
    what axes can store: no such account exists, so the attempt still counts against
    nobody else)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return username.strip().lower()[:AXES_USERNAME_LENGTH] or None


class EmailLoginForm(AuthenticationForm):
    """Django's login form, refusing an address longer than any account's before it
    tries to log in (Django sets the field's max_length without checking it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.max_length = EMAIL_MAX_LENGTH
        field.widget.attrs["maxlength"] = EMAIL_MAX_LENGTH
        field.validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH, message=TOO_LONG))


class AccountBackend(ModelBackend):
    """Django's backend by email and password, except that a pupil who has left the
    school (their leaving date has come) signs in no more, and a session they still have
    ends on their next request. Their records stay for the school; only the login stops.
    A session's user is read with their pupil record in the same query."""

    def user_can_authenticate(self, user):
        if not super().user_can_authenticate(user):
            return False
        pupil = getattr(user, "pupil", None)
        return pupil is None or pupil.left_on is None or pupil.left_on > timezone.localdate()

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("pupil").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
