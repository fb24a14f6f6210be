"""Who may open erasure's pages: the school's data protection lead (school admins hold the
role) for their own school; the other school's admin sees their own school's list of
unlinked parents, and nothing of ours (test_erasure_pages.py checks the POST)."""

from django.urls import reverse

LEADS = {"school_admin", "other_school_staff"}

PAGES = {
    "privacy_erasure": (lambda w: reverse("privacy_erasure"), LEADS),
    "privacy_guardian_erase": (
        lambda w: reverse("privacy_guardian_erase", args=[w.guardian.pk]),
        {"school_admin"},
    ),
    "privacy_pupil_changes": (
        lambda w: reverse("privacy_pupil_changes", args=[w.pupil.pk]),
        {"school_admin"},
    ),
    "privacy_guardian_changes": (
        lambda w: reverse("privacy_guardian_changes", args=[w.guardian.pk]),
        {"school_admin"},
    ),
}
