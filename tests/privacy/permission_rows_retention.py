"""Who may open the retention pages: a school's data protection lead (school admins hold
the role) for their school; the other school's admin opens their own school's schedule
and runs, and gets 404 for our runs, pupils and holds."""

from django.urls import reverse
from django.utils import timezone

from privacy.models import LegalHold, RetentionRun

LEADS = {"school_admin", "other_school_staff"}
OURS = {"school_admin"}


def _run(w):
    return RetentionRun.objects.create(school=w.school, dry_run=True, started_at=timezone.now())


def _hold(w):
    return LegalHold.objects.create(
        school=w.school, pupil=w.pupil, reason="Safeguarding", placed_at=timezone.now()
    )


PAGES = {
    "privacy_retention": (lambda w: reverse("privacy_retention"), LEADS),
    "privacy_retention_run_now": (lambda w: reverse("privacy_retention_run_now"), LEADS),
    "privacy_retention_runs": (lambda w: reverse("privacy_retention_runs"), LEADS),
    "privacy_retention_run": (
        lambda w: reverse("privacy_retention_run", args=[_run(w).pk]),
        OURS,
    ),
    "privacy_retention_hold": (
        lambda w: reverse("privacy_retention_hold", args=[w.pupil.pk]),
        OURS,
    ),
}

# Leads get 405 (POST only), everyone else 404 (test_retention_pages.py).
POST_ONLY = {
    "privacy_retention_dry_run": (lambda w: reverse("privacy_retention_dry_run"), LEADS),
    "privacy_retention_hold_lift": (
        lambda w: reverse("privacy_retention_hold_lift", args=[_hold(w).pk]),
        OURS,
    ),
}
