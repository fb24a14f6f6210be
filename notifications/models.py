"""The outbox: every message to a parent is a row written in the same transaction as the
event it tells of, so nothing is lost when the mail server or Redis is down and nothing
is sent twice. Delivery (email, SMS, digests, languages) reads these rows."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from school.models import Guardian, Pupil, SchoolOwned


class Notification(SchoolOwned):
    class Kind(models.TextChoices):
        MISSED_DEADLINE = "missed_deadline", _("Missed deadline")
        SANCTION_DUE = "sanction_due", _("Detention due")
        SANCTION_CANCELLED = "sanction_cancelled", _("Detention cancelled")
        DETENTION_BOOKED = "detention_booked", _("Detention booked")
        EXCLUSION_BOOKED = "exclusion_booked", _("Internal exclusion booked")
        EXCLUSION_CANCELLED = "exclusion_cancelled", _("Internal exclusion cancelled")
        MEETING_ARRANGED = "meeting_arranged", _("Meeting arranged")
        MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
        COMMENDATION = "commendation", _("Commendation")
        DETENTION_MISSED = "detention_missed", _("Detention missed")
        WEEKLY_DIGEST = "weekly_digest", _("This week's homework")
        AGREEMENT_REMINDER = "agreement_reminder", _("Home-school agreement reminder")
        MESSAGE_REPLY = "message_reply", _("Reply to your message")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    guardian = models.ForeignKey(Guardian, on_delete=models.CASCADE, related_name="notifications")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    context = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} about {self.pupil} to {self.guardian}"
