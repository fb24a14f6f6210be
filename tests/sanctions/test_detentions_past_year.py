"""After the next academic year is started (in the summer, or here early), the detention
and exclusion pages of the year just ended name each pupil's year and tutor group of
then: a session's printable register, the bookings to check and the sanctions waiting
for a place. A session of the new year (a sanction of last year served in it) names the
groups of now."""

import datetime

import pytest
from django.urls import reverse

from sanctions.models import DetentionBooking
from tests.factories import PupilFactory
from tests.mis.rollover_helpers import apply

from .test_detentions_scheduling import MON, at, sanction_for, session
from .test_exclusions_pages import waiting_truant
from .test_exclusions_scheduling import WED, booked, exclusion_day

Status = DetentionBooking.Status


@pytest.fixture
def monday_morning(time_machine):
    time_machine.move_to(at(MON, 9), tick=False)


def _register(client, url_name, session_pk):
    response = client.get(reverse(url_name, args=[session_pk]))
    assert response.status_code == 200
    return {
        row["pupil"].full_name: (row["pupil"].year_group.number, row["pupil"].tutor_group.name)
        for row in response.context["rows"]
    }, response.content.decode()


def test_last_years_detention_register_names_the_groups_of_then(client, world, monday_morning):
    monday = session(world, MON)
    booked(world, world.pupil, monday)
    booked(world, world.year8_pupil, monday)
    apply(world)  # now in 8A and 9A of 2027/28
    client.force_login(world.senior_leader)

    rows, page = _register(client, "sanctions_detention_session", monday.pk)
    assert rows == {world.pupil.full_name: (7, "7A"), world.year8_pupil.full_name: (8, "8A")}
    assert "<td>Year 7</td>" in page and "<td>7A</td>" in page
    assert "<td>9A</td>" not in page and "<td>Year 9</td>" not in page


def test_last_years_exclusion_register_names_the_groups_of_then(client, world, monday_morning):
    wednesday = exclusion_day(world, WED)
    booked(world, world.classmate, wednesday)
    apply(world)
    client.force_login(world.senior_leader)
    rows, page = _register(client, "sanctions_exclusion_session", wednesday.pk)
    assert rows == {world.classmate.full_name: (7, "7B")}
    assert "<td>8B</td>" not in page


def test_a_new_year_session_names_the_groups_of_now(client, world, time_machine):
    apply(world)
    september = datetime.date(2027, 9, 13)
    time_machine.move_to(at(september, 9), tick=False)
    later = session(world, september)
    booked(world, world.pupil, later)  # a sanction of 2026/27 served in the new year
    client.force_login(world.senior_leader)
    rows, _ = _register(client, "sanctions_detention_session", later.pk)
    assert rows == {world.pupil.full_name: (8, "8A")}


def test_last_years_bookings_to_check_and_sanctions_waiting_name_the_groups_of_then(
    client, world, monday_morning
):
    world.pupil.young_carer = True
    world.pupil.save()
    DetentionBooking.objects.create(
        school=world.school,
        sanction=sanction_for(world, world.pupil),
        session=session(world, MON + datetime.timedelta(days=1)),
        status=Status.NEEDS_CHECK,
    )
    sanction_for(world, world.year8_pupil)  # waits for a detention
    truant = waiting_truant(world, world.classmate)  # waits for an exclusion day
    apply(world)
    client.force_login(world.senior_leader)

    detentions = client.get(reverse("sanctions_detentions"))
    (check,) = detentions.context["to_check"]
    pupil = check.sanction.pupil
    assert (pupil.year_group.number, pupil.tutor_group.name) == (7, "7A")
    assert {s.pupil.full_name: s.pupil.tutor_group.name for s in detentions.context["waiting"]} == {
        world.year8_pupil.full_name: "8A"
    }
    page = detentions.content.decode()
    assert "<td>9A</td>" not in page and "<td>8A</td>" in page and "<td>7A</td>" in page

    exclusions = client.get(reverse("sanctions_exclusions"))
    assert [(s.pk, s.pupil.tutor_group.name) for s in exclusions.context["waiting"]] == [
        (truant.pk, "7B")
    ]
    assert "<td>8B</td>" not in exclusions.content.decode()


@pytest.mark.parametrize("rows", [1, 8])
def test_last_years_register_costs_one_query_more_whatever_the_rows(
    client, world, monday_morning, django_assert_max_num_queries, rows
):
    monday = session(world, MON, capacity=10)
    for pupil in [world.pupil] + [PupilFactory(tutor_group=world.tg_7a) for _ in range(rows - 1)]:
        booked(world, pupil, monday)
    apply(world)
    client.force_login(world.senior_leader)
    # session, user, roles, the session with places taken, its bookings, the placements.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("sanctions_detention_session", args=[monday.pk]))
    assert {row["pupil"].tutor_group.name for row in response.context["rows"]} == {"7A"}
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [1, 8])
def test_last_years_detentions_list_costs_two_queries_more_whatever_the_rows(
    client, world, monday_morning, django_assert_max_num_queries, rows
):
    for n in range(rows):
        pupil = world.pupil if n == 0 else PupilFactory(tutor_group=world.tg_7a)
        pupil.young_carer = True
        pupil.save()
        DetentionBooking.objects.create(
            school=world.school,
            sanction=sanction_for(world, pupil),
            session=session(world, MON + datetime.timedelta(days=1 + 7 * n)),
            status=Status.NEEDS_CHECK,
        )
        sanction_for(world, pupil, cycle=2)
    apply(world)
    client.force_login(world.senior_leader)
    # The page's eight queries, plus the placements of the bookings and of the waiting.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("sanctions_detentions"))
    assert len(response.context["to_check"]) == len(response.context["waiting"]) == rows
    assert {b.sanction.pupil.tutor_group.name for b in response.context["to_check"]} == {"7A"}
