"""Writes to the outbox and its deliveries. A notification row is written in the event's
transaction; a task is queued once it commits; the task claims a unique (notification,
channel) delivery row before calling the provider, so nothing is sent twice; failures are
retried with backoff and end as "failed" for staff to see and resend; the sweep picks up
whatever the queue lost (Redis down) and the daily digest gathers the "digest" kinds."""

import datetime
import logging
from dataclasses import dataclass
from functools import partial

import kombu.exceptions
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from school.models import Guardian, GuardianLink

from . import channels, tasks
from .channels import DeliveryError
from .models import MANDATORY_KINDS, Delivery, Notification, Preference

logger = logging.getLogger(__name__)

Frequency = Preference.Frequency

# One first try and five retries, 1, 2, 4, 8 and 16 minutes apart.
MAX_ATTEMPTS = 6
RETRY_BASE_SECONDS = 60
# Rows still waiting this long after they were written lost their queued task.
SWEEP_AFTER = datetime.timedelta(minutes=5)
# A failed attempt not retried within this time lost its retry (longer than any backoff).
RETRY_LOST_AFTER = datetime.timedelta(hours=1)
# A send that started this long ago and never finished died with its worker: it may or
# may not have arrived, so it is not repeated on its own; staff see it failed and decide.
IN_FLIGHT_LOST_AFTER = datetime.timedelta(minutes=15)
SWEEP_BATCH = 500


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed ones: 60, 120, 240 ..."""
    return RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def email_queue(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Queue an email for the worker once the surrounding transaction has committed. With
    the broker down the web process sends it itself: these emails (an invitation, a note
    to staff) have no outbox row for the sweep to find, and the page that wrote them has
    committed, so it must not fail for it."""
    message = {"subject": subject, "body": body, "to": to, "html_body": html_body}
    transaction.on_commit(partial(_email_publish, message), robust=True)


def _email_publish(message: dict) -> None:
    try:
        tasks.send_email_message.apply_async(
            kwargs=message,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        )
    except kombu.exceptions.OperationalError:
        logger.warning("Could not queue an email; sending it from the web process.", exc_info=True)
        tasks.send_email_message.apply(kwargs=message, throw=False)


def _publish(notification_ids: list[int]) -> None:
    """Hand a batch to the broker. When the broker is down the rows stay pending for the
    sweep: the request that wrote them must not fail or hang for it."""
    try:
        tasks.notifications_send.apply_async(
            args=[notification_ids],
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        )
    except Exception:  # noqa: BLE001 - any broker failure leaves the rows to the sweep
        logger.warning(
            "Could not queue %d notification(s); the sweep will send them.",
            len(notification_ids),
            exc_info=True,
        )


def _queue_on_commit(notification_ids: list[int]) -> None:
    if notification_ids:
        transaction.on_commit(partial(_publish, list(notification_ids)), robust=True)


def notifications_queue(*, events) -> int:
    """Write one outbox row per guardian with parental responsibility for each event,
    in the caller's transaction, and queue their delivery for when it commits. `events`
    are (pupil_id, kind, context) triples; returns how many rows were written (two
    queries, however many events)."""
    events = list(events)
    links = GuardianLink.objects.filter(
        pupil_id__in={pupil_id for pupil_id, _, _ in events}, parental_responsibility=True
    ).values_list("pupil_id", "guardian_id", "guardian__school_id")
    guardians_of = {}
    for pupil_id, guardian_id, school_id in links:
        guardians_of.setdefault(pupil_id, []).append((guardian_id, school_id))
    rows = [
        Notification(
            school_id=school_id,
            guardian_id=guardian_id,
            pupil_id=pupil_id,
            kind=kind,
            context=context,
        )
        for pupil_id, kind, context in events
        for guardian_id, school_id in guardians_of.get(pupil_id, [])
    ]
    Notification.objects.bulk_create(rows)
    _queue_on_commit([row.pk for row in rows])
    return len(rows)


