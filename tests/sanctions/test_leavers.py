"""A pupil who has left climbs no ladder and sits no detention: no missed deadline is
recorded for them, their sanctions leave the dashboard's lists and the waiting lists and
are never booked, their bookings on or after the leaving day leave the session's register
and free the place, their meetings leave the lists to act on, and nobody commends them;
their timeline still shows everything for the staff who look after them.

The week of Monday 23rd November 2026 (GMT), as in the dashboard's tests."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from homework.models import Assignment
from homework.services.planner import submission_submit
from homework.services.setting import HomeworkDetails, homework_set
from sanctions.models import (
    DetentionBooking,
    DetentionSession,
    Meeting,
    MeetingWith,
    Miss,
    Sanction,
)
from sanctions.services.detentions import sanction_schedule
from sanctions.services.misses import miss_record
from sanctions.services.policy import policy_current
from tests.factories import PupilFactory
from tests.sanctions.helpers import overdue_assignments

LONDON = zoneinfo.ZoneInfo("Europe/London")
MON, TUE, WED, THU, FRI = (datetime.date(2026, 11, day) for day in range(23, 28))
DASHBOARD = reverse("sanctions_dashboard")


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def leave(pupil, on):
    pupil.left_on = on
    pupil.save(update_fields=["left_on"])


def session(world, day, capacity=10):
    return DetentionSession.objects.create(
        school=world.school,
        date=day,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        supervisor=world.teacher,
        capacity=capacity,
    )


def sanction_of(world, pupil) -> Sanction:
    """Three recorded misses: the pupil's first sanction."""
    miss_record(recorder=world.teacher, assignments=overdue_assignments(world, pupil, 3))
    return Sanction.objects.get(pupil=pupil)


@pytest.fixture
def monday(world, time_machine):
    time_machine.move_to(at(MON, 9), tick=False)
    return world


