"""The school's data-protection records, by area: access_log.py (who looked at whom),
exports.py (subject access exports), retention.py (the schedule, legal holds, runs),
notice.py (the privacy notice families read)."""

from .access_log import AccessLogEntry
from .exports import SubjectAccessExport
from .notice import PrivacyNotice
from .retention import LegalHold, RetentionRule, RetentionRun

__all__ = [
    "AccessLogEntry",
    "LegalHold",
    "PrivacyNotice",
    "RetentionRule",
    "RetentionRun",
    "SubjectAccessExport",
]
