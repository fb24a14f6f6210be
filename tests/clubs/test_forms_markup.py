"""Every clubs form renders through crispy: a refused one shows one summary, each field's
error under the field and tied to it, an error of no single field once, and its groups of
boxes (the years a club is open to, one session or a series, the days of a series) in a
fieldset with a legend. (That no form sets a Bootstrap class itself and no template lays a
field out by hand is checked with the sanctions forms, in tests/sanctions.)"""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from tests.form_markup import assert_groups_have_legends, assert_refused_form

from .permission_rows_sessions import club_of, session_of
from .test_sessions import club_post, series_post

LONDON = zoneinfo.ZoneInfo("Europe/London")
MON = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def monday(time_machine):
    time_machine.move_to(datetime.datetime.combine(MON, datetime.time(10), LONDON), tick=False)


def test_a_refused_club(client, world):
    client.force_login(world.senior_leader)
    url = reverse("clubs_club_add")
    assert_groups_have_legends(client.get(url).content.decode())
    response = client.post(url, club_post(world, name=" ", capacity="many", year_groups=["999999"]))
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was added. Correct the fields marked below.",
        fields={
            "id_name": "Give the club a name.",
            "id_capacity": "Enter a whole number.",
            "id_year_groups": "Select a valid choice.",
        },
    )


def test_refused_sessions_of_a_club(client, world):
    club = club_of(world)
    client.force_login(world.senior_leader)
    url = reverse("clubs_club", args=[club.pk])
    assert_groups_have_legends(client.get(url).content.decode())
    response = client.post(url, series_post(weekdays=None, start_time="", date="2026-02-30"))
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was added. Correct the fields marked below.",
        fields={
            "id_weekdays": "Choose at least one day of the week.",
            "id_start_time": "Give the start time.",
            "id_date": "Enter a real date.",
        },
    )


def test_a_refused_cancellation(client, world):
    session = session_of(world)
    client.force_login(world.teacher)
    response = client.post(reverse("clubs_session_cancel", args=[session.pk]), {"reason": " "})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nothing was cancelled.",
        fields={"id_reason": "Give the reason: parents of booked pupils are told it."},
    )


def test_a_refused_rota_assignment(client, world):
    session_of(world)
    client.force_login(world.teacher)
    response = client.post(reverse("clubs_rota"), {"session": "", "staff": "999999"})
    assert response.status_code == 400
    assert_refused_form(
        response.content.decode(),
        summary="Nobody was put on the rota.",
        fields={
            "id_session": "Choose the session.",
            "id_staff": "Choose a teacher or learning support assistant of this school.",
        },
    )


def test_a_refused_walk_in_search(client, world):
    session = session_of(world)
    client.force_login(world.teacher)
    response = client.get(reverse("clubs_register", args=[session.pk]), {"q": "x" * 101})
    html = response.content.decode()
    assert "Search with at most 100 characters." in html
    assert_refused_form(
        html,
        summary=None,
        fields={"walk-in-q": "Search with at most 100 characters."},
    )
