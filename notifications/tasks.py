import logging
import random

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from . import delivery
from .channels import DeliveryError

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=5, default_retry_delay=60, acks_late=True)
def send_email_message(self, *, subject, body, to, html_body=None, from_email=None):
    """Send one already-rendered email, retrying with backoff while the mail server is down."""
    message = EmailMultiAlternatives(subject=subject, body=body, from_email=from_email, to=to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    try:
        message.send()
    except OSError as exc:
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


def _backoff(retries: int) -> float:
    delay = delivery.retry_delay(retries + 1)
    return delay + random.uniform(0, delay / 4)  # noqa: S311 - jitter, not security


# Delivery decides when to stop (after delivery.MAX_ATTEMPTS tries, counted on the
# delivery rows); max_retries only bounds a retry loop gone wrong.
RETRY_BOUND = 12


@shared_task(bind=True, max_retries=RETRY_BOUND, acks_late=True)
def notification_send(self, notification_id: int):
    try:
        return delivery.notification_send(notification_id=notification_id)
    except DeliveryError as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task(acks_late=True)
def notifications_send(notification_ids: list[int]):
    """One task per batch of rows written together, sent in batches of
    delivery.SEND_BATCH (one task each, so that several workers share a large event);
    a row whose send failed is retried by a task of its own, with backoff."""
    if len(notification_ids) > delivery.SEND_BATCH:
        for start in range(0, len(notification_ids), delivery.SEND_BATCH):
            notifications_send.delay(notification_ids[start : start + delivery.SEND_BATCH])
        return None
    results = delivery.notifications_send(notification_ids=notification_ids)
    for notification_id, result in results.items():
        if result == "retry":
            _retry_later(notification_id)
    return results


def _retry_later(notification_id: int) -> None:
    try:
        notification_send.apply_async(args=[notification_id], countdown=_backoff(0))
    except Exception:  # noqa: BLE001 - the sweep retries a failed try that lost its task
        logger.warning("Could not queue the retry of notification %s.", notification_id)


@shared_task(bind=True, max_retries=RETRY_BOUND, acks_late=True)
def digest_send(self, guardian_id: int):
    try:
        return delivery.digest_send(guardian_id=guardian_id)
    except DeliveryError as exc:
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task
def digests_send():
    """Daily (celery beat): one digest per guardian with notifications waiting for it."""
    for guardian_id in delivery.digest_guardians():
        digest_send.delay(guardian_id)


@shared_task
def notifications_sweep():
    """Every few minutes (celery beat): send what the queue lost, e.g. while Redis was down."""
    ids = delivery.notifications_sweep()
    for start in range(0, len(ids), delivery.SWEEP_BATCH):
        notifications_send.delay(ids[start : start + delivery.SWEEP_BATCH])
    return len(ids)
