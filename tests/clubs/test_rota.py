"""The staff rota: staff volunteer and withdraw before the day; leaders see the gaps, each
person's minutes this half-term against the target (and as CSV), and put staff on."""

import datetime

import pytest
from django.urls import reverse

from clubs.models import ClubPolicy, ClubSession, RotaSlot
from tests.test_permissions import PERSONAS, persona

from .permission_rows_rota import POST_ONLY
from .register_helpers import TUESDAY, at, autumn_half_terms, make_club, make_session

WEDNESDAY = TUESDAY + datetime.timedelta(days=1)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(TUESDAY, 9, 0), tick=False)
    return time_machine


@pytest.fixture
def club(world, clock):
    return make_club(world)


def volunteer(client, session):
    return client.post(reverse("clubs_rota_volunteer", args=[session.pk]))


def withdraw(client, session):
    return client.post(reverse("clubs_rota_withdraw", args=[session.pk]))


def test_a_teacher_volunteers_and_sees_themself_on(client, world, club):
    session = make_session(club, WEDNESDAY)
    client.force_login(world.teacher)
    page = client.get(reverse("clubs_rota"))
    assert page.status_code == 200
    assert "Staff 0/2" in page.content.decode()
    response = volunteer(client, session)
    assert response.status_code == 302
    slot = RotaSlot.objects.get()
    assert (slot.session, slot.staff, slot.created_by) == (session, world.teacher, world.teacher)
    page = client.get(reverse("clubs_rota")).content.decode()
    assert "Staff 1/2" in page and "Tess Teacher" in page and "Withdraw" in page


def test_an_lsa_volunteers(client, world, club):
    session = make_session(club, WEDNESDAY)
    client.force_login(world.lsa)
    assert volunteer(client, session).status_code == 302
    assert RotaSlot.objects.get().staff == world.lsa


def test_a_full_session_takes_no_more_volunteers(client, world, club):
    session = make_session(club, WEDNESDAY, staff=[world.teacher, world.lsa])
    client.force_login(world.other_teacher)
    response = volunteer(client, session)
    assert response.status_code == 400
    assert "already has all the staff it needs" in response.content.decode()
    assert RotaSlot.objects.count() == 2


def test_volunteering_twice_is_refused(client, world, club):
    session = make_session(club, WEDNESDAY, staff=[world.teacher])
    client.force_login(world.teacher)
    response = volunteer(client, session)
    assert response.status_code == 400
    assert "already on the rota" in response.content.decode()
    assert RotaSlot.objects.count() == 1


def test_withdrawing_before_the_day_takes_the_teacher_off(client, world, club):
    session = make_session(club, WEDNESDAY, staff=[world.teacher])
    client.force_login(world.teacher)
    assert withdraw(client, session).status_code == 302
    assert not RotaSlot.objects.exists()


def test_withdrawing_on_the_day_is_refused(client, world, club):
    session = make_session(club, TUESDAY, staff=[world.teacher])
    client.force_login(world.teacher)
    response = withdraw(client, session)
    assert response.status_code == 400
    assert "only before the day" in response.content.decode()
    assert RotaSlot.objects.count() == 1


def test_past_cancelled_and_far_off_sessions_cannot_be_volunteered_for(client, world, club):
    past = make_session(club, TUESDAY - datetime.timedelta(days=1))
    cancelled = make_session(club, WEDNESDAY, status=ClubSession.Status.CANCELLED)
    far = make_session(club, TUESDAY + datetime.timedelta(weeks=7))
    client.force_login(world.teacher)
    for session in (past, cancelled, far):
        assert volunteer(client, session).status_code == 404
    assert not RotaSlot.objects.exists()


@pytest.mark.parametrize("who", ["head_of_year", "senior_leader", "pupil_user", "parent"])
def test_only_teachers_and_lsas_volunteer(client, world, club, who):
    session = make_session(club, WEDNESDAY)
    client.force_login(world.pupil.user if who == "pupil_user" else getattr(world, who))
    assert volunteer(client, session).status_code == 404
    assert not RotaSlot.objects.exists()


def test_another_schools_teacher_cannot_volunteer_here(client, world, club):
    session = make_session(club, WEDNESDAY)
    client.force_login(world.other_school_teacher)
    assert volunteer(client, session).status_code == 404
    assert not client.get(reverse("clubs_rota")).context["sessions"]


# Leaders ----------------------------------------------------------------------------------


def test_leaders_see_the_sessions_short_of_staff(client, world, club):
    short = make_session(club, WEDNESDAY, staff=[world.teacher])
    make_session(club, WEDNESDAY + datetime.timedelta(days=1), staff=[world.teacher, world.lsa])
    empty = make_session(club, WEDNESDAY + datetime.timedelta(days=7))
    client.force_login(world.senior_leader)
    response = client.get(reverse("clubs_rota"))
    assert [s.pk for s in response.context["gaps"]] == [short.pk, empty.pk]
    assert [s.short for s in response.context["gaps"]] == [1, 2]


