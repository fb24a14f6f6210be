"""Who may open the subject access export pages: the data protection lead (school admins
hold the role) of the export's school; the other school's lead reads their own school's
log, with nothing of ours. The actions (start, download, start again) are POST-only:
a GET answers 405 to the lead and 404 to everyone else (test_exports_pages.py)."""

from django.urls import reverse
from django.utils import timezone

from privacy.models import SubjectAccessExport

LEADS = {"school_admin", "other_school_staff"}


def export_of(w, **fields) -> SubjectAccessExport:
    """A finished export about the world's pupil, asked for by the school admin."""
    values = {
        "school": w.school,
        "pupil": w.pupil,
        "subject_name": w.pupil.full_name,
        "requested_by": w.school_admin,
        "requested_at": timezone.now(),
        "status": SubjectAccessExport.Status.FAILED,
        "message": "Test",
        **fields,
    }
    return SubjectAccessExport.objects.create(**values)


PAGES = {
    "privacy_exports": (lambda w: reverse("privacy_exports"), LEADS),
    "privacy_export": (
        lambda w: reverse("privacy_export", args=[export_of(w).pk]),
        {"school_admin"},
    ),
}

POST_ONLY = {
    "privacy_export_pupil": (
        lambda w: reverse("privacy_export_pupil", args=[w.pupil.pk]),
        {"school_admin"},
    ),
    "privacy_export_guardian": (
        lambda w: reverse("privacy_export_guardian", args=[w.guardian.pk]),
        {"school_admin"},
    ),
    "privacy_export_download": (
        lambda w: reverse("privacy_export_download", args=[export_of(w).pk]),
        {"school_admin"},
    ),
    "privacy_export_restart": (
        lambda w: reverse("privacy_export_restart", args=[export_of(w).pk]),
        {"school_admin"},
    ),
}
