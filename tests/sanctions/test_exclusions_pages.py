"""The internal exclusion pages: the days planned with the add form and the pupils
waiting for a place, each day's register, and what the detention pages say about
exclusion (the register's message, the waiting detentions, the link)."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from sanctions.models import DetentionBooking, DetentionSession, Sanction, SessionKind
from tests.factories import PupilFactory
from tests.test_permissions import PERSONAS, persona

from .helpers import when_it_starts
from .permission_rows_exclusions import POST_ONLY
from .test_detentions_scheduling import MON, TUE, at, sanction_for, session
from .test_exclusions_scheduling import THU, WED, booked, exclusion_day, take_register

Status = DetentionBooking.Status
IE = SessionKind.INTERNAL_EXCLUSION


@pytest.fixture
def monday_evening(time_machine):
    """After Monday's detention: Tuesday 08:45 is under the 24 hours' notice."""
    time_machine.move_to(at(MON, 17), tick=False)


def day_post(**changes):
    data = {
        "what": "single",
        "date": "2026-12-02",
        "end_date": "",
        "start_time": "08:45",
        "end_time": "15:15",
        "room": "Inclusion room",
        "supervisor": "",
        "capacity": "6",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


def waiting_truant(world, pupil):
    """The pupil missed Monday's detention and no exclusion day has room: they wait."""
    monday = session(world, MON)
    truant = booked(world, pupil, monday)
    take_register(monday, {truant: Status.ABSENT_UNAUTHORISED}, actor=world.teacher)
    return truant.sanction


def success(response):
    return [m.message for m in get_messages(response.wsgi_request)]


# The list page ---------------------------------------------------------------------------


def test_the_list_shows_upcoming_exclusion_days_only(client, world, monday_evening):
    wednesday = exclusion_day(world, WED, capacity=4)
    exclusion_day(world, MON - datetime.timedelta(days=7))  # past
    session(world, THU)  # a detention session
    booked(world, world.pupil, wednesday)
    client.force_login(world.head_of_house)
    response = client.get(reverse("sanctions_exclusions"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["sessions"]] == [wednesday.pk]
    text = response.content.decode()
    assert "Wed 02/12/2026" in text and "08:45–15:15" in text and "Inclusion room" in text
    assert "1/4" in text and escape(world.senior_leader) in text
    assert reverse("sanctions_exclusion_session", args=[wednesday.pk]) in text
    assert response.context["form"] is None  # heads of house do not add days


def test_the_add_form_offers_school_day_times(client, world, monday_evening):
    client.force_login(world.head_of_year)
    text = client.get(reverse("sanctions_exclusions")).content.decode()
    assert 'value="08:45"' in text and 'value="15:15"' in text


def test_the_detentions_page_shows_detention_sessions_only_and_links_to_exclusion(
    client, world, monday_evening
):
    exclusion_day(world, WED)
    thursday = session(world, THU)
    client.force_login(world.head_of_year)
    response = client.get(reverse("sanctions_detentions"))
    assert [s.pk for s in response.context["sessions"]] == [thursday.pk]
    assert reverse("sanctions_exclusions") in response.content.decode()


def test_a_head_of_year_adds_one_exclusion_day(client, world, monday_evening):
    client.force_login(world.head_of_year)
    response = client.post(
        reverse("sanctions_exclusions"), day_post(supervisor=str(world.senior_leader.pk))
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sanctions_exclusions")
    day = DetentionSession.objects.get()
    assert (day.kind, day.date, day.start_time, day.supervisor, day.capacity) == (
        IE,
        WED,
        datetime.time(8, 45),
        world.senior_leader,
        6,
    )
    assert success(response) == ["Added 1 internal exclusion day."]


def test_a_senior_leader_adds_a_weekly_series_of_exclusion_days(client, world, monday_evening):
    client.force_login(world.senior_leader)
    response = client.post(
        reverse("sanctions_exclusions"),
        day_post(what="series", date="2026-11-30", end_date="2026-12-11", weekdays=["2", "4"]),
    )
    assert response.status_code == 302
    days = DetentionSession.objects.order_by("date")
    assert [d.date.day for d in days] == [2, 4, 9, 11]
    assert {d.kind for d in days} == {IE}
    assert len({d.series for d in days}) == 1
    assert success(response) == ["Added 4 internal exclusion days."]


def test_adding_a_day_books_the_pupils_waiting_and_says_so(client, world, monday_evening):
    first = waiting_truant(world, world.pupil)
    second = waiting_truant(world, world.classmate)
    client.force_login(world.head_of_year)
    response = client.post(reverse("sanctions_exclusions"), day_post())
    day = DetentionSession.objects.get(kind=IE)
    assert set(day.bookings.values_list("sanction", flat=True)) == {first.pk, second.pk}
    assert success(response) == [
        "Added 1 internal exclusion day. 2 waiting pupils were booked into them."
    ]


def test_adding_detention_sessions_books_the_detentions_waiting_and_says_so(
    client, world, monday_evening
):
    waiting = sanction_for(world, world.pupil)
    client.force_login(world.head_of_year)
    response = client.post(
        reverse("sanctions_detentions"),
        day_post(date="2026-12-03", start_time="15:30", end_time="16:30", room="B12"),
    )
    day = DetentionSession.objects.get()
    assert (day.kind, waiting.bookings.get().session) == (SessionKind.DETENTION, day)
    assert success(response) == ["Added 1 detention session. 1 waiting pupil was booked into them."]


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"end_time": "08:00"}, "The session must end after it starts."),
        ({"room": ""}, "Give the room."),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"date": "2026-12-05"}, "is not a school day"),
        ({"date": "not a date"}, "Enter a real date."),
        ({"what": "series", "weekdays": None, "end_date": "2026-12-11"}, "Choose at least one"),
        ({"what": "series", "weekdays": ["2"]}, "Give the last day of the series."),
    ],
    ids=["times", "room", "capacity", "Saturday", "bad date", "no days", "no end"],
)
def test_bad_input_re_renders_and_changes_nothing(client, world, monday_evening, changes, error):
    waiting = waiting_truant(world, world.pupil)
    client.force_login(world.head_of_year)
    response = client.post(reverse("sanctions_exclusions"), day_post(**changes))
    assert response.status_code == 400
    text = response.content.decode()
    assert error in text and "Nothing was added." in text
    assert not DetentionSession.objects.filter(kind=IE).exists()
    assert not waiting.bookings.filter(kind=IE).exists()


