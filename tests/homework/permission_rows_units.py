"""Who may open the unit-planning pages: the list of one's classes is for every member of
staff (it lists only the classes they plan: none for most); a class's unit dates are for
its teachers and the subject's leaders; a unit's links for parents are for the teachers
of a class of that subject and year, and the subject's leaders. Removing a link answers
POST only (tests/homework/test_units_resources.py)."""

from django.urls import reverse

from homework.models import SchemeOfWorkUnit

STAFF = {
    "teacher",
    "other_teacher",
    "head_of_year",
    "head_of_house",
    "subject_leader",
    "senior_leader",
    "school_admin",
    "lsa",
    "other_school_staff",
    "other_school_teacher",
}
MATHS_7 = {"teacher", "subject_leader"}


def _maths_7_unit(w):
    unit, _ = SchemeOfWorkUnit.objects.get_or_create(
        school=w.school, subject=w.maths, year_group=w.y7, title="Fractions"
    )
    return unit


PAGES = {
    "units_home": (lambda w: reverse("units_home"), STAFF),
    "units_class": (lambda w: reverse("units_class", args=[w.maths_7.pk]), MATHS_7),
    "units_resources": (
        lambda w: reverse("units_resources", args=[_maths_7_unit(w).pk]),
        MATHS_7,
    ),
}

POST_ONLY = {
    "units_resource_delete": (
        lambda w: reverse("units_resource_delete", args=[1]),
        MATHS_7,
    )
}
