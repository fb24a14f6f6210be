"""The nightly sync: the files a school's MIS exports on a schedule into a folder of its
own (settings.MIS_IMPORT_ROOT/<school slug>/), imported the way an uploaded file is.

Each file's name says its kind: it starts with the kind's key, then anything that is not
a letter or digit, or nothing ("staff.csv", "ctf_pupils-20261205.xml",
"teaching_groups 2026.csv"). Files are taken in the order the kinds are imported in
(pupils and houses, subjects, staff, tutor groups, teaching groups, enrolments, flags),
then by name. Each goes through the runs service as an upload does
(mis/services/runs.py and run_steps.py, as source "nightly", with no one as its author):
read, and applied in one transaction only when it has no errors. A file with errors is
recorded as having errors and changes nothing; a CSV file is read with the columns the
school's admin chose for its kind the last time (a file whose columns do not fit waits on
its page for them, and is not applied).

Then the file is moved out of the way, so that it is not read again: into done/ when it
was applied, into failed/ otherwise, its name prefixed with the time. Files there older
than settings.MIS_IMPORT_KEEP_DAYS are deleted (they hold personal data). A name starting
with "." or ending in .tmp or .part is left alone: an MIS writes under such a name and
renames the file when it is complete. Two syncs of one folder at once cannot happen:
the second finds the folder's lock taken and leaves it.

A file that would mark an unusual number as left (more than one in ten of the people it
compares, and more than ten) is read but not applied: an export set up wrongly (one year
group instead of the whole roll) must not take most of a school off roll overnight with
no one looking. It waits, ready, on its page for an admin to check and confirm.

The school's admins get one email with what each file did (mis/notices.py). The command
(`manage.py import_mis`) and the Celery beat entry (`mis_nightly_import`, configured in
settings when MIS_IMPORT_ROOT is set) both call `folders_import`/`folder_import`."""

import fcntl
import logging
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from school.models import School

from .kinds import FileKind, FileRejected, all_kinds
from .models import ImportRun
from .notices import nightly_summary_send
from .services import run_steps
from .services.runs import file_size_check, run_apply, run_create, run_needs_columns

logger = logging.getLogger(__name__)

Status = ImportRun.Status
DONE, FAILED = "done", "failed"
LOCK_NAME = ".import.lock"
UNFINISHED_SUFFIXES = (".tmp", ".part")
UNRECOGNISED = "unrecognised"  # ImportRun.kind of a file whose name names no kind
UNRECOGNISED_MESSAGE = (
    "The file's name does not say what kind of file it is, so it was not read. Name each "
    "export after its kind ({keys}), e.g. staff.csv or ctf_pupils.xml."
)
FAULT = (
    "Something went wrong on our side while importing the file, and nothing was changed. "
    "It is in the failed folder; if it happens again, tell your support contact."
)


# A nightly file marking more than this share of the people it compares as left, and more
# than the minimum, waits for an admin (see the module's docstring).
MOST_LEFT_SHARE = 0.1
MOST_LEFT_MINIMUM = 10


def too_many_left(counts: dict) -> bool:
    left = counts.get("left", 0)
    compared = left + counts.get("changed", 0) + counts.get("unchanged", 0)
    return left > MOST_LEFT_MINIMUM and left > MOST_LEFT_SHARE * compared


