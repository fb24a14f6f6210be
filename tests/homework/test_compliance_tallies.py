"""Each homework's tally (pupils who handed in, and those returned with written feedback),
kept by the database's triggers (homework/tallies.py) and summed by the compliance
report: after every kind of write (the pupils' and teachers' services, the ORM's save,
update, bulk update, bulk create and delete, moving work to another homework, deleting
the homework) it equals a count of the assignments; a write rolled back leaves it as it
was; two teachers writing the same homework's work at once both count; triggers lost (a
table SQLite makes again) are put back and every tally counted again."""

import contextlib
import datetime
import threading

import pytest
from django.db import connection, connections, transaction
from django.db.models import Count, Q
from django.utils import timezone

from homework.models import Assignment, Homework, HomeworkTally
from homework.selectors.marking import HANDED_IN
from homework.services.marking import (
    MarkEntry,
    assignments_mark_paper,
    homework_return,
    marking_save,
)
from homework.services.planner import submission_submit
from homework.tallies import HANDED_IN_STATUSES, tallies_install
from tests.factories import PupilFactory

from .test_compliance_report import WEDNESDAYS, hand_in, make_homework


def counted():
    """Every homework's figures counted from its assignments, as the tallies keep them."""
    handed_in = Q(assignments__status__in=HANDED_IN)
    with_feedback = (
        handed_in & Q(assignments__returned_at__isnull=False) & ~Q(assignments__feedback="")
    )
    return {
        row["pk"]: (row["school_id"], row["h"], row["f"])
        for row in Homework.objects.values("pk", "school_id").annotate(
            h=Count("assignments", filter=handed_in), f=Count("assignments", filter=with_feedback)
        )
    }


def kept():
    return {
        row.homework_id: (row.school_id, row.handed_in, row.returned_with_feedback)
        for row in HomeworkTally.objects.all()
    }


def assert_tallies_right():
    assert kept() == counted()


@pytest.fixture
def homework(world):
    world.maths_7.pupils.add(*PupilFactory.create_batch(3, tutor_group=world.tg_7a))
    first = make_homework(world.maths_7, WEDNESDAYS[0])
    second = make_homework(world.maths_7, WEDNESDAYS[1])
    return first, second


def test_the_statuses_counted_are_the_marking_pages_handed_in():
    assert sorted(HANDED_IN_STATUSES) == sorted(HANDED_IN)


def test_each_new_homework_has_a_tally_of_nothing_yet(world, homework):
    first, second = homework
    assert kept()[first.pk] == (world.school.pk, 0, 0)
    assert_tallies_right()
    extra = Homework.objects.bulk_create(
        [
            Homework(
                school=world.school,
                teaching_group=world.maths_7,
                set_by=world.teacher,
                status=Homework.Status.SET,
                title="Bulk",
                instructions="Do it.",
                set_on=WEDNESDAYS[2],
                due_at=first.due_at,
                estimated_minutes=20,
            )
        ]
    )
    assert kept()[extra[0].pk] == (world.school.pk, 0, 0)


def test_the_services_keep_the_tallies(world, homework):
    first, second = homework
    now = timezone.now()
    mine = first.assignments.get(pupil=world.pupil)
    submission_submit(assignment=mine, text="My answer", now=now)
    assert kept()[first.pk][1:] == (1, 0)
    others = list(first.assignments.exclude(pupil=world.pupil).values_list("pk", flat=True))
    assert assignments_mark_paper(homework=first, assignment_ids=others[:2], now=now) == 2
    assert kept()[first.pk][1:] == (3, 0)
    marking_save(
        teacher=world.teacher,
        homework=first,
        entries=[
            MarkEntry(mine.pk, "7/10", "Good."),
            MarkEntry(others[0], "5/10", ""),
            MarkEntry(others[2], "", "Not handed in yet"),
        ],
        now=now,
    )
    assert kept()[first.pk][1:] == (3, 0)  # nothing returned yet
    homework_return(homework=first, now=now)
    assert kept()[first.pk][1:] == (3, 1)  # a mark alone is no written feedback
    assert_tallies_right()


