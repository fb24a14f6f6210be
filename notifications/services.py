"""Writes to the outbox and its deliveries. A notification row is written in the event's
transaction; a task is queued once it commits; the task claims a unique (notification,
channel) delivery row before calling the provider, so nothing is sent twice; failures are
retried with backoff and end as "failed" for staff to see and resend; the sweep picks up
whatever the queue lost (Redis down) and the daily digest gathers the "digest" kinds."""

import datetime
import logging
from dataclasses import dataclass, field
from functools import partial

import kombu.exceptions
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from school import access
from school.models import Guardian, GuardianLink, User

from . import channels, tasks
from . import events as merging
from .channels import DeliveryError
from .models import (
    MANDATORY_KINDS,
    Channel,
    Delivery,
    Notification,
    NotificationAction,
    Preference,
)

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


# One row per guardian and child per event. The rows an event writes are kept in a batch
# tied to its transaction, so a second write about the same guardian and child in the same
# event merges into the first row (notifications/events.py) instead of adding a message.
# The batch is itself the on-commit callback that queues the rows, so it ends with the
# transaction: run on commit, dropped by Django on rollback.


def _marker():
    """A no-op on-commit callback: while Django still holds it, the savepoint that was
    open when it was registered has not been rolled back."""
    return lambda: None


@dataclass
class _Entry:
    row: Notification
    parts: list
    markers: list = field(default_factory=list)


class _Batch:
    def __init__(self, scope):
        self.scope = scope
        self.entries: dict[tuple[int, int], _Entry] = {}
        self.done = False

    def __call__(self):
        self.done = True
        _publish([entry.row.pk for entry in self.entries.values() if entry.row.pk])


def _event_scope(connection):
    """The outermost atomic block that is not a test case's own (the event), told apart
    from the next one by its savepoint; None outside any (autocommit: each write is its
    own event). Tests wrap each test in atomic blocks of their own, so without this every
    service called in one test would count as one event; a block that holds many events
    on purpose (the demo's made-up term) says so with `holds_many_events`."""
    for index, block in enumerate(connection.atomic_blocks):
        container = getattr(block, "_from_testcase", False) or getattr(
            block, "holds_many_events", False
        )
        if not container:
            return (index, connection.savepoint_ids[index - 1] if index else None)
    return None


def _registered(connection) -> set[int]:
    return {id(func) for _sids, func, _robust in connection.run_on_commit}


def _current_batch() -> _Batch | None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    scope = _event_scope(connection)
    if scope is None:
        return None
    batch = getattr(connection, "notifications_batch", None)
    if (
        batch is None
        or batch.done
        or batch.scope != scope
        or id(batch) not in _registered(connection)
    ):
        batch = _Batch(scope)
        connection.notifications_batch = batch
        transaction.on_commit(batch, robust=True)
    return batch


def _rows_write(items) -> tuple[list[Notification], dict]:
    """Write the outbox rows of (school_id, guardian_id, pupil_id, kind, context) items,
    one per guardian and child in this event, merged with what the event already wrote.
    Returns the rows written new, and the row of each (guardian, child) touched; a fixed
    number of queries."""
    batch = _current_batch()
    entries = batch.entries if batch is not None else {}
    live = _registered(transaction.get_connection()) if batch is not None else set()
    new, changed = {}, {}
    for school_id, guardian_id, pupil_id, kind, context in items:
        key = (guardian_id, pupil_id)
        entry = entries.get(key)
        if entry is not None and all(id(m) in live for m in entry.markers):
            entry.parts = merging.parts_merge(entry.parts, kind, context)
            (new if entry.row.pk is None else changed)[key] = entry
        else:
            row = Notification(school_id=school_id, guardian_id=guardian_id, pupil_id=pupil_id)
            entry = entries[key] = _Entry(row, merging.parts_merge([], kind, context))
            new[key] = entry
        if batch is not None:
            marker = _marker()
            entry.markers.append(marker)
            transaction.on_commit(marker)
            live.add(id(marker))
    for entry in [*new.values(), *changed.values()]:
        if entry.parts:
            entry.row.kind, entry.row.context = merging.row_fields(entry.parts)
    created = [entry.row for entry in new.values() if entry.parts]
    Notification.objects.bulk_create(created)
    kept = [entry.row for entry in changed.values() if entry.parts]
    if kept:
        Notification.objects.bulk_update(kept, ["kind", "context"])
    emptied = [entry.row.pk for entry in changed.values() if not entry.parts]
    if emptied:  # a cancellation of what the same event announced: nothing to tell
        Notification.objects.filter(pk__in=emptied).delete()
    if batch is None:
        _queue_on_commit([row.pk for row in created])
    return created, {key: entry.row for key, entry in {**new, **changed}.items()}


