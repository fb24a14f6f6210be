"""`manage.py seed_demo` builds the demo school's clubs (clubs/demo.py, registered with
school's demo builder): the homework club on Tuesdays and Thursdays for Years 7-9, the
library study session every school day, two teachers' study sessions, all over the current
term, and pupils' bookings for the coming two weeks within each session's places."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from clubs.models import Attendance, Booking, Club, ClubSession, RotaSlot
from school.calendar import school_days
from school.demo import demo_extensions
from school.models import Pupil, School

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 23 November 2026: the autumn term runs from 2 September to 18 December.
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)


def seed(*args):
    call_command("seed_demo", "--pupils", "40", "--force", *args, stdout=StringIO())


def test_clubs_are_a_registered_demo_extension_after_homework_and_sanctions():
    orders = {extension.name: extension.order for extension in demo_extensions()}
    assert orders["clubs"] == 40
    assert orders["clubs"] > max(orders.get("homework", 0), orders.get("sanctions", 0))


def test_the_demo_school_runs_its_clubs_over_the_term_with_bookings(client):
    seed()
    school = School.objects.get(slug="demo")
    club = Club.objects.get(school=school, name="Homework club")
    assert (club.kind, club.room, club.capacity, club.staff_needed) == (
        Club.Kind.HOMEWORK_CLUB,
        "Room 21 (computers)",
        25,
        2,
    )
    assert sorted(club.year_groups.values_list("number", flat=True)) == [7, 8, 9]
    term_days = list(
        school_days(
            school_id=school.pk, start=datetime.date(2026, 9, 2), end=datetime.date(2026, 12, 18)
        )
    )
    club_days = list(club.sessions.order_by("date").values_list("date", flat=True))
    assert club_days == [day for day in term_days if day.weekday() in (1, 3)]
    assert {(s.start_time, s.end_time) for s in club.sessions.all()} == {
        (datetime.time(15, 15), datetime.time(16, 15))
    }

    library = Club.objects.get(school=school, name="Library study session")
    assert not library.year_groups.exists()
    assert list(library.sessions.order_by("date").values_list("date", flat=True)) == term_days

    study = Club.objects.filter(school=school, kind=Club.Kind.STUDY_SESSION)
    assert study.count() == 2
    assert "teacher@demo.school" in study.values_list("leader__email", flat=True)
    assert all(s.capacity <= 6 and s.sessions.exists() for s in study)

    bookings = Booking.objects.filter(school=school, status=Booking.Status.BOOKED)
    assert bookings.exists()
    assert bookings.filter(session__date__gte=TODAY).exists()
    # Past sessions' registers are taken: most booked pupils came, a few did not show, and
    # only those who stayed the policy's minutes were rewarded.
    past = Attendance.objects.filter(school=school, session__date__lt=TODAY)
    assert past.exists() and not Attendance.objects.filter(session__date__gte=TODAY).exists()
    assert not past.exclude(pupil__club_bookings__session=F("session")).exists()
    no_shows = bookings.filter(session__date__lt=TODAY).exclude(
        pupil__club_attendances__session=F("session")
    )
    assert 0 < no_shows.count() < past.count()
    rewarded = list(past.filter(worked_effectively=True))
    assert rewarded and all(a.minutes >= 30 and a.rewarded_by_id for a in rewarded)
    # The rota: every past homework club night had its two staff; teacher@ is on today's
    # library session, so their register opens.
    nights = club.sessions.filter(date__lt=TODAY).annotate(staff=Count("rota"))
    assert nights and all(night.staff == 2 for night in nights)
    assert RotaSlot.objects.filter(
        session__club=library, session__date=TODAY, staff__email="teacher@demo.school"
    ).exists()
    overfull = ClubSession.objects.filter(school=school).annotate(
        n=Count("bookings", filter=Q(bookings__status=Booking.Status.BOOKED))
    )
    assert not [s for s in overfull if s.n > s.capacity]
    assert not bookings.filter(session__club=club, pupil__year_group__number__gt=9).exists()

    pupil = Pupil.objects.get(user__email="pupil@demo.school")
    assert bookings.filter(pupil=pupil, session__club=club).exists()
    client.force_login(pupil.user)
    assert "Homework club</a>" in client.get(reverse("planner")).content.decode()


def test_reseeding_rebuilds_the_same_clubs():
    seed()
    first = list(
        Booking.objects.order_by("session__date", "pupil__upn").values_list(
            "session__club__name", "session__date", "pupil__upn"
        )
    )
    seed("--reset")
    again = list(
        Booking.objects.order_by("session__date", "pupil__upn").values_list(
            "session__club__name", "session__date", "pupil__upn"
        )
    )
    assert Club.objects.count() == 4
    assert again == first
