"""Pupils' bookings: a pupil books a place for themselves in a session open to their year,
never past its capacity (even when many book at once), cancels until the day before, and
sees their bookings on the clubs page and in their planner. Tutors see their tutees'
no-shows."""

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from clubs.models import Attendance, Booking, ClubSession
from clubs.services import ClubError
from clubs.services.sessions import booking_cancel, booking_create, club_session_cancel
from tests.factories import PupilFactory, UserFactory
from tests.test_permissions import PERSONAS, persona

from .permission_rows_sessions import POST_ONLY, booking_of, club_of, session_of

LONDON = zoneinfo.ZoneInfo("Europe/London")
MON = datetime.date(2026, 11, 23)
TUE, WED, THU = (MON + datetime.timedelta(days=n) for n in (1, 2, 3))


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), LONDON)


@pytest.fixture
def clock(time_machine):
    """Monday 23 November 2026, 10:00; move it with clock.move_to(at(...))."""
    time_machine.move_to(at(MON, 10), tick=False)
    return time_machine


def book(client, session, **data):
    return client.post(reverse("clubs_book", args=[session.pk]), data)


# Booking ---------------------------------------------------------------------------------


def test_a_pupil_books_a_place_for_themselves_whatever_the_post_says(client, world, clock):
    session = session_of(world, day=THU)
    client.force_login(world.pupil.user)
    response = book(client, session, pupil=str(world.classmate.pk), pupil_id=world.classmate.pk)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.pupil, booking.booked_by, booking.status) == (
        world.pupil,
        world.pupil.user,
        Booking.Status.BOOKED,
    )
    page = client.get(reverse("clubs_home"))
    assert [b.pk for b in page.context["bookings"]] == [booking.pk]
    assert "Booked: Homework club, Thu 26/11 15:15, Room 21." in page.content.decode()


def test_booking_twice_keeps_one_place(client, world, clock):
    session = session_of(world, day=THU)
    client.force_login(world.pupil.user)
    book(client, session)
    response = client.get(book(client, session).url)
    assert "You already have a place in this session." in response.content.decode()
    assert Booking.objects.count() == 1


def test_a_session_not_open_to_the_pupils_year_is_hidden_from_them(client, world, clock):
    year8_only = session_of(world, club_of(world, years=[world.y8]), day=THU)
    client.force_login(world.pupil.user)
    assert client.get(reverse("clubs_session", args=[year8_only.pk])).status_code == 404
    assert book(client, year8_only).status_code == 404
    assert year8_only not in client.get(reverse("clubs_home")).context["sessions"]
    with pytest.raises(ClubError, match="not open to Year 7"):
        booking_create(session=year8_only, pupil=world.pupil, booked_by=world.pupil.user)
    assert not Booking.objects.exists()


def test_a_club_with_no_year_groups_is_open_to_every_year(world, clock):
    session = session_of(world, club_of(world, years=[]), day=THU)
    for pupil in (world.pupil, world.year8_pupil):
        booking_create(session=session, pupil=pupil, booked_by=None)
    assert Booking.objects.count() == 2


@pytest.mark.parametrize(
    ("moment", "error"),
    [(at(THU, 15, 15), "already started"), (at(THU, 17), "already started")],
    ids=["starting", "over"],
)
def test_a_session_that_has_started_cannot_be_booked(client, world, clock, moment, error):
    session = session_of(world, day=THU)
    clock.move_to(moment, tick=False)
    client.force_login(world.pupil.user)
    response = book(client, session)
    assert response.status_code == 302
    assert error in client.get(response.url).content.decode()
    assert not Booking.objects.exists()


def test_the_same_day_before_the_start_can_be_booked(world, clock):
    clock.move_to(at(THU, 15, 14), tick=False)
    booking = booking_of(world, session_of(world, day=THU))
    assert booking.status == Booking.Status.BOOKED


def test_a_cancelled_session_cannot_be_booked(client, world, clock):
    session = session_of(world, day=THU)
    club_session_cancel(session=session, reason="Snow", actor=world.senior_leader)
    client.force_login(world.pupil.user)
    response = book(client, session)
    assert "This session is cancelled." in client.get(response.url).content.decode()
    assert not Booking.objects.exists()


def test_a_full_session_cannot_be_booked(client, world, clock):
    session = session_of(world, day=THU, capacity=1)
    booking_of(world, session, world.classmate)
    client.force_login(world.pupil.user)
    response = book(client, session)
    assert "This session is full." in client.get(response.url).content.decode()
    assert list(Booking.objects.values_list("pupil", flat=True)) == [world.classmate.pk]


