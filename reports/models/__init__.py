"""The reports' own records, by area: the school's report settings (thresholds the
school sets for its reports); work scrutiny (scrutiny.py)."""

from .scrutiny import (
    ScrutinyCriterion,
    ScrutinyRating,
    ScrutinyReview,
    ScrutinyRound,
    ScrutinySample,
)
from .settings import ReportSettings

__all__ = [
    "ReportSettings",
    "ScrutinyCriterion",
    "ScrutinyRating",
    "ScrutinyReview",
    "ScrutinyRound",
    "ScrutinySample",
]
