"""The sanctions pages, by area."""

from .dashboard import sanctions_dashboard, sanctions_pupil
from .detentions import (
    sanctions_booking_confirm,
    sanctions_detention_register,
    sanctions_detention_session,
    sanctions_detentions,
)
from .misses import excuse_miss, extend_assignment, record_misses, void_miss

__all__ = [
    "excuse_miss",
    "extend_assignment",
    "record_misses",
    "sanctions_booking_confirm",
    "sanctions_dashboard",
    "sanctions_detention_register",
    "sanctions_detention_session",
    "sanctions_detentions",
    "sanctions_pupil",
    "void_miss",
]
