"""Notifications' line of the retention schedule (privacy/registry.py): the messages the
product wrote to families, with their deliveries and the actions taken on them, are
deleted once past the period (no half-term figure counts them). Those still waiting to be
sent, or held after a restore, are left for the sender."""

import datetime

from django.db.models import QuerySet

from privacy.registry import RecordKind, register_record_kind
from privacy.retention.events import rows_delete, start_of
from school.models import School

from .models import Delivery, Notification, NotificationAction

Status = Notification.Status
WAITING = [Status.PENDING, Status.DIGEST, Status.HELD]


def notifications_due(school: School, cutoff: datetime.date) -> QuerySet:
    return Notification.objects.filter(
        school=school, created_at__lt=start_of(school, cutoff)
    ).exclude(status__in=WAITING)


register_record_kind(
    RecordKind(
        key="notifications",
        label="Notifications to parents and their deliveries",
        event="the day the notification was written",
        default_months=12,
        guidance=(
            'Long enough to answer "were we told?" about the last school year. '
            "Our suggestion; confirm it with your data protection officer."
        ),
        action="Deleted, with each delivery and any resend or release recorded for it.",
        due=notifications_due,
        apply=rows_delete,
        order=500,
        covers=(Notification, Delivery, NotificationAction),
    )
)
