"""The dashboard's lists of what follows a sanction: where each sanction to serve stands,
this week's sessions with their places, internal exclusion days, meetings to arrange and
unauthorised absences, each scoped to the viewer's years and houses and downloadable as
CSV."""

import csv
import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse
from django.utils.html import escape

from sanctions.models import (
    DetentionBooking,
    DetentionSession,
    Meeting,
    MeetingWith,
    Sanction,
    SessionKind,
)
from sanctions.services.detentions import detention_register_save
from sanctions.services.misses import miss_record
from sanctions.services.policy import policy_current
from sanctions.stages import Stage
from tests.factories import PupilFactory
from tests.sanctions.helpers import overdue_assignments

URL = reverse("sanctions_dashboard")
LONDON = zoneinfo.ZoneInfo("Europe/London")
Status = DetentionBooking.Status

# The week of Monday 23rd to Sunday 29th November 2026; the page is read on Wednesday.
MON, TUE, WED, THU, FRI = (datetime.date(2026, 11, day) for day in range(23, 28))
NEXT_MON = datetime.date(2026, 11, 30)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def _session(world, day, *, kind=SessionKind.DETENTION, capacity=10, room="B12"):
    start, end = (
        (datetime.time(8, 40), datetime.time(15, 10))
        if kind == SessionKind.INTERNAL_EXCLUSION
        else (datetime.time(15, 30), datetime.time(16, 30))
    )
    return DetentionSession.objects.create(
        school=world.school,
        kind=kind,
        date=day,
        start_time=start,
        end_time=end,
        room=room,
        supervisor=world.teacher,
        capacity=capacity,
    )


def _misses(world, pupil, count=3):
    return miss_record(recorder=world.teacher, assignments=overdue_assignments(world, pupil, count))


@pytest.fixture
def week(world, time_machine):
    """Step 1 of the ladder adds a meeting with the head of year. On Monday Bartek (7B,
    Curie) and Chidi (8A, Brunel) earn a detention each and are booked into Tuesday's;
    both miss it without a reason, and Friday's one internal exclusion place goes to
    Bartek, so Chidi waits for a day. On Tuesday evening Amara (7A, Brunel) and Efe (7A,
    Curie, a young carer, so to check) earn detentions booked into Thursday's. Efe's
    meeting is arranged. The page is read on Wednesday morning."""
    w = world
    step = policy_current(school=w.school).steps.get(number=1)
    step.meeting_with = MeetingWith.HEAD_OF_YEAR
    step.save()
    time_machine.move_to(at(MON, 8), tick=False)
    w.tue = _session(w, TUE)
    w.thu = _session(w, THU, capacity=12)
    w.next_mon = _session(w, NEXT_MON)
    w.ie_fri = _session(w, FRI, kind=SessionKind.INTERNAL_EXCLUSION, capacity=1, room="IE1")
    w.efe = PupilFactory(
        tutor_group=w.tg_7a, house=w.house_b, first_name="Efe", last_name="Adeyemi"
    )
    w.efe.young_carer = True
    w.efe.save()

    time_machine.move_to(at(MON, 9), tick=False)
    _misses(w, w.classmate)
    _misses(w, w.year8_pupil)
    time_machine.move_to(at(TUE, 16, 40), tick=False)
    bookings = {b.sanction.pupil_id: b for b in w.tue.bookings.select_related("sanction")}
    detention_register_save(
        session=w.tue,
        marks={
            bookings[w.classmate.pk].pk: (Status.ABSENT_UNAUTHORISED, "Went home"),
            bookings[w.year8_pupil.pk].pk: (Status.ABSENT_UNAUTHORISED, ""),
        },
        actor=w.teacher,
    )
    time_machine.move_to(at(TUE, 17), tick=False)
    _misses(w, w.pupil)
    _misses(w, w.efe)
    Meeting.objects.filter(pupil=w.efe).update(status=Meeting.Status.ARRANGED)
    time_machine.move_to(at(WED, 10), tick=False)
    return w