def notification_write(
    *, school_id: int, guardian_id: int, pupil_id: int, kind: str, context: dict
) -> Notification:
    """One outbox row for one guardian (e.g. the reply to their own message), written in
    the caller's transaction and queued for delivery when it commits."""
    notification = Notification.objects.create(
        school_id=school_id, guardian_id=guardian_id, pupil_id=pupil_id, kind=kind, context=context
    )
    _queue_on_commit([notification.pk])
    return notification


# Preferences


def frequency_of(*, guardian_id: int, kind: str) -> str:
    if kind in MANDATORY_KINDS:
        return Frequency.IMMEDIATELY
    chosen = (
        Preference.objects.filter(guardian_id=guardian_id, kind=kind)
        .values_list("frequency", flat=True)
        .first()
    )
    return chosen or Frequency.IMMEDIATELY


@transaction.atomic
def preferences_save(*, guardian: Guardian, frequencies: dict[str, str]) -> None:
    """Set how the guardian receives each kind. Mandatory kinds cannot be changed."""
    fixed = set(frequencies) & MANDATORY_KINDS
    if fixed:
        raise ValueError(f"These notices are always sent straight away: {sorted(fixed)}")
    Preference.objects.bulk_create(
        [
            Preference(school_id=guardian.school_id, guardian=guardian, kind=k, frequency=f)
            for k, f in frequencies.items()
        ],
        update_conflicts=True,
        unique_fields=["guardian", "kind"],
        update_fields=["frequency"],
    )


# Delivery


@dataclass
class _Claim:
    guardian: Guardian
    channel: str
    notifications: list[Notification]
    deliveries: list[Delivery]


def _claim(notifications: list[Notification], guardian: Guardian, *, digest: bool):
    """Claim a delivery row per notification on the guardian's channel, inside the
    caller's transaction, with the notifications locked. Rows already sent are closed;
    rows another run is sending (or died sending) are left alone."""
    channel = channels.channel_for(guardian)
    now = timezone.now()
    existing = {
        d.notification_id: d
        for d in Delivery.objects.filter(notification__in=notifications, channel=channel)
    }
    claimed, new, retried, done = [], [], [], []
    for notification in notifications:
        delivery = existing.get(notification.pk)
        if delivery is None:
            delivery = Delivery(notification=notification, channel=channel)
            new.append(delivery)
        elif delivery.status == Delivery.Status.SENT:
            done.append(notification.pk)
            continue
        elif delivery.status == Delivery.Status.SENDING:
            continue
        else:
            retried.append(delivery)
        delivery.status = Delivery.Status.SENDING
        delivery.attempts += 1
        delivery.attempted_at = now
        delivery.digest = digest
        claimed.append(notification)
    Delivery.objects.bulk_create(new)
    Delivery.objects.bulk_update(retried, ["status", "attempts", "attempted_at", "digest"])
    if done:
        Notification.objects.filter(pk__in=done).update(status=Notification.Status.SENT)
    if not claimed:
        return None
    return _Claim(guardian, channel, claimed, new + retried)


def _send_claimed(claim: _Claim, render) -> str:
    """Render and send outside any transaction, then record the outcome. Raises
    DeliveryError when the send failed and another try is due."""
    try:
        rendered = render()
        provider_id = channels.message_send(
            guardian=claim.guardian, channel=claim.channel, rendered=rendered
        )
    except DeliveryError as error:
        final = error.permanent or min(d.attempts for d in claim.deliveries) >= MAX_ATTEMPTS
        _record_failure(claim, str(error), final=final)
        if final:
            logger.warning("Notification(s) %s failed: %s", _ids(claim), error)
            return "failed"
        raise
    except Exception as error:
        # A bug (say, a template) is not worth retrying: staff see the reason.
        _record_failure(claim, f"{type(error).__name__}: {error}", final=True)
        logger.exception("Notification(s) %s could not be rendered or sent", _ids(claim))
        return "failed"
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk__in=[d.pk for d in claim.deliveries]).update(
            status=Delivery.Status.SENT, provider_id=provider_id[:200], sent_at=now, last_error=""
        )
        Notification.objects.filter(pk__in=_ids(claim)).update(
            status=Notification.Status.SENT, sent_at=now
        )
    return "sent"


def _ids(claim: _Claim) -> list[int]:
    return [n.pk for n in claim.notifications]


