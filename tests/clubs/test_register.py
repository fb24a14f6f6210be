"""The club register: ticking booked pupils in and out, walk-ins found by name, the time in
the club, the reward after the policy's minutes (and the parents told), the homework each
pupil could get help with, who may take it, and bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clubs.models import Attendance, ClubPolicy
from homework.services.setting import HomeworkDetails, homework_set
from notifications.models import Notification
from notifications.notices import COMMENDATION
from tests.factories import PupilFactory, TeachingGroupFactory

from .register_helpers import TUESDAY, at, book, make_club, make_session


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(TUESDAY, 15, 0), tick=False)
    return time_machine


@pytest.fixture
def club_session(world, clock):
    """Today's homework club for Year 7 with the teacher on the rota and the pupil booked."""
    club = make_club(world)
    session = make_session(club, TUESDAY, staff=[world.teacher])
    book(session, world.pupil)
    return session


def url(session):
    return reverse("clubs_register", args=[session.pk])


def act(client, session, action, pupil):
    return client.post(url(session), {"action": action, "pupil": str(pupil.pk)})


# Checking in and out -------------------------------------------------------------------


def test_a_booked_pupil_is_expected_then_checked_in_and_out_with_the_time_computed(
    client, world, club_session, clock
):
    client.force_login(world.teacher)
    page = client.get(url(club_session))
    assert page.status_code == 200
    assert "Okafor, Amara" in page.content.decode()
    assert [row.state for row in page.context["rows"]] == ["expected"]

    response = act(client, club_session, "check_in", world.pupil)
    assert response.status_code == 302
    assert response["Location"].endswith(f"#pupil-{world.pupil.pk}")
    attendance = Attendance.objects.get(session=club_session, pupil=world.pupil)
    assert attendance.checked_in_at == at(TUESDAY, 15, 0)
    assert attendance.checked_in_by == world.teacher

    clock.move_to(at(TUESDAY, 15, 35), tick=False)
    assert act(client, club_session, "check_out", world.pupil).status_code == 302
    attendance.refresh_from_db()
    assert attendance.checked_out_at == at(TUESDAY, 15, 35)
    assert attendance.minutes == 35
    page = client.get(url(club_session))
    assert "15:00–15:35: 35 min" in page.content.decode()


def test_checking_in_twice_or_out_twice_is_refused_and_changes_nothing(
    client, world, club_session, clock
):
    client.force_login(world.teacher)
    act(client, club_session, "check_in", world.pupil)
    again = act(client, club_session, "check_in", world.pupil)
    assert again.status_code == 400
    assert "already checked in" in again.content.decode()
    clock.move_to(at(TUESDAY, 15, 20), tick=False)
    act(client, club_session, "check_out", world.pupil)
    clock.move_to(at(TUESDAY, 15, 40), tick=False)
    twice = act(client, club_session, "check_out", world.pupil)
    assert twice.status_code == 400
    assert "already checked out" in twice.content.decode()
    assert Attendance.objects.get().checked_out_at == at(TUESDAY, 15, 20)


