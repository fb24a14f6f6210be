"""What an MIS import leaves behind: each run of a file (who, when, what it found, what it
did) and the column mapping a school chose for each kind of CSV file."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from school.models import SchoolOwned


class ImportRun(SchoolOwned):
    """One file through the import: read and previewed, then applied (all of it, in one
    transaction) or discarded. `kind` is a key of mis/kinds.py's registry."""

    class Status(models.TextChoices):
        READING = "reading", _("Reading the file")
        READY = "ready", _("Ready to apply")
        INVALID = "invalid", _("Has errors")
        APPLYING = "applying", _("Applying")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")
        DISCARDED = "discarded", _("Discarded")

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        NIGHTLY = "nightly", _("Nightly sync")

    kind = models.CharField(max_length=30)
    file_name = models.CharField(max_length=255)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UPLOAD)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READING)
    # The file itself, kept only until it is applied or discarded (it holds personal data).
    content = models.BinaryField(null=True, blank=True, editable=False)
    # The column chosen for each field (CSV kinds), as it was when the file was read.
    mapping = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Counts by action ("added", "changed", "left", "unchanged", "errors").
    counts = models.JSONField(default=dict, blank=True)
    # What the file will change or changed: [{"action", "key", "label", "fields": [[name,
    # old, new], ...]}], and every bad row: [{"line", "column", "message"}].
    changes = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    # Why a run failed, in words for the school's admins (never a traceback).
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["school", "-created_at"]
        indexes = [models.Index(fields=["school", "-created_at"])]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"


class ColumnMapping(SchoolOwned):
    """Which column of a school's CSV export holds which field, chosen once per kind."""

    kind = models.CharField(max_length=30)
    columns = models.JSONField(default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "kind"], name="column_mapping_unique")
        ]

    def __str__(self):
        return f"{self.kind} columns"
