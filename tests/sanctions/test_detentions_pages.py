"""The detention pages: the list of sessions with the add form and the check list, and
one session's register saved in one POST."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from notifications.models import Notification
from sanctions.models import DetentionBooking, DetentionSession, Sanction
from sanctions.notices import DETENTION_BOOKED, DETENTION_MISSED
from sanctions.services.detentions import sanction_schedule
from school.models import NonSchoolDay
from tests.factories import PupilFactory
from tests.test_permissions import PERSONAS, persona

from .helpers import when_it_starts
from .permission_rows_detentions import POST_ONLY
from .test_detentions_scheduling import FRI, MON, TUE, at, sanction_for, session

Status = DetentionBooking.Status
WED = TUE + datetime.timedelta(days=1)


@pytest.fixture
def friday(time_machine):
    time_machine.move_to(at(FRI, 9), tick=False)


def booked(world, pupil, day_session):
    """A booking of the pupil's new sanction into this session."""
    return DetentionBooking.objects.create(
        school=world.school, sanction=sanction_for(world, pupil), session=day_session
    )


def series_post(**changes):
    data = {
        "what": "series",
        "date": "2026-11-30",
        "end_date": "2026-12-11",
        "weekdays": ["1", "3"],
        "start_time": "15:30",
        "end_time": "16:30",
        "room": "B12",
        "supervisor": "",
        "capacity": "15",
    }
    return {k: v for k, v in (data | changes).items() if v is not None}


# The list page ---------------------------------------------------------------------------


def test_the_list_shows_upcoming_sessions_with_places_taken(client, world, friday):
    monday = session(world, MON, capacity=12)
    session(world, FRI - datetime.timedelta(days=7))  # past
    booked(world, world.pupil, monday)
    client.force_login(world.head_of_house)
    response = client.get(reverse("sanctions_detentions"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["sessions"]] == [monday.pk]
    text = response.content.decode()
    assert "Mon 30/11/2026" in text and "1/12" in text and "B12" in text
    assert response.context["form"] is None  # heads of house do not add sessions


def test_a_head_of_year_adds_a_weekly_series(client, world, friday):
    NonSchoolDay.objects.create(
        school=world.school, date=WED + datetime.timedelta(days=1), kind="inset"
    )
    client.force_login(world.head_of_year)
    response = client.post(
        reverse("sanctions_detentions"), series_post(supervisor=str(world.teacher.pk))
    )
    assert response.status_code == 302
    sessions = DetentionSession.objects.order_by("date")
    # Tuesdays and Thursdays from 30/11 to 11/12, without the INSET day on Thursday 3/12.
    assert [s.date.day for s in sessions] == [1, 8, 10]
    assert {(s.supervisor, s.capacity, s.created_by) for s in sessions} == {
        (world.teacher, 15, world.head_of_year)
    }


def test_a_senior_leader_adds_one_session(client, world, friday):
    client.force_login(world.senior_leader)
    response = client.post(
        reverse("sanctions_detentions"), series_post(what="single", end_date=None, weekdays=None)
    )
    assert response.status_code == 302
    assert DetentionSession.objects.get().date == MON


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"weekdays": None}, "Choose at least one day of the week."),
        ({"end_date": "2026-11-20"}, "The last day must be on or after the first day."),
        ({"end_time": "15:00"}, "The session must end after it starts."),
        ({"capacity": "0"}, "greater than or equal to 1"),
        ({"room": ""}, "Give the room."),
        ({"what": "single", "date": "2026-11-28"}, "is not a school day"),
        ({"date": "2026-11-28", "end_date": "2026-11-29"}, "No school day"),
    ],
    ids=["no days", "ends first", "times", "capacity", "room", "Saturday", "weekend only"],
)
def test_bad_session_input_is_shown_and_nothing_is_added(client, world, friday, changes, error):
    client.force_login(world.head_of_year)
    response = client.post(reverse("sanctions_detentions"), series_post(**changes))
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not DetentionSession.objects.exists()


