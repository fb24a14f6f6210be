"""The sanctions forms, by area."""

from .detentions import (
    ACTIVITIES,
    REGISTER_MARKS,
    DetentionSessionForm,
    register_activities,
    register_marks,
)
from .misses import REASON_MAX_LENGTH, ExtensionForm, MissChangeForm, MissRecordForm

__all__ = [
    "ACTIVITIES",
    "register_activities",
    "REASON_MAX_LENGTH",
    "REGISTER_MARKS",
    "DetentionSessionForm",
    "ExtensionForm",
    "MissChangeForm",
    "MissRecordForm",
    "register_marks",
]
