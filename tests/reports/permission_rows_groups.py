"""Who may open the report by pupil group (as the half-term report: the school's senior
leaders, school admins and governors, tests/reports/test_groups_page.py) and the report
settings (senior leaders and school admins only); the other school's leader opens both,
showing their own school. Everyone else: 404."""

from django.urls import reverse

PAGES = {
    "reports_half_term_groups": (
        lambda w: reverse("reports_half_term_groups"),
        {"senior_leader", "school_admin", "other_school_staff"},
    ),
    # Naming a school (?school=, as superusers and trust leaders do, tests/reports/
    # test_trust_schools.py) opens only one's own: the other school's leader only here.
    "reports_half_term_groups?school=other": (
        lambda w: reverse("reports_half_term_groups") + "?school=other",
        {"other_school_staff"},
    ),
    "reports_settings": (
        lambda w: reverse("reports_settings"),
        {"senior_leader", "school_admin", "other_school_staff"},
    ),
}
