"""The notifications in a subject access export: each message the school's outbox wrote
about a pupil (or to a guardian), what it said, how it was delivered, and what staff did
with it; and a guardian's choices of how to be told (privacy/registry.py)."""

import logging

from django.db.models import Prefetch
from django.utils import timezone

from privacy.registry import GUARDIAN, PUPIL, ExportSection, register_export_section

from .channels import notification_render
from .models import Delivery, Notification, NotificationAction, Preference

logger = logging.getLogger(__name__)


def _said(notification: Notification, context) -> tuple[str, str]:
    try:
        rendered = notification_render(notification)
    except Exception:  # a kind no longer registered, a context it cannot read
        logger.warning("Could not render notification %s for an export", notification.pk)
        return notification.get_kind_display(), context.redact(str(notification.context))
    return context.redact(rendered.subject), context.redact(rendered.text)


def _deliveries(notification: Notification) -> str:
    return "; ".join(
        f"{delivery.get_channel_display()}: {delivery.get_status_display()}"
        + (f" {timezone.localtime(delivery.sent_at):%d/%m/%Y %H:%M}" if delivery.sent_at else "")
        + f" ({delivery.attempts} attempt{'s' if delivery.attempts != 1 else ''})"
        + (" in a daily digest" if delivery.digest else "")
        + (f", {delivery.last_error}" if delivery.last_error else "")
        for delivery in notification.deliveries.all()
    )


def _actions(notification: Notification, context) -> str:
    return "; ".join(
        f"{action.get_action_display()} {timezone.localtime(action.at):%d/%m/%Y %H:%M}"
        f" by {context.staff_name(action.actor) or 'the system'}"
        for action in notification.actions.all()
    )


def _notifications(rows, context):
    rows = (
        rows.select_related("guardian__school", "pupil")
        .prefetch_related(
            Prefetch("deliveries", queryset=Delivery.objects.order_by("created_at", "pk")),
            Prefetch(
                "actions",
                queryset=NotificationAction.objects.select_related("actor").order_by("at", "pk"),
            ),
        )
        .order_by("created_at", "pk")
    )
    for notification in rows:
        subject, message = _said(notification, context)
        yield {
            "Written": notification.created_at,
            "About": notification.pupil.full_name,
            "To": notification.guardian.full_name,
            "Kind": notification.get_kind_display(),
            "Subject": subject,
            "Message": message,
            "Status": notification.get_status_display(),
            "Sent": notification.sent_at,
            "Deliveries": _deliveries(notification),
            "Staff actions": _actions(notification, context),
        }


def pupil_notifications(pupil, context):
    return _notifications(Notification.objects.filter(pupil=pupil), context)


def guardian_notifications(guardian, context):
    return _notifications(Notification.objects.filter(guardian=guardian), context)


def guardian_preferences(guardian, context):
    for preference in Preference.objects.filter(guardian=guardian).order_by("kind"):
        yield {
            "Kind": preference.get_kind_display(),
            "How": preference.get_frequency_display(),
        }


register_export_section(
    ExportSection(
        key="pupil_notifications",
        title="Notifications to parents",
        about=PUPIL,
        covers=(Notification, Delivery, NotificationAction),
        rows=pupil_notifications,
        description="Every message the school wrote to the pupil's parents and carers about "
        "the pupil, how each was delivered, and what staff did with it.",
        order=80,
    )
)
register_export_section(
    ExportSection(
        key="guardian_notifications",
        title="Notifications",
        about=GUARDIAN,
        covers=(Notification, Delivery, NotificationAction),
        rows=guardian_notifications,
        description="Every message the school wrote to the parent or carer, how each was "
        "delivered, and what staff did with it.",
        order=80,
    )
)
register_export_section(
    ExportSection(
        key="guardian_preferences",
        title="Notification preferences",
        about=GUARDIAN,
        covers=(Preference,),
        rows=guardian_preferences,
        description="How the parent or carer chose to be told of each kind of news (no row: "
        "straight away).",
        order=81,
    )
)
