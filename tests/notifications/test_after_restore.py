"""After a backup is restored, the messages that were waiting when it was taken are held,
not sent a second time: `manage.py notifications_after_restore` holds them, the worker,
the sweep and the digest leave them alone, and a school admin releases (sends) or
discards each in the admin, with a record of who did."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from notifications import delivery as sending
from notifications import tasks
from notifications.models import Delivery, Notification, NotificationAction
from notifications.notices import COMMENDATION
from sanctions.notices import EXCLUSION_BOOKED, MEETING_CANCELLED, MISSED_DEADLINE
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory

from .helpers import DETENTION
from .test_delivery import lost_row

Status = Notification.Status
CHANGELIST = reverse("admin:notifications_notification_changelist")


def aged(notification, hours):
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=hours)
    )
    return notification


@pytest.fixture
def restored(world):
    """The outbox as a backup taken three hours ago left it, and a message written since."""
    rows = {
        "waiting": aged(lost_row(world.pupil, world.guardian, **DETENTION), 3),
        "digest": aged(lost_row(world.pupil, world.guardian, COMMENDATION), 3),
        "mid_send": aged(lost_row(world.pupil, world.guardian, EXCLUSION_BOOKED), 3),
        "sent": aged(lost_row(world.pupil, world.guardian, MISSED_DEADLINE), 3),
        "fresh": lost_row(world.pupil, world.guardian, MEETING_CANCELLED, age_minutes=10),
    }
    Notification.objects.filter(pk=rows["digest"].pk).update(status=Status.DIGEST)
    Notification.objects.filter(pk=rows["sent"].pk).update(status=Status.SENT)
    Delivery.objects.create(
        notification=rows["mid_send"],
        channel="email",
        attempts=1,
        attempted_at=timezone.now() - datetime.timedelta(hours=3),
    )
    return rows


def statuses(rows):
    return {name: Notification.objects.get(pk=row.pk).status for name, row in rows.items()}


def run(*args):
    out = StringIO()
    call_command("notifications_after_restore", *args, stdout=out)
    return out.getvalue()


def test_the_command_holds_what_was_waiting_when_the_backup_was_taken(world, restored):
    output = run("--older-than", "2")

    assert statuses(restored) == {
        "waiting": Status.HELD,
        "digest": Status.HELD,
        "mid_send": Status.HELD,
        "sent": Status.SENT,
        "fresh": Status.PENDING,  # written since: not in the backup
    }
    assert "Held 3 message(s)" in output and "(1 caught mid-send)" in output
    assert "Test Academy: 3" in output
    held = NotificationAction.objects.filter(action=NotificationAction.Action.HELD)
    assert held.count() == 3 and not held.filter(actor__isnull=False).exists()
    assert "Held 0 message(s)" in run("--older-than", "2")  # run twice: nothing more


def test_a_dry_run_counts_and_changes_nothing(world, restored):
    before = statuses(restored)

    output = run("--older-than", "0", "--dry-run")

    assert "Would hold 4 message(s)" in output
    assert statuses(restored) == before
    assert not NotificationAction.objects.exists()


def test_a_negative_age_is_refused(world, restored):
    with pytest.raises(CommandError, match="0 or more"):
        run("--older-than", "-1")
    assert statuses(restored)["waiting"] == Status.PENDING


def test_nothing_sends_a_held_message(world, restored, mailoutbox):
    run("--older-than", "2")
    later = timezone.now() + datetime.timedelta(hours=2)

    ids = sending.notifications_sweep(now=later)
    for row in restored.values():
        tasks.notification_send.delay(row.pk)  # a task left in Redis from before
    tasks.digests_send.delay()

    assert restored["waiting"].pk not in ids and restored["mid_send"].pk not in ids
    assert [m.subject for m in mailoutbox] == ["Meeting about Amara cancelled"]  # the fresh one
    mid_send = Delivery.objects.get(notification=restored["mid_send"])
    assert (mid_send.status, mid_send.last_error) == (Delivery.Status.SENDING, "")
    assert {statuses(restored)[n] for n in ("waiting", "digest", "mid_send")} == {Status.HELD}


def _act(client, action, rows):
    return client.post(
        CHANGELIST, {"action": action, "_selected_action": [row.pk for row in rows]}, follow=True
    )


def test_the_admin_lists_held_messages_and_releases_them_to_be_sent_once(
    client, world, restored, smtp_sink, django_capture_on_commit_callbacks
):
    run("--older-than", "2")
    client.force_login(world.school_admin)

    listed = client.get(CHANGELIST, {"status__exact": Status.HELD})
    assert "3 message(s) to families are held after a restore" in listed.content.decode()
    assert {n.pk for n in listed.context["cl"].result_list} == {
        restored[name].pk for name in ("waiting", "digest", "mid_send")
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = _act(client, "release", [restored["waiting"], restored["mid_send"]])

    assert "2 notifications released to be sent." in response.content.decode()
    assert sorted(m["Subject"] for m in smtp_sink.messages) == [
        "Detention for Amara on Tuesday 24 November",
        "Internal exclusion for Amara",
    ]
    assert statuses(restored)["waiting"] == statuses(restored)["mid_send"] == Status.SENT
    released = NotificationAction.objects.filter(action=NotificationAction.Action.RELEASED)
    assert {(a.notification_id, a.actor) for a in released} == {
        (restored["waiting"].pk, world.school_admin),
        (restored["mid_send"].pk, world.school_admin),
    }
    with django_capture_on_commit_callbacks(execute=True):
        again = _act(client, "release", [restored["waiting"]])
    assert "had not been held and were left alone" in again.content.decode()
    assert len(smtp_sink.messages) == 2


def test_discarded_messages_are_never_sent(client, world, restored, mailoutbox):
    run("--older-than", "2")
    client.force_login(world.school_admin)

    response = _act(client, "discard", [restored["digest"]])

    assert "1 notification discarded." in response.content.decode()
    assert statuses(restored)["digest"] == Status.DISCARDED
    tasks.digests_send.delay()
    assert mailoutbox == []
    (action,) = NotificationAction.objects.filter(action=NotificationAction.Action.DISCARDED)
    assert action.actor == world.school_admin


def test_an_admin_cannot_release_another_schools_held_message(client, world, mailoutbox):
    other_pupil = PupilFactory(tutor_group=world.other_tutor_group)
    guardian = GuardianFactory(school=world.other_school)
    GuardianLinkFactory(guardian=guardian, pupil=other_pupil)
    theirs = aged(lost_row(other_pupil, guardian, **DETENTION), 3)
    run("--older-than", "2")
    client.force_login(world.school_admin)

    _act(client, "release", [theirs])

    theirs.refresh_from_db()
    assert theirs.status == Status.HELD
    assert mailoutbox == []
