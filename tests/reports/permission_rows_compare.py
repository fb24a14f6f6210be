"""Who may open the half-term report compared with last year: the same readers as the
report (governors: tests/reports/test_compare.py); the other school's leader and admin
open it for their own school. Everyone else: 404."""

from django.urls import reverse

PAGES = {
    "reports_half_term_compared": (
        lambda w: reverse("reports_half_term_compared"),
        {"senior_leader", "school_admin", "other_school_staff"},
    ),
    # Naming a school (?school=, as superusers and trust leaders do, tests/reports/
    # test_trust_schools.py) opens only one's own: the other school's leader only here.
    "reports_half_term_compared?school=other": (
        lambda w: reverse("reports_half_term_compared") + "?school=other",
        {"other_school_staff"},
    ),
}
