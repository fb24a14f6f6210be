"""Who may open the missed-deadline pages. Recording answers POST only (GET answers 405 to
the class's teacher and 404 to everyone else; the POSTs are covered in
tests/sanctions/test_misses_recording.py). Undoing a miss recorded in error is for the class's
teachers and the pupil's form tutor and head of year; excusing one is for the pupil's form
tutor, head of year and senior leaders. The teacher of the world is the maths teacher of
the class and the form tutor of the pupil (7A)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment
from sanctions.models import Miss
from sanctions.services.misses import miss_record


def _pupil_miss(w):
    """The pupil's maths homework, overdue and recorded as missed by the teacher (once:
    tests/browser/test_every_page.py builds several rows in one world)."""
    assignment = w.pupil_maths_assignment
    if recorded := Miss.objects.filter(assignment=assignment).first():
        return recorded
    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    (miss,) = miss_record(recorder=w.teacher, assignments=[assignment])
    return miss


PAGES = {
    "sanctions_miss_void": (
        lambda w: reverse("sanctions_miss_void", args=[_pupil_miss(w).pk]),
        {"teacher", "head_of_year"},
    ),
    "sanctions_miss_excuse": (
        lambda w: reverse("sanctions_miss_excuse", args=[_pupil_miss(w).pk]),
        {"teacher", "head_of_year", "senior_leader"},
    ),
    # An extension: the class's teachers, the pupil's form tutor and head of year, senior
    # leaders.
    "sanctions_extension": (
        lambda w: reverse("sanctions_extension", args=[w.pupil_maths_assignment.pk]),
        {"teacher", "head_of_year", "senior_leader"},
    ),
}

# POST only: GET answers 405 to the class's teacher and 404 to everyone else.
POST_ONLY = {
    "sanctions_miss_record": (
        lambda w: reverse("sanctions_miss_record", args=[w.maths_homework.pk]),
        {"teacher"},
    ),
}
