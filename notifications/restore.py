"""After a backup is restored, the outbox is as it was when the dump was taken: messages
waiting then (or half-sent) have most likely been delivered since. They are held, not
sent again, until a person releases (sends) or discards each: `manage.py
notifications_after_restore`, then the outbox in the admin. The worker, the sweep and the
digest never send a held message."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from school.models import User

from .models import Delivery, Notification, NotificationAction
from .services import _queue_on_commit

Status = Notification.Status
WAITING = [Status.PENDING, Status.DIGEST]
RELEASED_NOTE = "Held after a restore, then released by a person: sent again."


@dataclass
class Held:
    cutoff: datetime.datetime
    by_school: Counter
    in_flight: int

    @property
    def count(self) -> int:
        return sum(self.by_school.values())


@transaction.atomic
def notifications_hold(*, older_than: datetime.timedelta, now=None, dry_run: bool = False) -> Held:
    """Hold every message still waiting to be sent (or caught mid-send) that was written
    more than `older_than` before `now`. With `dry_run`, only count them."""
    now = now or timezone.now()
    cutoff = now - older_than
    waiting = list(
        Notification.objects.select_for_update()
        .filter(status__in=WAITING, created_at__lt=cutoff)
        .select_related("school")
        .only("pk", "school_id", "school__name")
    )
    ids = [n.pk for n in waiting]
    held = Held(
        cutoff=cutoff,
        by_school=Counter(n.school.name for n in waiting),
        in_flight=Delivery.objects.filter(
            notification_id__in=ids, status=Delivery.Status.SENDING
        ).count(),
    )
    if dry_run or not ids:
        return held
    Notification.objects.filter(pk__in=ids).update(status=Status.HELD)
    NotificationAction.objects.bulk_create(
        NotificationAction(
            school_id=n.school_id, notification=n, action=NotificationAction.Action.HELD, at=now
        )
        for n in waiting
    )
    return held


def _held(notifications: QuerySet[Notification]) -> list[Notification]:
    return list(
        Notification.objects.select_for_update()
        .filter(pk__in=notifications.values("pk"), status=Status.HELD)
        .only("pk", "school_id")
    )


def _record(chosen, *, action: str, actor: User | None, now) -> None:
    NotificationAction.objects.bulk_create(
        NotificationAction(
            school_id=n.school_id, notification=n, action=action, actor=actor, at=now
        )
        for n in chosen
    )


@transaction.atomic
def notifications_release(*, notifications: QuerySet[Notification], actor: User, now=None) -> int:
    """Send held messages after all (a person checked they never arrived), with a full
    set of tries. Returns how many; rows not held are left alone."""
    now = now or timezone.now()
    chosen = _held(notifications)
    ids = [n.pk for n in chosen]
    # A send caught mid-way by the backup is tried again (with its Message-ID).
    Delivery.objects.filter(notification_id__in=ids).exclude(status=Delivery.Status.SENT).update(
        status=Delivery.Status.FAILED, attempts=0, last_error=RELEASED_NOTE
    )
    Notification.objects.filter(pk__in=ids).update(status=Status.PENDING)
    _record(chosen, action=NotificationAction.Action.RELEASED, actor=actor, now=now)
    _queue_on_commit(ids)
    return len(ids)


@transaction.atomic
def notifications_discard(*, notifications: QuerySet[Notification], actor: User, now=None) -> int:
    """Never send held messages (they arrived before the restore). Returns how many."""
    now = now or timezone.now()
    chosen = _held(notifications)
    Notification.objects.filter(pk__in=[n.pk for n in chosen]).update(status=Status.DISCARDED)
    _record(chosen, action=NotificationAction.Action.DISCARDED, actor=actor, now=now)
    return len(chosen)
