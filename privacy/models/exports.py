import secrets

from django.db import models
from django.db.models import Q

from school.models import Guardian, Pupil, SchoolOwned, User


def export_path(instance, filename):
    return f"exports/{instance.school_id}/{secrets.token_hex(12)}/{filename}"


class SubjectAccessExport(SchoolOwned):
    """Everything the product holds about one pupil or one guardian, built in the
    background as one ZIP (readable report, JSON, CSV, uploaded files), downloaded once by
    the data protection lead. The row stays as the log of the request; the file goes."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready to download"
        DOWNLOADED = "downloaded", "Downloaded"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired before it was downloaded"

    pupil = models.ForeignKey(
        Pupil, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who it is about, as it was when asked: the row outlives an erased record.
    subject_name = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    sections_done = models.PositiveSmallIntegerField(default=0)
    sections_total = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to=export_path, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    downloaded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["school", "-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="export_of_at_most_one_person",
                condition=Q(pupil__isnull=True) | Q(guardian__isnull=True),
            )
        ]
        indexes = [models.Index(fields=["school", "requested_at"])]

    def __str__(self):
        return f"Subject access export for {self.subject_name}"
