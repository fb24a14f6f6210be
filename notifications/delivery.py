"""Sending what the outbox holds, run by the worker's tasks (notifications/tasks.py): the
task claims a unique (notification, channel) delivery row before calling the provider,
so nothing is sent twice; failures are retried with backoff and end as "failed" for staff
to see and resend; the sweep finds what the queue lost, and the daily digest gathers the
rows waiting for it. Only what is still true is sent (notifications/events.py).

A pupil who has left: nothing new is written about them (notifications_queue), and at
send time a row about them goes only if it was written before the day they left (it
tells of something that happened while they were on roll, such as a missed deadline or a
cancelled detention, and its facts are checked as for any row: a detention on or after
the leaving day is no longer true). A row written on or after that day is closed as
superseded, like a row to a family no longer linked to the child."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from school import access
from school.calendar import zone_named
from school.models import Guardian

from . import channels, registry
from . import events as merging
from .channels import DeliveryError
from .models import Delivery, Notification, Preference

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
# may not have arrived. A mandatory notice is sent again (same Message-ID); any other is
# marked failed for staff to decide.
IN_FLIGHT_LOST_AFTER = datetime.timedelta(minutes=15)
SWEEP_BATCH = 500


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after `attempts` failed ones: 60, 120, 240 ..."""
    return RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0)


def frequency_of(*, guardian_id: int, kind: str) -> str:
    if kind in registry.mandatory_kinds():
        return Frequency.IMMEDIATELY
    chosen = (
        Preference.objects.filter(guardian_id=guardian_id, kind=kind)
        .values_list("frequency", flat=True)
        .first()
    )
    return chosen or Frequency.IMMEDIATELY


@dataclass
class _Claim:
    guardian: Guardian
    channel: str
    notifications: list[Notification]
    deliveries: list[Delivery]


def _claim(notifications: list[Notification], guardian: Guardian, *, digest: bool, existing=None):
    """Claim a delivery row per notification on its channel (the one staff chose for a
    resend, else the guardian's), inside the caller's transaction, with the notifications
    locked. Rows already sent are closed; rows another run is sending (or died sending)
    are left alone. `existing`: their delivery rows on that channel, when the caller
    read them with the lock."""
    channel = _channel(notifications[0], guardian)
    now = timezone.now()
    if existing is None:
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


def _channel(notification: Notification, guardian: Guardian) -> str:
    return notification.channel or channels.channel_for(guardian)


def _send_claimed(claim: _Claim, render) -> str:
    """Render and send outside any transaction, then record the outcome. Raises
    DeliveryError when the send failed and another try is due. The email's Message-ID
    comes from the first delivery row, so every try of the same delivery carries the same
    one and a receiving server can drop a copy it already has."""
    result, record_sent = _send(claim, render)
    if record_sent is not None:
        with transaction.atomic():
            record_sent()
    return result


def _send(claim: _Claim, render, *, connection=None) -> tuple[str, Callable | None]:
    """Render and send a claimed delivery (outside any transaction). A failure is recorded
    at once (raising DeliveryError when another try is due); a success returns the
    function that records it, for the caller to run in a transaction of its own choice."""
    try:
        rendered = render()
        provider_id = channels.message_send(
            guardian=claim.guardian,
            channel=claim.channel,
            rendered=rendered,
            message_id=channels.message_id_for(min(d.pk for d in claim.deliveries)),
            connection=connection,
        )
    except DeliveryError as error:
        final = error.permanent or min(d.attempts for d in claim.deliveries) >= MAX_ATTEMPTS
        _record_failure(claim, str(error), final=final)
        if final:
            logger.warning("Notification(s) %s failed: %s", _ids(claim), error)
            return "failed", None
        raise
    except Exception as error:
        # A bug (say, a template) is not worth retrying: staff see the reason.
        _record_failure(claim, f"{type(error).__name__}: {error}", final=True)
        logger.exception("Notification(s) %s could not be rendered or sent", _ids(claim))
        return "failed", None
    return "sent", partial(_record_sent, claim, provider_id, timezone.now())


def _record_sent(claim: _Claim, provider_id: str, now) -> None:
    deliveries = [d.pk for d in claim.deliveries]
    if connection.vendor == "postgresql":  # one statement: a round trip less per message
        with connection.cursor() as cursor:
            cursor.execute(
                f"""WITH sent AS (
                        UPDATE {Delivery._meta.db_table}
                        SET status = %s, provider_id = %s, sent_at = %s, last_error = ''
                        WHERE id = ANY(%s))
                    UPDATE {Notification._meta.db_table} SET status = %s, sent_at = %s
                    WHERE id = ANY(%s)""",  # noqa: S608 - table names only
                [
                    Delivery.Status.SENT,
                    provider_id[:200],
                    now,
                    deliveries,
                    Notification.Status.SENT,
                    now,
                    _ids(claim),
                ],
            )
        return
    Delivery.objects.filter(pk__in=deliveries).update(
        status=Delivery.Status.SENT, provider_id=provider_id[:200], sent_at=now, last_error=""
    )
    Notification.objects.filter(pk__in=_ids(claim)).update(
        status=Notification.Status.SENT, sent_at=now
    )


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


