"""Redis stops: the teacher recording a miss is not held up and the outbox row waits;
Redis comes back: the sweep queues the row and a real worker delivers it, once. The test
runs its own redis-server on a free port, so it can stop and start it."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from homework_mgmt.celery import app
from notifications import tasks
from notifications.models import Notification
from sanctions.notices import MISSED_DEADLINE
from tests.sanctions.helpers import overdue_assignments

# The worker tests share the broker's queue: xdist runs them all in one process.
pytestmark = [
    pytest.mark.xdist_group("celery-worker"),
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def _wait_for_mail(count: int, timeout=15):
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_a_miss_recorded_while_redis_is_down_is_delivered_once_it_returns(
    client, world, private_redis
):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1)  # the broker is up and reachable
    private_redis.stop()

    client.force_login(world.teacher)
    started = time.monotonic()
    response = client.post(
        reverse("sanctions_miss_record", args=[assignment.homework_id]),
        {"missed": [assignment.pk], "reason": ""},
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert elapsed < 3, f"recording a miss took {elapsed:.1f}s with Redis down"
    (notification,) = Notification.objects.filter(pupil=world.pupil)
    assert notification.kind == MISSED_DEADLINE
    assert notification.status == Notification.Status.PENDING
    assert mail.outbox == []

    private_redis.start()
    # The sweep runs every five minutes and takes rows over five minutes old.
    Notification.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=6))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert tasks.notifications_sweep() == 1
        _wait_for_mail(1)
        assert [m.to for m in mail.outbox] == [[world.guardian.email]]
        assert "Amara missed a homework deadline" in mail.outbox[0].subject

        # Neither the sweep nor the task run again sends a second copy.
        assert tasks.notifications_sweep() == 0
        tasks.notification_send.delay(notification.pk)
        time.sleep(0.5)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