def _record_failure(claim: _Claim, reason: str, *, final: bool) -> None:
    with transaction.atomic():
        Delivery.objects.filter(pk__in=[d.pk for d in claim.deliveries]).update(
            status=Delivery.Status.FAILED, last_error=reason[:2000]
        )
        if final:
            Notification.objects.filter(pk__in=_ids(claim)).update(
                status=Notification.Status.FAILED
            )


def notification_send(*, notification_id: int) -> str:
    """Deliver one notification as the guardian wants it: at once (claim, send, record),
    later in the digest, or not at all. Returns what happened; raises DeliveryError when
    the caller should try again later."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("guardian__school", "pupil")
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return "nothing to do"
        frequency = frequency_of(guardian_id=notification.guardian_id, kind=notification.kind)
        if frequency != Frequency.IMMEDIATELY:
            notification.status = (
                Notification.Status.SKIPPED
                if frequency == Frequency.OFF
                else Notification.Status.DIGEST
            )
            notification.save(update_fields=["status"])
            return notification.status
        claim = _claim([notification], notification.guardian, digest=False)
    if claim is None:
        return "already sent or being sent"
    return _send_claimed(claim, partial(channels.notification_render, notification))


def digest_send(*, guardian_id: int) -> str:
    """One message to the guardian with every notification waiting for their digest,
    grouped by child. Raises DeliveryError when another try is due."""
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",))
            .select_related("guardian__school", "pupil")
            .filter(guardian_id=guardian_id, status=Notification.Status.DIGEST)
            .order_by("pk")
        )
        if not waiting:
            return "nothing to do"
        guardian = waiting[0].guardian
        claim = _claim(waiting, guardian, digest=True)
    if claim is None:
        return "already sent or being sent"
    return _send_claimed(claim, partial(channels.digest_render, guardian, claim.notifications))


def digest_guardians() -> list[int]:
    """The guardians with notifications waiting for today's digest."""
    return list(
        Notification.objects.filter(status=Notification.Status.DIGEST)
        .order_by()
        .values_list("guardian_id", flat=True)
        .distinct()
    )


def notifications_sweep(*, now=None) -> list[int]:
    """Close sends that died mid-way (failed, for staff: never repeated on their own),
    and return the pending rows whose queued task was lost: written over SWEEP_AFTER ago
    and never tried, or whose last failed try was never retried."""
    now = now or timezone.now()
    with transaction.atomic():
        lost = Delivery.objects.filter(
            status=Delivery.Status.SENDING, attempted_at__lt=now - IN_FLIGHT_LOST_AFTER
        )
        lost_notifications = list(lost.values_list("notification_id", flat=True))
        lost.update(
            status=Delivery.Status.FAILED,
            last_error="Interrupted while sending: it may or may not have arrived.",
        )
        Notification.objects.filter(
            pk__in=lost_notifications,
            status__in=[Notification.Status.PENDING, Notification.Status.DIGEST],
        ).update(status=Notification.Status.FAILED)
    deliveries = Delivery.objects.filter(notification=OuterRef("pk"))
    return list(
        Notification.objects.filter(
            status=Notification.Status.PENDING, created_at__lt=now - SWEEP_AFTER
        )
        .filter(
            ~Exists(deliveries)
            | Exists(
                deliveries.filter(
                    status=Delivery.Status.FAILED, attempted_at__lt=now - RETRY_LOST_AFTER
                )
            )
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[: SWEEP_BATCH * 10]
    )


@transaction.atomic
def notifications_resend(*, notifications) -> int:
    """Send failed notifications again, with a full set of tries; returns how many."""
    ids = list(
        Notification.objects.filter(
            pk__in=notifications.values("pk"), status=Notification.Status.FAILED
        )
        .select_for_update()
        .values_list("pk", flat=True)
    )
    Delivery.objects.filter(notification_id__in=ids).filter(~Q(status=Delivery.Status.SENT)).update(
        status=Delivery.Status.FAILED, attempts=0
    )
    Notification.objects.filter(pk__in=ids).update(status=Notification.Status.PENDING)
    _queue_on_commit(ids)
    return len(ids)