def _written_after_leaving(notification: Notification) -> bool:
    """Whether the row's pupil had left by the school's day it was written (no query:
    the pupil and the guardian's school are read with the row)."""
    left_on = notification.pupil.left_on
    if left_on is None:
        return False
    zone = zone_named(notification.guardian.school.time_zone)
    return timezone.localtime(notification.created_at, zone).date() >= left_on


def _restate(notification: Notification) -> bool:
    """Bring the locked row's parts up to what is true now (a detention moved or
    cancelled since the event, a miss undone), saving them so the record shows what the
    family is told. False, with the row closed as superseded, when nothing of it is true
    any more."""
    parts = merging.parts_of(notification)
    # A family unlinked from the child since the event hears nothing more about them, nor
    # any family about a child who had left before the row was written.
    told = notification.linked and not _written_after_leaving(notification)
    current = merging.parts_now(parts) if told else []
    if not current:
        notification.status = Notification.Status.SUPERSEDED
        notification.save(update_fields=["status"])
        return False
    if current != parts:
        notification.kind, notification.context = merging.row_fields(current)
        notification.save(update_fields=["kind", "context"])
    return True


def notification_send(*, notification_id: int) -> str:
    """Deliver one notification as the guardian wants it: at once (claim, send, record),
    later in the digest, or not at all; and only what is still true. Returns what
    happened; raises DeliveryError when the caller should try again later."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("guardian__school", "pupil")
            .annotate(linked=access.still_linked())
            .filter(pk=notification_id, status=Notification.Status.PENDING)
            .first()
        )
        if notification is None:
            return "nothing to do"
        if not _restate(notification):
            return notification.status
        frequency = frequency_of(guardian_id=notification.guardian_id, kind=notification.kind)
        if frequency != Frequency.IMMEDIATELY and not notification.channel:
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


# The rows of one event (say, the Monday digest to every family) are sent by one task in
# batches: the rows locked, brought up to date and sorted (digest, off, send now) in one
# transaction per batch; then each is claimed, sent and recorded on its own as
# notification_send does, so a worker that dies mid-batch leaves at most the one message
# it was sending in flight; and every email of the batch goes over one SMTP connection.
SEND_BATCH = 100
# Mail servers limit the messages one connection may carry: a fresh one after this many.
MESSAGES_PER_CONNECTION = 100


def _prepare(notification_ids: list[int]) -> list[Notification]:
    """Lock the batch's pending rows, restate each, file those the guardian reads in the
    digest (or not at all) and return the rest, to be sent now (a fixed number of
    queries, plus what a kind's fact check asks)."""
    with transaction.atomic():
        rows = [
            notification
            for notification in Notification.objects.select_for_update(of=("self",))
            .select_related("guardian__school", "pupil")
            .annotate(linked=access.still_linked())
            .filter(pk__in=notification_ids, status=Notification.Status.PENDING)
            .order_by("pk")
            if _restate(notification)
        ]
        mandatory = registry.mandatory_kinds()
        chosen = {
            (guardian_id, kind): frequency
            for guardian_id, kind, frequency in Preference.objects.filter(
                guardian_id__in={n.guardian_id for n in rows},
                kind__in={n.kind for n in rows} - set(mandatory),
            ).values_list("guardian_id", "kind", "frequency")
        }
        now, later = [], {Notification.Status.DIGEST: [], Notification.Status.SKIPPED: []}
        for notification in rows:
            frequency = (
                Frequency.IMMEDIATELY
                if notification.kind in mandatory
                else chosen.get((notification.guardian_id, notification.kind))
                or Frequency.IMMEDIATELY
            )
            if frequency == Frequency.IMMEDIATELY or notification.channel:
                now.append(notification)
            else:
                status = (
                    Notification.Status.SKIPPED
                    if frequency == Frequency.OFF
                    else Notification.Status.DIGEST
                )
                later[status].append(notification.pk)
        for status, ids in later.items():
            if ids:
                Notification.objects.filter(pk__in=ids).update(status=status)
    return now


def _claim_again(notification: Notification) -> _Claim | None:
    """Claim a prepared row's delivery (inside the caller's transaction), if no other
    run has sent or closed the row since it was prepared: on PostgreSQL the row is
    locked and its delivery on the channel read in one query."""
    channel = _channel(notification, notification.guardian)
    if connection.vendor != "postgresql":
        pending = Notification.objects.select_for_update().filter(
            pk=notification.pk, status=Notification.Status.PENDING
        )
        if not pending.exists():
            return None
        return _claim([notification], notification.guardian, digest=False)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT d.id, d.status, d.attempts FROM {Notification._meta.db_table} n
                LEFT JOIN {Delivery._meta.db_table} d
                    ON d.notification_id = n.id AND d.channel = %s
                WHERE n.id = %s AND n.status = %s FOR UPDATE OF n""",  # noqa: S608 - table names only
            [channel, notification.pk, Notification.Status.PENDING],
        )
        locked = cursor.fetchone()
    if locked is None:
        return None
    delivery_id, status, attempts = locked
    existing = {}
    if delivery_id is not None:
        existing[notification.pk] = Delivery(
            pk=delivery_id,
            notification=notification,
            channel=channel,
            status=status,
            attempts=attempts,
        )
    return _claim([notification], notification.guardian, digest=False, existing=existing)


def notifications_send(*, notification_ids: list[int]) -> dict[int, str]:
    """Deliver a batch of notifications as notification_send does each, with one SMTP
    connection for all the batch's emails. Each row is claimed in the transaction that
    records the previous row's send, so a row is in flight only while it is sent.
    Returns what happened to each row sent now ("sent", "failed", or "retry" when a
    later try is due: the caller queues it)."""
    results, record_sent = {}, None
    with channels.EmailConnection(MESSAGES_PER_CONNECTION) as connection:
        for notification in _prepare(notification_ids):
            with transaction.atomic():
                if record_sent is not None:
                    record_sent()
                    record_sent = None
                claim = _claim_again(notification)
            if claim is None:
                continue
            render = partial(channels.notification_render, notification)
            try:
                results[notification.pk], record_sent = _send(claim, render, connection=connection)
            except DeliveryError:
                results[notification.pk] = "retry"
        if record_sent is not None:
            with transaction.atomic():
                record_sent()
    return results


def digest_send(*, guardian_id: int) -> str:
    """One message to the guardian with every notification waiting for their digest that
    is still true, grouped by child. Raises DeliveryError when another try is due."""
    with transaction.atomic():
        waiting = [
            notification
            for notification in Notification.objects.select_for_update(of=("self",))
            .select_related("guardian__school", "pupil")
            .annotate(linked=access.still_linked())
            .filter(guardian_id=guardian_id, status=Notification.Status.DIGEST)
            .order_by("pk")
            if _restate(notification)
        ]
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


INTERRUPTED = "Interrupted while sending: it may or may not have arrived."
INTERRUPTED_RETRIED = (
    "Interrupted while sending: sent again with the same Message-ID, so a copy that did "
    "arrive can be recognised."
)


def notifications_sweep(*, now=None) -> list[int]:
    """Deal with sends that died mid-way, and return the pending rows whose queued task
    was lost: written over SWEEP_AFTER ago and never tried, or whose last failed try was
    never retried. A notice the family must get (a mandatory kind) is sent again, at least
    once, with the same Message-ID, while it has tries left; any other is closed as failed
    for staff to decide (it may have arrived). Rows held after a restore are left alone."""
    now = now or timezone.now()
    waiting = [Notification.Status.PENDING, Notification.Status.DIGEST]
    with transaction.atomic():
        lost = Delivery.objects.select_for_update().filter(
            status=Delivery.Status.SENDING,
            attempted_at__lt=now - IN_FLIGHT_LOST_AFTER,
            notification__status__in=waiting,
        )
        retry = lost.filter(
            notification__kind__in=list(registry.mandatory_kinds()),
            digest=False,
            attempts__lt=MAX_ATTEMPTS,
        )
        retried = list(retry.values_list("notification_id", flat=True))
        retry.update(status=Delivery.Status.FAILED, last_error=INTERRUPTED_RETRIED)
        given_up = list(lost.values_list("notification_id", flat=True))
        lost.update(status=Delivery.Status.FAILED, last_error=INTERRUPTED)
        Notification.objects.filter(pk__in=given_up, status__in=waiting).update(
            status=Notification.Status.FAILED
        )
    deliveries = Delivery.objects.filter(notification=OuterRef("pk"))
    lost_tasks = list(
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
        .exclude(pk__in=retried)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[: SWEEP_BATCH * 10]
    )
    return retried + lost_tasks
