"""Who may open the sanctions dashboard and a pupil's timeline. The dashboard is for heads
of year and house and the school-wide roles (the other school's head sees their own
school's, empty, dashboard: tests/sanctions/test_dashboard.py checks it shows none of
ours). The timeline of the world's pupil (7A, Brunel) is for their form tutor (the
teacher), head of year, head of house and the school-wide roles; the English teacher who
teaches them, as a subject teacher, gets 404."""

from django.urls import reverse

PAGES = {
    "sanctions_dashboard": (
        lambda w: reverse("sanctions_dashboard"),
        {"head_of_year", "head_of_house", "senior_leader", "school_admin", "other_school_staff"},
    ),
    "sanctions_pupil": (
        lambda w: reverse("sanctions_pupil", args=[w.pupil.pk]),
        {"teacher", "head_of_year", "head_of_house", "senior_leader", "school_admin"},
    ),
}
