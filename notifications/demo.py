"""The demo school's outbox: the messages its made-up term wrote to parents are the
past, so they are marked sent (when they were written) instead of being delivered to the
demo's invented addresses when the seeding transaction commits."""

from django.db.models import F, Q

from . import services
from .models import Notification


def demo_notifications_build(*, school, rng, today, stdout=None) -> None:
    Notification.objects.filter(school=school, status=Notification.Status.PENDING).update(
        status=Notification.Status.SENT, sent_at=F("created_at")
    )
    # Nothing is left to deliver: the term's events queued deliveries for the commit.
    services.deliveries_forget()


def demo_notifications_delete(*, schools) -> None:
    Notification.objects.filter(Q(school_id__in=[school.pk for school in schools])).delete()
