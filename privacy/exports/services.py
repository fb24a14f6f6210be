"""What the data protection lead does with subject access exports: start one for a pupil
or a guardian (built by a worker once the transaction commits), start a failed one again,
and download it, once: the file is removed from storage as it is handed over. Exports
never downloaded are removed after settings.PRIVACY_EXPORT_KEEP_DAYS (expiry.py).

With the broker down the export is still recorded, marked as not started with a message
that says so, and its page offers to start it again."""

import logging
import tempfile
from datetime import timedelta

import kombu.exceptions
from django.db import transaction
from django.utils import timezone

from school.models import Guardian, Pupil, School, User

from .. import tasks
from ..models import SubjectAccessExport
from ..registry import GUARDIAN, PUPIL, export_sections

logger = logging.getLogger(__name__)

Status = SubjectAccessExport.Status

NOT_QUEUED = (
    "The export has not started: the background worker is not answering just now. "
    "Start it again in a few minutes."
)
# A queued export whose task was lost (a broker that restarted empty) may be started again.
STALLED_AFTER = timedelta(minutes=10)


class ExportRefused(Exception):
    """The export is not in a state for this: `message` says why, in words."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _not_queued(export_id: int) -> None:
    SubjectAccessExport.objects.filter(pk=export_id, status=Status.QUEUED).update(
        status=Status.FAILED, message=NOT_QUEUED
    )


def _queue(export_id: int) -> None:
    def publish():
        try:
            tasks.subject_access_export_build.apply_async(
                args=[export_id],
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
            )
        except kombu.exceptions.OperationalError:
            logger.warning("Could not queue subject access export %s.", export_id, exc_info=True)
            _not_queued(export_id)

    transaction.on_commit(publish, robust=True)


@transaction.atomic
def export_start(
    *,
    school: School,
    requested_by: User,
    pupil: Pupil | None = None,
    guardian: Guardian | None = None,
) -> SubjectAccessExport:
    if (pupil is None) == (guardian is None):
        raise ValueError("An export is about one pupil or one guardian.")
    person = pupil or guardian
    if person.school_id != school.pk:
        raise ValueError("The person is not at this school.")
    about = PUPIL if pupil is not None else GUARDIAN
    name = pupil.full_name if pupil is not None else f"{guardian.first_name} {guardian.last_name}"
    export = SubjectAccessExport.objects.create(
        school=school,
        pupil=pupil,
        guardian=guardian,
        subject_name=name.strip()[:200] or "(no name)",
        requested_by=requested_by,
        requested_at=timezone.now(),
        sections_total=len(export_sections(about)),
    )
    _queue(export.pk)
    return export


def export_may_restart(export: SubjectAccessExport, now=None) -> bool:
    if export.status == Status.FAILED:
        return export.pupil_id is not None or export.guardian_id is not None
    return (
        export.status == Status.QUEUED
        and export.requested_at < (now or timezone.now()) - STALLED_AFTER
    )


@transaction.atomic
def export_restart(*, export: SubjectAccessExport) -> SubjectAccessExport:
    export = SubjectAccessExport.objects.select_for_update().get(pk=export.pk)
    if not export_may_restart(export):
        raise ExportRefused("This export is not waiting to be started again.")
    export.status = Status.QUEUED
    export.message = ""
    export.sections_done = 0
    export.finished_at = None
    export.save(update_fields=["status", "message", "sections_done", "finished_at"])
    _queue(export.pk)
    return export


def export_download(*, export: SubjectAccessExport, user: User):
    """Hand over the export's ZIP, once: a copy in a temporary file (the caller streams
    and closes it), the stored file removed, the export marked downloaded by `user`.
    Refused (with who downloaded it and when) the second time."""
    with transaction.atomic():
        export = (
            SubjectAccessExport.objects.select_for_update(of=("self",))
            .select_related("downloaded_by")
            .get(pk=export.pk)
        )
        if export.status == Status.DOWNLOADED:
            who = export.downloaded_by or "someone no longer at the school"
            raise ExportRefused(
                f"This export was already downloaded by {who} on "
                f"{timezone.localtime(export.downloaded_at):%d/%m/%Y at %H:%M}: each export "
                "is downloaded once. Make a new one if it is needed again."
            )
        if export.status != Status.READY or not export.file:
            raise ExportRefused("This export is not ready to download.")
        copy = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
        try:
            with export.file.open("rb") as stored:
                for chunk in stored.chunks():
                    copy.write(chunk)
        except OSError:
            copy.close()
            raise ExportRefused(
                "The export's file is missing from storage. Make a new export."
            ) from None
        copy.seek(0)
        name = export.file.name.rsplit("/", 1)[-1]
        stored_name = export.file.name
        export.status = Status.DOWNLOADED
        export.downloaded_by = user
        export.downloaded_at = timezone.now()
        export.file = ""
        export.save(update_fields=["status", "downloaded_by", "downloaded_at", "file"])
        storage = SubjectAccessExport._meta.get_field("file").storage
        transaction.on_commit(lambda: storage.delete(stored_name))
    return export, copy, name
