"""What a school admin (or the nightly sync) does with a file: record it, choose its
columns, confirm or discard it. Reading and applying are slow, so each is queued for a
worker once the transaction commits (mis/tasks.py, which calls mis/services/run_steps.py).

With the broker down the run is still recorded: a file waits to be read (the run page
offers to try again) and a confirmed file goes back to ready, each with a message that
says so; nothing is half-done."""

import logging
from datetime import timedelta
from functools import partial
from pathlib import PurePath

import kombu.exceptions
from django.db import transaction
from django.utils import timezone

from school.models import School, User

from .. import tasks
from ..kinds import FileKind, FileRejected
from ..models import ColumnMapping, ImportRun
from ..selectors.columns import file_headers, mapping_fits, mapping_saved
from ..selectors.runs import run_needs_columns

logger = logging.getLogger(__name__)

Status = ImportRun.Status

# Reading the largest file takes well under a minute.
READ_STALLED_AFTER = timedelta(minutes=10)
MAX_FILE_MB = 20
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024

READ_NOT_QUEUED = (
    "The file is saved, but the import's background worker is not answering just now, so "
    "it has not been read yet. Try “Read the file now” in a few minutes."
)
APPLY_NOT_QUEUED = (
    "Nothing was changed: the import's background worker is not answering just now. The "
    "file is still ready to apply; confirm it again in a few minutes."
)


