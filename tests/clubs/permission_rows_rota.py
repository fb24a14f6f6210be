"""Who may open the club rota: teachers and learning support assistants (to volunteer) and
leaders (senior leaders, school admins, a club's leader); the other school's people open
their own school's rota (nothing of ours). Volunteering and withdrawing answer POST only;
their tests are in tests/clubs/test_rota.py."""

import datetime

from django.urls import reverse
from django.utils import timezone

from clubs.models import Club, ClubSession


def _session(w):
    """A session tomorrow (on the rota's weeks whatever the day the tests run)."""
    club = Club.objects.create(school=w.school, name="Homework club", room="IT1")
    return ClubSession.objects.create(
        school=w.school,
        club=club,
        date=timezone.localdate() + datetime.timedelta(days=1),
        start_time=datetime.time(15, 0),
        end_time=datetime.time(16, 0),
        room="IT1",
        capacity=20,
        staff_needed=2,
    )


ROTA = {
    "teacher",
    "other_teacher",
    "lsa",
    "senior_leader",
    "school_admin",
    "other_school_staff",
    "other_school_teacher",
}

PAGES = {
    "clubs_rota": (lambda w: reverse("clubs_rota"), ROTA),
}

# Our school's teachers and learning support assistants get 405 (POST only); others 404.
VOLUNTEERS = {"teacher", "other_teacher", "lsa"}
POST_ONLY = {
    "clubs_rota_volunteer": (
        lambda w: reverse("clubs_rota_volunteer", args=[_session(w).pk]),
        VOLUNTEERS,
    ),
    "clubs_rota_withdraw": (
        lambda w: reverse("clubs_rota_withdraw", args=[_session(w).pk]),
        VOLUNTEERS,
    ),
}
