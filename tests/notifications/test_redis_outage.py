"""Redis stops: the teacher recording a miss is not held up and the outbox row waits;
Redis comes back: the sweep queues the row and a real worker delivers it, once. The test
runs its own redis-server on a free port, so it can stop and start it."""

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import kombu.pools
import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from homework_mgmt.celery import app
from notifications import tasks
from notifications.models import Notification
from tests.sanctions.helpers import overdue_assignments

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"

# The worker tests share the broker's queue: xdist runs them all in one process.
pytestmark = [
    pytest.mark.xdist_group("celery-worker"),
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    def __init__(self, directory: Path):
        self.port = _free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not _answers(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _reset_broker_pools():
    """Forget the connections to the previous broker: the next publish connects afresh."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def private_redis(tmp_path):
    if not Path(REDIS_SERVER).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have redis-server ({REDIS_SERVER})")
        pytest.skip(f"needs redis-server ({REDIS_SERVER} is missing)")
    redis = PrivateRedis(tmp_path)
    redis.start()
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = redis.url, False
    _reset_broker_pools()
    try:
        yield redis
    finally:
        redis.stop()
        app.conf.broker_url, app.conf.task_always_eager = previous
        _reset_broker_pools()


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
    assert notification.kind == Notification.Kind.MISSED_DEADLINE
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
