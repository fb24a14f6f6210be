"""Delivering the outbox: queued when the event's transaction commits (never when it rolls
back), sent exactly once however often the task runs, retried with backoff and then
marked failed for staff, sent again on request, and swept up when its task was lost."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import delivery as sending
from notifications import services, tasks
from notifications.models import Delivery, Notification
from notifications.notices import COMMENDATION
from sanctions.notices import DETENTION_BOOKED, MEETING_CANCELLED

from .helpers import DETENTION, tell


def lost_row(pupil, guardian, kind=DETENTION_BOOKED, age_minutes=6, **context):
    """An outbox row whose queued task never arrived (the broker was down)."""
    notification = Notification.objects.create(
        school=pupil.school, pupil=pupil, guardian=guardian, kind=kind, context=context
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=age_minutes)
    )
    return notification


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_event_sends_nothing(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        tell(world.pupil, **DETENTION)
        raise RuntimeError("the event failed")

    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_event_is_delivered_once_even_when_the_task_runs_twice(world):
    with transaction.atomic():
        (notification,) = tell(world.pupil, **DETENTION)
        assert mail.outbox == [], "nothing leaves before the event is saved"

    assert len(mail.outbox) == 1
    tasks.notification_send.delay(notification.pk)
    tasks.notifications_send.delay([notification.pk])

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.guardian.email]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT and notification.sent_at
    delivery = Delivery.objects.get(notification=notification)
    assert (delivery.channel, delivery.status, delivery.attempts) == ("email", "sent", 1)
    assert delivery.provider_id == mail.outbox[0].extra_headers["Message-ID"]


def test_one_event_reaches_each_guardian_with_parental_responsibility(
    world, django_capture_on_commit_callbacks
):
    from tests.factories import GuardianFactory, GuardianLinkFactory

    second = GuardianFactory(school=world.school, email="dad@example.org")
    GuardianLinkFactory(guardian=second, pupil=world.pupil)
    no_responsibility = GuardianFactory(school=world.school, email="uncle@example.org")
    GuardianLinkFactory(
        guardian=no_responsibility, pupil=world.pupil, parental_responsibility=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, **DETENTION)

    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.guardian.email, second.email])


def test_a_send_that_died_half_way_is_not_repeated_and_ends_failed_for_staff(
    world, django_capture_on_commit_callbacks
):
    """A worker claimed the delivery of a notice the family may switch off and was killed
    before recording the result: the task, run again, finds the claim and sends nothing;
    the sweep later marks it failed (it may have arrived), where staff can choose to
    resend. (A mandatory notice is sent again: test_at_least_once.py.)"""
    notification = lost_row(world.pupil, world.guardian, COMMENDATION, reason="Effort")
    started = timezone.now() - datetime.timedelta(minutes=1)
    Delivery.objects.create(
        notification=notification, channel="email", attempts=1, attempted_at=started
    )

    tasks.notification_send.delay(notification.pk)
    sending.notifications_sweep()
    tasks.notification_send.delay(notification.pk)
    assert mail.outbox == []

    sending.notifications_sweep(now=timezone.now() + datetime.timedelta(minutes=30))
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    delivery = notification.deliveries.get()
    assert delivery.status == Delivery.Status.FAILED
    assert "Interrupted" in delivery.last_error
    assert mail.outbox == []


def test_an_unreachable_mail_server_is_retried_with_backoff_then_the_notification_fails(
    world, settings, retries_run_in_process
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    notification = lost_row(world.pupil, world.guardian, **DETENTION)

    tasks.notification_send.apply(args=[notification.pk])

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    delivery = notification.deliveries.get()
    assert delivery.status == Delivery.Status.FAILED
    assert delivery.attempts == sending.MAX_ATTEMPTS
    assert delivery.last_error.startswith("Email:")
    assert [sending.retry_delay(n) for n in range(1, 6)] == [60, 120, 240, 480, 960]


def test_a_failure_before_the_last_try_leaves_the_row_pending_for_the_retry(world, settings):
    from celery.exceptions import Retry

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    notification = lost_row(world.pupil, world.guardian, **DETENTION)

    with pytest.raises(Retry) as retry:
        tasks.notification_send.apply(args=[notification.pk], throw=True)

    assert 60 <= retry.value.when <= 75
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.deliveries.get().attempts == 1


def test_resend_sends_a_failed_notification_once_the_problem_is_fixed(
    world, django_capture_on_commit_callbacks
):
    world.guardian.email = ""
    world.guardian.mobile = ""
    world.guardian.save()
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(world.pupil, **DETENTION)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert "no email address" in notification.deliveries.get().last_error
    assert mail.outbox == []

    world.guardian.email = "fixed@example.org"
    world.guardian.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.notifications_resend(notifications=Notification.objects.all()) == 1

    assert [m.to for m in mail.outbox] == [["fixed@example.org"]]
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert services.notifications_resend(notifications=Notification.objects.all()) == 0
    assert len(mail.outbox) == 1


def test_the_sweep_sends_rows_whose_task_was_lost_and_leaves_fresh_ones(world):
    lost = lost_row(world.pupil, world.guardian, MEETING_CANCELLED)
    fresh = lost_row(world.pupil, world.guardian, COMMENDATION, age_minutes=1)

    assert tasks.notifications_sweep.delay().get() == 1

    assert len(mail.outbox) == 1
    assert {n.pk: n.status for n in Notification.objects.all()} == {
        lost.pk: Notification.Status.SENT,
        fresh.pk: Notification.Status.PENDING,
    }
    assert tasks.notifications_sweep.delay().get() == 0
    assert len(mail.outbox) == 1


def test_the_sweep_retries_a_failed_try_whose_retry_was_lost(world):
    notification = lost_row(world.pupil, world.guardian, age_minutes=120, **DETENTION)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    Delivery.objects.create(
        notification=notification,
        channel="email",
        status=Delivery.Status.FAILED,
        attempts=2,
        attempted_at=long_ago,
        last_error="Email: connection refused",
    )

    tasks.notifications_sweep.delay()

    assert len(mail.outbox) == 1
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 3)


def test_a_guardian_without_the_chosen_channels_address_gets_the_other(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    world.guardian.notification_channel = "sms"
    world.guardian.mobile = ""
    world.guardian.save()
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(world.pupil, **DETENTION)

    assert sms_outbox == []
    assert [m.to for m in mail.outbox] == [[world.guardian.email]]
    assert notification.deliveries.get().channel == "email"


def test_a_text_message_goes_through_the_sms_provider(
    world, sms_outbox, django_capture_on_commit_callbacks
):
    world.guardian.notification_channel = "sms"
    world.guardian.mobile = "07700 900456"
    world.guardian.save()
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = tell(world.pupil, **DETENTION)

    assert mail.outbox == []
    (sms,) = sms_outbox
    assert sms["to"] == "07700 900456"
    assert sms["body"].startswith("Test Academy: Amara has an after-school detention on Tuesday")
    assert "15:10" in sms["body"] and "B12" in sms["body"]
    assert "https://homework.example.org/parents/" in sms["body"]
    delivery = notification.deliveries.get()
    assert (delivery.channel, delivery.provider_id) == ("sms", sms["id"])


def test_an_sms_provider_outage_is_retried_and_then_sent(world, sms_outbox):
    from notifications.channels import LocmemSMSProvider

    world.guardian.notification_channel = "sms"
    world.guardian.save()
    notification = lost_row(world.pupil, world.guardian, **DETENTION)
    LocmemSMSProvider.failures = 2

    for _ in range(3):
        try:
            sending.notification_send(notification_id=notification.pk)
        except sending.DeliveryError:
            continue

    assert len(sms_outbox) == 1
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
