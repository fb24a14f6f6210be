"""Who may open the data-protection pages: a school's data protection lead (school admins
hold the role), for their school; the other school's admin opens their own school's home
and search, with nothing of ours. Superusers choose the school (test_people_pages.py)."""

from django.urls import reverse

LEADS = {"school_admin", "other_school_staff"}

PAGES = {
    "privacy_home": (lambda w: reverse("privacy_home"), LEADS),
    "privacy_people": (lambda w: reverse("privacy_people") + "?q=Okafor", LEADS),
    "privacy_pupil": (lambda w: reverse("privacy_pupil", args=[w.pupil.pk]), {"school_admin"}),
    "privacy_guardian": (
        lambda w: reverse("privacy_guardian", args=[w.guardian.pk]),
        {"school_admin"},
    ),
}