def test_checking_out_a_pupil_not_checked_in_is_refused(client, world, club_session):
    client.force_login(world.teacher)
    response = act(client, club_session, "check_out", world.pupil)
    assert response.status_code == 400
    assert "is not checked in" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("day", "start", "refusal"),
    [
        (
            TUESDAY + datetime.timedelta(days=1),
            (15, 0),
            "The register opens when the session starts, at 15:00 on Wednesday 11/11/2026.",
        ),
        (
            TUESDAY,
            (16, 30),
            "The register opens when the session starts, at 16:30 on Tuesday 10/11/2026.",
        ),
        (
            TUESDAY - datetime.timedelta(days=1),
            (15, 0),
            "The register is taken on the day of the session (09/11/2026).",
        ),
    ],
    ids=["tomorrow", "later today", "yesterday"],
)
def test_the_register_opens_when_the_session_starts_and_closes_with_its_day(
    client, world, clock, day, start, refusal
):
    session = make_session(make_club(world), day, start=start, end=(start[0] + 1, start[1]))
    session.rota.create(school=world.school, staff=world.teacher)
    book(session, world.pupil)
    client.force_login(world.teacher)

    page = client.get(url(session)).content.decode()
    assert refusal in page
    assert 'value="check_in"' not in page  # no button that would be refused

    response = act(client, session, "check_in", world.pupil)
    assert response.status_code == 400
    assert refusal in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_walk_in_is_not_offered_a_check_in_before_the_session_starts(client, world, clock):
    later = make_session(make_club(world), TUESDAY, start=(16, 30), end=(17, 30))
    later.rota.create(school=world.school, staff=world.teacher)
    client.force_login(world.teacher)
    page = client.get(url(later), {"q": "Nowak"}).content.decode()
    assert "Nowak, Bartek" in page
    assert 'value="check_in"' not in page
    clock.move_to(at(TUESDAY, 16, 30), tick=False)
    page = client.get(url(later), {"q": "Nowak"}).content.decode()
    assert 'value="check_in"' in page
    assert act(client, later, "check_in", world.classmate).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "delete", "pupil": "1"}, "Choose check in, check out or reward."),
        ({"action": "check_in", "pupil": "abc"}, "Choose a pupil from the register."),
        ({"action": "check_in", "pupil": "99999999"}, "Choose a pupil from the register."),
        ({"action": "check_in"}, "Choose a pupil from the register."),
    ],
    ids=["action", "not a number", "no such pupil", "no pupil"],
)
def test_bad_input_answers_400_and_changes_nothing(client, world, club_session, data, message):
    client.force_login(world.teacher)
    response = client.post(url(club_session), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attendance.objects.exists()


# Walk-ins --------------------------------------------------------------------------------


def test_the_search_finds_pupils_of_the_club_years_at_this_school_only(client, world, club_session):
    client.force_login(world.teacher)
    found = client.get(url(club_session), {"q": "okafor"}).context["found"]
    # Amara is booked (already on the register); Chidi Okafor is in Year 8.
    assert found == []
    found = client.get(url(club_session), {"q": "Nowak"}).context["found"]
    assert found == [world.classmate]
    assert client.get(url(club_session), {"q": "Zed"}).context["found"] == []  # other school
    assert client.get(url(club_session), {"q": "b"}).context["found"] == []  # too short
    found = client.get(url(club_session), {"q": "Bartek Now"}).context["found"]
    assert found == [world.classmate]


def test_a_club_for_every_year_finds_any_pupil_of_the_school(client, world, clock):
    club = make_club(world, years=())
    session = make_session(club, TUESDAY, staff=[world.teacher])
    client.force_login(world.teacher)
    found = client.get(url(session), {"q": "okafor"}).context["found"]
    assert set(found) == {world.pupil, world.year8_pupil}


def test_a_walk_in_is_checked_in_from_the_search(client, world, club_session):
    client.force_login(world.teacher)
    assert act(client, club_session, "check_in", world.classmate).status_code == 302
    rows = client.get(url(club_session)).context["rows"]
    walk_in = next(row for row in rows if row.pupil == world.classmate)
    assert walk_in.state == "in" and not walk_in.booked


@pytest.mark.parametrize("who", ["year8_pupil", "other_school_pupil"])
def test_pupils_outside_the_club_years_or_school_cannot_be_checked_in(
    client, world, club_session, who
):
    client.force_login(world.teacher)
    response = act(client, club_session, "check_in", getattr(world, who))
    assert response.status_code == 400
    assert not Attendance.objects.exists()


# The reward ------------------------------------------------------------------------------


def checked_in_for(client, world, session, clock, minutes, *, check_out=True):
    act(client, session, "check_in", world.pupil)
    clock.move_to(at(TUESDAY, 15, 0) + datetime.timedelta(minutes=minutes), tick=False)
    if check_out:
        act(client, session, "check_out", world.pupil)


def test_29_minutes_is_not_enough_for_the_reward(client, world, club_session, clock):
    client.force_login(world.teacher)
    checked_in_for(client, world, club_session, clock, 29)
    response = act(client, club_session, "reward", world.pupil)
    assert response.status_code == 400
    assert (
        "Amara Okafor has been in the club for 29 minutes: the reward needs at least 30 "
        "minutes of work." in response.content.decode()
    )
    assert not Attendance.objects.get().worked_effectively
    assert not Notification.objects.exists()


def test_30_minutes_earns_the_reward_and_tells_the_parents(client, world, club_session, clock):
    client.force_login(world.teacher)
    checked_in_for(client, world, club_session, clock, 30)
    response = act(client, club_session, "reward", world.pupil)
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert attendance.worked_effectively
    assert attendance.rewarded_by == world.teacher
    assert attendance.rewarded_at == at(TUESDAY, 15, 30)
    notification = Notification.objects.get()
    assert notification.guardian == world.guardian
    assert notification.pupil == world.pupil
    assert notification.kind == COMMENDATION
    assert notification.context == {
        "kind": "club_reward",
        "club": "Homework club",
        "club_kind": "homework_club",
        "minutes": 30,
    }
    again = act(client, club_session, "reward", world.pupil)
    assert again.status_code == 400
    assert Notification.objects.count() == 1


def test_a_pupil_still_in_the_room_may_have_the_reward_once_the_time_is_up(
    client, world, club_session, clock
):
    client.force_login(world.teacher)
    checked_in_for(client, world, club_session, clock, 31, check_out=False)
    assert act(client, club_session, "reward", world.pupil).status_code == 302
    assert Attendance.objects.get().checked_out_at is None


def test_the_schools_own_reward_minutes_apply(client, world, club_session, clock):
    ClubPolicy.objects.create(school=world.school, reward_minutes=45)
    client.force_login(world.teacher)
    checked_in_for(client, world, club_session, clock, 44, check_out=False)
    refused = act(client, club_session, "reward", world.pupil)
    assert refused.status_code == 400
    assert "at least 45 minutes" in refused.content.decode()
    clock.move_to(at(TUESDAY, 15, 45), tick=False)
    assert act(client, club_session, "reward", world.pupil).status_code == 302
    assert Attendance.objects.get().worked_effectively


def test_the_reward_button_appears_only_once_the_time_is_up(client, world, club_session, clock):
    client.force_login(world.teacher)
    checked_in_for(client, world, club_session, clock, 10, check_out=False)
    page = client.get(url(club_session)).content.decode()
    assert "Reward from 15:30" in page and "Worked effectively<" not in page
    clock.move_to(at(TUESDAY, 15, 30), tick=False)
    assert "Worked effectively<" in client.get(url(club_session)).content.decode()


def test_reading_the_register_does_not_write_a_policy(client, world, club_session):
    client.force_login(world.teacher)
    client.get(url(club_session))
    assert not ClubPolicy.objects.exists()


# Homework to help with -------------------------------------------------------------------


def set_homework(world, title, due_at, **extra):
    group = TeachingGroupFactory(
        school=world.school,
        academic_year=world.academic_year,
        year_group=world.y7,
        subject=world.maths,
        teachers=[world.teacher],
        pupils=[world.pupil],
    )
    (homework,) = homework_set(
        teacher=world.teacher,
        teaching_groups=[group],
        details=HomeworkDetails(
            title=title,
            instructions="Do it.",
            set_on=TUESDAY - datetime.timedelta(days=7),
            due_at=due_at,
            estimated_minutes=30,
            **extra,
        ),
    )
    return homework.assignments.get(pupil=world.pupil)


def test_each_row_shows_overdue_and_due_tomorrow_homework(client, world, club_session):
    set_homework(world, "Overdue fractions", at(TUESDAY, 9))
    set_homework(
        world,
        "Tomorrow's ratio",
        at(TUESDAY + datetime.timedelta(days=1), 23, 30),
        alternative_instructions="With the word bank.",
        alternative_for_eal=True,
    )
    set_homework(world, "Next week's essay", at(TUESDAY + datetime.timedelta(days=2), 8))
    handed_in = set_homework(world, "Handed-in poster", at(TUESDAY, 8))
    handed_in.status = handed_in.Status.SUBMITTED
    handed_in.save()
    client.force_login(world.teacher)
    response = client.get(url(club_session))
    (row,) = response.context["rows"]
    assert [(item.title, item.overdue, item.alternative) for item in row.homework] == [
        ("Overdue fractions", True, False),
        ("Tomorrow's ratio", False, True),
    ]
    text = response.content.decode()
    assert "Overdue" in text and "Alternative version" in text
    assert "Next week" not in text and "poster" not in text


# Who may take the register ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher", 200),  # on the rota
        ("senior_leader", 200),
        ("school_admin", 200),
        ("other_teacher", 404),  # not on the rota
        ("lsa", 404),
        ("head_of_year", 404),
        ("pupil_user", 404),
        ("parent", 404),
        ("other_school_staff", 404),
    ],
)
def test_only_rota_staff_and_leaders_open_the_register(client, world, club_session, who, status):
    user = world.pupil.user if who == "pupil_user" else getattr(world, who)
    client.force_login(user)
    assert client.get(url(club_session)).status_code == status


