"""Email leaves through Celery: queued after commit, sent by a real worker from the real
broker (Redis when REDIS_URL is set, as in CI; the in-memory broker otherwise)."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from homework_mgmt.celery import app
from notifications.services import email_queue
from notifications.tasks import send_email_message


@pytest.fixture
def real_worker():
    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


# The worker tests share the broker's queue: xdist runs them all in one process.
pytestmark = pytest.mark.xdist_group("celery-worker")


def wait_for_mail(subject, timeout=20):
    """The subjects of the mail sent so far, once `subject` is among them (or time is up)."""
    deadline = time.monotonic() + timeout
    while subject not in [m.subject for m in mail.outbox] and time.monotonic() < deadline:
        time.sleep(0.05)
    return [m.subject for m in mail.outbox]


@pytest.mark.worker
def test_a_real_worker_sends_a_queued_email(real_worker):
    send_email_message.delay(
        subject="Hello", body="Plain text", html_body="<p>HTML</p>", to=["parent@example.org"]
    )
    assert "Hello" in wait_for_mail("Hello")
    sent = next(m for m in mail.outbox if m.subject == "Hello")
    assert sent.to == ["parent@example.org"]
    assert sent.alternatives[0].content == "<p>HTML</p>"


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_email_is_queued_only_once_the_transaction_commits(real_worker):
    from django.db import transaction

    with transaction.atomic():
        email_queue(subject="After commit", body="body", to=["a@example.org"])
        time.sleep(0.3)
        assert mail.outbox == [], "nothing may leave before the data it describes is saved"
    assert "After commit" in wait_for_mail("After commit")


@pytest.mark.django_db(transaction=True)
def test_email_queued_in_a_rolled_back_transaction_is_never_sent():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        email_queue(subject="Rolled back", body="body", to=["a@example.org"])
        raise RuntimeError("the event failed")
    assert mail.outbox == []


def test_an_unreachable_mail_server_is_retried(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    from celery.exceptions import Retry

    with pytest.raises(Retry):
        send_email_message.apply(
            kwargs={"subject": "s", "body": "b", "to": ["a@example.org"]}, throw=True
        )