def test_the_supervisors_offered_are_the_schools_staff_with_a_role_and_a_choice_stays(
    client, world, friday
):
    client.force_login(world.head_of_year)
    response = client.post(
        reverse("sanctions_detentions"), series_post(room="", supervisor=str(world.teacher.pk))
    )
    assert response.status_code == 400
    text = response.content.decode()
    select = text[text.index('<select name="supervisor"') : text.index("</select>")]
    assert '<option value="">Not yet known</option>' in select
    assert f'<option value="{world.teacher.pk}" selected>{escape(world.teacher)}</option>' in select
    assert (
        f'<option value="{world.head_of_year.pk}">{escape(world.head_of_year)}</option>' in select
    )
    assert f'value="{world.other_school_staff.pk}"' not in select
    assert f'value="{world.pupil.user.pk}"' not in select
    assert 'class="select form-select' in select


def test_a_supervisor_from_another_school_is_refused(client, world, friday):
    client.force_login(world.head_of_year)
    response = client.post(
        reverse("sanctions_detentions"), series_post(supervisor=str(world.other_school_staff.pk))
    )
    assert response.status_code == 400
    assert not DetentionSession.objects.exists()


def test_a_head_of_house_cannot_add_sessions(client, world, friday):
    client.force_login(world.head_of_house)
    response = client.post(reverse("sanctions_detentions"), series_post())
    assert response.status_code == 404
    assert not DetentionSession.objects.exists()


def test_a_supervisor_sees_only_their_own_sessions(client, world, friday):
    mine = session(world, MON)
    DetentionSession.objects.create(
        school=world.school,
        date=TUE,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="C1",
        supervisor=world.other_teacher,
        capacity=5,
    )
    client.force_login(world.teacher)
    response = client.get(reverse("sanctions_detentions"))
    assert [s.pk for s in response.context["sessions"]] == [mine.pk]
    assert response.context["form"] is None


def test_a_teacher_with_no_pastoral_role_gets_404(client, world):
    client.force_login(world.other_teacher)
    assert client.get(reverse("sanctions_detentions")).status_code == 404


# The check list --------------------------------------------------------------------------


def flagged_booking(world, **flag):
    pupil = PupilFactory(tutor_group=world.tg_7a, house=world.house_b, **flag)
    session(world, MON)
    return sanction_schedule(sanction=sanction_for(world, pupil), now=at(FRI, 9))


@pytest.mark.parametrize(
    "flag",
    [{"young_carer": True}, {"sen": "ehcp"}, {"travel_note": "Bus 42 leaves at 15:40"}],
    ids=["young carer", "SEN", "travel note"],
)
def test_a_flagged_pupil_is_on_the_head_of_years_check_list(client, world, friday, flag):
    booking = flagged_booking(world, **flag)
    client.force_login(world.head_of_year)
    response = client.get(reverse("sanctions_detentions"))
    assert response.context["to_check"] == [booking]
    assert "Check before confirming (1)" in response.content.decode()


def test_the_check_list_holds_only_the_viewers_pupils(client, world, friday):
    flagged_booking(world, young_carer=True)  # Year 7, house Curie
    client.force_login(world.head_of_house)  # Brunel
    assert client.get(reverse("sanctions_detentions")).context["to_check"] == []


def test_confirming_from_the_check_list_books_and_tells_parents(client, world, friday):
    booking = flagged_booking(world, young_carer=True)
    booking.sanction.pupil.guardian_links.create(guardian=world.guardian, relationship="mother")
    client.force_login(world.head_of_year)
    response = client.post(reverse("sanctions_booking_confirm", args=[booking.pk]))
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED
    assert Notification.objects.filter(kind=DETENTION_BOOKED).count() == 1


def test_confirm_answers_get_with_405_and_others_with_404(client, world, friday):
    booking = flagged_booking(world, young_carer=True)
    url = reverse("sanctions_booking_confirm", args=[booking.pk])
    client.force_login(world.head_of_year)
    assert client.get(url).status_code == 405
    for outsider in (world.head_of_house, world.teacher, world.other_school_staff):
        client.force_login(outsider)
        assert client.post(url).status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.NEEDS_CHECK


# The register ----------------------------------------------------------------------------


