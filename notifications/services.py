"""Writes to the outbox: a notification row is written in the event's transaction and a
task is queued once it commits (the task sends it, notifications/delivery.py, whose sweep
picks up whatever the queue lost while Redis was down); a family's choices; staff sending
a failed message again. Imports run one way: services -> tasks -> delivery."""

import logging
from dataclasses import dataclass, field
from functools import partial

import kombu.exceptions
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from school import access, history
from school.models import Guardian, GuardianLink, PersonChange, User

from . import channels, registry, tasks
from . import events as merging
from .models import Channel, Delivery, Notification, NotificationAction, Preference

logger = logging.getLogger(__name__)


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


def deliveries_forget() -> None:
    """Drop the deliveries this transaction queued for its commit: for rows written as
    already sent (the demo's made-up past), the delivery task would only read them again
    to find them sent (and without Redis it runs inline, once an event)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    connection.run_on_commit = [
        hook
        for hook in connection.run_on_commit
        if not (
            isinstance(hook[1], _Batch)
            or (isinstance(hook[1], partial) and hook[1].func is _publish)
        )
    ]


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
    guardian about the same child is one row (notifications/events.py). Nothing is written
    about a pupil who has left by the school's today. Returns how many rows were written
    new (two or three queries, however many events)."""
    events = list(events)
    links = GuardianLink.objects.filter(
        access.on_roll(timezone.localdate(), "pupil"),
        pupil_id__in={pupil_id for pupil_id, _, _ in events},
        parental_responsibility=True,
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


@transaction.atomic
def preferences_save(
    *, guardian: Guardian, frequencies: dict[str, str], actor: User | None = None
) -> None:
    """Set how the guardian receives each kind. Mandatory kinds cannot be changed. What
    changes is kept in the guardian's history as `actor`'s (the family's own) change."""
    fixed = set(frequencies) & registry.mandatory_kinds()
    if fixed:
        raise ValueError(f"These notices are always sent straight away: {sorted(fixed)}")
    unknown = set(frequencies) - {kind.code for kind in registry.kinds()}
    if unknown:
        raise ValueError(f"No app sends these kinds: {sorted(unknown)}")
    before = dict(
        Preference.objects.filter(guardian=guardian, kind__in=list(frequencies)).values_list(
            "kind", "frequency"
        )
    )
    Preference.objects.bulk_create(
        [
            Preference(school_id=guardian.school_id, guardian=guardian, kind=k, frequency=f)
            for k, f in frequencies.items()
        ],
        update_conflicts=True,
        unique_fields=["guardian", "kind"],
        update_fields=["frequency"],
    )
    # Staff read the history: in the school's language, whatever the family reads in.
    with translation.override(settings.LANGUAGE_CODE):
        labels = {kind.code: f"Notices: {kind.label}" for kind in registry.kinds()}
        shown = {value: str(label) for value, label in Preference.Frequency.choices}
        immediately = Preference.Frequency.IMMEDIATELY
        history.person_changes_save(
            history.person_change_rows(
                guardian=guardian,
                before={labels[k]: shown[before.get(k, immediately)] for k in frequencies},
                after={labels[k]: shown[f] for k, f in frequencies.items()},
                actor=actor,
                source=PersonChange.Source.FAMILY,
            )
        )


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
