"""The account pages (log in, log out, password change and reset), wired here at the top
because the reset email is queued through `notifications`, which `school` may not import."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from notifications.forms import QueuedPasswordResetForm

urlpatterns = [
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(
            form_class=QueuedPasswordResetForm,
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            html_email_template_name="registration/password_reset_email.html",
        ),
        name="password_reset",
    ),
    path("", include("django.contrib.auth.urls")),
]
