"""Who may open the planner's pages: the planner, a task and the calendar page are the
pupil's own; a handed-in file is also open to the class's teachers, staff who may see the
class, and the pupil's parents. The feed is reached by its secret address (no login) and
the reset answers POST only; tests/homework/test_planner_calendar.py covers both."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homework.services.planner import submission_submit

PUPIL_ONLY = {"pupil_user"}


def pupil_submission_file(w):
    """The pupil hands in the maths homework with a file; the file to download."""
    submission_submit(
        assignment=w.pupil_maths_assignment,
        files=[SimpleUploadedFile("answers.pdf", b"%PDF-1.4 answers", "application/pdf")],
    )
    return w.pupil_maths_assignment.files.get()


PAGES = {
    "planner": (lambda w: reverse("planner"), PUPIL_ONLY),
    "planner_task": (
        lambda w: reverse("planner_task", args=[w.pupil_maths_assignment.pk]),
        PUPIL_ONLY,
    ),
    "planner_submission_file": (
        lambda w: reverse("planner_submission_file", args=[pupil_submission_file(w).pk]),
        {
            "pupil_user",
            "parent",
            "teacher",
            "head_of_year",
            "subject_leader",
            "senior_leader",
            "school_admin",
        },
    ),
    "planner_calendar": (lambda w: reverse("planner_calendar"), PUPIL_ONLY),
}

SECRET_ADDRESS = {"planner_feed"}

# POST only: GET answers 405 to the pupil and 404 to everyone else (see the calendar tests).
POST_ONLY = {"planner_calendar_reset": (lambda w: reverse("planner_calendar_reset"), PUPIL_ONLY)}
