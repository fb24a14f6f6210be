"""Who may open the key-date pages: senior leaders and school admins (every year group),
heads of year (their own year's dates). Another school's leader gets 404 for this school's
date. The delete page answers GET with a confirmation (its POST: test_key_dates.py)."""

import datetime

from django.urls import reverse

from school.models import KeyDate

KEEPERS = {"head_of_year", "senior_leader", "school_admin", "other_school_staff"}
THIS_SCHOOL = {"head_of_year", "senior_leader", "school_admin"}


def _year_7_evening(w):
    key_date, created = KeyDate.objects.get_or_create(
        school=w.school,
        title="Year 7 parents' evening",
        defaults={"date": datetime.date(2026, 12, 3), "kind": KeyDate.Kind.PARENTS_EVENING},
    )
    if created:
        key_date.year_groups.set([w.y7])
    return key_date


PAGES = {
    "key_dates": (lambda w: reverse("key_dates"), KEEPERS),
    "key_date_new": (lambda w: reverse("key_date_new"), KEEPERS),
    "key_date_edit": (
        lambda w: reverse("key_date_edit", args=[_year_7_evening(w).pk]),
        THIS_SCHOOL,
    ),
    "key_date_delete": (
        lambda w: reverse("key_date_delete", args=[_year_7_evening(w).pk]),
        THIS_SCHOOL,
    ),
}
