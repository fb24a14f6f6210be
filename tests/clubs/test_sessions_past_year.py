"""After the next academic year is started, a club session of the year just ended (its
page and its register) names each pupil's year and tutor group of then; a session of the
new year names the groups of now. The pages cost no query more in the current year and
one more in a rolled-over one, whatever the pupils."""

import datetime

import pytest
from django.urls import reverse

from clubs.models import Attendance
from tests.factories import PupilFactory
from tests.mis.rollover_helpers import apply

from .register_helpers import TUESDAY, at, book, make_club, make_session
from .test_sessions_bookings import past_session_with


@pytest.fixture
def last_years_session(world, time_machine):
    """Tuesday's club for Years 7 and 8: the pupil booked, the Year 8 pupil walked in;
    then the next year started (they are in 8A and 9A now)."""
    time_machine.move_to(at(TUESDAY, 17), tick=False)
    session = make_session(make_club(world, years=("y7", "y8")), TUESDAY, staff=[world.teacher])
    book(session, world.pupil)
    Attendance.objects.create(
        school=world.school, session=session, pupil=world.year8_pupil, checked_in_at=at(TUESDAY, 15)
    )
    apply(world)
    return session


def _groups(pupils):
    return {p.full_name: (p.year_group.number, p.tutor_group.name) for p in pupils}


def test_last_years_session_and_register_name_the_groups_of_then(client, world, last_years_session):
    client.force_login(world.teacher)
    page = client.get(reverse("clubs_session", args=[last_years_session.pk]))
    assert _groups(b.pupil for b in page.context["bookings"]) == {world.pupil.full_name: (7, "7A")}
    html = page.content.decode()
    assert "<td>Year 7</td>" in html and "<td>7A</td>" in html and "<td>8A</td>" not in html

    register = client.get(reverse("clubs_register", args=[last_years_session.pk]))
    assert _groups(row.pupil for row in register.context["rows"]) == {
        world.pupil.full_name: (7, "7A"),
        world.year8_pupil.full_name: (8, "8A"),
    }
    assert "9A" not in register.content.decode()


def test_a_new_year_session_names_the_groups_of_now(client, world, time_machine):
    apply(world)
    september = datetime.date(2027, 9, 14)
    time_machine.move_to(at(september, 17), tick=False)
    session = make_session(make_club(world, years=("y8",)), september, staff=[world.teacher])
    book(session, world.pupil)
    client.force_login(world.teacher)
    page = client.get(reverse("clubs_session", args=[session.pk]))
    assert _groups(b.pupil for b in page.context["bookings"]) == {world.pupil.full_name: (8, "8A")}


@pytest.mark.parametrize("rows", [1, 6])
def test_last_years_session_pages_cost_one_query_more_whatever_the_pupils(
    client, world, time_machine, django_assert_max_num_queries, rows
):
    time_machine.move_to(at(TUESDAY, 17), tick=False)
    session = make_session(make_club(world), TUESDAY, staff=[world.teacher])
    for _ in range(rows):
        book(session, PupilFactory(tutor_group=world.tg_7b))
    apply(world)
    client.force_login(world.teacher)
    # The session page's six (test_sessions_bookings), and the placements.
    with django_assert_max_num_queries(7):
        page = client.get(reverse("clubs_session", args=[session.pk]))
    assert {b.pupil.tutor_group.name for b in page.context["bookings"]} == {"7B"}
    # The register's eight without a walk-in search (test_register's nine with one), and
    # the placements.
    with django_assert_max_num_queries(9):
        register = client.get(reverse("clubs_register", args=[session.pk]))
    assert len(register.context["rows"]) == rows
    assert {row.pupil.tutor_group.name for row in register.context["rows"]} == {"7B"}


# No-shows ----------------------------------------------------------------------------------


def test_no_shows_name_each_sessions_tutor_group_of_then(
    client, world, time_machine, django_assert_max_num_queries
):
    """In the new year's second week, a no-show of August (the year just ended) and one
    of last week: the same pupil in 7A then and in 8A now."""
    apply(world)
    time_machine.move_to(at(datetime.date(2027, 9, 10), 18), tick=False)
    august = past_session_with(world, datetime.date(2027, 8, 20), world.pupil)
    september = past_session_with(world, datetime.date(2027, 9, 7), world.pupil)
    client.force_login(world.teacher)  # tutor of 7A, who followed it to the new 8A
    # The five queries of the list without a rolled-over year, and the placements.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("clubs_no_shows"))
    shown = [(b.session, b.pupil.tutor_group.name) for b in response.context["no_shows"]]
    assert shown == [(august, "7A"), (september, "8A")]
    page = response.content.decode()
    assert "<td>7A</td>" in page and "<td>8A</td>" in page
