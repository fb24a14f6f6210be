"""The work a worker does for a run (mis/tasks.py calls these by the run's id): read the
file into a preview, and apply it once confirmed. The nightly sync may call them directly.

Neither ever leaves a traceback for the admin: a file that cannot be used (`FileRejected`)
or a fault of ours ends the run as failed, with a message in words, and nothing written."""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from school.calendar import school_time_zone
from school.models import User

from ..kinds import FileRejected, Plan, kind_named
from ..models import ImportRun
from ..progress import ProgressReporter, progress_write

logger = logging.getLogger(__name__)

Status = ImportRun.Status

FAULT = (
    "Something went wrong on our side while {doing} the file, and nothing was changed. "
    "Try again; if it happens again, tell your support contact (import run {run_id})."
)
UNKNOWN_KIND = "This kind of file ({kind}) is no longer imported here, so nothing was changed."


class _ApplyStopped(Exception):
    """Rolls back the apply's writes: the kind's apply returned errors."""


def _today(run: ImportRun):
    with school_time_zone(run.school):
        return timezone.localdate()


def _plan_store(run: ImportRun, plan: Plan) -> None:
    run.counts = plan.counts()
    run.changes = [change.as_json() for change in plan.changes]
    run.errors = [error.as_json() for error in plan.errors]


def _failed(run: ImportRun, message: str) -> None:
    run.status = Status.FAILED
    run.message = message
    run.content = None
    run.finished_at = timezone.now()


def run_read(*, run_id: int) -> ImportRun | None:
    """Reads a file that waits to be read (its columns chosen, for a CSV) into its preview:
    what it would add, change and mark as left, and every bad row. READY without errors,
    INVALID with them, FAILED when the file cannot be read at all. The plan is made
    without holding the run; its result is stored only if the run still waits for it
    (not discarded, not given other columns meanwhile)."""
    run = ImportRun.objects.select_related("school").filter(pk=run_id).first()
    if run is None or run.status != Status.READING or run.content is None:
        return run
    kind = kind_named(run.kind)
    if kind is not None and kind.format == "csv" and not run.mapping:
        return run  # waits for the admin's columns
    plan, message = None, ""
    if kind is None:
        message = UNKNOWN_KIND.format(kind=run.kind)
    else:
        try:
            with transaction.atomic():  # a plan writes nothing; a failed query ends here
                plan = kind.plan(
                    school=run.school,
                    content=bytes(run.content),
                    mapping=run.mapping,
                    today=_today(run),
                    actor=run.started_by,
                )
        except FileRejected as rejected:
            message = rejected.message
        except Exception:
            logger.exception("Import run %s: reading the file failed.", run_id)
            message = FAULT.format(doing="reading", run_id=run_id)
    with transaction.atomic():
        current = ImportRun.objects.select_for_update().defer("content").filter(pk=run_id).first()
        if current is None or current.status != Status.READING or current.mapping != run.mapping:
            return current
        if plan is None:
            _failed(current, message)
        else:
            _plan_store(current, plan)
            current.status = Status.INVALID if plan.errors else Status.READY
            current.message = ""
            current.progress_done = 0
            current.progress_total = len(plan.changes)
        current.save()
        return current


def run_apply_perform(*, run_id: int, actor_id: int | None = None) -> ImportRun | None:
    """Applies a confirmed file, all of it in one transaction or nothing: the kind plans
    again against the school as it is now and writes. The run's row stays locked until
    the transaction ends, so the file is applied once even if the task runs twice (a
    worker that died mid-apply rolls everything back, and the redelivered task starts
    again from nothing). Progress goes to the cache for the run page."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != Status.APPLYING:
            return run
        kind = kind_named(run.kind)
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        report = ProgressReporter(run)
        try:
            if kind is None:
                raise FileRejected(UNKNOWN_KIND.format(kind=run.kind))
            with transaction.atomic():
                plan = kind.apply(
                    school=run.school,
                    content=bytes(run.content),
                    mapping=run.mapping,
                    today=_today(run),
                    actor=actor,
                    progress=report,
                )
                if plan.errors:
                    raise _ApplyStopped
        except _ApplyStopped:
            _plan_store(run, plan)
            _failed(
                run,
                "The file has errors now (the school's records changed since the preview), "
                "so nothing was changed. Upload it again to see them.",
            )
        except FileRejected as rejected:
            _failed(run, rejected.message)
        except Exception:
            logger.exception("Import run %s: applying the file failed.", run_id)
            _failed(run, FAULT.format(doing="applying", run_id=run_id))
        else:
            _plan_store(run, plan)
            run.status = Status.APPLIED
            run.message = ""
            run.content = None
            run.finished_at = timezone.now()
            total = report.last[1] if report.last else len(plan.changes)
            run.progress_done = run.progress_total = total
            progress_write(run, total, total)
        run.save()
        return run


def runs_unconfirmed_discard(*, older_than: timedelta) -> int:
    """Discards every run left unconfirmed for longer than `older_than` (read and never
    applied, or waiting for its columns): its file holds pupils' and families' personal
    data, kept only while someone may still confirm it. Returns how many."""
    return ImportRun.objects.filter(
        status__in=[Status.READING, Status.READY, Status.INVALID],
        created_at__lt=timezone.now() - older_than,
    ).update(status=Status.DISCARDED, content=None, finished_at=timezone.now())
