"""Clubs, sessions and bookings made straight in the database for the rota, register and
take-up tests (they do not depend on the clubs pages' own services)."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from clubs.models import Booking, Club, ClubSession, RotaSlot
from school.models import HalfTerm

LONDON = ZoneInfo("Europe/London")
TUESDAY = datetime.date(2026, 11, 10)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


def make_club(world, *, years=("y7",), name="Homework club", **fields):
    club = Club.objects.create(
        school=world.school,
        name=name,
        room=fields.pop("room", "IT1"),
        capacity=fields.pop("capacity", 20),
        staff_needed=fields.pop("staff_needed", 2),
        **fields,
    )
    club.year_groups.set([getattr(world, year) for year in years])
    return club


def make_session(club, day, *, start=(15, 0), end=(16, 0), staff=(), **fields):
    session = ClubSession.objects.create(
        school_id=club.school_id,
        club=club,
        date=day,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        room=club.room,
        capacity=fields.pop("capacity", club.capacity),
        staff_needed=fields.pop("staff_needed", club.staff_needed),
        **fields,
    )
    for person in staff:
        RotaSlot.objects.create(school_id=club.school_id, session=session, staff=person)
    return session


def book(session, pupil):
    return Booking.objects.create(
        school_id=session.school_id, session=session, pupil=pupil, booked_at=timezone.now()
    )


def autumn_half_terms(world):
    """Autumn 1 (2/9 to 23/10/2026) and Autumn 2 (2/11 to 18/12/2026)."""
    return [
        HalfTerm.objects.create(
            school=world.school,
            academic_year=world.academic_year,
            name=name,
            start_date=start,
            end_date=end,
        )
        for name, start, end in [
            (HalfTerm.Name.AUTUMN_1, datetime.date(2026, 9, 2), datetime.date(2026, 10, 23)),
            (HalfTerm.Name.AUTUMN_2, datetime.date(2026, 11, 2), datetime.date(2026, 12, 18)),
        ]
    ]
