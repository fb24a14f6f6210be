"""The escalation engine against the ladder of seed 001: every cycle of three counted
misses earns the next step, exactly once, even when many teachers record at once."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from homework.models import Assignment
from homework.services.marking import assignments_mark_paper
from homework.services.setting import HomeworkDetails, homework_set
from notifications.models import Notification
from sanctions.models import (
    AuditEntry,
    EscalationPolicy,
    EscalationStep,
    MeetingWith,
    Miss,
    Sanction,
)
from sanctions.notices import MISSED_DEADLINE, SANCTION_CANCELLED
from sanctions.services import SanctionError
from sanctions.services.misses import miss_excuse, miss_record, miss_void
from sanctions.services.policy import policy_current
from tests.factories import PupilFactory
from tests.sanctions.helpers import overdue_assignments


def record(world, assignments):
    return miss_record(recorder=world.teacher, assignments=assignments)


def live_sanctions(pupil):
    return list(
        Sanction.objects.filter(pupil=pupil)
        .exclude(status=Sanction.Status.CANCELLED)
        .order_by("cycle")
    )


def test_three_misses_earn_a_detention_and_the_ladder_climbs_then_repeats(world):
    pupil = world.pupil
    assignments = overdue_assignments(world, pupil, 15)
    record(world, assignments[:2])
    assert live_sanctions(pupil) == []

    record(world, assignments[2:3])
    (first,) = live_sanctions(pupil)
    assert (first.cycle, first.step_number, first.meeting_with) == (1, 1, MeetingWith.NONE)
    assert first.detention_minutes == 60

    for start in range(3, 15, 3):
        record(world, assignments[start : start + 3])
    steps = [(s.cycle, s.step_number, s.meeting_with) for s in live_sanctions(pupil)]
    assert steps == [
        (1, 1, MeetingWith.NONE),
        (2, 2, MeetingWith.FORM_TUTOR),
        (3, 3, MeetingWith.HEAD_OF_HOUSE),
        (4, 4, MeetingWith.HEAD_OF_YEAR),
        (5, 4, MeetingWith.HEAD_OF_YEAR),  # past the last step, the last step repeats
    ]
    assert Miss.objects.filter(pupil=pupil, status=Miss.Status.COUNTED).count() == 15
    assert Assignment.objects.filter(pupil=pupil, status=Assignment.Status.MISSED).count() == 15


def test_work_handed_in_or_already_recorded_is_not_counted(world):
    first, second = overdue_assignments(world, world.pupil, 2)
    assignments_mark_paper(homework=first.homework, assignment_ids=[first.pk])
    assert record(world, [first, second]) != []
    assert record(world, [second]) == []
    assert Miss.objects.filter(pupil=world.pupil).count() == 1


def test_homework_not_yet_due_cannot_be_missed(world):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    Assignment.objects.filter(pk=assignment.pk).update(
        due_at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert record(world, [assignment]) == []


def test_voiding_a_miss_in_an_unserved_cycle_cancels_its_sanction_and_tells_parents(world):
    assignments = overdue_assignments(world, world.pupil, 4)
    misses = record(world, assignments[:3])
    (sanction,) = live_sanctions(world.pupil)

    miss_void(actor=world.teacher, miss=misses[1], reason="Handed in to cover")
    sanction.refresh_from_db()
    assert sanction.status == Sanction.Status.CANCELLED
    assert live_sanctions(world.pupil) == []
    assert Assignment.objects.get(pk=assignments[1].pk).status == Assignment.Status.SET
    notified = Notification.objects.filter(pupil=world.pupil, kind=SANCTION_CANCELLED)
    assert set(notified.values_list("guardian", flat=True)) == {world.guardian.pk}

    record(world, assignments[3:])  # the cycle completes again with a new miss
    (again,) = live_sanctions(world.pupil)
    assert again.cycle == 1 and again.pk != sanction.pk


def test_excusing_a_miss_of_a_served_cycle_keeps_the_sanction_on_record(world):
    assignments = overdue_assignments(world, world.pupil, 3)
    misses = record(world, assignments)
    Sanction.objects.filter(pupil=world.pupil).update(status=Sanction.Status.SERVED)

    miss_excuse(actor=world.teacher, miss=misses[0], reason="Bereavement")
    (sanction,) = Sanction.objects.filter(pupil=world.pupil)
    assert sanction.status == Sanction.Status.SERVED
    assert Assignment.objects.get(pk=assignments[0].pk).status == Assignment.Status.EXCUSED
    assert Miss.objects.get(pk=misses[0].pk).status == Miss.Status.EXCUSED


def test_a_miss_changes_once_and_always_with_a_reason(world):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    (miss,) = record(world, [assignment])
    with pytest.raises(SanctionError):
        miss_void(actor=world.teacher, miss=miss, reason="  ")
    miss_void(actor=world.teacher, miss=miss, reason="Wrong pupil")
    with pytest.raises(SanctionError):
        miss_excuse(actor=world.teacher, miss=miss, reason="Again")


def test_every_change_is_audited_with_who_when_and_why(world):
    assignments = overdue_assignments(world, world.pupil, 3)
    misses = record(world, assignments)
    miss_void(actor=world.head_of_year, miss=misses[0], reason="Recorded in error")
    actions = list(
        AuditEntry.objects.filter(pupil=world.pupil)
        .order_by("pk")
        .values_list("action", "actor__email", "reason")
    )
    assert actions.count(("miss_recorded", "teacher@test.school", "")) == 3
    assert ("sanction_created", "teacher@test.school", "") in actions
    assert ("miss_voided", "hoy@test.school", "Recorded in error") in actions
    assert ("sanction_cancelled", "hoy@test.school", "Recorded in error") in actions


def test_parents_with_parental_responsibility_are_told_of_each_miss(world):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    record(world, [assignment])
    rows = Notification.objects.filter(pupil=world.pupil, kind=MISSED_DEADLINE)
    assert [row.guardian for row in rows] == [world.guardian]
    assert rows[0].status == Notification.Status.PENDING


def test_a_new_policy_version_applies_to_later_cycles_only(world):
    assignments = overdue_assignments(world, world.pupil, 5)
    record(world, assignments[:3])
    old = policy_current(school=world.school)
    EscalationPolicy.objects.filter(pk=old.pk).update(is_current=False)
    new = EscalationPolicy.objects.create(school=world.school, version=2, misses_per_cycle=2)
    EscalationStep.objects.create(policy=new, number=1, detention_minutes=30)

    record(world, assignments[3:])
    first, second = live_sanctions(world.pupil)
    assert (first.policy_id, first.detention_minutes) == (old.pk, 60)
    assert (second.policy_id, second.detention_minutes, second.cycle) == (new.pk, 30, 2)


def test_recording_for_a_whole_class_costs_the_same_queries_for_1_or_30_pupils(world):
    pupils = PupilFactory.create_batch(30, tutor_group=world.tg_7a)
    world.maths_7.pupils.add(*pupils)
    due = timezone.now() - datetime.timedelta(days=1)
    counts = []
    for size in (1, 30):
        (homework,) = homework_set(
            teacher=world.teacher,
            teaching_groups=[world.maths_7],
            pupil_ids=[p.pk for p in pupils[:size]],
            details=HomeworkDetails(
                title=f"Class of {size}",
                instructions="x",
                set_on=timezone.localdate() - datetime.timedelta(days=3),
                due_at=due,
                estimated_minutes=20,
            ),
        )
        policy_current(school=world.school)
        assignments = list(homework.assignments.all())
        with CaptureQueriesContext(connection) as captured:
            record(world, assignments)
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("attempt", range(5))
def test_sixteen_teachers_recording_at_once_give_one_sanction_per_cycle(world, attempt):
    assignments = overdue_assignments(world, world.pupil, 16)
    policy_current(school=world.school)
    start = threading.Barrier(16)
    errors = []

    def teacher_records(assignment):
        try:
            start.wait()
            miss_record(recorder=world.teacher, assignments=[assignment])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=teacher_records, args=(a,)) for a in assignments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Miss.objects.filter(pupil=world.pupil, status=Miss.Status.COUNTED).count() == 16
    assert [s.cycle for s in live_sanctions(world.pupil)] == [1, 2, 3, 4, 5]
    assert Miss.objects.filter(pupil=world.pupil, sanction__isnull=True).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_the_same_miss_recorded_by_many_at_once_counts_once(world):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    start = threading.Barrier(16)
    errors = []

    def teacher_records():
        try:
            start.wait()
            miss_record(recorder=world.teacher, assignments=[assignment])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=teacher_records) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Miss.objects.filter(assignment=assignment).count() == 1


def test_the_demo_school_can_be_rebuilt_after_misses_were_recorded(db, settings):
    from django.core.management import call_command

    from school.models import Pupil

    call_command("seed_demo", "--pupils", "40", "--force", verbosity=0)
    pupil = Pupil.objects.get(user__email="pupil@demo.school")
    overdue = Assignment.objects.filter(
        pupil=pupil, status=Assignment.Status.SET, due_at__lt=timezone.now()
    ).select_related("homework__set_by")[:3]
    seeded = Miss.objects.count()
    miss_record(recorder=overdue[0].homework.set_by, assignments=list(overdue))
    assert Miss.objects.count() > seeded

    call_command("seed_demo", "--pupils", "40", "--force", "--reset", verbosity=0)
    assert Miss.objects.count() == seeded  # rebuilt as seeded, the hand-recorded ones gone
    assert EscalationPolicy.objects.filter(school__slug="demo", is_current=True).count() == 1


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent inserts need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_two_first_visitors_at_once_share_one_default_ladder(world):
    start = threading.Barrier(8)
    found, errors = [], []

    def head_opens_the_dashboard():
        try:
            start.wait()
            found.append(policy_current(school=world.school).pk)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=head_opens_the_dashboard) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert EscalationPolicy.objects.filter(school=world.school).count() == 1
    assert set(found) == {EscalationPolicy.objects.get(school=world.school).pk}
