"""The outbox: every message to a parent is a row written in the same transaction as the
event it tells of, so nothing is lost when the mail server or Redis is down and nothing
is sent twice. Delivery (email, SMS, digests, languages) reads these rows."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from school.models import Guardian, Pupil, SchoolOwned, User

from . import registry


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class Notification(SchoolOwned):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DIGEST = "digest", _("Waiting for the daily digest")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent: switched off by the family")
        # What it said was no longer true when it was due to go (e.g. the detention it
        # announced was cancelled first): nothing was sent.
        SUPERSEDED = "superseded", _("Not sent: no longer true")
        # Waiting when a backup was restored: it may have been sent since the backup was
        # taken, so it waits for a person to release or discard it.
        HELD = "held", _("Held after a restore: release or discard it")
        DISCARDED = "discarded", _("Not sent: discarded after a restore")

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="notifications")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="notifications")
    # A kind an app registers (notifications/registry.py): not choices, so that a new
    # kind needs no migration here.
    kind = models.CharField(max_length=30)
    context = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # Blank: the guardian's own channel. Set when staff resend by the other one.
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-created_at", "-pk"]
        indexes = [
            models.Index(fields=["school", "status", "created_at"]),
            # The sweep and the digest look across schools for rows still waiting.
            models.Index(
                fields=["status", "created_at"],
                condition=Q(status__in=["pending", "digest"]),
                name="notification_waiting",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} about {self.pupil} to {self.guardian}"

    def get_kind_display(self) -> str:
        """The kind's label as its app registered it (Django's name for a choice's label)."""
        return registry.label_of(self.kind)


class Delivery(models.Model):
    """One attempt to send one notification by one channel. The unique row is claimed
    (status "sending") before the provider is called, so a task run twice, or retried
    after its worker died mid-send, finds the claim and never sends a second time."""

    class Status(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_id = models.CharField(max_length=200, blank=True)
    digest = models.BooleanField(default=False, help_text="Sent as part of a daily digest")
    created_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notification", "created_at"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_unique_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "attempted_at"],
                condition=Q(status="sending"),
                name="delivery_in_flight",
            )
        ]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.get_status_display()}"


class NotificationAction(SchoolOwned):
    """What a person decided about a notification (sent it again, by which channel;
    released or discarded it after a restore), and when: the record of who did it."""

    class Action(models.TextChoices):
        # Only staff read these (the admin, the dashboard): not translated.
        RESENT = "resent", "Sent again"
        HELD = "held", "Held after a restore"
        RELEASED = "released", "Released after a restore"
        DISCARDED = "discarded", "Discarded after a restore"

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="actions")
    action = models.CharField(max_length=10, choices=Action.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    actor = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["notification", "at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} by {self.actor or 'the system'}"


class Preference(SchoolOwned):
    """How a guardian wants one kind of notification. No row means "immediately"."""

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", _("Straight away")
        DIGEST = "digest", _("In a daily summary")
        OFF = "off", _("Not at all")

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="preferences")
    kind = models.CharField(max_length=30)  # a registered kind, as Notification.kind
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )

    class Meta:
        ordering = ["school", "guardian", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["guardian", "kind"], name="preference_unique_kind")
        ]

    def __str__(self):
        return f"{self.guardian}: {self.get_kind_display()} {self.get_frequency_display()}"

    def get_kind_display(self) -> str:
        return registry.label_of(self.kind)
