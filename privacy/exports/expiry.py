"""Exports nobody downloaded within settings.PRIVACY_EXPORT_KEEP_DAYS of being ready:
their files (personal data) are removed and the rows, kept as the log, say so. Run daily
by privacy/tasks.py."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import SubjectAccessExport

Status = SubjectAccessExport.Status
BATCH = 1000


def exports_expire(*, now=None) -> int:
    """Remove the files of exports ready for longer than the school keeps them and mark
    them expired; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.PRIVACY_EXPORT_KEEP_DAYS)
    storage = SubjectAccessExport._meta.get_field("file").storage
    expired = 0
    ids = list(
        SubjectAccessExport.objects.filter(status=Status.READY, finished_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:BATCH]
    )
    for export_id in ids:
        with transaction.atomic():
            export = (
                SubjectAccessExport.objects.select_for_update()
                .filter(pk=export_id, status=Status.READY)
                .first()
            )
            if export is None:
                continue
            name = export.file.name
            export.status = Status.EXPIRED
            export.file = ""
            export.message = (
                f"Not downloaded within {settings.PRIVACY_EXPORT_KEEP_DAYS} days: the file "
                "was removed."
            )
            export.save(update_fields=["status", "file", "message"])
            if name:
                transaction.on_commit(lambda name=name: storage.delete(name))
            expired += 1
    return expired