def notifications_queue(*, events) -> int:
    """Write one outbox row per guardian with parental responsibility for each event's
    child, in the caller's transaction, and queue their delivery for when it commits.
    `events` are (pupil_id, kind, context) triples; what one transaction tells the same
    guardian about the same child is one row (notifications/events.py). Returns how many
    rows were written new (two or three queries, however many events)."""
    events = list(events)
    links = GuardianLink.objects.filter(
        pupil_id__in={pupil_id for pupil_id, _, _ in events}, parental_responsibility=True
    ).values_list("pupil_id", "guardian_id", "guardian__school_id")
    guardians_of = {}
    for pupil_id, guardian_id, school_id in links:
        guardians_of.setdefault(pupil_id, []).append((guardian_id, school_id))
    created, _touched = _rows_write(
        (school_id, guardian_id, pupil_id, kind, context)
        for pupil_id, kind, context in events
        for guardian_id, school_id in guardians_of.get(pupil_id, [])
    )
    return len(created)


def notification_write(
    *, school_id: int, guardian_id: int, pupil_id: int, kind: str, context: dict
) -> Notification:
    """One outbox row for one guardian (e.g. the reply to their own message), written in
    the caller's transaction and queued for delivery when it commits (merged, like every
    row, with what the same event tells them about the same child)."""
    _created, touched = _rows_write([(school_id, guardian_id, pupil_id, kind, context)])
    return touched[(guardian_id, pupil_id)]


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
    """Claim a delivery row per notification on its channel (the one staff chose for a
    resend, else the guardian's), inside the caller's transaction, with the notifications
    locked. Rows already sent are closed; rows another run is sending (or died sending)
    are left alone."""
    channel = notifications[0].channel or channels.channel_for(guardian)
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
    DeliveryError when the send failed and another try is due. The email's Message-ID
    comes from the first delivery row, so every try of the same delivery carries the same
    one and a receiving server can drop a copy it already has."""
    try:
        rendered = render()
        provider_id = channels.message_send(
            guardian=claim.guardian,
            channel=claim.channel,
            rendered=rendered,
            message_id=channels.message_id_for(min(d.pk for d in claim.deliveries)),
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


def _restate(notification: Notification) -> bool:
    """Bring the locked row's parts up to what is true now (a detention moved or
    cancelled since the event, a miss undone), saving them so the record shows what the
    family is told. False, with the row closed as superseded, when nothing of it is true
    any more."""
    parts = merging.parts_of(notification)
    # A family unlinked from the child since the event hears nothing more about them.
    current = merging.parts_now(parts) if notification.linked else []
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
    never retried. A notice the family must get (MANDATORY_KINDS) is sent again, at least
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
            notification__kind__in=MANDATORY_KINDS,
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


@transaction.atomic
def notifications_resend(
    *, notifications, actor: User | None = None, channel: str = "", now=None
) -> int:
    """Send failed notifications again, with a full set of tries, by `channel` when given
    (else by the one each guardian chose); returns how many. Who asked is recorded."""
    now = now or timezone.now()
    chosen = list(
        Notification.objects.filter(
            pk__in=notifications.values("pk"), status=Notification.Status.FAILED
        )
        .select_for_update()
        .only("pk", "school_id")
    )
    ids = [n.pk for n in chosen]
    Delivery.objects.filter(notification_id__in=ids).filter(~Q(status=Delivery.Status.SENT)).update(
        status=Delivery.Status.FAILED, attempts=0
    )
    Notification.objects.filter(pk__in=ids).update(
        status=Notification.Status.PENDING, channel=channel
    )
    NotificationAction.objects.bulk_create(
        NotificationAction(
            school_id=n.school_id,
            notification=n,
            action=NotificationAction.Action.RESENT,
            channel=channel,
            actor=actor,
            at=now,
        )
        for n in chosen
    )
    _queue_on_commit(ids)
    return len(ids)


class ResendError(Exception):
    """A resend the notification's state refuses; the message is shown as it is."""


@transaction.atomic
def notification_resend(
    *, notification: Notification, actor: User, other_channel: bool = False, now=None
) -> str:
    """A member of staff sends one failed notification again: by the channel it failed
    on, or by the other one (email or text) when the guardian has that address. Returns
    the channel it will go by."""
    notification = (
        Notification.objects.select_for_update(of=("self",))
        .select_related("guardian")
        .get(pk=notification.pk)
    )
    if notification.status != Notification.Status.FAILED:
        raise ResendError("This message is no longer marked as failed: nothing was changed.")
    tried = (
        notification.deliveries.order_by("-attempted_at", "-pk")
        .values_list("channel", flat=True)
        .first()
    ) or channels.channel_for(notification.guardian)
    channel = tried
    if other_channel:
        channel = Channel.SMS if tried == Channel.EMAIL else Channel.EMAIL
        if not channels.address_of(notification.guardian, channel):
            raise ResendError(
                f"The parent or carer has no {Channel(channel).label.lower()} contact: "
                "add one to their record first."
            )
    notifications_resend(
        notifications=Notification.objects.filter(pk=notification.pk),
        actor=actor,
        channel=channel if other_channel else "",
        now=now,
    )
    return channel
