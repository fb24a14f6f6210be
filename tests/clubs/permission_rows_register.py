"""Who may open a session's register: the staff on its rota (the world's teacher here)
and leaders (senior leaders, school admins, the club's leader). A teacher not on the rota,
the learning support assistant, pupils, parents and the other school get 404. Checking in
and out and the reward are POSTs to the same address (tests/clubs/test_register.py)."""

import datetime

from django.urls import reverse

from clubs.models import Club, ClubSession, RotaSlot


def _session(w):
    club = Club.objects.create(school=w.school, name="Homework club", room="IT1")
    session = ClubSession.objects.create(
        school=w.school,
        club=club,
        date=datetime.date(2026, 11, 10),
        start_time=datetime.time(15, 0),
        end_time=datetime.time(16, 0),
        room="IT1",
        capacity=20,
        staff_needed=2,
    )
    RotaSlot.objects.create(school=w.school, session=session, staff=w.teacher)
    return session


PAGES = {
    "clubs_register": (
        lambda w: reverse("clubs_register", args=[_session(w).pk]),
        {"teacher", "senior_leader", "school_admin"},
    ),
}
