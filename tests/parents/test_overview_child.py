"""One child's page (/parents/children/<id>/): this week and next day by day in the
version of each task the child is given, overdue work, returned work with its feedback,
the year's missed deadlines and where the ladder stands, sanctions and where each one
stands, commendations, and the tutor. Another family's child, or any pupil for staff,
answers 404 without a word about them."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from homework.models import Assignment
from parents.overview import MISSES_SHOWN
from sanctions.models import DetentionBooking, DetentionSession, Meeting, Miss, Sanction
from sanctions.services.misses import miss_record
from sanctions.services.policy import policy_current
from tests.sanctions.helpers import overdue_assignments

from .test_overview import FRI, WED, at, build_family, busy_child, club_rows


@pytest.fixture
def family(world, time_machine):
    return build_family(world, time_machine)


def page(client, user, pupil):
    client.force_login(user)
    return client.get(reverse("parents_child", args=[pupil.pk]))


def test_this_week_and_next_day_by_day_with_the_childs_own_version(client, family):
    w = family
    response = page(client, w.parent, w.pupil)
    assert response.status_code == 200
    child = response.context["page"]
    this_week = {
        day.day.isoformat(): [t.homework.title for t in day.tasks] for day in child.this_week
    }
    assert this_week["2026-11-23"] == ["Fractions practice"]
    assert this_week["2026-11-26"] == ["Poem about autumn"]
    next_week = {
        day.day.isoformat(): [t.homework.title for t in day.tasks] for day in child.next_week
    }
    assert next_week["2026-12-01"] == ["Ratio revision"]
    content = response.content.decode()
    # Amara is EAL: the fractions task's word-bank version is hers.
    assert "Word bank version: questions 1-5." in content
    assert "Standard version: questions 1-20." not in content
    assert "Task 6" in content  # overdue (missed)


def test_the_latest_club_visits_with_a_link_to_all_of_them(client, world, time_machine):
    time_machine.move_to(at(WED, 10), tick=False)
    club_rows(world, world.pupil, 12)
    child = page(client, world.parent, world.pupil).context["page"]
    assert (len(child.club_visits), child.club_visits_more) == (10, True)
    response = client.get(reverse("parents_child", args=[world.pupil.pk]))
    assert 'href="?all=1#clubs">All homework club visits this school year' in (
        response.content.decode()
    )
    response = client.get(reverse("parents_child", args=[world.pupil.pk]) + "?all=1")
    everything = response.context["page"]
    assert (len(everything.club_visits), everything.club_visits_more) == (12, False)
    assert everything.club_visits[:10] == child.club_visits  # the latest first


def test_the_latest_overdue_tasks_with_a_link_to_all_of_them(client, family):
    w = family
    # Each task a minute later than the one before: the order is the due times', not the
    # subjects' names (numbered by the factory, so by which tests ran first).
    for n in range(7):
        Assignment.objects.filter(pupil=w.pupil, homework__title=f"Task {n}").update(
            due_at=F("due_at") + datetime.timedelta(minutes=n)
        )
    child = page(client, w.parent, w.pupil).context["page"]
    assert (len(child.overdue), child.overdue_count, child.overdue_more) == (5, 7, 2)
    # Oldest first, the latest five of the seven.
    assert [t.homework.title for t in child.overdue] == [f"Task {n}" for n in range(2, 7)]
    response = client.get(reverse("parents_child", args=[w.pupil.pk]))
    assert 'href="?all=1#overdue">2 more overdue tasks' in response.content.decode()
    response = client.get(reverse("parents_child", args=[w.pupil.pk]) + "?all=1")
    everything = response.context["page"]
    assert [t.homework.title for t in everything.overdue] == [f"Task {n}" for n in range(7)]
    assert everything.overdue_more == 0


def test_returned_work_shows_feedback_as_the_planner_does(client, family):
    response = page(client, family.parent, family.pupil)
    content = response.content.decode()
    assert "<p>Good work.<br>Check question 4 &lt;script&gt;alert(1)&lt;/script&gt;</p>" in content
    assert "7/10" in content


def test_missed_deadlines_sanctions_and_where_each_stands(client, family):
    w = family
    response = page(client, w.parent, w.pupil)
    child = response.context["page"]
    assert len(child.misses) == 7
    assert child.ladder.misses_this_cycle == 1
    assert [row.where.stage for row in child.sanctions] == ["booked", "booked"]
    content = response.content.decode()
    assert "Detention booked" in content
    assert "Thursday 26/11/2026" in content
    assert "Meeting with the form tutor" in content
    assert "Room 7A" in content


def test_a_detention_missed_without_a_reason_shows_the_exclusion_to_come(client, family):
    w = family
    booking = DetentionBooking.objects.filter(sanction__pupil=w.pupil).order_by("pk").first()
    booking.status = DetentionBooking.Status.ABSENT_UNAUTHORISED
    booking.save()
    child = page(client, w.parent, w.pupil).context["page"]
    standings = {row.sanction.pk: row.where.stage for row in child.sanctions}
    assert standings[booking.sanction_id] == "waiting_exclusion"


def test_the_tutor_is_named(client, family):
    response = page(client, family.parent, family.pupil)
    assert "Tess Teacher" in response.content.decode()
    assert [str(t) for t in response.context["page"].tutors] == ["Tess Teacher"]


def test_commendations_of_the_year(client, family):
    response = page(client, family.parent, family.year8_pupil)
    assert "Lovely algebra" in response.content.decode()


def test_another_familys_child_answers_404_without_their_name(client, family):
    response = page(client, family.parent, family.classmate)
    assert response.status_code == 404
    content = response.content.decode()
    assert "Bartek" not in content and "Secret classmate essay" not in content
    assert page(client, family.other_parent, family.pupil).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "head_of_year", "senior_leader", "other_school_staff"])
def test_staff_get_404_even_for_pupils_they_look_after(client, family, who):
    assert page(client, getattr(family, who), family.pupil).status_code == 404


def test_the_child_themselves_gets_404(client, family):
    assert page(client, family.pupil.user, family.pupil).status_code == 404


def test_nothing_about_classmates_on_the_childs_page(client, family):
    content = page(client, family.parent, family.pupil).content.decode()
    for text in ("Bartek", "Nowak", "Secret classmate essay", "Classmate private feedback", "3/10"):
        assert text not in content


@pytest.mark.parametrize("rows", [1, 6])
def test_the_child_page_query_budget_does_not_grow_with_rows(
    client, world, time_machine, django_assert_num_queries, rows
):
    time_machine.move_to(at(WED, 10), tick=False)
    policy_current(school=world.school)
    DetentionSession.objects.create(
        school=world.school,
        date=datetime.date(2026, 11, 30),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        capacity=50,
    )
    # a sanction a row, and a miss towards the next (the ladder names its next step)
    busy_child(world, world.pupil, world.teacher, rows, misses=3 * rows + 1)
    Meeting.objects.update_or_create(
        sanction=Sanction.objects.filter(pupil=world.pupil).order_by("pk").first(),
        defaults={
            "school": world.school,
            "pupil": world.pupil,
            "meeting_with": "form_tutor",
            "status": Meeting.Status.ARRANGED,
            "proposed_at": at(FRI, 8, 30),
        },
    )
    client.force_login(world.parent)
    # session, user; the child with counts, academic year and current policy with its
    # next step and the tutors; the homework; the year's misses; the sanctions with
    # their meetings, their live places; the upcoming places, the meetings, the
    # commendations, the club visits and places; the units dated this month and next
    # (none here: their links are not asked, tests/homework/test_units_parents.py); the
    # top bar's "is a guardian" ("is a pupil" comes with the user).
    with django_assert_num_queries(14):
        response = client.get(reverse("parents_child", args=[world.pupil.pk]))
    child = response.context["page"]
    assert len(child.returned) == rows and len(child.misses) == min(3 * rows + 1, MISSES_SHOWN)
    assert len(child.commendations) == rows and len(child.sanctions) == rows
    assert len(child.bookings) == rows and len(child.meetings) == 1
    assert child.ladder.next_step is not None
    # The latest five overdue tasks, and a link to all of them (the same queries).
    assert (len(child.overdue), child.overdue_count) == (min(3 * rows + 1, 5), 3 * rows + 1)
    with django_assert_num_queries(14):
        response = client.get(reverse("parents_child", args=[world.pupil.pk]) + "?all=1")
    assert len(response.context["page"].overdue) == 3 * rows + 1


def test_lists_the_child_has_no_rows_in_are_not_read(
    client, world, time_machine, django_assert_num_queries
):
    time_machine.move_to(at(WED, 10), tick=False)
    policy_current(school=world.school)
    client.force_login(world.parent)
    # session, user; the child with counts, academic year, current policy, whether
    # each list may have rows and the tutors; the homework; the units
    # dated this month and next; the top bar's "is a guardian": no misses, sanctions,
    # places, meetings, commendations or club visits and places to read.
    with django_assert_num_queries(6):
        response = client.get(reverse("parents_child", args=[world.pupil.pk]))
    child = response.context["page"]
    assert not (child.misses or child.sanctions or child.bookings or child.meetings)
    assert not (child.commendations or child.club_visits or child.club_places)


def test_the_latest_missed_deadlines_with_a_link_to_all_of_them(client, family):
    w = family
    # Five more misses on top of the family's: more than the page lists at first.
    miss_record(recorder=w.teacher, assignments=overdue_assignments(w, w.pupil, 5))
    year = Miss.objects.filter(pupil=w.pupil).count()
    assert year > MISSES_SHOWN
    child = page(client, w.parent, w.pupil).context["page"]
    assert (len(child.misses), child.misses_more) == (MISSES_SHOWN, True)
    response = client.get(reverse("parents_child", args=[w.pupil.pk]))
    assert 'href="?all=1#misses">Missed deadlines this school year' in response.content.decode()
    response = client.get(reverse("parents_child", args=[w.pupil.pk]) + "?all=1")
    everything = response.context["page"]
    assert (len(everything.misses), everything.misses_more) == (year, False)
    assert everything.misses[:MISSES_SHOWN] == child.misses  # the latest first


def test_the_missed_deadlines_read_as_the_orm_reads_them(client, family, django_assert_num_queries):
    w = family
    child = page(client, w.parent, w.pupil).context["page"]
    expected = list(
        Miss.objects.filter(pupil=w.pupil, status__in=[Miss.Status.COUNTED, Miss.Status.EXCUSED])
        .select_related("assignment__homework__teaching_group__subject")
        .order_by("-recorded_at", "-pk")[:MISSES_SHOWN]
    )
    assert child.misses == expected
    with django_assert_num_queries(0):  # everything the page shows was read with them
        shown = [
            (
                miss.status,
                miss.recorded_at,
                miss.assignment.due_at,
                miss.assignment.homework.title,
                miss.assignment.homework.teaching_group.subject.name,
            )
            for miss in child.misses
        ]
    assert shown == [
        (
            miss.status,
            miss.recorded_at,
            miss.assignment.due_at,
            miss.assignment.homework.title,
            miss.assignment.homework.teaching_group.subject.name,
        )
        for miss in expected
    ]
