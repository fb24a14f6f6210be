"""A session's register."""

from django.urls import path

from ..views import register

urlpatterns = [
    path("sessions/<int:session_id>/register/", register.clubs_register, name="clubs_register"),
]
