"""Who may open the clubs, sessions and bookings pages. Staff of the school see every club
and session; pupils the sessions open to their year; parents nothing here (their
children's clubs are on their overview); another school's people only their own school's
(empty) pages. Leaders (senior leaders, heads of year, school admins) add clubs and the
club's leader (the teacher here) cancels its sessions; teachers offer study sessions.
Booking and cancelling a booking answer POST only: their tests are in
tests/clubs/test_sessions_bookings.py."""

import datetime

from django.urls import reverse
from django.utils import timezone

from clubs.models import Club, ClubSession
from clubs.services.sessions import booking_create

OUR_STAFF = {
    "teacher",
    "other_teacher",
    "head_of_year",
    "head_of_house",
    "subject_leader",
    "senior_leader",
    "school_admin",
    "lsa",
}


def club_of(w, *, name="Homework club", years=None, leader=None, capacity=25, **fields):
    """A homework club of the world's school, open to Year 7 unless `years` says."""
    club = Club.objects.create(
        school=w.school,
        name=name,
        room="Room 21",
        capacity=capacity,
        staff_needed=fields.pop("staff_needed", 2),
        leader=leader if leader is not None else w.teacher,
        **fields,
    )
    club.year_groups.set([w.y7] if years is None else years)
    return club


def session_of(w, club=None, *, day=None, start=(15, 15), end=(16, 15), capacity=None):
    """A session of the club (by default next week's Tuesday, after school)."""
    club = club or club_of(w)
    if day is None:
        today = timezone.localdate()
        day = today + datetime.timedelta(days=7 + (1 - today.weekday()) % 7)
    return ClubSession.objects.create(
        school=w.school,
        club=club,
        date=day,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        room=club.room,
        capacity=capacity or club.capacity,
        staff_needed=club.staff_needed,
    )


def booking_of(w, session, pupil=None):
    pupil = pupil or w.pupil
    return booking_create(session=session, pupil=pupil, booked_by=pupil.user)


PAGES = {
    # Another school's people open their own school's (empty) clubs page.
    "clubs_home": (
        lambda w: reverse("clubs_home"),
        OUR_STAFF | {"pupil_user", "other_school_staff", "other_school_teacher"},
    ),
    "clubs_club_add": (
        lambda w: reverse("clubs_club_add"),
        {
            "teacher",
            "other_teacher",
            "head_of_year",
            "senior_leader",
            "school_admin",
            "other_school_staff",
            "other_school_teacher",
        },
    ),
    "clubs_club": (lambda w: reverse("clubs_club", args=[club_of(w).pk]), OUR_STAFF),
    "clubs_session": (
        lambda w: reverse("clubs_session", args=[session_of(w).pk]),
        OUR_STAFF | {"pupil_user"},
    ),
    "clubs_session_cancel": (
        lambda w: reverse("clubs_session_cancel", args=[session_of(w).pk]),
        {"teacher", "head_of_year", "senior_leader", "school_admin"},
    ),
    "clubs_no_shows": (
        lambda w: reverse("clubs_no_shows"),
        {
            "teacher",
            "head_of_year",
            "senior_leader",
            "school_admin",
            "other_school_staff",
            "other_school_teacher",
        },
    ),
}

POST_ONLY = {
    "clubs_book": (lambda w: reverse("clubs_book", args=[session_of(w).pk]), {"pupil_user"}),
    "clubs_booking_cancel": (
        lambda w: reverse("clubs_booking_cancel", args=[booking_of(w, session_of(w)).pk]),
        {"pupil_user"},
    ),
}
