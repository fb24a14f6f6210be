from django.urls import path  # noqa: F401 (each area adds its paths below)

from .views import register, rota, sessions, takeup  # noqa: F401

urlpatterns = [
    # Clubs, sessions and bookings (clubs/views/sessions.py)
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
    # The rota (clubs/views/rota.py)
    path("rota/", rota.clubs_rota, name="clubs_rota"),
    path(
        "rota/<int:session_id>/volunteer/",
        rota.clubs_rota_volunteer,
        name="clubs_rota_volunteer",
    ),
    path("rota/<int:session_id>/withdraw/", rota.clubs_rota_withdraw, name="clubs_rota_withdraw"),
    # The register (clubs/views/register.py)
    path("sessions/<int:session_id>/register/", register.clubs_register, name="clubs_register"),
    # Take-up (clubs/views/takeup.py)
    path("take-up/", takeup.clubs_takeup, name="clubs_takeup"),
]