def test_a_clubs_leader_sees_the_gaps_of_their_club_only(client, world, club):
    club.leader = world.head_of_year
    club.save()
    mine = make_session(club, WEDNESDAY)
    other = make_club(world, name="Study club")
    make_session(other, WEDNESDAY)
    client.force_login(world.head_of_year)
    response = client.get(reverse("clubs_rota"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["gaps"]] == [mine.pk]
    assert not response.context["can_volunteer"]


@pytest.fixture
def minutes_world(world, club):
    """Autumn 2 (2/11 to 18/12): the teacher on a 60-minute session last week and a
    60-minute one tomorrow; the LSA on a 45-minute one; a cancelled session and one in
    Autumn 1 do not count."""
    autumn_half_terms(world)
    make_session(club, datetime.date(2026, 11, 3), staff=[world.teacher])
    make_session(club, WEDNESDAY, staff=[world.teacher])
    make_session(club, datetime.date(2026, 11, 5), end=(15, 45), staff=[world.lsa])
    make_session(
        club, datetime.date(2026, 11, 6), staff=[world.lsa], status=ClubSession.Status.CANCELLED
    )
    make_session(club, datetime.date(2026, 10, 20), staff=[world.other_teacher])
    return world


def minutes_of(response):
    return {row.staff.email: (row.minutes, row.to_come, row.short_by) for row in response}


def test_leaders_see_each_persons_minutes_against_the_default_target(client, minutes_world):
    world = minutes_world
    client.force_login(world.senior_leader)
    response = client.get(reverse("clubs_rota"))
    assert response.context["target"] == 60
    assert str(response.context["half_term"]) == "Autumn 2 2026/27"
    assert minutes_of(response.context["minutes"]) == {
        "teacher@test.school": (120, 60, 0),
        "lsa@test.school": (45, 0, 15),
        "other.teacher@test.school": (0, 0, 60),
    }
    assert "Target met" in response.content.decode()
    assert not ClubPolicy.objects.exists()  # reading writes no policy


def test_the_schools_own_target_applies(client, minutes_world):
    ClubPolicy.objects.create(school=minutes_world.school, rota_target_minutes=90)
    client.force_login(minutes_world.school_admin)
    response = client.get(reverse("clubs_rota"))
    assert minutes_of(response.context["minutes"])["lsa@test.school"] == (45, 0, 45)


def test_the_minutes_download_as_csv(client, minutes_world):
    client.force_login(minutes_world.senior_leader)
    response = client.get(reverse("clubs_rota"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == "Member of staff,Email,Half-term,Minutes,Still to come,Target,Short by"
    assert "lsa@test.school,Autumn 2 2026/27,45,0,60,15" in lines[2]


def test_staff_do_not_get_the_minutes(client, minutes_world):
    client.force_login(minutes_world.teacher)
    response = client.get(reverse("clubs_rota"))
    assert "minutes" not in response.context
    assert client.get(reverse("clubs_rota"), {"format": "csv"}).status_code == 404


def test_a_leader_puts_a_member_of_staff_on_a_session(client, world, club):
    session = make_session(club, WEDNESDAY)
    client.force_login(world.senior_leader)
    response = client.post(reverse("clubs_rota"), {"session": session.pk, "staff": world.lsa.pk})
    assert response.status_code == 302
    slot = RotaSlot.objects.get()
    assert (slot.staff, slot.created_by) == (world.lsa, world.senior_leader)


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("parent", "Choose a teacher or learning support assistant"),
        ("other_school_teacher", "Choose a teacher or learning support assistant"),
        ("head_of_year", "Choose a teacher or learning support assistant"),
        (None, "Choose the member of staff."),
    ],
)
def test_a_leader_cannot_put_on_someone_not_on_the_staff_rota(client, world, club, who, message):
    session = make_session(club, WEDNESDAY)
    client.force_login(world.senior_leader)
    data = {"session": session.pk, "staff": getattr(world, who).pk if who else ""}
    response = client.post(reverse("clubs_rota"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RotaSlot.objects.exists()


def test_a_teacher_cannot_put_others_on_the_rota(client, world, club):
    session = make_session(club, WEDNESDAY)
    client.force_login(world.teacher)
    response = client.post(reverse("clubs_rota"), {"session": session.pk, "staff": world.lsa.pk})
    assert response.status_code == 404
    assert not RotaSlot.objects.exists()


# Query budget -----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 6])
def test_the_rota_query_budget_does_not_grow_with_sessions_or_staff(
    client, world, club, django_assert_num_queries, rows
):
    autumn_half_terms(world)
    for n in range(rows):
        make_session(club, WEDNESDAY + datetime.timedelta(days=n), staff=[world.teacher])
        make_session(club, datetime.date(2026, 11, 3 + n % 3), staff=[world.lsa])
    client.force_login(world.senior_leader)
    # Django's session, the user, their roles, the sessions, their rota with staff, the
    # clubs led, the half-term with its year, the policy, the minutes, the staff list, and
    # the form's two lists (sessions and staff).
    with django_assert_num_queries(12):
        response = client.get(reverse("clubs_rota"))
    assert len(response.context["sessions"]) == rows


@pytest.mark.parametrize("rows", [1, 6])
def test_the_staff_rota_query_budget_does_not_grow(
    client, world, club, django_assert_num_queries, rows
):
    for n in range(rows):
        make_session(club, WEDNESDAY + datetime.timedelta(days=n), staff=[world.lsa])
    client.force_login(world.teacher)
    # Django's session, the user, their roles, the sessions, their rota with staff, and
    # whether the teacher leads a club.
    with django_assert_num_queries(6):
        response = client.get(reverse("clubs_rota"))
    assert len(response.context["sessions"]) == rows


@pytest.mark.parametrize("page", POST_ONLY)
@pytest.mark.parametrize("who", PERSONAS)
def test_get_on_a_rota_post_address_answers_405_to_its_users_and_404_to_others(
    client, homework_world, page, who
):
    build_url, allowed = POST_ONLY[page]
    client.force_login(persona(homework_world, who))
    response = client.get(build_url(homework_world))
    assert response.status_code == (405 if who in allowed else 404)
    assert not RotaSlot.objects.exists()
