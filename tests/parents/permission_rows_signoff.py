"""Who may open the weekly sign-off pages. Guardians sign off their own children's week
(staff, pupils and the other school get 404). The tutor's page opens for form tutors and
heads of year (the other school's tutor and head of year see their own groups); the
replies are POSTed to the same address and checked in tests/parents/test_signoff_tutor.py."""

from django.urls import reverse

PAGES = {
    "parents_signoff": (lambda w: reverse("parents_signoff"), {"parent", "other_parent"}),
    "parents_signoff_tutor": (
        lambda w: reverse("parents_signoff_tutor"),
        {"teacher", "head_of_year", "other_school_staff", "other_school_teacher"},
    ),
}