def test_the_register_lists_the_booked_pupils_with_year_tutor_group_and_flags(
    client, world, friday, time_machine
):
    monday = session(world, MON)
    booked(world, world.pupil, monday)
    when_it_starts(time_machine, monday)
    client.force_login(world.teacher)  # the supervisor
    response = client.get(reverse("sanctions_detention_session", args=[monday.pk]))
    text = response.content.decode()
    assert "Okafor, Amara" in text and "Year 7" in text and "7A" in text and "FSM" in text
    assert 'name="mark_' in text


def test_saving_the_register_serves_rebooks_or_records_the_absence(
    client, world, friday, time_machine
):
    monday, tuesday = session(world, MON), session(world, TUE)
    came = booked(world, world.pupil, monday)
    excused = booked(world, world.classmate, monday)
    truant = booked(world, world.year8_pupil, monday)
    when_it_starts(time_machine, monday)
    client.force_login(world.teacher)
    response = client.post(
        reverse("sanctions_detention_register", args=[monday.pk]),
        {
            f"mark_{came.pk}": "attended",
            f"mark_{excused.pk}": "absent_authorised",
            f"notes_{excused.pk}": "Dentist",
            f"mark_{truant.pk}": "absent_unauthorised",
        },
    )
    assert response.status_code == 302
    for booking in (came, excused, truant):
        booking.refresh_from_db()
    assert came.status == Status.ATTENDED
    assert came.sanction.status == Sanction.Status.SERVED
    assert (excused.status, excused.notes) == (Status.REBOOKED, "Dentist")
    assert excused.sanction.bookings.get(status=Status.BOOKED).session == tuesday
    assert excused.sanction.status == Sanction.Status.TO_SCHEDULE
    assert truant.status == Status.ABSENT_UNAUTHORISED
    assert truant.sanction.status == Sanction.Status.TO_SCHEDULE


def test_the_register_records_what_each_pupil_did_and_shows_it_again(
    client, world, friday, time_machine
):
    monday = session(world, MON)
    came = booked(world, world.pupil, monday)
    truant = booked(world, world.year8_pupil, monday)
    url = reverse("sanctions_detention_register", args=[monday.pk])
    when_it_starts(time_machine, monday)
    client.force_login(world.teacher)
    client.post(
        url,
        {
            f"mark_{came.pk}": "attended",
            f"did_{came.pk}": ["restorative", "homework", "juggling"],
            f"mark_{truant.pk}": "absent_unauthorised",
            f"did_{truant.pk}": "homework",  # ticked by mistake: an absent pupil did nothing
        },
    )
    came.refresh_from_db()
    truant.refresh_from_db()
    assert (came.restorative_done, came.homework_completed) == (True, True)
    assert (truant.restorative_done, truant.homework_completed) == (False, False)
    rows = client.get(reverse("sanctions_detention_session", args=[monday.pk])).context["rows"]
    assert {row["booking"].pk: row["did"] for row in rows}[came.pk] == {"restorative", "homework"}

    client.post(url, {f"mark_{came.pk}": "attended", f"did_{came.pk}": "restorative"})
    came.refresh_from_db()
    assert (came.restorative_done, came.homework_completed) == (True, False)


def test_missing_a_detention_without_a_reason_tells_the_parents(
    client, world, friday, time_machine
):
    monday = session(world, MON)
    truant = booked(world, world.pupil, monday)
    when_it_starts(time_machine, monday)
    client.force_login(world.teacher)
    client.post(
        reverse("sanctions_detention_register", args=[monday.pk]),
        {f"mark_{truant.pk}": "absent_unauthorised"},
    )
    told = Notification.objects.get(kind=DETENTION_MISSED)
    assert (told.guardian, told.context["date"]) == (world.guardian, MON.isoformat())

    # Saving the same register again does not tell them twice.
    client.post(
        reverse("sanctions_detention_register", args=[monday.pk]),
        {f"mark_{truant.pk}": "absent_unauthorised", f"notes_{truant.pk}": "No reason given"},
    )
    assert Notification.objects.filter(kind=DETENTION_MISSED).count() == 1


