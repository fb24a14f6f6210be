"""Granting an extension: one pupil's own deadline for one homework moves later; a miss
already recorded for it is excused (cancelling the unserved detention of its cycle and
telling the parents); bad dates and missing reasons change nothing; only the class's
teachers, the pupil's tutor and head of year, and senior leaders may grant one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment
from notifications.models import Notification
from sanctions.models import AuditEntry, Miss, Sanction
from sanctions.notices import SANCTION_CANCELLED
from sanctions.services.misses import miss_record
from tests.sanctions.helpers import overdue_assignments

NOW = timezone.make_aware(datetime.datetime(2026, 11, 18, 10, 0))


@pytest.fixture
def wednesday(time_machine):
    time_machine.move_to(NOW, tick=False)


def url(assignment):
    return reverse("sanctions_extension", args=[assignment.pk])


def extension_post(days=2, time="08:30", reason="Ill at the weekend: doctor's note."):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return {"date": f"{day:%Y-%m-%d}", "time": time, "reason": reason}


def test_a_teacher_extends_an_overdue_homework_before_recording_a_miss(client, world, wednesday):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    client.force_login(world.teacher)

    response = client.post(url(assignment), extension_post(days=2))

    assert response.status_code == 302
    assert response["Location"] == reverse("homework_register", args=[assignment.homework_id])
    assignment.refresh_from_db()
    new_due = timezone.make_aware(datetime.datetime(2026, 11, 20, 8, 30))
    assert assignment.due_at == new_due
    assert assignment.status == Assignment.Status.SET
    entry = AuditEntry.objects.get(action="extension_granted")
    assert entry.actor == world.teacher and "Ill at the weekend" in entry.reason
    # No longer overdue: ticking the pupil on the register records nothing.
    assert miss_record(recorder=world.teacher, assignments=[assignment]) == []


def test_extending_a_missed_homework_excuses_the_miss_and_cancels_its_detention(
    client, world, wednesday
):
    assignments = overdue_assignments(world, world.pupil, 3)
    miss_record(recorder=world.teacher, assignments=assignments)
    sanction = Sanction.objects.get(pupil=world.pupil)
    client.force_login(world.head_of_year)

    response = client.post(url(assignments[0]), extension_post(days=3))

    assert response.status_code == 302
    assert response["Location"] == reverse("sanctions_pupil", args=[world.pupil.pk])
    miss = Miss.objects.get(assignment=assignments[0])
    assert miss.status == Miss.Status.EXCUSED
    assert miss.change_reason.startswith("Extension to 21/11/2026 08:30")
    sanction.refresh_from_db()
    assert sanction.status == Sanction.Status.CANCELLED
    assert Notification.objects.filter(kind=SANCTION_CANCELLED, pupil=world.pupil).exists()
    assignments[0].refresh_from_db()
    assert assignments[0].status == Assignment.Status.SET


def test_the_page_warns_that_the_detention_will_be_cancelled(client, world, wednesday):
    assignments = overdue_assignments(world, world.pupil, 3)
    miss_record(recorder=world.teacher, assignments=assignments)
    client.force_login(world.teacher)

    html = client.get(url(assignments[1])).content.decode()

    assert "it will be excused" in html
    assert "detention still to be served for it will be cancelled" in html


@pytest.mark.parametrize(
    "post, error",
    [
        ({"days": -1}, "must be in the future"),
        ({"days": 0, "time": "09:00"}, "must be in the future"),
        ({"reason": "   "}, "Give a reason"),
        ({"reason": "x" * 201}, "at most 200 characters"),
        ({"date": "31/02/2026"}, "Enter a real date"),
        ({"date": "", "time": ""}, "Give the new date"),
    ],
)
def test_bad_input_re_renders_with_400_and_changes_nothing(client, world, wednesday, post, error):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    due = assignment.due_at
    client.force_login(world.teacher)

    fields = {k: v for k, v in post.items() if k in ("days", "time", "reason")}
    response = client.post(url(assignment), extension_post(**fields) | post)

    assert response.status_code == 400
    assert error in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.due_at == due
    assert not AuditEntry.objects.filter(action="extension_granted").exists()


def test_an_earlier_deadline_is_refused(client, world, wednesday):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    Assignment.objects.filter(pk=assignment.pk).update(due_at=NOW + datetime.timedelta(days=5))
    client.force_login(world.teacher)

    response = client.post(url(assignment), extension_post(days=2))

    assert response.status_code == 400
    assert "later than the current one" in response.content.decode()


def test_handed_in_homework_needs_no_extension(client, world, wednesday):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.SUBMITTED)
    client.force_login(world.teacher)

    assert "no extension is needed" in client.get(url(assignment)).content.decode()
    response = client.post(url(assignment), extension_post())
    assert response.status_code == 400
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.SUBMITTED


@pytest.mark.parametrize(
    "who", ["other_teacher", "head_of_house", "lsa", "parent", "pupil", "other_school_staff"]
)
def test_others_get_404_and_change_nothing(client, world, wednesday, who):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    due = assignment.due_at
    client.force_login(getattr(world, who) if who != "pupil" else world.pupil.user)

    assert client.get(url(assignment)).status_code == 404
    assert client.post(url(assignment), extension_post()).status_code == 404
    assignment.refresh_from_db()
    assert assignment.due_at == due


def test_the_register_and_the_timeline_link_to_the_extension(client, world, wednesday):
    assignments = overdue_assignments(world, world.pupil, 2)
    miss_record(recorder=world.teacher, assignments=assignments[:1])
    client.force_login(world.teacher)

    for assignment in assignments:  # one recorded as missed, one still open
        register = reverse("homework_register", args=[assignment.homework_id])
        assert url(assignment) in client.get(register).content.decode()
    timeline = client.get(reverse("sanctions_pupil", args=[world.pupil.pk])).content.decode()
    assert url(assignments[0]) in timeline


@pytest.mark.parametrize("misses", [0, 3])
def test_the_page_costs_the_same_queries_with_or_without_a_miss(
    client, world, wednesday, django_assert_num_queries, misses
):
    assignments = overdue_assignments(world, world.pupil, 3)
    if misses:
        miss_record(recorder=world.teacher, assignments=assignments)
    client.force_login(world.teacher)
    client.get(url(assignments[0]))  # warm the session and the role cache
    # Session, user, roles, the assignment with its pupil and class, its counted miss.
    with django_assert_num_queries(5):
        assert client.get(url(assignments[0])).status_code == 200
