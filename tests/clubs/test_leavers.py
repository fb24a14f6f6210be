"""A pupil who has left is off a club session's register and booking list from their
leaving day (their place is free again), is never found as a walk-in, checked in or
booked, is no tutor's no-show and does not count in the school's pupils for take-up;
their past visits stay on their record."""

import datetime

import pytest
from django.urls import reverse

from clubs.models import Attendance, Booking
from tests.factories import PupilFactory

from .permission_rows_sessions import booking_of, session_of
from .register_helpers import TUESDAY, at, autumn_half_terms, book, make_club, make_session


def leave(pupil, on):
    pupil.left_on = on
    pupil.save(update_fields=["left_on"])


@pytest.fixture
def on_the_day(world, time_machine):
    """Tuesday 10/11/2026 at 15:00: Year 7's homework club is on, Amara and Bartek booked."""
    time_machine.move_to(at(TUESDAY, 15), tick=False)
    world.club = make_club(world)
    world.session = make_session(world.club, TUESDAY, staff=[world.teacher])
    book(world.session, world.pupil)
    book(world.session, world.classmate)
    return world


def register(client, w, **params):
    client.force_login(w.teacher)
    response = client.get(reverse("clubs_register", args=[w.session.pk]), params)
    assert response.status_code == 200
    return response


def test_a_leaver_drops_off_the_register_and_the_booking_list(client, on_the_day):
    w = on_the_day
    leave(w.pupil, TUESDAY)

    assert [row.pupil for row in register(client, w).context["rows"]] == [w.classmate]
    page = client.get(reverse("clubs_session", args=[w.session.pk]))
    assert [b.pupil for b in page.context["bookings"]] == [w.classmate]


def test_a_pupil_leaving_after_the_session_is_still_expected(client, on_the_day):
    w = on_the_day
    leave(w.pupil, TUESDAY + datetime.timedelta(days=1))

    rows = register(client, w).context["rows"]
    assert {row.pupil.pk for row in rows} == {w.pupil.pk, w.classmate.pk}


def test_a_leaver_is_not_found_as_a_walk_in_nor_checked_in(client, on_the_day):
    w = on_the_day
    walk_in = PupilFactory(tutor_group=w.tg_7b, last_name="Leaving")
    assert register(client, w, q="Leaving").context["found"] == [walk_in]
    leave(walk_in, TUESDAY)

    assert register(client, w, q="Leaving").context["found"] == []
    response = client.post(
        reverse("clubs_register", args=[w.session.pk]),
        {"action": "check_in", "pupil": str(walk_in.pk)},
    )
    assert response.status_code == 400
    assert "has left the school" in response.content.decode()
    assert not Attendance.objects.filter(pupil=walk_in).exists()


def test_a_leavers_place_is_free_and_they_cannot_book_another(client, world, time_machine):
    monday = datetime.date(2026, 11, 23)
    time_machine.move_to(at(monday, 10), tick=False)
    thursday = session_of(world, day=monday + datetime.timedelta(days=3), capacity=1)
    booking_of(world, thursday, world.classmate)
    leave(world.classmate, monday + datetime.timedelta(days=2))  # gone by Thursday

    client.force_login(world.pupil.user)
    client.post(reverse("clubs_book", args=[thursday.pk]))
    assert Booking.objects.filter(session=thursday, pupil=world.pupil).exists()

    client.force_login(world.classmate.user)
    later = session_of(world, thursday.club, day=monday + datetime.timedelta(days=4))
    response = client.post(reverse("clubs_book", args=[later.pk]))
    assert "has left the school by then" in client.get(response.url).content.decode()
    assert not Booking.objects.filter(session=later).exists()


def test_a_leaver_is_no_tutors_no_show(client, on_the_day, time_machine):
    w = on_the_day
    time_machine.move_to(at(TUESDAY + datetime.timedelta(days=1), 9), tick=False)
    client.force_login(w.teacher)  # the form tutor of 7A (Amara)
    no_shows = client.get(reverse("clubs_no_shows")).context["no_shows"]
    assert [b.pupil for b in no_shows] == [w.pupil]
    leave(w.pupil, TUESDAY + datetime.timedelta(days=1))

    assert client.get(reverse("clubs_no_shows")).context["no_shows"] == []


def test_take_up_counts_the_school_on_roll_and_keeps_a_leavers_visits(client, world, time_machine):
    time_machine.move_to(at(TUESDAY, 18), tick=False)
    autumn_half_terms(world)
    club = make_club(world)
    night = make_session(club, datetime.date(2026, 11, 3))
    Attendance.objects.create(
        school=world.school, session=night, pupil=world.pupil, checked_in_at=at(night.date, 15)
    )
    leave(world.pupil, datetime.date(2026, 11, 9))
    client.force_login(world.head_of_year)

    (result,) = client.get(reverse("clubs_takeup")).context["clubs"]

    assert result.school_pupils == 1  # Year 7 without Amara: Bartek
    assert (result.year.attendances, result.year.unique_pupils) == (1, 1)  # her visit stays


@pytest.mark.parametrize("leavers", [0, 6])
def test_the_register_keeps_its_query_budget_with_leavers(
    client, on_the_day, django_assert_num_queries, leavers
):
    w = on_the_day
    for pupil in PupilFactory.create_batch(leavers, tutor_group=w.tg_7a, last_name="Walker"):
        book(w.session, pupil)
        leave(pupil, TUESDAY)
    client.force_login(w.teacher)
    # Django's session, the user, their roles, the session with its club and school,
    # bookings with pupils, attendances with pupils, their homework, the club policy,
    # and the walk-in search
    with django_assert_num_queries(9):
        response = client.get(reverse("clubs_register", args=[w.session.pk]), {"q": "Walker"})
    assert len(response.context["rows"]) == 2
    assert response.context["found"] == []
