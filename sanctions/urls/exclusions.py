"""Internal exclusion days and their registers."""

from django.urls import path

from ..views import exclusions

urlpatterns = [
    path("exclusions/", exclusions.sanctions_exclusions, name="sanctions_exclusions"),
    path(
        "exclusions/<int:session_id>/",
        exclusions.sanctions_exclusion_session,
        name="sanctions_exclusion_session",
    ),
    path(
        "exclusions/<int:session_id>/register/",
        exclusions.sanctions_exclusion_register,
        name="sanctions_exclusion_register",
    ),
]
