"""Who may open the new academic year's pages: a school's admins, for their own school
(the other school's admin opens its pages for their school, which has no year to start
from, with nothing of ours). The steps after the first, opened with no answers yet, say
which step comes first; the whole journey is in tests/mis/test_rollover_pages.py."""

from django.urls import reverse

ADMINS = {"school_admin", "other_school_staff"}

PAGES = {
    "mis_new_year": (lambda w: reverse("mis_new_year"), ADMINS),
    "mis_new_year_choices": (lambda w: reverse("mis_new_year_choices"), ADMINS),
    "mis_new_year_check": (lambda w: reverse("mis_new_year_check"), ADMINS),
}