class RunRefused(Exception):
    """The run is not in a state for this (applied already, discarded, ...): `message`
    says so in words for the admin."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def file_size_check(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise FileRejected(
            f"The file is {size / (1024 * 1024):.1f} MB: the import takes files of up to "
            f"{MAX_FILE_MB} MB. Export fewer columns or split it (for example by year group)."
        )
    if size == 0:
        raise FileRejected("The file is empty.")


def run_read_stalled(run: ImportRun, kind: FileKind | None) -> bool:
    """A file still waiting to be read long after it was given (its task lost: a broker
    that restarted empty, a queueing that failed): the page offers to read it again."""
    if run.status != Status.READING or run_needs_columns(run, kind):
        return False
    return bool(run.message) or run.created_at < timezone.now() - READ_STALLED_AFTER


def _queue(task, run_id: int, *args, on_failure) -> None:
    def publish():
        try:
            task.apply_async(
                args=[run_id, *args],
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
            )
        except kombu.exceptions.OperationalError:
            logger.warning(
                "Could not queue %s for import run %s.", task.name, run_id, exc_info=True
            )
            on_failure()

    transaction.on_commit(publish, robust=True)


def _read_not_queued(run: ImportRun) -> None:
    if ImportRun.objects.filter(pk=run.pk, status=Status.READING).update(message=READ_NOT_QUEUED):
        run.message = READ_NOT_QUEUED


def _read_queue(run: ImportRun) -> None:
    _queue(tasks.import_run_read, run.pk, on_failure=partial(_read_not_queued, run))


def _apply_not_queued(run: ImportRun) -> None:
    """Back to ready, unless the file was applied meanwhile (the nightly sync applies it
    in its own process, so the queued task is only a spare)."""
    if ImportRun.objects.filter(pk=run.pk, status=Status.APPLYING).update(
        status=Status.READY, message=APPLY_NOT_QUEUED
    ):
        run.status, run.message = Status.READY, APPLY_NOT_QUEUED


@transaction.atomic
def run_create(
    *,
    school: School,
    kind: FileKind,
    file_name: str,
    content: bytes,
    actor: User | None,
    source: str = ImportRun.Source.UPLOAD,
) -> ImportRun:
    """Records a file and queues its reading. A CSV file is read with the school's saved
    column mapping when that fits the file's headers; otherwise it waits for the admin to
    choose its columns (`run_needs_columns`). A file that is not a CSV at all, given as
    one, is recorded as failed with the reason. Too big or empty: FileRejected."""
    file_size_check(len(content))
    status, message, mapping = Status.READING, "", {}
    if kind.format == "csv":
        try:
            headers = file_headers(content)
        except FileRejected as rejected:  # not a CSV at all: no columns to choose
            status, message = Status.FAILED, rejected.message
        else:
            saved = mapping_saved(school.pk, kind.key)
            if saved and mapping_fits(kind, saved, headers):
                mapping = saved
    failed = status == Status.FAILED
    run = ImportRun.objects.create(
        school=school,
        kind=kind.key,
        file_name=PurePath(file_name.replace("\\", "/")).name[:255] or "(no name)",
        source=source,
        started_by=actor,
        status=status,
        message=message,
        content=None if failed else content,
        mapping=mapping,
        finished_at=timezone.now() if failed else None,
    )
    if not failed and not run_needs_columns(run, kind):
        _read_queue(run)
    return run


def run_upload(*, school: School, actor: User, kind: FileKind, upload) -> ImportRun:
    """A file the admin uploaded (a Django UploadedFile): checked for size before it is
    read into memory, then recorded as `run_create` does."""
    file_size_check(upload.size)
    return run_create(
        school=school,
        kind=kind,
        file_name=upload.name or "",
        content=b"".join(upload.chunks()),
        actor=actor,
    )


def _locked(run: ImportRun, *allowed: str) -> ImportRun:
    """The run's row, locked until the transaction ends, if its status is one of
    `allowed`; else RunRefused. The status is looked at first without the lock: a run
    being applied holds its row until the apply ends, and the page must not wait for it."""
    status = ImportRun.objects.filter(pk=run.pk).values_list("status", flat=True).first()
    if status not in allowed:
        raise RunRefused(_finished(status))
    # Without the file and the preview: what is done here does not read them.
    locked = (
        ImportRun.objects.select_for_update().defer("content", "changes", "errors").get(pk=run.pk)
    )
    if locked.status not in allowed:
        raise RunRefused(_finished(locked.status))
    return locked


@transaction.atomic
def run_columns_choose(
    *, run: ImportRun, actor: User, kind: FileKind, columns: dict[str, str]
) -> ImportRun:
    """Saves which column is which for the school and kind (used again next time) and
    reads the file with it: a file waiting for its columns, or one read already and not
    yet applied (read again, its preview replaced)."""
    run = _locked(run, Status.READING, Status.READY, Status.INVALID)
    columns = {field: header for field, header in columns.items() if header}
    ColumnMapping.objects.update_or_create(
        school_id=run.school_id,
        kind=kind.key,
        defaults={"columns": columns, "updated_by": actor},
    )
    run.mapping = columns
    run.status = Status.READING
    run.counts, run.changes, run.errors, run.message = {}, [], [], ""
    run.save(update_fields=["mapping", "status", "counts", "changes", "errors", "message"])
    _read_queue(run)
    return run


@transaction.atomic
def run_read_again(*, run: ImportRun) -> ImportRun:
    """Queues the reading of a file again (its first queueing failed, or its worker
    died): reading twice is harmless, the first to finish stores the preview."""
    run = _locked(run, Status.READING)
    run.message = ""
    run.save(update_fields=["message"])
    _read_queue(run)
    return run


def _finished(status: str | None) -> str:
    if status is None:
        return "This import no longer exists."
    if status == Status.APPLIED:
        return "This file has already been applied."
    if status == Status.APPLYING:
        return "This file is being applied now."
    if status == Status.DISCARDED:
        return "This file was discarded: upload it again to import it."
    if status == Status.FAILED:
        return "This import failed and changed nothing: upload the file again to retry."
    if status == Status.INVALID:
        return "This file has errors: correct them in your MIS, export it and upload it again."
    if status == Status.READY:
        return "This file has been read already: its preview is below."
    return "This file has not been read yet."


@transaction.atomic
def run_apply(*, run: ImportRun, actor: User | None) -> ImportRun:
    """The admin confirms the preview: a ready file is applied by a worker, all of it in
    one transaction (run_steps.run_apply_perform). The run row is locked, so that two
    confirmations (a double click, two admins) apply it once."""
    run = _locked(run, Status.READY)
    run.status = Status.APPLYING
    run.message = ""
    run.progress_done = 0
    run.save(update_fields=["status", "message", "progress_done"])
    _queue(
        tasks.import_run_apply,
        run.pk,
        actor.pk if actor else None,
        on_failure=partial(_apply_not_queued, run),
    )
    return run


@transaction.atomic
def run_discard(*, run: ImportRun, actor: User | None) -> ImportRun:
    """Nothing of the file is applied; the file itself is deleted (it holds personal
    data), the run stays in the history."""
    run = _locked(run, Status.READING, Status.READY, Status.INVALID)
    run.status = Status.DISCARDED
    run.content = None
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "content", "finished_at"])
    return run
