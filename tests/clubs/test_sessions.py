"""Clubs and their sessions: leaders add clubs and weekly series that skip the days the
school is shut, teachers offer their own study sessions, a one-off on a non-school day is
refused, and cancelling a session frees its places and tells the booked pupils' parents."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from clubs.models import Booking, Club, ClubSession
from clubs.notices import CLUB_SESSION_CANCELLED
from clubs.services import ClubError
from clubs.services.sessions import club_series_create, club_session_cancel, club_session_create
from notifications.channels import notification_render
from notifications.models import Notification
from school.models import NonSchoolDay
from tests.factories import HalfTermFactory

from .permission_rows_sessions import booking_of, club_of, session_of

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Monday 23 November 2026, mid-morning.
MON = datetime.date(2026, 11, 23)
TUE, THU, SAT = (MON + datetime.timedelta(days=n) for n in (1, 3, 5))


@pytest.fixture(autouse=True)
def monday(time_machine):
    time_machine.move_to(datetime.datetime.combine(MON, datetime.time(10), LONDON), tick=False)


def series_post(**changes):
    data = {
        "what": "series",
        "date": "2026-11-30",
        "end_date": "2026-12-11",
        "weekdays": ["1", "3"],
        "start_time": "15:15",
        "end_time": "16:15",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def club_post(w, **changes):
    data = {
        "name": "Homework club",
        "kind": "homework_club",
        "room": "Room 21 (computers)",
        "capacity": "25",
        "staff_needed": "2",
        "year_groups": [str(w.y7.pk), str(w.y8.pk)],
        "leader": str(w.teacher.pk),
        "description": "",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


# Recurrence ------------------------------------------------------------------------------


def test_a_series_skips_weekends_non_school_days_and_the_holidays_between_half_terms(world):
    HalfTermFactory(
        academic_year=world.academic_year,
        name="autumn_2",
        start_date=datetime.date(2026, 11, 2),
        end_date=datetime.date(2026, 12, 18),
    )
    HalfTermFactory(
        academic_year=world.academic_year,
        name="spring_1",
        start_date=datetime.date(2027, 1, 5),
        end_date=datetime.date(2027, 2, 12),
    )
    NonSchoolDay.objects.create(school=world.school, date=datetime.date(2026, 12, 3), kind="inset")
    NonSchoolDay.objects.create(school=world.school, date=datetime.date(2027, 1, 7), kind="closure")
    club = club_of(world)

    sessions = club_series_create(
        club=club,
        start_date=datetime.date(2026, 12, 1),
        end_date=datetime.date(2027, 1, 14),
        weekdays=[1, 3, 5],  # Tuesday, Thursday and (never) Saturday
        start_time=datetime.time(15, 15),
        end_time=datetime.time(16, 15),
    )

    assert [f"{s.date:%d/%m}" for s in sessions] == [
        "01/12",
        # 03/12 is an INSET day
        "08/12",
        "10/12",
        "15/12",
        "17/12",
        # the Christmas holidays
        "05/01",
        # 07/01 the school is closed
        "12/01",
        "14/01",
    ]
    assert len({s.series for s in sessions}) == 1
    assert {(s.room, s.capacity, s.staff_needed) for s in sessions} == {("Room 21", 25, 2)}


def test_a_leader_adds_a_weekly_series_through_the_club_page(client, world):
    NonSchoolDay.objects.create(school=world.school, date=datetime.date(2026, 12, 3), kind="inset")
    club = club_of(world, leader=world.other_teacher)
    client.force_login(world.head_of_year)
    response = client.post(reverse("clubs_club", args=[club.pk]), series_post())
    assert response.status_code == 302
    assert [s.date.day for s in ClubSession.objects.order_by("date")] == [1, 8, 10]


def test_the_club_leader_adds_a_one_off_session(client, world):
    club = club_of(world)
    client.force_login(world.teacher)
    response = client.post(
        reverse("clubs_club", args=[club.pk]),
        series_post(what="single", date="2026-11-26", end_date=None, weekdays=None),
    )
    assert response.status_code == 302
    assert ClubSession.objects.get().date == THU


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"what": "single", "date": "2026-11-28"}, "is not a school day"),
        ({"what": "single", "date": "2026-11-26"}, "is not a school day"),  # INSET below
        ({"date": "2026-11-28", "end_date": "2026-11-29"}, "No school day"),
        ({"weekdays": None}, "Choose at least one day of the week."),
        ({"end_date": "2026-11-20"}, "The last day must be on or after the first day."),
        ({"end_time": "15:00"}, "The session must end after it starts."),
        ({"date": "not a date"}, "Enter a real date."),
        ({"weekdays": ["9"]}, "Select a valid choice"),
    ],
    ids=["Saturday", "INSET", "weekend only", "no days", "ends first", "times", "date", "day"],
)
def test_bad_session_input_is_shown_with_400_and_nothing_is_added(client, world, changes, error):
    NonSchoolDay.objects.create(school=world.school, date=THU, kind="inset")
    club = club_of(world)
    client.force_login(world.senior_leader)
    response = client.post(reverse("clubs_club", args=[club.pk]), series_post(**changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not ClubSession.objects.exists()


def test_a_one_off_on_a_non_school_day_is_refused_by_the_service(world):
    NonSchoolDay.objects.create(school=world.school, date=TUE, kind="bank_holiday")
    for day in (TUE, SAT):
        with pytest.raises(ClubError, match="not a school day"):
            club_session_create(
                club=club_of(world),
                date=day,
                start_time=datetime.time(15, 15),
                end_time=datetime.time(16, 15),
            )
    assert not ClubSession.objects.exists()


@pytest.mark.parametrize("who", ["other_teacher", "lsa", "head_of_house", "pupil_user"])
def test_only_leaders_and_the_club_leader_add_sessions(client, world, who):
    club = club_of(world)  # led by the teacher
    user = world.pupil.user if who == "pupil_user" else getattr(world, who)
    client.force_login(user)
    response = client.post(reverse("clubs_club", args=[club.pk]), series_post())
    assert response.status_code == 404
    assert not ClubSession.objects.exists()


def test_another_schools_leader_cannot_add_sessions_to_our_club(client, world):
    club = club_of(world)
    client.force_login(world.other_school_staff)
    response = client.post(reverse("clubs_club", args=[club.pk]), series_post())
    assert response.status_code == 404
    assert not ClubSession.objects.exists()


# Clubs -----------------------------------------------------------------------------------


def test_a_leader_adds_a_club_for_some_year_groups(client, world):
    client.force_login(world.senior_leader)
    response = client.post(reverse("clubs_club_add"), club_post(world))
    club = Club.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("clubs_club", args=[club.pk])
    assert (club.name, club.kind, club.room, club.capacity, club.staff_needed, club.leader) == (
        "Homework club",
        "homework_club",
        "Room 21 (computers)",
        25,
        2,
        world.teacher,
    )
    assert set(club.year_groups.all()) == {world.y7, world.y8}


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": ""}, "Give the club a name."),
        ({"room": "  "}, "Give the room."),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"capacity": "lots"}, "Enter a whole number."),
        ({"kind": "study_session", "capacity": "12"}, "at most 6"),
        ({"kind": "party"}, "Select a valid choice"),
    ],
    ids=["name", "room", "capacity", "not a number", "study group too big", "kind"],
)
def test_bad_club_input_is_shown_with_400_and_nothing_is_added(client, world, changes, error):
    client.force_login(world.head_of_year)
    response = client.post(reverse("clubs_club_add"), club_post(world, **changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Club.objects.exists()


def test_a_leader_from_another_school_or_year_group_cannot_be_chosen(client, world):
    client.force_login(world.head_of_year)
    other_year = world.other_y7.pk
    for changes in ({"leader": str(world.other_school_staff.pk)}, {"year_groups": [other_year]}):
        response = client.post(reverse("clubs_club_add"), club_post(world, **changes))
        assert response.status_code == 400
    assert not Club.objects.exists()


def test_a_teacher_offers_study_sessions_that_they_lead(client, world):
    client.force_login(world.other_teacher)
    response = client.get(reverse("clubs_club_add"))
    assert "leader" not in response.context["form"].fields
    # A kind, leader or staff count in the POST is ignored: the teacher leads, alone.
    response = client.post(
        reverse("clubs_club_add"),
        club_post(world, name="Maths help", capacity="4", leader=str(world.teacher.pk)),
    )
    assert response.status_code == 302
    club = Club.objects.get()
    assert (club.kind, club.leader, club.capacity, club.staff_needed) == (
        Club.Kind.STUDY_SESSION,
        world.other_teacher,
        4,
        1,
    )
    # As its leader, they add its sessions.
    response = client.post(
        reverse("clubs_club", args=[club.pk]),
        series_post(what="single", end_date=None, weekdays=None),
    )
    assert response.status_code == 302
    assert club.sessions.count() == 1


def test_a_teachers_study_group_holds_at_most_six(client, world):
    client.force_login(world.other_teacher)
    response = client.post(reverse("clubs_club_add"), club_post(world, capacity="7"))
    assert response.status_code == 400
    assert not Club.objects.exists()


@pytest.mark.parametrize("who", ["lsa", "head_of_house", "subject_leader", "parent"])
def test_people_who_do_not_add_clubs_get_404(client, world, who):
    client.force_login(getattr(world, who))
    response = client.post(reverse("clubs_club_add"), club_post(world))
    assert response.status_code == 404
    assert not Club.objects.exists()


# Cancelling a session --------------------------------------------------------------------


def test_cancelling_a_session_frees_its_places_and_tells_booked_pupils_parents(client, world):
    session = session_of(world, day=THU)
    booking_of(world, session, world.pupil)
    booking_of(world, session, world.classmate)
    Booking.objects.filter(pupil=world.classmate).update(status=Booking.Status.CANCELLED)
    client.force_login(world.teacher)  # the club's leader

    confirm = client.get(reverse("clubs_session_cancel", args=[session.pk]))
    assert "1 pupil booked will lose their place" in confirm.content.decode()
    response = client.post(
        reverse("clubs_session_cancel", args=[session.pk]), {"reason": "Room needed for exams"}
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.cancelled_reason, session.cancelled_by) == (
        ClubSession.Status.CANCELLED,
        "Room needed for exams",
        world.teacher,
    )
    assert not Booking.objects.filter(status=Booking.Status.BOOKED).exists()
    notice = Notification.objects.get()  # the classmate had cancelled: no notice
    assert (notice.pupil, notice.guardian, notice.kind) == (
        world.pupil,
        world.guardian,
        CLUB_SESSION_CANCELLED,
    )
    assert notice.context["date"] == "2026-11-26"
    rendered = notification_render(notice)
    assert "Homework club" in rendered.subject
    assert "Room needed for exams" in rendered.text and "Thursday 26 November 2026" in rendered.text


def test_cancelling_needs_a_reason_and_changes_nothing_without_one(client, world):
    session = session_of(world, day=THU)
    booking_of(world, session)
    client.force_login(world.head_of_year)
    response = client.post(reverse("clubs_session_cancel", args=[session.pk]), {"reason": " "})
    assert response.status_code == 400
    assert "Give the reason" in response.content.decode()
    session.refresh_from_db()
    assert session.status == ClubSession.Status.SCHEDULED
    assert Booking.objects.get().status == Booking.Status.BOOKED
    assert not Notification.objects.exists()


def test_a_session_that_has_taken_place_or_is_cancelled_cannot_be_cancelled(client, world):
    past = session_of(world, day=MON - datetime.timedelta(days=4))
    client.force_login(world.senior_leader)
    response = client.post(reverse("clubs_session_cancel", args=[past.pk]), {"reason": "Oops"})
    assert response.status_code == 400
    assert "already taken place" in response.content.decode()
    coming = session_of(world, day=THU)
    club_session_cancel(session=coming, reason="Snow", actor=world.senior_leader)
    response = client.post(reverse("clubs_session_cancel", args=[coming.pk]), {"reason": "Again"})
    assert response.status_code == 400
    assert ClubSession.objects.get(pk=coming.pk).cancelled_reason == "Snow"


@pytest.mark.parametrize("who", ["other_teacher", "lsa", "pupil_user", "other_school_staff"])
def test_only_leaders_and_the_club_leader_cancel_sessions(client, world, who):
    session = session_of(world, day=THU)
    client.force_login(world.pupil.user if who == "pupil_user" else getattr(world, who))
    response = client.post(reverse("clubs_session_cancel", args=[session.pk]), {"reason": "No"})
    assert response.status_code == 404
    session.refresh_from_db()
    assert session.status == ClubSession.Status.SCHEDULED


# The pages -------------------------------------------------------------------------------


def test_staff_see_clubs_and_the_next_sessions_with_places_and_staff(client, world):
    session = session_of(world, day=THU)
    session_of(world, session.club, day=MON - datetime.timedelta(days=7))  # past
    booking_of(world, session)
    client.force_login(world.lsa)
    response = client.get(reverse("clubs_home"))
    assert [s.pk for s in response.context["sessions"]] == [session.pk]
    text = response.content.decode()
    assert "Thu 26/11/2026" in text and "1/25" in text and "0/2" in text and "Needs staff" in text
    assert "Year 7" in text
    assert "Add a club" not in text and "Offer study sessions" not in text


def test_the_session_page_shows_staff_who_is_booked(client, world):
    session = session_of(world, day=THU)
    booking_of(world, session)
    client.force_login(world.other_teacher)
    response = client.get(reverse("clubs_session", args=[session.pk]))
    text = response.content.decode()
    assert "Okafor, Amara" in text and "7A" in text
    assert "Cancel this session" not in text  # not theirs to cancel


def test_another_schools_staff_see_none_of_our_clubs(client, world):
    session = session_of(world, day=THU)
    client.force_login(world.other_school_staff)
    response = client.get(reverse("clubs_home"))
    assert response.context["sessions"] == [] and response.context["clubs"] == []
    assert client.get(reverse("clubs_session", args=[session.pk])).status_code == 404
    assert client.get(reverse("clubs_club", args=[session.club_id])).status_code == 404


def count_queries(client, django_assert_num_queries, url, expected):
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("sessions", [1, 12])
def test_the_staff_clubs_page_query_budget_does_not_grow(
    client, world, django_assert_num_queries, sessions
):
    for n in range(sessions):
        club = club_of(world, name=f"Club {n}", years=[world.y7, world.y8])
        session = session_of(world, club, day=THU + datetime.timedelta(days=n % 7))
        booking_of(world, session)
    client.force_login(world.senior_leader)
    # session, user, roles, the clubs with their leaders, their year groups, the school
    # (today in its time zone), the sessions with places booked and staff on
    response = count_queries(client, django_assert_num_queries, reverse("clubs_home"), 7)
    assert len(response.context["sessions"]) == sessions


@pytest.mark.parametrize("sessions", [1, 12])
def test_the_club_page_query_budget_does_not_grow(
    client, world, django_assert_num_queries, sessions
):
    club = club_of(world)
    for n in range(sessions):
        booking_of(world, session_of(world, club, day=THU + datetime.timedelta(days=n)))
    client.force_login(world.teacher)
    # session, user, roles, the club and its leader, the school (today in its time zone),
    # its year groups, the sessions with places booked and staff on
    url = reverse("clubs_club", args=[club.pk])
    response = count_queries(client, django_assert_num_queries, url, 7)
    assert len(response.context["sessions"]) == sessions
