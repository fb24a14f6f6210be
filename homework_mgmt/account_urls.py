"""The account pages (log in, log out, password change and reset), wired here at the top
because the reset email is queued through `notifications`, which `school` may not import."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from school.auth import EmailLoginForm

from .accounts import PasswordResetRequestView

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=EmailLoginForm),
        name="login",
    ),
    path("password_reset/", PasswordResetRequestView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
