"""Who may open the detention pages: heads of year and house and senior leaders see every
session of their school; a member of staff who supervises a session sees that session's
register (the teacher of the world supervises the one built here). Confirming a flagged
pupil's booking and saving a register answer POST only; their tests are in
tests/sanctions/test_detentions_pages.py."""

import datetime

from django.urls import reverse

from sanctions.models import DetentionSession


def _session(w):
    return DetentionSession.objects.create(
        school=w.school,
        date=datetime.date(2026, 11, 30),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        supervisor=w.teacher,
        capacity=10,
    )


PAGES = {
    # The other school's senior leader opens their own school's list (nothing of ours).
    "sanctions_detentions": (
        lambda w: reverse("sanctions_detentions"),
        {"head_of_year", "head_of_house", "senior_leader", "other_school_staff"},
    ),
    "sanctions_detention_session": (
        lambda w: reverse("sanctions_detention_session", args=[_session(w).pk]),
        {"teacher", "head_of_year", "head_of_house", "senior_leader"},
    ),
}

POST_ONLY = {
    "sanctions_detention_register": (
        lambda w: reverse("sanctions_detention_register", args=[_session(w).pk]),
        {"teacher", "head_of_year", "head_of_house", "senior_leader"},
    ),
    "sanctions_booking_confirm": (lambda w: reverse("sanctions_booking_confirm", args=[1]), set()),
}
