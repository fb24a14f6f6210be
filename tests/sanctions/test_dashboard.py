"""The head of year / head of house dashboard: who is closest to the next sanction, what
is to schedule, the counts, the per-half-term trend, the filters and the CSV downloads,
each scoped to the viewer's years and houses, in a fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from homework.services.setting import HomeworkDetails, homework_set
from sanctions.models import DetentionBooking, MeetingWith, Miss, Sanction, SessionKind
from sanctions.services.detentions import detention_register_save
from sanctions.services.misses import miss_record
from sanctions.services.policy import policy_current
from sanctions.stages import Stage
from school.models import HalfTerm
from tests.factories import HalfTermFactory, PupilFactory, SubjectFactory, TeachingGroupFactory
from tests.sanctions.helpers import overdue_assignments

from .test_dashboard_lists import FRI, MON, THU, TUE, WED, _session, at

URL = reverse("sanctions_dashboard")


def _half_terms(world):
    """Autumn 1 (before today, no misses) and Autumn 2 (covering today)."""
    today = timezone.localdate()
    HalfTermFactory(
        academic_year=world.academic_year,
        name="autumn_1",
        start_date=world.academic_year.start_date,
        end_date=today - datetime.timedelta(days=20),
    )
    HalfTermFactory(
        academic_year=world.academic_year,
        name="autumn_2",
        start_date=today - datetime.timedelta(days=19),
        end_date=today + datetime.timedelta(days=10),
    )


@pytest.fixture
def board_world(world):
    """Amara (7A, Brunel, FSM, EAL) 2 misses; Bartek (7B, Curie) 4 misses: one sanction
    to schedule, one miss open; Chidi (8A, Brunel) 1 miss."""
    _half_terms(world)
    world.a_misses = miss_record(
        recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 2)
    )
    world.b_assignments = overdue_assignments(world, world.classmate, 4)
    miss_record(recorder=world.teacher, assignments=world.b_assignments)
    miss_record(
        recorder=world.teacher, assignments=overdue_assignments(world, world.year8_pupil, 1)
    )
    return world


def _rows(response):
    return {row.pupil.first_name: row for row in response.context["board"].pupils}


def test_pupils_are_listed_closest_to_the_next_sanction_first(client, board_world):
    w = board_world
    client.force_login(w.senior_leader)
    response = client.get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    assert [row.pupil.first_name for row in board.pupils] == [
        "Amara",
        "Bartek",
        "Chidi",
    ]  # ties: more misses first
    rows = _rows(response)
    amara, bartek, chidi = rows["Amara"], rows["Bartek"], rows["Chidi"]
    assert (amara.counted, amara.open, amara.to_next, amara.completed) == (2, 2, 1, 0)
    assert amara.next_step.number == 1 and amara.next_step.meeting_with == MeetingWith.NONE
    assert (bartek.counted, bartek.open, bartek.to_next, bartek.completed) == (4, 1, 2, 1)
    assert bartek.next_step.meeting_with == MeetingWith.FORM_TUTOR
    assert (chidi.counted, chidi.open, chidi.to_next) == (1, 1, 2)
    content = response.content.decode()
    assert "+ meeting with form tutor" in content


def test_counts_at_the_top_and_the_sanctions_to_serve(client, board_world):
    w = board_world
    client.force_login(w.senior_leader)
    board = client.get(URL).context["board"]
    assert len(board.pupils) == 3
    assert board.half_term_now.misses == 7
    assert [
        (r.sanction.pupil.first_name, r.sanction.cycle, r.sanction.step_number, r.stage)
        for r in board.pending
    ] == [("Bartek", 1, 1, Stage.WAITING)]
    assert board.served == 0
    Sanction.objects.filter(pupil=w.classmate).update(status=Sanction.Status.SERVED)
    board = client.get(URL).context["board"]
    assert (board.served, board.pending) == (1, [])


def test_trend_counts_misses_per_half_term(client, board_world):
    client.force_login(board_world.senior_leader)
    response = client.get(URL)
    trend = response.context["board"].trend
    assert [(row.half_term.name, row.misses) for row in trend] == [
        ("autumn_1", 0),
        ("autumn_2", 7),
    ]
    assert '<meter class="w-100"' in response.content.decode()


def test_head_of_year_sees_only_their_year(client, board_world):
    client.force_login(board_world.head_of_year)
    response = client.get(URL)
    assert set(_rows(response)) == {"Amara", "Bartek"}
    assert "Chidi" not in response.content.decode()
    assert response.context["board"].half_term_now.misses == 6


def test_head_of_house_sees_only_their_house(client, board_world):
    client.force_login(board_world.head_of_house)
    response = client.get(URL)
    assert set(_rows(response)) == {"Amara", "Chidi"}
    assert response.context["board"].pending == []
    assert "Bartek" not in response.content.decode()


def test_another_schools_head_sees_nothing_of_ours(client, board_world):
    client.force_login(board_world.other_school_staff)
    response = client.get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("Amara", "Bartek", "Chidi"):
        assert name not in content


def test_tutors_and_subject_teachers_get_404(client, board_world):
    for who in (board_world.teacher, board_world.other_teacher, board_world.subject_leader):
        client.force_login(who)
        assert client.get(URL).status_code == 404


def test_filter_by_tutor_group(client, board_world):
    client.force_login(board_world.head_of_year)
    response = client.get(URL, {"tutor_group": board_world.tg_7b.pk})
    assert set(_rows(response)) == {"Bartek"}
    assert len(response.context["board"].pending) == 1


def test_tutor_group_outside_the_scope_is_refused_with_an_error(client, board_world):
    client.force_login(board_world.head_of_year)
    response = client.get(URL, {"tutor_group": board_world.tg_8a.pk})
    assert response.status_code == 200
    assert "The filters were not applied" in response.content.decode()
    assert set(_rows(response)) == {"Amara", "Bartek"}


def test_filter_by_subject_counts_only_that_subjects_misses(client, board_world):
    w = board_world
    subject = w.b_assignments[0].homework.teaching_group.subject
    client.force_login(w.senior_leader)
    response = client.get(URL, {"subject": subject.pk})
    rows = _rows(response)
    assert set(rows) == {"Bartek"}
    assert (rows["Bartek"].in_subject, rows["Bartek"].counted) == (1, 4)
    assert [r.sanction.pupil.first_name for r in response.context["board"].pending] == ["Bartek"]
    assert response.context["board"].half_term_now.misses == 1


def test_filter_by_pupil_group_flags(client, board_world):
    client.force_login(board_world.senior_leader)
    response = client.get(URL, {"flags": ["fsm", "eal"]})
    assert set(_rows(response)) == {"Amara"}
    response = client.get(URL, {"flags": ["young_carer"]})
    assert _rows(response) == {}


def test_senior_leaders_filter_by_year(client, board_world):
    client.force_login(board_world.senior_leader)
    response = client.get(URL, {"year_group": board_world.y8.pk})
    assert set(_rows(response)) == {"Chidi"}


def _csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_csv_of_the_pupils_list_follows_the_filters(client, board_world):
    client.force_login(board_world.head_of_year)
    response = client.get(
        URL, {"format": "csv", "list": "pupils", "tutor_group": board_world.tg_7a.pk}
    )
    header, *rows = _csv(response)
    assert header[:5] == [
        "Pupil",
        "Tutor group",
        "Counted misses",
        "Misses this cycle",
        "To next sanction",
    ]
    assert rows == [["Amara Okafor", "7A", "2", "2", "1", "0", "60", ""]]


def test_csv_of_the_sanctions_to_serve(client, board_world):
    client.force_login(board_world.head_of_year)
    header, *rows = _csv(client.get(URL, {"format": "csv", "list": "sanctions"}))
    assert header[0] == "Pupil"
    assert [row[:4] for row in rows] == [["Bartek Nowak", "7B", "1", "1"]]


def test_csv_without_a_known_list_shows_an_error(client, board_world):
    client.force_login(board_world.head_of_year)
    response = client.get(URL, {"format": "csv", "list": "everything"})
    assert response.status_code == 200
    assert "Choose which list to download" in response.content.decode()


def test_the_dashboard_link_is_in_the_navigation_of_heads_only(client, board_world):
    client.force_login(board_world.head_of_year)
    assert f'href="{URL}"' in client.get(reverse("home")).content.decode()
    client.force_login(board_world.other_teacher)
    assert f'href="{URL}"' not in client.get(reverse("home")).content.decode()


def _class_with_misses(world, count):
    """`count` pupils of 7A in one class, every fifth a young carer, each with three
    recorded misses (a sanction, booked into the earliest detention with room)."""
    pupils = [PupilFactory(tutor_group=world.tg_7a, young_carer=n % 5 == 0) for n in range(count)]
    group = TeachingGroupFactory(
        school=world.school,
        academic_year=world.academic_year,
        year_group=world.y7,
        subject=SubjectFactory(school=world.school),
        teachers=[world.teacher],
        pupils=pupils,
    )
    for n in range(3):
        (homework,) = homework_set(
            teacher=world.teacher,
            teaching_groups=[group],
            details=HomeworkDetails(
                title=f"Task {n}",
                instructions="Do it.",
                set_on=timezone.localdate() - datetime.timedelta(days=8),
                due_at=timezone.now() - datetime.timedelta(days=1),
                estimated_minutes=30,
            ),
        )
        miss_record(recorder=world.teacher, assignments=list(homework.assignments.all()))


def _busy_week(world, time_machine, count):
    """`count` pupils with a sanction each and a meeting with the head of year; on Monday
    they are booked into Tuesday's detention (young carers to check). Three in four of the
    others miss it without a reason, half of those get Friday's exclusion day and the rest
    wait for one; one attends. Thursday has count/10 empty sessions more. Read on
    Wednesday 25/11/2026."""
    step = policy_current(school=world.school).steps.get(number=1)
    step.meeting_with = MeetingWith.HEAD_OF_YEAR
    step.save()
    time_machine.move_to(at(MON, 8), tick=False)
    tuesday = _session(world, TUE, capacity=count)
    for _ in range(count // 10):
        _session(world, THU)
    time_machine.move_to(at(MON, 9), tick=False)
    _class_with_misses(world, count)
    booked = list(tuesday.bookings.filter(status=DetentionBooking.Status.BOOKED).order_by("pk"))
    absent = booked[: len(booked) * 3 // 4]
    _session(world, FRI, kind=SessionKind.INTERNAL_EXCLUSION, capacity=len(absent) // 2)
    marks = {b.pk: (DetentionBooking.Status.ABSENT_UNAUTHORISED, "") for b in absent}
    marks[booked[len(absent)].pk] = (DetentionBooking.Status.ATTENDED, "")
    time_machine.move_to(at(TUE, 16, 40), tick=False)
    detention_register_save(session=tuesday, marks=marks, actor=world.teacher)
    time_machine.move_to(at(WED, 10), tick=False)


@pytest.mark.parametrize("pupils", [10, 300])
def test_dashboard_query_count_does_not_grow_with_pupils_or_bookings(
    client, world, time_machine, django_assert_num_queries, pupils
):
    _half_terms(world)
    _busy_week(world, time_machine, pupils)
    client.force_login(world.head_of_year)
    # session, user, roles, policy_current (the steps with their policy), academic
    # year, pupils with their running counts, sanctions to serve, this week's sessions
    # with places, meetings to arrange, unauthorised absences, the bookings (with
    # sessions) both lists' stages are read from, half-terms, trend and served count, the
    # messages that did not reach a family (none here: their tries are not read;
    # tests/sanctions/test_dashboard_failed_deliveries.py), tutor group and subject choices
    with django_assert_num_queries(16):
        response = client.get(URL)
    board = response.context["board"]
    absent = (pupils - pupils // 5) * 3 // 4
    assert board.pupils_total == pupils
    assert len(board.pending) == pupils - 1
    assert len(board.to_check) == pupils // 5
    assert len(board.exclusions) == absent // 2
    assert len(board.waiting_exclusion) == absent - absent // 2
    assert len(board.sessions) == 2 + pupils // 10
    assert len(board.meetings) == pupils
    assert len(board.absences) == absent
    assert board.served == 1
    # The 50 closest to their next sanction are shown (only they are built); all of
    # them on asking, in the same queries and the same order.
    shown = response.context["pupils_shown"]
    assert shown == board.pupils and len(shown) == min(pupils, 50)
    assert response.context["pupils_folded"] == max(pupils - 50, 0)
    assert ("pupils=all#closest" in response.content.decode()) == (pupils > 50)
    with django_assert_num_queries(16):
        response = client.get(URL, {"pupils": "all"})
    assert len(response.context["pupils_shown"]) == pupils
    assert response.context["board"].pupils_total == pupils
    every = response.context["pupils_shown"]
    assert [row.pupil.pk for row in every[:50]] == [row.pupil.pk for row in shown]
    assert every == sorted(
        every, key=lambda r: (r.to_next, -r.counted, r.pupil.last_name, r.pupil.first_name)
    )
    assert not response.context["filters"].is_bound


def test_the_pupils_and_sanctions_rows_escape_what_they_show(client, board_world):
    """The two long lists' rows are written in Python (sanctions/views/dashboard.py):
    a name is escaped as the template escaped it, in both lists."""
    w = board_world
    w.classmate.last_name = "O'Brien & <Co>"
    w.classmate.save(update_fields=["last_name"])
    w.classmate.tutor_group.name = "7<b>"
    w.classmate.tutor_group.save(update_fields=["name"])
    client.force_login(w.senior_leader)
    content = client.get(URL).content.decode()
    assert "O'Brien" not in content and "<Co>" not in content and "7<b>" not in content
    # Once in the pupils' list and once in the sanctions to serve (Bartek's sanction).
    assert content.count("O&#x27;Brien &amp; &lt;Co&gt;, Bartek</a>") == 2
    assert content.count("<td>7&lt;b&gt;</td>") >= 2


def test_the_trend_counts_a_miss_in_the_half_term_of_its_local_day(client, board_world):
    """The trend's half-terms run from their first day's midnight to the end of their
    last day, in the school's time zone (the misses' local dates)."""
    autumn_1, autumn_2 = HalfTerm.objects.filter(academic_year=board_world.academic_year).order_by(
        "start_date"
    )
    misses = list(Miss.objects.filter(status=Miss.Status.COUNTED).order_by("pk")[:3])
    local = timezone.get_current_timezone()
    times = [
        datetime.datetime.combine(autumn_1.end_date, datetime.time(23, 59), local),
        datetime.datetime.combine(autumn_2.start_date, datetime.time(0, 0), local),
        datetime.datetime.combine(
            autumn_2.end_date + datetime.timedelta(days=1), datetime.time(0, 0), local
        ),
    ]
    for miss, at_time in zip(misses, times, strict=True):
        Miss.objects.filter(pk=miss.pk).update(recorded_at=at_time)
    client.force_login(board_world.senior_leader)
    trend = client.get(URL).context["board"].trend
    # One moved into autumn 1, one kept in autumn 2, one moved past its end.
    assert [(row.half_term.name, row.misses) for row in trend] == [
        ("autumn_1", 1),
        ("autumn_2", 5),
    ]