def _board(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.context["board"], response.content.decode()


def _names(rows, pupil=lambda row: row.sanction.pupil):
    return {pupil(row).first_name for row in rows}


def test_each_sanction_to_serve_says_where_it_stands(client, week):
    w = week
    board, content = _board(client, w.senior_leader)
    stages = {row.sanction.pupil.first_name: row for row in board.pending}
    assert {name: row.stage for name, row in stages.items()} == {
        "Amara": Stage.BOOKED,
        "Efe": Stage.TO_CHECK,
        "Bartek": Stage.EXCLUSION_BOOKED,
        "Chidi": Stage.WAITING_EXCLUSION,
    }
    assert stages["Amara"].booking.session == w.thu
    assert stages["Efe"].booking.session == w.thu
    assert stages["Bartek"].booking.session == w.ie_fri
    assert stages["Chidi"].booking is None
    assert "Detention booked for Thu 26/11/2026" in content
    assert "Detention on Thu 26/11/2026 to check before confirming" in content
    assert "internal exclusion booked for Fri 27/11/2026" in content
    assert "waiting for an internal exclusion day" in content
    # The detention register is one click away.
    assert reverse("sanctions_detention_session", args=[w.thu.pk]) in content


def test_a_sanction_with_no_session_yet_is_waiting_for_one(client, week, time_machine):
    dana = week.year8_other
    time_machine.move_to(at(NEXT_MON, 18), tick=False)  # after the last session
    _misses(week, dana)
    board, content = _board(client, week.senior_leader)
    (row,) = [row for row in board.pending if row.sanction.pupil == dana]
    assert row.stage == Stage.WAITING
    assert "To schedule: waiting for a detention session with room" in content


def test_this_weeks_sessions_show_places_taken_and_the_viewers_pupils(client, week):
    w = week
    board, content = _board(client, w.senior_leader)
    assert board.week == (MON, MON + datetime.timedelta(days=6))
    assert [(s.pk, s.taken, s.capacity, s.mine) for s in board.sessions] == [
        (w.tue.pk, 2, 10, 2),
        (w.thu.pk, 2, 12, 2),
        (w.ie_fri.pk, 1, 1, 1),
    ]  # next Monday's session is next week
    assert "2/12" in content and "1/1" in content and "Full" in content
    assert reverse("sanctions_detention_session", args=[w.tue.pk]) in content

    board, _ = _board(client, w.head_of_house)  # Brunel: Amara and Chidi
    assert [(s.taken, s.mine) for s in board.sessions] == [(2, 1), (2, 1), (1, 0)]
    board, _ = _board(client, w.head_of_year)  # Year 7: Amara, Efe and Bartek
    assert [(s.taken, s.mine) for s in board.sessions] == [(2, 1), (2, 2), (1, 1)]


def test_another_schools_head_sees_none_of_our_sessions(client, week):
    board, content = _board(client, week.other_school_staff)
    assert board.sessions == []
    assert "B12" not in content


def test_internal_exclusion_lists_days_booked_and_pupils_waiting(client, week):
    w = week
    board, content = _board(client, w.senior_leader)
    assert [(r.sanction.pupil.first_name, r.exclusion.session) for r in board.exclusions] == [
        ("Bartek", w.ie_fri)
    ]
    assert _names(board.waiting_exclusion) == {"Chidi"}
    assert "Fri 27/11/2026, IE1" in content
    assert reverse("sanctions_exclusion_session", args=[w.ie_fri.pk]) in content
    assert reverse("sanctions_exclusions") in content
    assert "Waiting for an internal exclusion day with room" in content


def test_an_exclusion_day_passed_without_a_register_is_flagged(client, week, time_machine):
    time_machine.move_to(at(FRI + datetime.timedelta(days=3), 9), tick=False)
    _, content = _board(client, week.senior_leader)
    assert "Register not taken" in content


def test_meetings_to_arrange_with_their_owner_or_none_yet(client, week):
    w = week
    board, content = _board(client, w.senior_leader)
    owners = {m.pupil.first_name: m.owner for m in board.meetings}
    # Efe's is arranged already; year 8 has no head of year.
    assert owners == {"Amara": w.head_of_year, "Bartek": w.head_of_year, "Chidi": None}
    assert {m.status for m in board.meetings} == {Meeting.Status.TO_ARRANGE}
    assert "No owner yet" in content
    for meeting in board.meetings:
        assert reverse("sanctions_meeting", args=[meeting.pk]) in content
    assert reverse("sanctions_meetings") in content
    assert escape(w.head_of_year) in content


def test_unauthorised_absences_say_where_the_sanction_stands_since(client, week):
    w = week
    board, content = _board(client, w.senior_leader)
    rows = {row.booking.sanction.pupil.first_name: row for row in board.absences}
    assert set(rows) == {"Bartek", "Chidi"}
    assert rows["Bartek"].where.stage == Stage.EXCLUSION_BOOKED
    assert rows["Bartek"].exclusion.session == w.ie_fri
    assert rows["Bartek"].booking.notes == "Went home"
    assert rows["Chidi"].where.stage == Stage.WAITING_EXCLUSION
    assert rows["Chidi"].exclusion is None
    assert "Went home" in content
    assert "internal exclusion booked for Fri 27/11/2026" in content


def test_a_missed_exclusion_day_is_to_follow_up(client, week, time_machine):
    w = week
    time_machine.move_to(at(FRI, 15, 30), tick=False)
    booking = w.ie_fri.bookings.get()
    detention_register_save(
        session=w.ie_fri,
        marks={booking.pk: (Status.ABSENT_UNAUTHORISED, "Not in school")},
        actor=w.teacher,
    )
    board, content = _board(client, w.senior_leader)
    (bartek,) = [r for r in board.pending if r.sanction.pupil == w.classmate]
    assert bartek.stage == Stage.EXCLUSION_MISSED
    rows = [
        (row.booking.kind, row.where.stage)
        for row in board.absences
        if row.booking.sanction.pupil == w.classmate
    ]
    assert rows == [
        (SessionKind.INTERNAL_EXCLUSION, Stage.EXCLUSION_MISSED),
        (SessionKind.DETENTION, Stage.EXCLUSION_MISSED),
    ]  # newest first, each saying where the sanction stands now
    assert "Not in school" in content


def test_an_attended_exclusion_day_serves_the_sanction_and_leaves_the_lists(
    client, week, time_machine
):
    w = week
    time_machine.move_to(at(FRI, 15, 30), tick=False)
    booking = w.ie_fri.bookings.get()
    detention_register_save(
        session=w.ie_fri, marks={booking.pk: (Status.ATTENDED, "")}, actor=w.teacher
    )
    board, _ = _board(client, w.senior_leader)
    assert "Bartek" not in _names(board.pending)
    assert board.exclusions == []
    (row,) = [r for r in board.absences if r.booking.sanction.pupil == w.classmate]
    assert row.where.stage == Stage.SERVED
    assert row.label == "Served: internal exclusion day attended on Fri 27/11/2026"
    assert board.served == 1


def test_absences_of_cancelled_sanctions_say_so(client, week):
    Sanction.objects.filter(pupil=week.year8_pupil).update(status=Sanction.Status.CANCELLED)
    board, _ = _board(client, week.senior_leader)
    (row,) = [r for r in board.absences if r.booking.sanction.pupil == week.year8_pupil]
    assert (row.where.stage, row.label) == (Stage.CANCELLED, "Cancelled")
    assert "Chidi" not in _names(board.pending)


def test_head_of_year_sees_only_their_years_pupils_in_every_list(client, week):
    board, content = _board(client, week.head_of_year)
    assert _names(board.pending) == {"Amara", "Efe", "Bartek"}
    assert _names(board.exclusions) == {"Bartek"}
    assert board.waiting_exclusion == []
    assert _names(board.meetings, lambda m: m.pupil) == {"Amara", "Bartek"}
    assert _names(board.absences, lambda r: r.booking.sanction.pupil) == {"Bartek"}
    assert "Chidi" not in content


def test_head_of_house_sees_only_their_houses_pupils_in_every_list(client, week):
    board, content = _board(client, week.head_of_house)
    assert _names(board.pending) == {"Amara", "Chidi"}
    assert board.exclusions == []
    assert _names(board.waiting_exclusion) == {"Chidi"}
    assert _names(board.meetings, lambda m: m.pupil) == {"Amara", "Chidi"}
    assert _names(board.absences, lambda r: r.booking.sanction.pupil) == {"Chidi"}
    for name in ("Bartek", "Efe"):
        assert name not in content


def test_the_lists_follow_the_tutor_group_and_pupil_group_filters(client, week):
    w = week
    board, _ = _board(client, w.head_of_year, tutor_group=w.tg_7b.pk)
    assert _names(board.pending) == {"Bartek"}
    assert _names(board.meetings, lambda m: m.pupil) == {"Bartek"}
    assert [(s.taken, s.mine) for s in board.sessions] == [(2, 1), (2, 0), (1, 1)]
    board, _ = _board(client, w.senior_leader, flags=["young_carer"])
    assert _names(board.pending) == {"Efe"}
    assert board.meetings == [] and board.absences == []


def test_the_lists_follow_the_subject_filter(client, week):
    w = week
    bartek_subject = (
        Sanction.objects.get(pupil=w.classmate)
        .misses.first()
        .assignment.homework.teaching_group.subject
    )
    board, _ = _board(client, w.senior_leader, subject=bartek_subject.pk)
    assert _names(board.pending) == {"Bartek"}
    assert _names(board.meetings, lambda m: m.pupil) == {"Bartek"}
    assert _names(board.absences, lambda r: r.booking.sanction.pupil) == {"Bartek"}
    assert [s.mine for s in board.sessions] == [1, 0, 1]


def test_the_summary_counts_each_list(client, week):
    _, content = _board(client, week.senior_leader)
    expected = {
        "count-pending": 4,
        "count-to-check": 1,
        "count-sessions": 3,
        "count-exclusions": 1,
        "count-waiting-exclusion": 1,
        "count-meetings": 3,
        "count-absences": 2,
        "count-served": 0,
    }
    for element_id, number in expected.items():
        assert f'id="{element_id}">{number}</dd>' in content, element_id


def _csv(client, user, which, **params):
    client.force_login(user)
    response = client.get(URL, {"format": "csv", "list": which, **params})
    assert response["Content-Type"].startswith("text/csv")
    assert f"sanctions-{which}-2026-27.csv" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_of_the_sanctions_to_serve_says_where_each_stands(client, week):
    header, *rows = _csv(client, week.head_of_year, "sanctions")
    assert header[-3:] == ["Where it stands", "Date", "Room"]
    stands = {row[0]: row[-3:] for row in rows}
    assert stands["Amara Okafor"] == ["Detention booked for Thu 26/11/2026", "26/11/2026", "B12"]
    assert stands["Efe Adeyemi"][0] == "Detention on Thu 26/11/2026 to check before confirming"
    assert stands["Bartek Nowak"][1:] == ["27/11/2026", "IE1"]
    assert len(rows) == 3


def test_csv_of_this_weeks_sessions(client, week):
    header, *rows = _csv(client, week.head_of_house, "sessions")
    assert header == [
        "Kind",
        "Date",
        "Time",
        "Room",
        "Supervisor",
        "Places taken",
        "Capacity",
        "Our pupils",
    ]
    assert rows[0] == [
        "Detention",
        "24/11/2026",
        "15:30–16:30",
        "B12",
        "Tess Teacher",
        "2",
        "10",
        "1",
    ]
    assert rows[2][:2] == ["Internal exclusion", "27/11/2026"]


def test_csv_of_internal_exclusion(client, week):
    _, *rows = _csv(client, week.senior_leader, "exclusions")
    assert [(row[0], row[-2]) for row in rows] == [
        ("Bartek Nowak", "27/11/2026"),
        ("Chidi Okafor", ""),
    ]


def test_csv_of_meetings_to_arrange(client, week):
    header, *rows = _csv(client, week.senior_leader, "meetings")
    assert header[:4] == ["Pupil", "Tutor group", "Meeting with", "Owner"]
    owners = {row[0]: row[3] for row in rows}
    assert owners == {
        "Amara Okafor": str(week.head_of_year),
        "Bartek Nowak": str(week.head_of_year),
        "Chidi Okafor": "No owner yet",
    }


def test_csv_of_unauthorised_absences(client, week):
    header, *rows = _csv(client, week.head_of_year, "absences")
    assert header == [
        "Pupil",
        "Tutor group",
        "Missed",
        "Date",
        "Notes",
        "What followed",
        "Exclusion day",
    ]
    assert rows == [
        [
            "Bartek Nowak",
            "7B",
            "Detention",
            "24/11/2026",
            "Went home",
            "Missed the detention without a reason: internal exclusion booked for Fri 27/11/2026",
            "27/11/2026",
        ]
    ]


def test_every_list_offers_its_csv(client, week):
    _, content = _board(client, week.head_of_year)
    for which in ("pupils", "sanctions", "sessions", "exclusions", "meetings", "absences"):
        assert f"format=csv&amp;list={which}" in content


def test_a_school_admin_reads_the_lists_without_links_to_registers_or_meetings(client, week):
    _, leader = _board(client, week.senior_leader)
    _, admin = _board(client, week.school_admin)

    for url in (
        reverse("sanctions_detentions"),
        reverse("sanctions_exclusions"),
        reverse("sanctions_meetings"),
        "/sanctions/detentions/",
    ):
        assert f'href="{url}' in leader
        assert f'href="{url}' not in admin
    assert "Okafor" in admin  # the lists themselves are there