@dataclass
class FileOutcome:
    """What became of one file: its run (None only after a fault of ours) and where the
    file was moved to."""

    file_name: str
    kind: FileKind | None
    run: ImportRun | None
    moved_to: Path | None = None
    fault: str = ""

    @property
    def applied(self) -> bool:
        return self.run is not None and self.run.status == Status.APPLIED

    @property
    def waits_for_columns(self) -> bool:
        return self.run is not None and self.run.status == Status.READING

    @property
    def summary(self) -> str:
        """One sentence, without its full stop, for the command's output and the email."""
        run = self.run
        if run is None:
            return (self.fault or FAULT).rstrip(".")
        counts = run.counts or {}
        if run.status == Status.APPLIED:
            return (
                f"applied: {counts.get('added', 0)} added, {counts.get('changed', 0)} changed, "
                f"{counts.get('left', 0)} marked as left, {counts.get('unchanged', 0)} unchanged"
            )
        if run.status == Status.INVALID:
            errors = counts.get("errors", len(run.errors or []))
            return (
                f"not applied: {errors} row{'s' if errors != 1 else ''} with errors "
                "(nothing was changed)"
            )
        if run.status == Status.READY:
            return (
                f"not applied: it would mark {counts.get('left', 0)} as left, more than one "
                "in ten of those it lists; check it on its page and apply it there if it is right"
            )
        if run.status == Status.READING:
            return (
                "not applied: its columns do not match the ones chosen for this kind of file; "
                "choose them on its page, then apply it there"
            )
        return f"not applied: {(run.message or run.get_status_display()).rstrip('.')}"


@dataclass
class FolderResult:
    school: School
    folder: Path
    files: list[FileOutcome] = field(default_factory=list)
    busy: bool = False  # another sync of this folder was running: nothing was done
    emailed: list[str] = field(default_factory=list)


# The files of a folder -------------------------------------------------------------------


def kind_for_file(name: str) -> FileKind | None:
    """The kind a file's name starts with (the longest key, if two would fit)."""
    lowered = name.lower()
    fitting = [
        kind
        for kind in all_kinds()
        if lowered.startswith(kind.key)
        and (len(lowered) == len(kind.key) or not lowered[len(kind.key)].isalnum())
    ]
    return max(fitting, key=lambda kind: len(kind.key), default=None)


def _waiting_files(folder: Path) -> list[Path]:
    return [
        path
        for path in folder.iterdir()
        if path.is_file()
        and not path.name.startswith(".")
        and not path.name.lower().endswith(UNFINISHED_SUFFIXES)
    ]


def files_in_order(folder: Path) -> list[tuple[Path, FileKind | None]]:
    """The folder's files with their kinds, in the order to import them: by kind as the
    upload page lists them, then by name; files of no kind last."""
    position = {kind.key: index for index, kind in enumerate(all_kinds())}
    found = [(path, kind_for_file(path.name)) for path in _waiting_files(folder)]
    return sorted(
        found,
        key=lambda item: (
            position[item[1].key] if item[1] is not None else len(position),
            item[0].name,
        ),
    )


def _move(path: Path, folder: Path, into: str, now: datetime) -> Path:
    target_folder = folder / into
    target_folder.mkdir(exist_ok=True)
    stamp = timezone.localtime(now).strftime("%Y%m%d-%H%M%S")
    target = target_folder / f"{stamp}-{path.name}"
    number = 1
    while target.exists():
        number += 1
        target = target_folder / f"{stamp}-{number}-{path.name}"
    path.rename(target)
    os.utime(target)  # kept MIS_IMPORT_KEEP_DAYS from now, however old the export was
    return target


def old_files_delete(folder: Path, *, keep_days: int, now: float | None = None) -> int:
    """Deletes files in done/ and failed/ last changed more than `keep_days` ago."""
    now = time.time() if now is None else now
    deleted = 0
    for into in (DONE, FAILED):
        place = folder / into
        if not place.is_dir():
            continue
        for path in place.iterdir():
            if path.is_file() and now - path.stat().st_mtime > keep_days * 24 * 60 * 60:
                path.unlink()
                deleted += 1
    return deleted


