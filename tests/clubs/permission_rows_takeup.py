"""Who may see club take-up: heads of year, senior leaders, school admins and a club's
leader; the other school's head sees their own school's (nothing of ours)."""

from django.urls import reverse

PAGES = {
    "clubs_takeup": (
        lambda w: reverse("clubs_takeup"),
        {"head_of_year", "senior_leader", "school_admin", "other_school_staff"},
    ),
}
