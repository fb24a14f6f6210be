"""Who may open the half-term report: the school's senior leaders and school admins (and
governors, tests/reports/test_half_term_access.py); the other school's senior leader and
admin opens it too, showing their own school. Everyone else: 404."""

from django.urls import reverse

PAGES = {
    "reports_half_term": (
        lambda w: reverse("reports_half_term"),
        {"senior_leader", "school_admin", "other_school_staff"},
    ),
    # Naming a school (?school=, as superusers and trust leaders do, tests/reports/
    # test_trust_schools.py) opens only one's own: the other school's leader only here.
    "reports_half_term?school=other": (
        lambda w: reverse("reports_half_term") + "?school=other",
        {"other_school_staff"},
    ),
}