def test_a_head_of_house_cannot_add_exclusion_days(client, world, monday_evening):
    client.force_login(world.head_of_house)
    assert client.post(reverse("sanctions_exclusions"), day_post()).status_code == 404
    assert not DetentionSession.objects.exists()


def test_a_supervisor_sees_the_days_they_supervise(client, world, monday_evening):
    mine = exclusion_day(world, WED)
    mine.supervisor = world.teacher
    mine.save()
    exclusion_day(world, THU)  # supervised by the senior leader
    waiting_truant(world, world.pupil)
    client.force_login(world.teacher)
    response = client.get(reverse("sanctions_exclusions"))
    assert [s.pk for s in response.context["sessions"]] == [mine.pk]
    assert response.context["form"] is None
    assert response.context["waiting"] == []


def test_a_teacher_with_no_pastoral_role_gets_404(client, world):
    client.force_login(world.other_teacher)
    assert client.get(reverse("sanctions_exclusions")).status_code == 404


# The waiting lists -----------------------------------------------------------------------


def test_the_waiting_list_holds_the_viewers_year_and_house(client, world, monday_evening):
    waiting_truant(world, world.pupil)  # Year 7, Brunel
    waiting_truant(world, world.classmate)  # Year 7, Curie
    waiting_truant(world, world.year8_pupil)  # Year 8, Brunel
    waiting_truant(world, world.year8_other)  # Year 8, Curie
    url = reverse("sanctions_exclusions")
    seen = {}
    for who in ("head_of_year", "head_of_house", "senior_leader"):
        client.force_login(getattr(world, who))
        seen[who] = {s.pupil for s in client.get(url).context["waiting"]}
    assert seen["head_of_year"] == {world.pupil, world.classmate}
    assert seen["head_of_house"] == {world.pupil, world.year8_pupil}
    assert len(seen["senior_leader"]) == 4


def test_the_waiting_list_shows_the_detention_missed(client, world, monday_evening):
    waiting_truant(world, world.pupil)
    client.force_login(world.head_of_year)
    response = client.get(reverse("sanctions_exclusions"))
    text = response.content.decode()
    assert "Waiting for a place (1)" in text
    assert "Okafor, Amara" in text and "Mon 30/11/2026" in text


