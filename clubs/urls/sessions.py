"""Clubs, their sessions and bookings, and the booked pupils who did not come."""

from django.urls import path

from ..views import sessions

urlpatterns = [
    path("", sessions.clubs_home, name="clubs_home"),
    path("new/", sessions.clubs_club_add, name="clubs_club_add"),
    path("<int:club_id>/", sessions.clubs_club, name="clubs_club"),
    path("sessions/<int:session_id>/", sessions.clubs_session, name="clubs_session"),
    path(
        "sessions/<int:session_id>/cancel/",
        sessions.clubs_session_cancel,
        name="clubs_session_cancel",
    ),
    path("sessions/<int:session_id>/book/", sessions.clubs_book, name="clubs_book"),
    path(
        "bookings/<int:booking_id>/cancel/",
        sessions.clubs_booking_cancel,
        name="clubs_booking_cancel",
    ),
    path("no-shows/", sessions.clubs_no_shows, name="clubs_no_shows"),
]
