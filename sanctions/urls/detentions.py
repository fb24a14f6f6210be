"""Detention sessions, their registers and the check list of flagged pupils."""

from django.urls import path

from ..views import detentions

urlpatterns = [
    path("detentions/", detentions.sanctions_detentions, name="sanctions_detentions"),
    path(
        "detentions/<int:session_id>/",
        detentions.sanctions_detention_session,
        name="sanctions_detention_session",
    ),
    path(
        "detentions/<int:session_id>/register/",
        detentions.sanctions_detention_register,
        name="sanctions_detention_register",
    ),
    path(
        "detentions/bookings/<int:booking_id>/confirm/",
        detentions.sanctions_booking_confirm,
        name="sanctions_booking_confirm",
    ),
]