def test_every_kind_of_write_keeps_the_tallies(world, homework):
    first, second = homework
    hand_in(first, world.pupil, feedback="Well done.")  # queryset update
    assert kept()[first.pk][1:] == (1, 1)
    hand_in(first, world.classmate, status=Assignment.Status.PAPER, returned=False)
    assert kept()[first.pk][1:] == (2, 1)
    assert_tallies_right()

    work = first.assignments.get(pupil=world.classmate)  # save(): returned with feedback
    work.feedback, work.returned_at = "Neat.", timezone.now()
    work.save()
    assert kept()[first.pk][1:] == (2, 2)
    work.feedback = ""  # feedback taken off
    work.save()
    assert kept()[first.pk][1:] == (2, 1)
    work.status = Assignment.Status.EXCUSED  # no longer handed in
    work.save(update_fields=["status"])
    assert kept()[first.pk][1:] == (1, 1)

    # One statement over two homework: both tallies move.
    rows = list(Assignment.objects.filter(homework__in=homework, pupil=world.classmate))
    for row in rows:
        row.status, row.feedback, row.returned_at = "submitted", "Both.", timezone.now()
    Assignment.objects.bulk_update(rows, ["status", "feedback", "returned_at"])
    assert kept()[first.pk][1:] == (2, 2) and kept()[second.pk][1:] == (1, 1)
    assert_tallies_right()

    # Work moved from one homework to the other.
    moved = first.assignments.get(pupil=world.pupil)
    second.assignments.filter(pupil=world.pupil).delete()
    Assignment.objects.filter(pk=moved.pk).update(homework=second)
    assert kept()[first.pk][1:] == (1, 1) and kept()[second.pk][1:] == (2, 2)
    assert_tallies_right()

    # A pupil joining with work already handed in, then leaving the homework.
    newcomer = PupilFactory(tutor_group=world.tg_7a)
    Assignment.objects.create(
        school=world.school,
        homework=first,
        pupil=newcomer,
        due_at=first.due_at,
        status=Assignment.Status.SUBMITTED,
        feedback="Welcome.",
        returned_at=timezone.now(),
    )
    assert kept()[first.pk][1:] == (2, 2)
    first.assignments.get(pupil=newcomer).delete()
    assert kept()[first.pk][1:] == (1, 1)
    assert_tallies_right()

    first.delete()  # the tally goes with its homework
    assert first.pk not in kept()
    assert_tallies_right()


def test_a_write_rolled_back_leaves_the_tally_as_it_was(world, homework):
    first, _ = homework
    with pytest.raises(RuntimeError), transaction.atomic():
        hand_in(first, world.pupil, feedback="Lost.")
        assert kept()[first.pk][1:] == (1, 1)
        raise RuntimeError
    assert kept()[first.pk][1:] == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_two_teachers_marking_the_same_homework_at_once_both_count(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections")
    pupils = PupilFactory.create_batch(8, tutor_group=world.tg_7a)
    world.maths_7.pupils.add(*pupils)
    homework = make_homework(world.maths_7, WEDNESDAYS[0])
    ids = list(homework.assignments.values_list("pk", flat=True))
    halves = [ids[::2], ids[1::2]]
    inside = threading.Barrier(2)
    errors = []

    def mark(assignment_ids):
        try:
            with transaction.atomic():
                Assignment.objects.filter(pk__in=assignment_ids).update(
                    status=Assignment.Status.PAPER,
                    feedback="Seen.",
                    returned_at=datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC),
                )
                # The first holds its transaction open until the second has written or
                # is waiting for the first's tally row (the barrier then times out).
                with contextlib.suppress(threading.BrokenBarrierError):
                    inside.wait(timeout=2)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=mark, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert kept()[homework.pk][1:] == (len(ids), len(ids))
    assert_tallies_right()


def test_triggers_lost_are_put_back_and_every_tally_counted_again(world, homework):
    first, _ = homework
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER homework_tally_update ON homework_assignment")
        else:
            cursor.execute("DROP TRIGGER homework_tally_update")
    hand_in(first, world.pupil, feedback="Unseen by the tally.")
    assert kept()[first.pk][1:] == (0, 0)

    tallies_install()

    assert kept()[first.pk][1:] == (1, 1)
    hand_in(first, world.classmate, feedback="Seen again.")
    assert kept()[first.pk][1:] == (2, 2)
    assert_tallies_right()
