"""Who may open the meeting pages: form tutors, heads of year and house and senior leaders
see the list (the other school's senior leader and tutor their own school's, empty); one
meeting of the pupil's (7A, Brunel, year 7) opens for their form tutor, head of year, head
of house and senior leaders. The POST actions share the meeting's address; their tests are
in tests/sanctions/test_meetings_pages.py."""

from django.urls import reverse

from sanctions.models import Meeting, MeetingWith, Sanction
from sanctions.services.policy import policy_current


def _meeting(w):
    sanction = Sanction.objects.create(
        school=w.school,
        pupil=w.pupil,
        academic_year=w.academic_year,
        cycle=2,
        policy=policy_current(school=w.school),
        step_number=2,
        detention_minutes=60,
        meeting_with=MeetingWith.FORM_TUTOR,
    )
    return Meeting.objects.create(
        school=w.school,
        sanction=sanction,
        pupil=w.pupil,
        meeting_with=MeetingWith.FORM_TUTOR,
        owner=w.teacher,
    )


PAGES = {
    "sanctions_meetings": (
        lambda w: reverse("sanctions_meetings"),
        {
            "teacher",
            "head_of_year",
            "head_of_house",
            "senior_leader",
            "other_school_staff",
            "other_school_teacher",
        },
    ),
    "sanctions_meeting": (
        lambda w: reverse("sanctions_meeting", args=[_meeting(w).pk]),
        {"teacher", "head_of_year", "head_of_house", "senior_leader"},
    ),
}
