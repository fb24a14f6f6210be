"""Who may open the internal exclusion pages: as for detentions, heads of year and house
and senior leaders see every exclusion day of their school; a member of staff who
supervises a day sees that day's register (the teacher of the world supervises the one
built here). Saving a register answers POST only (GET: 405 to those who may see it, 404
to everyone else; tests/sanctions/test_exclusions_pages.py)."""

import datetime

from django.urls import reverse

from sanctions.models import DetentionSession, SessionKind


def _day(w):
    return DetentionSession.objects.create(
        school=w.school,
        kind=SessionKind.INTERNAL_EXCLUSION,
        date=datetime.date(2026, 12, 2),
        start_time=datetime.time(8, 45),
        end_time=datetime.time(15, 15),
        room="Inclusion room",
        supervisor=w.teacher,
        capacity=6,
    )


PAGES = {
    # The other school's senior leader opens their own school's list (nothing of ours).
    "sanctions_exclusions": (
        lambda w: reverse("sanctions_exclusions"),
        {"head_of_year", "head_of_house", "senior_leader", "other_school_staff"},
    ),
    "sanctions_exclusion_session": (
        lambda w: reverse("sanctions_exclusion_session", args=[_day(w).pk]),
        {"teacher", "head_of_year", "head_of_house", "senior_leader"},
    ),
}

POST_ONLY = {
    "sanctions_exclusion_register": (
        lambda w: reverse("sanctions_exclusion_register", args=[_day(w).pk]),
        {"teacher", "head_of_year", "head_of_house", "senior_leader"},
    ),
}