def test_a_cancelled_booking_frees_its_place(world, clock):
    session = session_of(world, day=THU, capacity=1)
    booking_cancel(booking=booking_of(world, session, world.classmate))
    assert booking_of(world, session).pupil == world.pupil


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(3))
def test_pupils_booking_the_last_places_at_once_never_overfill_a_session(world, attempt):
    session = session_of(world, capacity=5)
    for pupil in (world.pupil, world.classmate):
        booking_of(world, session, pupil)
    pupils = [PupilFactory(tutor_group=world.tg_7a) for _ in range(10)]
    start = threading.Barrier(len(pupils))
    refused, errors = [], []

    def pupil_books(pupil):
        try:
            start.wait()
            booking_create(session=session, pupil=pupil, booked_by=None)
        except ClubError as error:
            refused.append(str(error))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pupil_books, args=(pupil,)) for pupil in pupils]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Booking.objects.filter(session=session, status=Booking.Status.BOOKED).count() == 5
    assert refused == ["This session is full."] * 7


# Cancelling a booking --------------------------------------------------------------------


def test_a_pupil_cancels_their_booking_before_the_day(client, world, clock):
    booking = booking_of(world, session_of(world, day=THU))
    clock.move_to(at(WED, 23, 59), tick=False)
    client.force_login(world.pupil.user)
    response = client.post(reverse("clubs_booking_cancel", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED and booking.cancelled_at is not None
    assert client.get(reverse("clubs_home")).context["bookings"] == []


@pytest.mark.parametrize("moment", [at(THU, 0, 1), at(THU, 18)], ids=["on the day", "after"])
def test_a_booking_cannot_be_cancelled_on_the_day_or_after(client, world, clock, moment):
    booking = booking_of(world, session_of(world, day=THU))
    clock.move_to(moment, tick=False)
    client.force_login(world.pupil.user)
    response = client.post(reverse("clubs_booking_cancel", args=[booking.pk]))
    assert "until the day before" in client.get(response.url).content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


def test_a_pupil_cannot_cancel_someone_elses_booking(client, world, clock):
    booking = booking_of(world, session_of(world, day=THU), world.classmate)
    client.force_login(world.pupil.user)
    assert client.post(reverse("clubs_booking_cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("action", POST_ONLY)
def test_only_pupils_book_and_cancel_and_only_by_post(client, homework_world, who, action):
    build_url, allowed = POST_ONLY[action]
    url = build_url(homework_world)
    before = list(Booking.objects.values_list("pk", "status"))
    client.force_login(persona(homework_world, who))
    if who in allowed:
        assert client.get(url).status_code == 405
    else:
        assert client.post(url).status_code == 404
        assert list(Booking.objects.values_list("pk", "status")) == before


def test_parents_get_404_on_the_clubs_pages(client, world, clock):
    session = session_of(world, day=THU)
    client.force_login(world.parent)
    for url in (reverse("clubs_home"), reverse("clubs_session", args=[session.pk])):
        assert client.get(url).status_code == 404
    assert book(client, session).status_code == 404
    assert not Booking.objects.exists()


def test_another_schools_pupil_sees_and_books_nothing_of_ours(client, world, clock):
    session = session_of(world, club_of(world, years=[]), day=THU)
    world.other_school_pupil.user = UserFactory(school=world.other_school)
    world.other_school_pupil.save()
    client.force_login(world.other_school_pupil.user)
    assert client.get(reverse("clubs_home")).context["sessions"] == []
    assert client.get(reverse("clubs_session", args=[session.pk])).status_code == 404
    assert book(client, session).status_code == 404
    assert not Booking.objects.exists()


# What the pupil sees ---------------------------------------------------------------------


def test_the_pupil_sees_the_sessions_open_to_them_and_their_own_booking(client, world, clock):
    mine = session_of(world, day=THU)
    booking_of(world, mine)
    booking_of(world, mine, world.classmate)
    study = session_of(world, club_of(world, name="Maths help", kind="study_session"), day=TUE)
    client.force_login(world.pupil.user)

    home = client.get(reverse("clubs_home"))
    assert [s.pk for s in home.context["sessions"]] == [study.pk, mine.pk]
    assert [s.mine for s in home.context["sessions"]] == [False, True]
    assert "with Tess Teacher" in home.content.decode()

    page = client.get(reverse("clubs_session", args=[mine.pk])).content.decode()
    assert "You have a place in this session." in page and "Cancel my place" in page
    assert "Nowak" not in page  # pupils do not see who else is booked


@pytest.mark.parametrize("sessions", [1, 10])
def test_the_pupil_clubs_page_query_budget_does_not_grow(
    client, world, clock, django_assert_num_queries, sessions
):
    for n in range(sessions):
        session = session_of(world, club_of(world, name=f"C{n}"), day=TUE + datetime.timedelta(n))
        booking_of(world, session)
        came = session_of(world, session.club, day=TUE - datetime.timedelta(days=7 - n % 5))
        Attendance.objects.create(
            school=world.school,
            session=came,
            pupil=world.pupil,
            checked_in_at=timezone.make_aware(
                datetime.datetime.combine(came.date, datetime.time(15, 20))
            ),
            worked_effectively=True,
        )
    client.force_login(world.pupil.user)
    # session, user with their pupil record, roles, the school (today in its time zone), the
    # pupil's bookings, the sessions open to them with places booked and their own, the
    # pupil's visits
    with django_assert_num_queries(7):
        response = client.get(reverse("clubs_home"))
    assert len(response.context["bookings"]) == sessions
    assert len(response.context["visits"]) == sessions
    assert response.content.decode().count("Reward: worked effectively") == sessions


@pytest.mark.parametrize("bookings", [1, 15])
def test_the_session_page_query_budget_does_not_grow_with_bookings(
    client, world, clock, django_assert_num_queries, bookings
):
    session = session_of(world, day=THU)
    for pupil in [world.pupil] + [
        PupilFactory(tutor_group=world.tg_7b) for _ in range(bookings - 1)
    ]:
        booking_of(world, session, pupil)
    client.force_login(world.head_of_year)
    # session, user, roles, the session with its club, school and places booked, the
    # bookings with their pupils, the rota's staff
    with django_assert_num_queries(6):
        response = client.get(reverse("clubs_session", args=[session.pk]))
    assert len(response.context["bookings"]) == bookings


# No-shows --------------------------------------------------------------------------------


def past_session_with(world, day, *pupils):
    session = session_of(world, club_of(world, name=f"Club {day}"), day=day)
    for pupil in pupils:
        Booking.objects.create(
            school=world.school,
            session=session,
            pupil=pupil,
            booked_at=timezone.now() - datetime.timedelta(days=40),
        )
    return session


def test_a_tutor_sees_their_tutees_no_shows_of_the_last_four_weeks(client, world, clock):
    tutee_b = PupilFactory(tutor_group=world.tg_7a, first_name="Bea", last_name="Adams")
    last_week = past_session_with(world, MON - datetime.timedelta(days=6), world.pupil, tutee_b)
    Attendance.objects.create(
        school=world.school, session=last_week, pupil=tutee_b, checked_in_at=timezone.now()
    )
    long_ago = past_session_with(world, MON - datetime.timedelta(days=35), world.pupil)
    other_form = past_session_with(world, MON - datetime.timedelta(days=3), world.classmate)
    cancelled = past_session_with(world, MON - datetime.timedelta(days=2), world.pupil)
    ClubSession.objects.filter(pk=cancelled.pk).update(status=ClubSession.Status.CANCELLED)
    coming = past_session_with(world, THU, world.pupil)
    client.force_login(world.teacher)

    response = client.get(reverse("clubs_no_shows"))

    assert [(b.pupil, b.session) for b in response.context["no_shows"]] == [
        (world.pupil, last_week)
    ]
    assert "Okafor, Amara" in response.content.decode()
    assert {long_ago, other_form, coming}.isdisjoint(
        b.session for b in response.context["no_shows"]
    )


def test_a_session_today_counts_once_it_has_ended(client, world, clock):
    today = past_session_with(world, MON, world.pupil)
    ClubSession.objects.filter(pk=today.pk).update(
        start_time=datetime.time(8), end_time=datetime.time(9)
    )
    client.force_login(world.teacher)
    assert len(client.get(reverse("clubs_no_shows")).context["no_shows"]) == 1
    clock.move_to(at(MON, 8, 30), tick=False)
    assert client.get(reverse("clubs_no_shows")).context["no_shows"] == []


def test_a_head_of_year_sees_the_years_no_shows(client, world, clock):
    past_session_with(world, MON - datetime.timedelta(days=3), world.pupil, world.classmate)
    past_session_with(world, MON - datetime.timedelta(days=3), world.year8_pupil)
    client.force_login(world.head_of_year)
    no_shows = client.get(reverse("clubs_no_shows")).context["no_shows"]
    assert {b.pupil for b in no_shows} == {world.pupil, world.classmate}


@pytest.mark.parametrize("rows", [1, 12])
def test_the_no_shows_page_query_budget_does_not_grow(
    client, world, clock, django_assert_num_queries, rows
):
    for n in range(rows):
        past_session_with(world, MON - datetime.timedelta(days=1 + n), world.pupil)
    client.force_login(world.teacher)
    # session, user, roles, the school (today in its time zone), the no-shows with their
    # sessions, clubs, pupils and tutor groups
    with django_assert_num_queries(5):
        response = client.get(reverse("clubs_no_shows"))
    assert len(response.context["no_shows"]) == rows


# The planner -----------------------------------------------------------------------------


def test_the_planner_shows_the_pupils_booked_sessions_and_a_link_to_book(client, world, clock):
    booked = session_of(world, day=THU)
    booking_of(world, booked)
    session_of(world, club_of(world, name="Chess"), day=WED)  # not booked
    client.force_login(world.pupil.user)
    text = client.get(reverse("planner")).content.decode()
    assert "Homework club</a>" in text and "Thu 26/11 15:15" in text
    assert "Chess" not in text
    assert reverse("clubs_home") in text
