from django.urls import path  # noqa: F401 (each area adds its paths below)

from .views import register, rota, sessions, takeup  # noqa: F401

urlpatterns = [
    # Clubs, sessions and bookings (clubs/views/sessions.py)
    # The rota (clubs/views/rota.py)
    # The register (clubs/views/register.py)
    # Take-up (clubs/views/takeup.py)
]
