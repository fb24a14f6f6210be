"""The sanctions forms, by area."""

from .detentions import REGISTER_MARKS, WEEKDAYS, DetentionSessionForm, register_marks
from .misses import REASON_MAX_LENGTH, MissChangeForm, MissRecordForm

__all__ = [
    "REASON_MAX_LENGTH",
    "REGISTER_MARKS",
    "WEEKDAYS",
    "DetentionSessionForm",
    "MissChangeForm",
    "MissRecordForm",
    "register_marks",
]
