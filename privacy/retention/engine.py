"""The schedule at work over one school: for each record kind the school has confirmed
(a RetentionRule), the cutoff is the school's today less the kind's months, and the rows
due are the kind's `due(school, cutoff)` less those of pupils on a current legal hold
(through the kind's `pupil_path`, here for every kind, so that no kind can forget it).

A dry run counts them and changes nothing. A real run deals with them in batches of
settings.PRIVACY_RETENTION_BATCH rows, taken by primary key, each batch in a transaction
of its own (a batch that fails is rolled back whole; those before it stay done), until
none is left. The kinds' `due` leaves out what has been dealt with, so running again
finds nothing. Either way the run is logged as a RetentionRun with each kind's count."""

import logging
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from school.calendar import school_time_zone
from school.models import School

from ..models import LegalHold, RetentionRule, RetentionRun
from ..registry import RecordKind, record_kinds

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 500
# The advisory lock's first key: the retention runs (the second is the school's id).
LOCK_CLASS = 7301
UNDER_WAY = "Another run of the school's schedule was under way, so this one did nothing."
FAILED_MESSAGE = (
    "Something went wrong while dealing with {labels}: what was done before it stays done, "
    "and the rest will be tried again at the next run."
)


def batch_size() -> int:
    return max(1, int(getattr(settings, "PRIVACY_RETENTION_BATCH", DEFAULT_BATCH)))


def school_today(school: School) -> date:
    with school_time_zone(school):
        return timezone.localdate()


def cutoff_for(today: date, months: int) -> date:
    return today - relativedelta(months=months)


@dataclass(frozen=True)
class ConfirmedKind:
    kind: RecordKind
    rule: RetentionRule


def confirmed_kinds(school: School) -> list[ConfirmedKind]:
    """The kinds the school has confirmed a period for, in the schedule's order (one
    query). A registered kind without a rule is kept: nothing of it is removed."""
    rules = {rule.kind: rule for rule in RetentionRule.objects.filter(school=school)}
    return [ConfirmedKind(kind, rules[kind.key]) for kind in record_kinds() if kind.key in rules]


def held_pupils(school: School) -> QuerySet:
    return LegalHold.objects.filter(school=school, lifted_at__isnull=True).values("pupil_id")


def rows_due(kind: RecordKind, school: School, cutoff: date) -> QuerySet:
    """The kind's rows due at `cutoff`, less those of pupils on a current legal hold."""
    rows = kind.due(school, cutoff)
    if kind.pupil_path is None:
        return rows
    path = kind.pupil_path or "pk"
    return rows.exclude(**{f"{path}__in": held_pupils(school)})


def _result(kind: RecordKind, rule: RetentionRule, cutoff: date, count: int) -> dict:
    return {
        "count": count,
        "label": kind.label,
        "action": kind.action,
        "months": rule.months,
        "cutoff": cutoff.isoformat(),
    }


def counts_due(school: School, today: date | None = None) -> dict[str, dict]:
    """What a run would deal with now, per confirmed kind (one count a kind)."""
    today = today or school_today(school)
    results = {}
    with school_time_zone(school):
        for confirmed in confirmed_kinds(school):
            cutoff = cutoff_for(today, confirmed.rule.months)
            count = rows_due(confirmed.kind, school, cutoff).count()
            results[confirmed.kind.key] = _result(confirmed.kind, confirmed.rule, cutoff, count)
    return results


def kind_apply(kind: RecordKind, school: School, cutoff: date) -> tuple[int, bool]:
    """Deal with every row of the kind due at `cutoff`, a batch at a time: how many rows
    were dealt with, and whether a batch failed (it is rolled back, and the kind stops
    there; the batches before it stay done)."""
    size = batch_size()
    done = 0
    last_pk = None
    while True:
        due = rows_due(kind, school, cutoff)
        if last_pk is not None:
            due = due.filter(pk__gt=last_pk)
        ids = list(due.order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return done, False
        try:
            with transaction.atomic():
                done += kind.apply(due.model._default_manager.filter(pk__in=ids))
        except Exception:
            logger.exception("Retention of %s at %s failed", kind.key, school.slug)
            return done, True
        last_pk = ids[-1]


def run_schedule(
    *, school: School, dry_run: bool, started_by=None, run: RetentionRun | None = None
) -> RetentionRun:
    """Run the school's confirmed schedule (a dry run only counts) and log it: `run` is
    a RetentionRun already written as running (a run started from the page), else one is
    written here. Deliberately not one transaction: each batch is its own."""
    if run is None:
        run = RetentionRun.objects.create(
            school=school, dry_run=dry_run, started_by=started_by, started_at=timezone.now()
        )
    today = school_today(school)
    if run.dry_run:
        run.results = counts_due(school, today)
    elif not _school_lock(school, take=True):
        run.status = RetentionRun.Status.FAILED
        run.message = UNDER_WAY
    else:
        try:
            _kinds_apply(run, school, today)
        finally:
            _school_lock(school, take=False)
    if run.status == RetentionRun.Status.RUNNING:
        run.status = RetentionRun.Status.DONE
    run.finished_at = timezone.now()
    run.save(update_fields=["results", "status", "message", "finished_at"])
    return run


def _school_lock(school: School, *, take: bool) -> bool:
    """Take (or give back) the lock that keeps two real runs of one school apart (the
    nightly one and one started from the page): a PostgreSQL advisory lock of the
    database session, held across the run's many transactions."""
    if connection.vendor != "postgresql":
        # SQLite (make run, one process): its one writer at a time keeps runs apart.
        return True
    function = "pg_try_advisory_lock" if take else "pg_advisory_unlock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s::int, %s::int)", [LOCK_CLASS, school.pk])
        return bool(cursor.fetchone()[0])


def _kinds_apply(run: RetentionRun, school: School, today: date) -> None:
    failed = []
    with school_time_zone(school):
        for confirmed in confirmed_kinds(school):
            kind, rule = confirmed.kind, confirmed.rule
            cutoff = cutoff_for(today, rule.months)
            count, kind_failed = kind_apply(kind, school, cutoff)
            run.results[kind.key] = _result(kind, rule, cutoff, count)
            if kind_failed:
                failed.append(kind.label)
                run.results[kind.key]["failed"] = True
    if failed:
        run.status = RetentionRun.Status.FAILED
        run.message = FAILED_MESSAGE.format(labels=", ".join(failed))[:300]