def get(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def test_misses_ticked_on_a_register_skip_a_leaver(client, monday):
    w = monday
    (homework,) = homework_set(
        teacher=w.teacher,
        teaching_groups=[w.maths_7],
        details=HomeworkDetails(
            title="Fractions",
            instructions="Do it.",
            set_on=MON - datetime.timedelta(days=7),
            due_at=at(MON, 8),
            estimated_minutes=30,
        ),
    )
    ticked = list(homework.assignments.values_list("pk", flat=True))
    leave(w.pupil, MON)
    client.force_login(w.teacher)

    response = client.post(
        reverse("sanctions_miss_record", args=[homework.pk]), {"missed": ticked, "reason": ""}
    )

    assert response.status_code == 302
    assert list(
        Miss.objects.filter(assignment__homework=homework).values_list("pupil_id", flat=True)
    ) == [w.classmate.pk]


def test_a_leavers_misses_and_sanction_leave_the_dashboard_but_stay_on_their_timeline(
    client, monday
):
    w = monday
    sanction_of(w, w.pupil)
    sanction_of(w, w.classmate)
    board = get(client, w.head_of_year, DASHBOARD).context["board"]
    assert {row.pupil.pk for row in board.pupils} == {w.pupil.pk, w.classmate.pk}
    leave(w.pupil, MON)

    board = get(client, w.head_of_year, DASHBOARD).context["board"]
    assert [row.pupil.pk for row in board.pupils] == [w.classmate.pk]
    assert [row.sanction.pupil_id for row in board.pending] == [w.classmate.pk]
    for who in (w.head_of_year, w.senior_leader, w.teacher):  # the teacher is 7A's tutor
        timeline = get(client, who, reverse("sanctions_pupil", args=[w.pupil.pk]))
        assert len(timeline.context["timeline"].misses) == 3
        assert len(timeline.context["timeline"].sanctions) == 1
        assert "Left the school on 23/11/2026" in timeline.content.decode()


def test_a_leavers_sanction_is_never_booked_nor_listed_as_waiting(client, monday):
    w = monday
    sanction = sanction_of(w, w.pupil)  # no session yet: it waits for one
    leave(w.pupil, TUE)
    session(w, WED)

    # leaving tomorrow, they are not booked into a session after their last day ...
    assert sanction_schedule(sanction=sanction, now=at(MON, 10)) is None
    assert not DetentionBooking.objects.filter(sanction=sanction).exists()
    page = get(client, w.head_of_year, reverse("sanctions_detentions"))
    assert [s.pk for s in page.context["waiting"]] == [sanction.pk]
    # ... and once they have left, nobody waits for a place for them
    leave(w.pupil, MON)
    page = get(client, w.head_of_year, reverse("sanctions_detentions"))
    assert page.context["waiting"] == []


def test_adding_sessions_books_the_waiting_pupils_on_roll_only(client, monday):
    w = monday
    leaver = sanction_of(w, w.pupil)
    staying = sanction_of(w, w.classmate)
    leave(w.pupil, MON)
    client.force_login(w.head_of_year)

    response = client.post(
        reverse("sanctions_detentions"),
        {
            "what": "single",
            "date": "25/11/2026",
            "start_time": "15:30",
            "end_time": "16:30",
            "room": "B12",
            "supervisor": w.teacher.pk,
            "capacity": "10",
        },
    )

    assert response.status_code == 302
    assert DetentionBooking.objects.filter(sanction=staying).exists()
    assert not DetentionBooking.objects.filter(sanction=leaver).exists()


def test_a_booking_on_or_after_the_leaving_day_leaves_the_register_and_frees_its_place(
    client, monday
):
    w = monday
    wednesday = session(w, WED, capacity=1)
    sanction = sanction_of(w, w.pupil)
    booking = DetentionBooking.objects.get(sanction=sanction)
    assert booking.session == wednesday
    leave(w.pupil, TUE)

    register = get(
        client, w.head_of_year, reverse("sanctions_detention_session", args=[wednesday.pk])
    )
    assert register.context["rows"] == []
    listed = get(client, w.head_of_year, reverse("sanctions_detentions"))
    (shown,) = [s for s in listed.context["sessions"] if s.pk == wednesday.pk]
    assert shown.taken == 0
    # the place is free for the next pupil who needs it
    other = sanction_of(w, w.classmate)
    assert DetentionBooking.objects.get(sanction=other).session == wednesday
    # and the leaver's booking stays on their timeline
    timeline = get(client, w.head_of_year, reverse("sanctions_pupil", args=[w.pupil.pk]))
    assert [b.pk for b in timeline.context["timeline"].bookings] == [booking.pk]


def test_a_booking_before_the_leaving_day_stays_on_the_register(client, monday):
    w = monday
    wednesday = session(w, WED)
    sanction_of(w, w.pupil)
    leave(w.pupil, THU)

    register = get(
        client, w.head_of_year, reverse("sanctions_detention_session", args=[wednesday.pk])
    )
    assert [row["pupil"].pk for row in register.context["rows"]] == [w.pupil.pk]


def test_a_leavers_meeting_leaves_the_list_of_meetings_to_arrange(client, monday):
    w = monday
    step = policy_current(school=w.school).steps.get(number=1)
    step.meeting_with = MeetingWith.HEAD_OF_YEAR
    step.save()
    sanction_of(w, w.pupil)
    sanction_of(w, w.classmate)
    page = get(client, w.head_of_year, reverse("sanctions_meetings")).context["lists"]
    assert {m.pupil_id for m in page.to_arrange} == {w.pupil.pk, w.classmate.pk}
    leave(w.pupil, MON)

    page = get(client, w.head_of_year, reverse("sanctions_meetings")).context["lists"]
    assert [m.pupil_id for m in page.to_arrange] == [w.classmate.pk]
    assert [m.pupil_id for m in page.others] == [w.pupil.pk]  # still on record
    board = get(client, w.head_of_year, DASHBOARD).context["board"]
    assert [m.pupil_id for m in board.meetings] == [w.classmate.pk]


def test_nobody_commends_a_leaver(client, monday):
    w = monday
    url = reverse("sanctions_commend", args=[w.pupil.pk])
    client.force_login(w.teacher)
    assert client.get(url).status_code == 200
    leave(w.pupil, MON)

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("leavers", [0, 12])
def test_the_dashboard_keeps_its_query_budget_with_leavers(
    client, monday, django_assert_num_queries, leavers
):
    w = monday
    session(w, WED, capacity=50)
    for pupil in PupilFactory.create_batch(leavers, tutor_group=w.tg_7a):
        sanction_of(w, pupil)
        leave(pupil, MON)
    sanction_of(w, w.classmate)
    client.force_login(w.head_of_year)
    # session, user, roles, the academic year, the current policy (one query), the
    # pupils on roll with their running counts, the sanctions to serve, the served
    # count, this week's sessions with their places, meetings to arrange, unauthorised
    # absences (none), the bookings the sanctions' stages are read from, half-terms,
    # failed messages, tutor group and subject choices
    with django_assert_num_queries(16):
        response = client.get(DASHBOARD)
    board = response.context["board"]
    assert [row.pupil.pk for row in board.pupils] == [w.classmate.pk]
    (wednesday,) = board.sessions
    assert wednesday.taken == 1


def test_a_leavers_handed_in_work_on_a_register_offers_no_commendation(client, monday):
    w = monday
    (homework,) = homework_set(
        teacher=w.teacher,
        teaching_groups=[w.maths_7],
        details=HomeworkDetails(
            title="Fractions",
            instructions="Do it.",
            set_on=MON - datetime.timedelta(days=7),
            due_at=at(MON, 8),
            estimated_minutes=30,
        ),
    )
    assignment = homework.assignments.get(pupil=w.pupil)
    submission_submit(assignment=assignment, text="My answers", now=at(MON, 7))
    commend = reverse("sanctions_commend", args=[w.pupil.pk])
    register = reverse("homework_register", args=[homework.pk])
    assert commend in get(client, w.teacher, register).content.decode()
    leave(w.pupil, MON)

    page = get(client, w.teacher, register).content.decode()
    assert "Left 23/11/2026" in page  # still listed: her work may be marked
    assert commend not in page


def test_no_meeting_is_arranged_for_a_day_after_the_pupil_leaves(client, monday):
    w = monday
    step = policy_current(school=w.school).steps.get(number=1)
    step.meeting_with = MeetingWith.FORM_TUTOR
    step.save()
    sanction_of(w, w.pupil)
    meeting = Meeting.objects.get(pupil=w.pupil)
    leave(w.pupil, THU)
    client.force_login(w.teacher)  # 7A's tutor owns it
    url = reverse("sanctions_meeting", args=[meeting.pk])

    def arrange(day):
        data = {"action": "arrange", "date": f"{day:%Y-%m-%d}", "time": "15:30", "place": "7A"}
        return client.post(url, data)

    response = arrange(FRI)
    assert response.status_code == 400
    assert "leaves the school on 26/11/2026" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.TO_ARRANGE
    assert arrange(WED).status_code == 302  # before the leaving day it may still be held


def test_a_leavers_homework_gets_no_extension(client, monday):
    w = monday
    (assignment,) = overdue_assignments(w, w.pupil, 1)
    leave(w.pupil, MON)
    client.force_login(w.teacher)

    response = client.post(
        reverse("sanctions_extension", args=[assignment.pk]),
        {"date": f"{THU:%Y-%m-%d}", "time": "08:30", "reason": "Ill at the weekend."},
    )

    assert response.status_code == 400
    assert "has left the school" in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).due_at == assignment.due_at
