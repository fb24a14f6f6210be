"""The demo school's outbox: the messages its made-up term wrote to parents are the
past, so they are marked sent (when they were written) instead of being delivered to the
demo's invented addresses when the seeding transaction commits."""

from functools import partial

from django.db import transaction
from django.db.models import F, Q

from . import services
from .models import Notification


def demo_notifications_build(*, school, rng, today, stdout=None) -> None:
    Notification.objects.filter(school=school, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENT, sent_at=F("created_at")
    )
    _deliveries_forget()


def _deliveries_forget() -> None:
    """Nothing is left to deliver: drop the tasks the term's events queued for when the
    seeding transaction commits (the delivery task would only read the rows again to find
    them sent, and without Redis it runs inline, once per event)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return
    connection.run_on_commit = [
        hook
        for hook in connection.run_on_commit
        if not (
            isinstance(hook[1], services._Batch)
            or (isinstance(hook[1], partial) and hook[1].func is services._publish)
        )
    ]


def demo_notifications_delete(*, schools) -> None:
    Notification.objects.filter(Q(school_id__in=[school.pk for school in schools])).delete()
