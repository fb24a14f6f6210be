"""A notice the family must get (detention, exclusion) reaches them at least once: a send
interrupted by a dying worker is tried again by the sweep, with the Message-ID of the
first try, so a mail server that did receive the first copy can drop the second. The last
test kills a real worker process in the middle of an SMTP conversation."""

import asyncio
import datetime
import email
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection, transaction
from django.utils import timezone

from notifications import channels, tasks
from notifications import delivery as sending
from notifications.models import Delivery, Notification
from tests.smtp_sink import _free_port

from .helpers import DETENTION, tell
from .test_delivery import lost_row


def in_flight(notification, *, minutes_ago=20, attempts=1):
    """The delivery a worker claimed `minutes_ago` and never finished."""
    return Delivery.objects.create(
        notification=notification,
        channel="email",
        attempts=attempts,
        attempted_at=timezone.now() - datetime.timedelta(minutes=minutes_ago),
    )


def test_every_try_of_a_delivery_carries_the_same_message_id(
    world, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(world.pupil, **DETENTION)

    (message,) = smtp_sink.messages
    delivery = notification.deliveries.get()
    assert message["Message-ID"] == channels.message_id_for(delivery.pk) == delivery.provider_id
    assert message["Message-ID"].startswith(f"<delivery.{delivery.pk}.")
    assert channels.message_id_for(delivery.pk + 1) != message["Message-ID"]


def test_an_interrupted_detention_notice_is_sent_again_by_the_sweep_with_the_same_message_id(
    world, smtp_sink
):
    notification = lost_row(world.pupil, world.guardian, age_minutes=30, **DETENTION)
    delivery = in_flight(notification)

    tasks.notification_send.delay(notification.pk)  # the task redelivered: the claim holds
    assert smtp_sink.messages == []
    assert tasks.notifications_sweep.delay().get() == 1

    (message,) = smtp_sink.messages
    assert message["Message-ID"] == channels.message_id_for(delivery.pk)
    assert message["To"] == world.guardian.email
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert tasks.notifications_sweep.delay().get() == 0
    assert len(smtp_sink.messages) == 1


def test_a_send_still_in_progress_is_not_repeated(world, smtp_sink):
    notification = lost_row(world.pupil, world.guardian, age_minutes=30, **DETENTION)
    in_flight(notification, minutes_ago=2)

    assert tasks.notifications_sweep.delay().get() == 0
    assert smtp_sink.messages == []


def test_a_notice_interrupted_on_every_try_ends_failed_for_staff(world, smtp_sink):
    notification = lost_row(world.pupil, world.guardian, age_minutes=120, **DETENTION)
    delivery = in_flight(notification, attempts=sending.MAX_ATTEMPTS)

    assert tasks.notifications_sweep.delay().get() == 0

    assert smtp_sink.messages == []
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error == sending.INTERRUPTED


# A real worker, killed in the middle of a send ----------------------------------------


class HangingOnceSink:
    """An SMTP server that receives the first message whole and then never answers it
    (the worker dies waiting); every later message is accepted at once."""

    def __init__(self):
        self.received: list[email.message.Message] = []
        self.accepted: list[email.message.Message] = []
        self.first_arrived = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content)
        self.received.append(message)
        if len(self.received) == 1:
            self.first_arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 Gone away"
        self.accepted.append(message)
        return "250 OK"


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.mark.worker
@pytest.mark.xdist_group("celery-worker")
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a worker process needs a shared database"
)
def test_a_worker_killed_mid_send_is_replaced_and_the_family_gets_the_notice_once(
    world, private_redis, settings, tmp_path
):
    sink = HangingOnceSink()
    controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": private_redis.url,
        "EMAIL_URL": f"smtp://{controller.hostname}:{controller.port}",
        "SITE_URL": settings.SITE_URL,
        "SECRET_KEY": django_settings.SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "homework_mgmt", "worker", "--pool=solo"]
        + ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "warning"],
        cwd=Path(django_settings.BASE_DIR),
        env=environment,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        with transaction.atomic():
            (notification,) = tell(world.pupil, **DETENTION)
        assert sink.first_arrived.wait(60), (tmp_path / "worker.log").read_text()
        os.kill(worker.pid, signal.SIGKILL)  # mid-send: the message is out, no answer yet
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)
        sink.release.set()

    try:
        delivery = notification.deliveries.get()
        assert (delivery.status, delivery.attempts) == (Delivery.Status.SENDING, 1)
        notification.refresh_from_db()
        assert notification.status == Notification.Status.PENDING

        # Fifteen minutes on, the sweep finds the send that never finished.
        later = timezone.now() + sending.IN_FLIGHT_LOST_AFTER + datetime.timedelta(minutes=1)
        assert sending.notifications_sweep(now=later) == [notification.pk]
        assert sending.notification_send(notification_id=notification.pk) == "sent"

        first, second = sink.received
        assert first["Message-ID"] == second["Message-ID"] == channels.message_id_for(delivery.pk)
        assert sink.accepted == [second]  # delivered once; the first copy is recognisable
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)
        notification.refresh_from_db()
        assert notification.status == Notification.Status.SENT
    finally:
        controller.stop()