@contextmanager
def _folder_lock(folder: Path):
    """Yields whether this process holds the folder (released when the block ends, or
    when the process dies)."""
    with open(folder / LOCK_NAME, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# Importing -------------------------------------------------------------------------------


def _failed_run(school: School, kind_key: str, file_name: str, message: str) -> ImportRun:
    """A file the service could not take at all (no kind, empty, too big), kept in the
    history with the reason."""
    return ImportRun.objects.create(
        school=school,
        kind=kind_key,
        file_name=file_name[:255],
        source=ImportRun.Source.NIGHTLY,
        status=Status.FAILED,
        message=message,
        finished_at=timezone.now(),
    )


def file_import(*, school: School, path: Path, kind: FileKind | None) -> ImportRun:
    """One file through the runs service: recorded and read in one transaction, then, if
    it is ready, applied in another (all of it or nothing). The tasks the service queues
    find the run already read or applied and do nothing."""
    if kind is None:
        keys = ", ".join(k.key for k in all_kinds())
        return _failed_run(school, UNRECOGNISED, path.name, UNRECOGNISED_MESSAGE.format(keys=keys))
    try:
        file_size_check(path.stat().st_size)
        content = path.read_bytes()
        with transaction.atomic():
            run = run_create(
                school=school,
                kind=kind,
                file_name=path.name,
                content=content,
                actor=None,
                source=ImportRun.Source.NIGHTLY,
            )
            if run.status == Status.READING and not run_needs_columns(run, kind):
                run = run_steps.run_read(run_id=run.pk) or run
    except FileRejected as rejected:  # empty or too big
        return _failed_run(school, kind.key, path.name, rejected.message)
    if run.status == Status.READY and not too_many_left(run.counts or {}):
        with transaction.atomic():
            run_apply(run=run, actor=None)
            run = run_steps.run_apply_perform(run_id=run.pk) or run
    return run


def folder_import(
    *, school: School, folder: Path, email: bool = True, now: datetime | None = None
) -> FolderResult:
    """Imports every waiting file of the folder, moves each to done/ or failed/, and
    emails the school's admins what happened (when there was any file)."""
    now = now or timezone.now()
    result = FolderResult(school=school, folder=folder)
    with _folder_lock(folder) as held:
        if not held:
            result.busy = True
            return result
        old_files_delete(folder, keep_days=settings.MIS_IMPORT_KEEP_DAYS)
        for path, kind in files_in_order(folder):
            outcome = FileOutcome(file_name=path.name, kind=kind, run=None)
            try:
                outcome.run = file_import(school=school, path=path, kind=kind)
            except Exception:
                logger.exception("Nightly import of %s for %s failed.", path, school.slug)
                outcome.fault = FAULT
            outcome.moved_to = _move(path, folder, DONE if outcome.applied else FAILED, now)
            result.files.append(outcome)
    if email and result.files:
        result.emailed = nightly_summary_send(school=school, outcomes=result.files, now=now)
    return result


def school_folders(root: Path) -> tuple[list[tuple[School, Path]], list[str]]:
    """The folders under `root` named after a school's slug, and the names of those that
    name no school."""
    folders = sorted(path for path in root.iterdir() if path.is_dir() and path.name[:1] != ".")
    schools = School.objects.in_bulk([path.name for path in folders], field_name="slug")
    found = [(schools[path.name], path) for path in folders if path.name in schools]
    unknown = [path.name for path in folders if path.name not in schools]
    return found, unknown


def folders_import(*, root: Path | None = None, email: bool = True) -> list[FolderResult]:
    """Every school's folder under MIS_IMPORT_ROOT (or `root`)."""
    root = Path(root or settings.MIS_IMPORT_ROOT)
    found, unknown = school_folders(root)
    for name in unknown:
        logger.warning("MIS import folder %s names no school: left alone.", root / name)
    return [folder_import(school=school, folder=folder, email=email) for school, folder in found]


@shared_task(acks_late=True)
def mis_nightly_import() -> dict[str, int]:
    """Celery beat's nightly run (settings.CELERY_BEAT_SCHEDULE, when MIS_IMPORT_ROOT is
    set): the number of files taken from each school's folder."""
    if not settings.MIS_IMPORT_ROOT or not os.path.isdir(settings.MIS_IMPORT_ROOT):
        logger.warning("MIS_IMPORT_ROOT is not a folder: the nightly import did nothing.")
        return {}
    return {result.school.slug: len(result.files) for result in folders_import()}