def test_an_authorised_absence_with_no_later_session_waits_to_be_rebooked(
    client, world, friday, time_machine
):
    monday = session(world, MON)
    excused = booked(world, world.classmate, monday)
    when_it_starts(time_machine, monday)
    client.force_login(world.head_of_year)
    response = client.post(
        reverse("sanctions_detention_register", args=[monday.pk]),
        {f"mark_{excused.pk}": "absent_authorised"},
        follow=True,
    )
    assert "could not be rebooked" in response.content.decode()
    excused.refresh_from_db()
    assert excused.status == Status.ABSENT_AUTHORISED


def test_a_bad_mark_re_renders_the_register_and_saves_nothing(client, world, friday, time_machine):
    monday = session(world, MON)
    first = booked(world, world.pupil, monday)
    second = booked(world, world.classmate, monday)
    when_it_starts(time_machine, monday)
    client.force_login(world.head_of_year)
    response = client.post(
        reverse("sanctions_detention_register", args=[monday.pk]),
        {
            f"mark_{first.pk}": "attended",
            f"mark_{second.pk}": "vanished",
            f"notes_{first.pk}": "x" * 301,
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing was saved" in text and "at most 300 characters" in text
    assert set(DetentionBooking.objects.values_list("status", flat=True)) == {Status.BOOKED}
    assert not Sanction.objects.filter(status=Sanction.Status.SERVED).exists()


def test_the_register_answers_get_with_405(client, world):
    monday = session(world, MON)
    client.force_login(world.head_of_year)
    url = reverse("sanctions_detention_register", args=[monday.pk])
    assert client.get(url).status_code == 405


def test_outsiders_cannot_open_or_save_a_register(client, world, friday):
    monday = session(world, MON)
    booking = booked(world, world.pupil, monday)
    for outsider in (world.other_teacher, world.other_school_staff, world.lsa):
        client.force_login(outsider)
        assert (
            client.get(reverse("sanctions_detention_session", args=[monday.pk])).status_code == 404
        )
        response = client.post(
            reverse("sanctions_detention_register", args=[monday.pk]),
            {f"mark_{booking.pk}": "attended"},
        )
        assert response.status_code == 404
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


# Query budgets ---------------------------------------------------------------------------


def pupils(world, n):
    return [world.pupil] + [PupilFactory(tutor_group=world.tg_7a) for _ in range(n - 1)]


@pytest.mark.parametrize("rows", [1, 8])
def test_the_list_page_query_budget_does_not_grow_with_rows(
    client, world, friday, django_assert_num_queries, rows
):
    for n, pupil in enumerate(pupils(world, rows)):
        day_session = session(world, MON + datetime.timedelta(days=n % 2 + 7 * (n // 2)))
        pupil.young_carer = True
        pupil.save()
        DetentionBooking.objects.create(
            school=world.school,
            sanction=sanction_for(world, pupil),
            session=day_session,
            status=Status.NEEDS_CHECK,
        )
        sanction_for(world, pupil, cycle=2)  # no session yet
    client.force_login(world.head_of_year)
    # session, user, roles, sessions with places taken, bookings to check, detentions
    # waiting for a session and the bookings saying where each stands, supervisors for
    # the form's select.
    with django_assert_num_queries(8):
        response = client.get(reverse("sanctions_detentions"))
    assert len(response.context["to_check"]) == len(response.context["waiting"]) == rows


@pytest.mark.parametrize("rows", [1, 8])
def test_the_register_query_budget_does_not_grow_with_rows(
    client, world, friday, django_assert_num_queries, rows
):
    monday = session(world, MON, capacity=10)
    for pupil in pupils(world, rows):
        booked(world, pupil, monday)
    client.force_login(world.head_of_year)
    # session, user, roles, the session with places taken, its bookings with pupils.
    with django_assert_num_queries(5):
        response = client.get(reverse("sanctions_detention_session", args=[monday.pk]))
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("page", POST_ONLY)
@pytest.mark.parametrize("who", PERSONAS)
def test_get_on_a_post_address_answers_405_to_its_users_and_404_to_others(
    client, homework_world, page, who
):
    build_url, allowed = POST_ONLY[page]
    client.force_login(persona(homework_world, who))
    response = client.get(build_url(homework_world))
    assert response.status_code == (405 if who in allowed else 404)
