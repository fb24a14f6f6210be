"""Who may open who-looked (privacy/access_log): the school's data protection lead (school
admins hold the role); the other school's admin opens their own school's log and unusual
access, with nothing of ours, and gets 404 for our pupil's log."""

from django.urls import reverse

LEADS = {"school_admin", "other_school_staff"}

PAGES = {
    "privacy_access_log": (lambda w: reverse("privacy_access_log"), LEADS),
    "privacy_access_log_pupil": (
        lambda w: reverse("privacy_access_log_pupil", args=[w.pupil.pk]),
        {"school_admin"},
    ),
    "privacy_access_log_unusual": (lambda w: reverse("privacy_access_log_unusual"), LEADS),
}
