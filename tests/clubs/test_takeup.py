"""Take-up: attendance per night and half-term, unique pupils, and the pupil groups among
those who came against the school's pupils in the club's year groups, on a fixture with
exact numbers; the CSV; who may see it; the query budget."""

import datetime

import pytest
from django.urls import reverse

from clubs.models import Attendance, ClubSession
from tests.factories import PupilFactory

from .register_helpers import TUESDAY, at, autumn_half_terms, make_club, make_session

D = datetime.date


@pytest.fixture
def takeup_world(world, time_machine):
    """Year 7 has four pupils: Amara (FSM, EAL), Bartek, Pia (PP, SEN) and Priya (PP), so
    the school's shares are PP 50%, FSM 25%, SEN 25%, EAL 25%. Year 8's PP pupil must not
    count. Nights: 15/9 Amara and Pia, 17/9 Amara (Autumn 1); 3/11 Amara and Priya
    (Autumn 2). A cancelled night and one still to come do not count."""
    time_machine.move_to(at(TUESDAY, 18), tick=False)
    autumn_half_terms(world)
    pia = PupilFactory(tutor_group=world.tg_7b, pupil_premium=True, sen="support")
    priya = PupilFactory(tutor_group=world.tg_7b, pupil_premium=True)
    world.year8_other.pupil_premium = True
    world.year8_other.save()
    club = make_club(world)
    nights = {
        D(2026, 9, 15): [world.pupil, pia],
        D(2026, 9, 17): [world.pupil],
        D(2026, 11, 3): [priya, world.pupil],
    }
    for day, pupils in nights.items():
        session = make_session(club, day)
        for pupil in pupils:
            Attendance.objects.create(
                school=world.school,
                session=session,
                pupil=pupil,
                checked_in_at=at(day, 15),
                checked_out_at=at(day, 15, 40),
                worked_effectively=pupil == world.pupil,
            )
    make_session(club, D(2026, 11, 5), status=ClubSession.Status.CANCELLED)
    make_session(club, D(2026, 11, 12))
    world.club = club
    return world


def shares(period):
    return {g.key: (g.attendees, g.attendee_share, g.school_share) for g in period.groups}


def test_take_up_per_half_term_and_year_with_group_shares(client, takeup_world):
    client.force_login(takeup_world.head_of_year)
    response = client.get(reverse("clubs_takeup"))
    assert response.status_code == 200
    (result,) = response.context["clubs"]
    assert result.school_pupils == 4
    assert [(n["date"].day, n["attended"]) for n in result.nights] == [(15, 2), (17, 1), (3, 2)]
    autumn_1, autumn_2 = result.half_terms
    assert (autumn_1.label, autumn_1.sessions, autumn_1.attendances) == ("Autumn 1", 2, 3)
    assert (autumn_1.per_night, autumn_1.unique_pupils, autumn_1.rewards) == (1.5, 2, 2)
    assert shares(autumn_1) == {
        "pp": (1, 50.0, 50.0),
        "fsm": (1, 50.0, 25.0),
        "sen": (1, 50.0, 25.0),
        "eal": (1, 50.0, 25.0),
    }
    assert (autumn_2.sessions, autumn_2.attendances, autumn_2.unique_pupils) == (1, 2, 2)
    year = result.year
    assert (year.sessions, year.attendances, year.per_night, year.unique_pupils) == (3, 5, 1.7, 3)
    assert shares(year) == {
        "pp": (2, 66.7, 50.0),
        "fsm": (1, 33.3, 25.0),
        "sen": (1, 33.3, 25.0),
        "eal": (1, 33.3, 25.0),
    }
    assert "66.7%" in response.content.decode()


def test_take_up_downloads_as_csv(client, takeup_world):
    client.force_login(takeup_world.senior_leader)
    response = client.get(reverse("clubs_takeup"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("Club,Period,Sessions,Attendances,Per night,Unique pupils,Rewards")
    assert lines[-1] == (
        "Homework club,Year 2026/27,3,5,1.7,3,3,2,66.7,50.0,1,33.3,25.0,1,33.3,25.0,1,33.3,25.0"
    )
    nights = client.get(reverse("clubs_takeup"), {"format": "csv", "list": "nights"})
    assert nights.content.decode().splitlines()[1:] == [
        "Homework club,15/09/2026,15:00,2",
        "Homework club,17/09/2026,15:00,1",
        "Homework club,03/11/2026,15:00,2",
    ]


def test_a_clubs_leader_sees_their_club_only(client, takeup_world):
    world = takeup_world
    make_club(world, name="Chess club")
    world.club.leader = world.teacher
    world.club.save()
    client.force_login(world.teacher)
    response = client.get(reverse("clubs_takeup"))
    assert [r.club.name for r in response.context["clubs"]] == ["Homework club"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("head_of_year", 200),
        ("senior_leader", 200),
        ("school_admin", 200),
        ("teacher", 404),
        ("lsa", 404),
        ("pupil_user", 404),
        ("parent", 404),
    ],
)
def test_who_sees_take_up(client, takeup_world, who, status):
    world = takeup_world
    client.force_login(world.pupil.user if who == "pupil_user" else getattr(world, who))
    assert client.get(reverse("clubs_takeup")).status_code == status


def test_another_school_sees_none_of_our_clubs(client, takeup_world):
    client.force_login(takeup_world.other_school_staff)
    response = client.get(reverse("clubs_takeup"))
    assert response.status_code == 200
    assert response.context["clubs"] == []
    assert "Homework club" not in response.content.decode()


@pytest.mark.parametrize("clubs", [1, 3])
def test_the_take_up_query_budget_does_not_grow_with_clubs_or_nights(
    client, takeup_world, django_assert_num_queries, clubs
):
    world = takeup_world
    for n in range(clubs - 1):
        extra = make_club(world, name=f"Club {n}", years=("y7", "y8"))
        for day in (D(2026, 9, 22), D(2026, 11, 4)):
            session = make_session(extra, day)
            Attendance.objects.create(
                school=world.school,
                session=session,
                pupil=world.classmate,
                checked_in_at=at(day, 15),
            )
    client.force_login(world.head_of_year)
    # Django's session, the user, their roles, the academic year, its half-terms, the
    # clubs, their year groups, the nights, attendance per half-term and per year, and
    # the school's pupils per year group.
    with django_assert_num_queries(11):
        response = client.get(reverse("clubs_takeup"))
    assert len(response.context["clubs"]) == clubs
