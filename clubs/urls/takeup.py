"""Take-up by pupil group."""

from django.urls import path

from ..views import takeup

urlpatterns = [
    path("take-up/", takeup.clubs_takeup, name="clubs_takeup"),
]
