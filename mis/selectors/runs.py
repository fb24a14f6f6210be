"""Reads for the imports' pages. The file itself (up to 20 MB) is never read for a page
but the column page; the preview's changes and errors only for the run's own page."""

from dataclasses import dataclass

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from ..kinds import FileKind, all_kinds
from ..models import ImportRun

CHANGES_PER_PAGE = 50
ERRORS_PER_PAGE = 100
RUNS_PER_PAGE = 50

# What a list of runs leaves out: the file and the preview.
_LIST_ONLY = ("content", "changes", "errors")


def run_needs_columns(run: ImportRun, kind: FileKind | None) -> bool:
    """A CSV file waits for the admin to say which column is which before it is read."""
    return (
        kind is not None
        and kind.format == "csv"
        and run.status == ImportRun.Status.READING
        and not run.mapping
    )


def run_status_label(run: ImportRun, kind: FileKind | None) -> str:
    if run_needs_columns(run, kind):
        return "Waiting for its columns"
    return run.get_status_display()


def runs_of(school_id: int) -> QuerySet[ImportRun]:
    """The school's runs for the history, newest first, with who started each."""
    return (
        ImportRun.objects.filter(school_id=school_id)
        .select_related("started_by")
        .defer(*_LIST_ONLY)
        .order_by("-created_at", "-pk")
    )


@dataclass
class KindRow:
    kind: FileKind
    last: ImportRun | None

    @property
    def last_status(self) -> str:
        return run_status_label(self.last, self.kind) if self.last else ""


def kinds_with_last_run(school_id: int) -> list[KindRow]:
    """Every kind of file, in the order to import them, with the school's latest run of
    it (one query, one pass over the school's runs, however many there are)."""
    newest_first = Window(
        RowNumber(), partition_by=[F("kind")], order_by=[F("created_at").desc(), F("pk").desc()]
    )
    last = {
        run.kind: run
        for run in runs_of(school_id).annotate(newest=newest_first).filter(newest=1).order_by()
    }
    return [KindRow(kind, last.get(kind.key)) for kind in all_kinds()]


def run_for_page(run_id: int, school_ids, *, with_preview: bool = True) -> ImportRun | None:
    """The run, if it belongs to one of `school_ids` (None: any school, for a superuser)."""
    runs = ImportRun.objects.select_related("school", "started_by").defer("content")
    if not with_preview:
        runs = runs.defer("content", "changes", "errors")
    if school_ids is not None:
        runs = runs.filter(school_id__in=school_ids)
    return runs.filter(pk=run_id).first()


def run_content(run_id: int) -> bytes:
    content = ImportRun.objects.filter(pk=run_id).values_list("content", flat=True).first()
    return bytes(content) if content is not None else b""


ACTIONS = {"added": "add", "changed": "change", "left": "leave"}


def changes_shown(run: ImportRun, show: str | None) -> list[dict]:
    """The preview's changes, all of them or those of one action (`show` is a key of
    ACTIONS)."""
    action = ACTIONS.get(show or "")
    if action is None:
        return list(run.changes)
    return [change for change in run.changes if change.get("action") == action]