def test_the_clubs_leader_takes_the_register_of_their_club(client, world, club_session):
    club_session.club.leader = world.head_of_year
    club_session.club.save()
    client.force_login(world.head_of_year)
    assert client.get(url(club_session)).status_code == 200
    assert act(client, club_session, "check_in", world.pupil).status_code == 302


def test_a_teacher_not_on_the_rota_cannot_check_anyone_in(client, world, club_session):
    client.force_login(world.other_teacher)
    assert act(client, club_session, "check_in", world.pupil).status_code == 404
    assert not Attendance.objects.exists()


def test_a_404_shows_nothing_of_the_session(client, world, club_session):
    client.force_login(world.other_school_staff)
    response = client.get(url(club_session))
    assert response.status_code == 404
    assert "Okafor" not in response.content.decode()


# Query budget ----------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 6])
def test_the_register_query_budget_does_not_grow_with_pupils(
    client, world, clock, django_assert_num_queries, rows
):
    session = make_session(make_club(world), TUESDAY, staff=[world.teacher])
    for n in range(rows):
        pupil = PupilFactory(tutor_group=world.tg_7a, last_name=f"Walker{n}")
        book(session, pupil)
        world.pupil = pupil
        set_homework(world, f"Task {n}", at(TUESDAY, 9))
        if n % 2:
            Attendance.objects.create(
                school=world.school, session=session, pupil=pupil, checked_in_at=at(TUESDAY, 15)
            )
    client.force_login(world.teacher)
    # Django's session, the user, their roles, the session with its club and school,
    # bookings with pupils, attendances with pupils, their homework, the club policy,
    # and the walk-in search.
    with django_assert_num_queries(9):
        response = client.get(url(session), {"q": "Walker"})
    assert len(response.context["rows"]) == rows


def test_club_visits_and_rewards_are_on_the_pupils_page_for_staff(client, world):
    club = make_club(world, name="Homework club")
    for days_ago, rewarded in ((2, True), (9, False), (16, True)):
        day = timezone.localdate() - datetime.timedelta(days=days_ago)
        session = make_session(club, day)
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))
        Attendance.objects.create(
            school=world.school,
            session=session,
            pupil=world.pupil,
            checked_in_at=start,
            checked_out_at=start + datetime.timedelta(minutes=45),
            worked_effectively=rewarded,
        )
    page = reverse("pupil_detail", args=[world.pupil.pk])

    client.force_login(world.teacher)
    html = client.get(page).content.decode()
    assert "3 visits this school year" in html and "2 rewards for working effectively" in html
    assert html.count("Reward: worked effectively") == 2

    client.force_login(world.parent)  # parents see visits on their own pages instead
    assert "visits this school year" not in client.get(page).content.decode()
