"""Who may open the escalation policy page: senior leaders and school admins (who edit
it), heads of year and house (who read it). The other school's head sees their own
school's ladder (tests/sanctions/test_policy.py checks it is not ours)."""

from django.urls import reverse

PAGES = {
    "sanctions_policy": (
        lambda w: reverse("sanctions_policy"),
        {"head_of_year", "head_of_house", "senior_leader", "school_admin", "other_school_staff"},
    ),
}
