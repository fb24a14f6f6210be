"""The account pages (log in, log out, password change and reset), wired here at the top
because the reset email is queued through `notifications`, which `school` may not import."""

from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from sso.forms.sign_in import SchoolLoginForm

from .accounts import (
    PasswordResetRequestView,
    SchoolPasswordChangeView,
    SchoolPasswordResetConfirmView,
)
from .logout import SchoolLogoutView

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=SchoolLoginForm,
            # The login page (a page of `school`) links to it without naming it.
            extra_context={"school_account_url": reverse_lazy("sso_school_account")},
        ),
        name="login",
    ),
    # Django's, offering to sign out of the school's account too (sso/).
    path("logout/", SchoolLogoutView.as_view(), name="logout"),
    # Signing in with the school's account (OpenID Connect), and its setup (sso/).
    path("sso/", include("sso.urls")),
    path("password_reset/", PasswordResetRequestView.as_view(), name="password_reset"),
    # Django's, saying instead that a school signing its staff and pupils in with its own
    # account leaves them no password to change (sso/).
    path("password_change/", SchoolPasswordChangeView.as_view(), name="password_change"),
    path(
        "reset/<uidb64>/<token>/",
        SchoolPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("", include("django.contrib.auth.urls")),
]