def test_the_detentions_page_lists_detentions_waiting_for_a_session(client, world, monday_evening):
    waiting = sanction_for(world, world.pupil)
    sanction_for(world, world.year8_pupil)  # another year
    truant = waiting_truant(world, world.classmate)  # waits for exclusion, not a detention
    client.force_login(world.head_of_year)
    response = client.get(reverse("sanctions_detentions"))
    assert response.context["waiting"] == [waiting]
    assert truant not in response.context["waiting"]
    assert "Waiting for a session (1)" in response.content.decode()


# The register ----------------------------------------------------------------------------


def test_the_exclusion_register_lists_the_pupils(client, world, monday_evening, time_machine):
    wednesday = exclusion_day(world, WED)
    booked(world, world.pupil, wednesday)
    when_it_starts(time_machine, wednesday)
    client.force_login(world.senior_leader)  # the supervisor
    response = client.get(reverse("sanctions_exclusion_session", args=[wednesday.pk]))
    text = response.content.decode()
    assert "Internal exclusion register" in text and "Okafor, Amara" in text
    assert reverse("sanctions_exclusion_register", args=[wednesday.pk]) in text
    assert reverse("sanctions_exclusions") in text


def test_saving_the_exclusion_register_serves_and_rebooks(
    client, world, monday_evening, time_machine
):
    wednesday, thursday = exclusion_day(world, WED), exclusion_day(world, THU)
    came = booked(world, world.pupil, wednesday)
    excused = booked(world, world.classmate, wednesday)
    when_it_starts(time_machine, wednesday)
    client.force_login(world.senior_leader)
    response = client.post(
        reverse("sanctions_exclusion_register", args=[wednesday.pk]),
        {
            f"mark_{came.pk}": "attended",
            f"notes_{came.pk}": "Restorative work done",
            f"mark_{excused.pk}": "absent_authorised",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("sanctions_exclusion_session", args=[wednesday.pk])
    came.refresh_from_db()
    excused.refresh_from_db()
    assert (came.status, came.notes) == (Status.ATTENDED, "Restorative work done")
    assert came.sanction.status == Sanction.Status.SERVED
    assert excused.status == Status.REBOOKED
    assert excused.sanction.bookings.get(status=Status.BOOKED).session == thursday
    assert success(response) == ["Register saved."]


def test_a_bad_mark_on_the_exclusion_register_saves_nothing(
    client, world, monday_evening, time_machine
):
    wednesday = exclusion_day(world, WED)
    first = booked(world, world.pupil, wednesday)
    second = booked(world, world.classmate, wednesday)
    when_it_starts(time_machine, wednesday)
    client.force_login(world.senior_leader)
    response = client.post(
        reverse("sanctions_exclusion_register", args=[wednesday.pk]),
        {f"mark_{first.pk}": "attended", f"mark_{second.pk}": "gone"},
    )
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    assert set(DetentionBooking.objects.values_list("status", flat=True)) == {Status.BOOKED}


def test_the_detention_register_says_which_day_the_truant_is_excluded(
    client, world, monday_evening, time_machine
):
    monday = session(world, MON)
    exclusion_day(world, TUE)  # under the notice
    exclusion_day(world, WED)
    truant = booked(world, world.pupil, monday)
    when_it_starts(time_machine, monday)
    client.force_login(world.teacher)
    response = client.post(
        reverse("sanctions_detention_register", args=[monday.pk]),
        {f"mark_{truant.pk}": "absent_unauthorised"},
    )
    assert success(response) == [
        "Register saved. 1 pupil absent without a reason is booked into internal exclusion "
        "on Wed 02/12; parents are told."
    ]
    assert truant.sanction.bookings.get(kind=IE).session.date == WED


def test_the_detention_register_says_when_no_exclusion_day_has_room(
    client, world, monday_evening, time_machine
):
    monday = session(world, MON)
    truants = [booked(world, p, monday) for p in (world.pupil, world.classmate)]
    when_it_starts(time_machine, monday)
    client.force_login(world.teacher)
    response = client.post(
        reverse("sanctions_detention_register", args=[monday.pk]),
        {f"mark_{t.pk}": "absent_unauthorised" for t in truants},
    )
    assert success(response) == [
        "Register saved. 2 pupils absent without a reason are waiting for internal exclusion: "
        "no day has room yet, and the head of year sees them on the waiting list."
    ]
    client.force_login(world.head_of_year)
    waiting = client.get(reverse("sanctions_exclusions")).context["waiting"]
    assert {s.pupil for s in waiting} == {world.pupil, world.classmate}


# Each kind's pages answer only for their kind, and only in the school -------------------


def test_a_detention_address_with_an_exclusion_day_answers_404(client, world, monday_evening):
    wednesday = exclusion_day(world, WED)
    booking = booked(world, world.pupil, wednesday)
    client.force_login(world.senior_leader)
    assert (
        client.get(reverse("sanctions_detention_session", args=[wednesday.pk])).status_code == 404
    )
    response = client.post(
        reverse("sanctions_detention_register", args=[wednesday.pk]),
        {f"mark_{booking.pk}": "attended"},
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


def test_an_exclusion_address_with_a_detention_session_answers_404(client, world, monday_evening):
    monday = session(world, MON)
    booking = booked(world, world.pupil, monday)
    client.force_login(world.head_of_year)
    assert client.get(reverse("sanctions_exclusion_session", args=[monday.pk])).status_code == 404
    response = client.post(
        reverse("sanctions_exclusion_register", args=[monday.pk]),
        {f"mark_{booking.pk}": "absent_unauthorised"},
    )
    assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


def test_another_schools_staff_get_404(client, world, monday_evening):
    wednesday = exclusion_day(world, WED)
    booking = booked(world, world.pupil, wednesday)
    waiting_truant(world, world.classmate)
    client.force_login(world.other_school_staff)
    assert client.get(reverse("sanctions_exclusion_session", args=[wednesday.pk])).status_code == (
        404
    )
    response = client.post(
        reverse("sanctions_exclusion_register", args=[wednesday.pk]),
        {f"mark_{booking.pk}": "attended"},
    )
    assert response.status_code == 404
    listing = client.get(reverse("sanctions_exclusions"))
    assert list(listing.context["sessions"]) == [] and listing.context["waiting"] == []
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


@pytest.mark.parametrize("page", POST_ONLY)
@pytest.mark.parametrize("who", PERSONAS)
def test_get_on_the_register_address_answers_405_to_its_viewers_and_404_to_others(
    client, homework_world, page, who
):
    build_url, allowed = POST_ONLY[page]
    client.force_login(persona(homework_world, who))
    response = client.get(build_url(homework_world))
    assert response.status_code == (405 if who in allowed else 404)


# Query budgets ---------------------------------------------------------------------------


def pupils(world, n):
    return [world.pupil] + [PupilFactory(tutor_group=world.tg_7a) for _ in range(n - 1)]


@pytest.mark.parametrize("rows", [1, 8])
def test_the_list_page_query_budget_does_not_grow_with_rows(
    client, world, monday_evening, django_assert_num_queries, rows
):
    monday = session(world, MON, capacity=rows)
    for n, pupil in enumerate(pupils(world, rows)):
        day = exclusion_day(world, WED + datetime.timedelta(days=7 * n))
        booked(world, pupil, day, cycle=2)
        truant = booked(world, pupil, monday)
        DetentionBooking.objects.filter(pk=truant.pk).update(status=Status.ABSENT_UNAUTHORISED)
    client.force_login(world.head_of_year)
    # session, user, roles, exclusion days with places taken, pupils waiting for a day
    # (with the detention missed) and the bookings saying where each stands, supervisors
    # for the form's select.
    with django_assert_num_queries(7):
        response = client.get(reverse("sanctions_exclusions"))
    assert len(response.context["sessions"]) == len(response.context["waiting"]) == rows


@pytest.mark.parametrize("rows", [1, 8])
def test_the_register_query_budget_does_not_grow_with_rows(
    client, world, monday_evening, django_assert_num_queries, rows
):
    wednesday = exclusion_day(world, WED, capacity=10)
    for pupil in pupils(world, rows):
        booked(world, pupil, wednesday)
    client.force_login(world.head_of_year)
    # session, user, roles, the day with places taken, its bookings with pupils.
    with django_assert_num_queries(5):
        response = client.get(reverse("sanctions_exclusion_session", args=[wednesday.pk]))
    assert len(response.context["rows"]) == rows
