"""Who may open the agreement pages. Senior leaders and school admins write and publish
(the other school's head reaches their own school's empty editor); form tutors, heads of
year and school-wide staff see coverage of their own pupils and read a version; guardians
sign; a pupil acknowledges; a signed copy opens for the guardian who signed and for staff
who can see the pupil. The reminder is POST only: tests/parents/test_agreements_coverage.py
checks who may send it."""

from django.urls import reverse
from django.utils import timezone

from parents.agreements.defaults import DEFAULT_TEXT
from parents.models import Agreement, Signature


def _agreement(w, *, status=Agreement.Status.PUBLISHED):
    # The next version: tests/browser/test_every_page.py builds several rows in one world.
    versions = Agreement.objects.filter(school=w.school, academic_year=w.academic_year)
    return Agreement.objects.create(
        school=w.school,
        academic_year=w.academic_year,
        version=versions.count() + 1,
        status=status,
        published_at=timezone.now() if status == Agreement.Status.PUBLISHED else None,
        **DEFAULT_TEXT,
    )


def _signature(w):
    return Signature.objects.create(
        school=w.school,
        agreement=_agreement(w),
        guardian=w.guardian,
        pupil=w.pupil,
        typed_name="Ngozi Okafor",
        signed_by=w.parent,
        signed_at=timezone.now(),
    )


WRITERS = {"senior_leader", "school_admin", "other_school_staff"}
COVERAGE = {
    "teacher",
    "head_of_year",
    "senior_leader",
    "school_admin",
    "other_school_staff",
    "other_school_teacher",
}

PAGES = {
    "parents_agreement": (lambda w: reverse("parents_agreement"), {"parent", "other_parent"}),
    "parents_agreement_pupil": (lambda w: reverse("parents_agreement_pupil"), {"pupil_user"}),
    "parents_agreement_signature": (
        lambda w: reverse("parents_agreement_signature", args=[_signature(w).pk]),
        {
            "parent",
            "teacher",
            "other_teacher",
            "head_of_year",
            "head_of_house",
            "subject_leader",
            "senior_leader",
            "school_admin",
        },
    ),
    "parents_agreement_edit": (lambda w: reverse("parents_agreement_edit"), WRITERS),
    "parents_agreement_publish": (
        lambda w: (
            _agreement(w, status=Agreement.Status.DRAFT) and reverse("parents_agreement_publish")
        ),
        WRITERS,
    ),
    "parents_agreement_version": (
        lambda w: reverse("parents_agreement_version", args=[_agreement(w).pk]),
        {"teacher", "head_of_year", "senior_leader", "school_admin"},
    ),
    "parents_agreement_coverage": (lambda w: reverse("parents_agreement_coverage"), COVERAGE),
    # A version's translation: its own school's senior leaders and admins only.
    "parents_agreement_translation": (
        lambda w: reverse("parents_agreement_translation", args=[_agreement(w).pk, "pl"]),
        {"senior_leader", "school_admin"},
    ),
}
POST_ONLY = {"parents_agreement_remind"}
