"""The reports' own records, by area: the school's report settings (thresholds the
school sets for its reports)."""

from .settings import ReportSettings

__all__ = ["ReportSettings"]
