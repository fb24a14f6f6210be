"""Commendations and positive contacts home."""

from django.urls import path

from ..views import commendations

urlpatterns = [
    path(
        "pupils/<int:pupil_id>/commend/",
        commendations.sanctions_commend,
        name="sanctions_commend",
    ),
]
