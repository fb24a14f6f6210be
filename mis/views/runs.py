"""One run of a file: choosing its columns (CSV), its progress while read or applied
(htmx asks for the progress every second; without JavaScript a Refresh link), the
preview (counts, changes field by field, every bad row, a page at a time), and the
Confirm and Discard buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from school.panels import panels_for

from ..forms.columns import ColumnsForm
from ..kinds import FileRejected, kind_named
from ..models import ImportRun
from ..progress import progress_read
from ..selectors.columns import file_headers, mapping_to_offer
from ..selectors.runs import (
    ACTIONS,
    CHANGES_PER_PAGE,
    ERRORS_PER_PAGE,
    changes_shown,
    run_content,
    run_status_label,
)
from ..services.runs import (
    RunRefused,
    run_apply,
    run_columns_choose,
    run_discard,
    run_needs_columns,
    run_read_again,
    run_read_stalled,
)
from .common import admin_run, school_query

Status = ImportRun.Status
IN_PROGRESS = (Status.READING, Status.APPLYING)


def _progress(run: ImportRun) -> dict:
    """What the progress box shows: a bar while applying (from the worker's last report,
    else the status alone)."""
    done = total = None
    if run.status == Status.APPLYING and (reported := progress_read(run)):
        done, total = reported
    percent = round(100 * done / total) if total else None
    return {"done": done, "total": total, "percent": percent}


def _working(run, kind) -> bool:
    return run.status in IN_PROGRESS and not run_needs_columns(run, kind) and not run.message


@login_required
@require_http_methods(["GET", "HEAD"])
def import_run(request, run_id: int):
    fragment = request.htmx and request.GET.get("fragment") == "progress"
    run = admin_run(request, run_id, with_preview=not fragment)
    kind = kind_named(run.kind)
    working = _working(run, kind)
    if fragment:
        if not working:  # finished: the whole page shows the outcome
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(
            request, "mis/imports/_progress.html", {"run": run, "progress": _progress(run)}
        )
    show = request.GET.get("show") if request.GET.get("show") in ACTIONS else ""
    changes = Paginator(changes_shown(run, show), CHANGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    errors = Paginator(run.errors, ERRORS_PER_PAGE).get_page(request.GET.get("errors_page"))
    return render(
        request,
        "mis/imports/run.html",
        {
            "run": run,
            "kind": kind,
            "kind_label": kind.label if kind else run.kind,
            "school_query": school_query(request, run.school),
            "working": working,
            "needs_columns": run_needs_columns(run, kind),
            "status_label": run_status_label(run, kind),
            "offer_read_again": run_read_stalled(run, kind),
            "may_discard": run.status in (Status.READING, Status.READY, Status.INVALID),
            "may_change_columns": kind is not None
            and kind.format == "csv"
            and run.status in (Status.READY, Status.INVALID),
            "progress": _progress(run),
            "show": show,
            "changes": changes,
            "errors": errors,
            "counts": run.counts or {},
            # What other apps add to the page (parents: invite the new guardians).
            "panels": panels_for("mis run", run=run, user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_columns(request, run_id: int):
    run = admin_run(request, run_id, with_preview=False)
    kind = kind_named(run.kind)
    if kind is None or kind.format != "csv" or not kind.columns:
        raise Http404("Only a CSV file has columns to choose.")
    if run.status not in (Status.READING, Status.READY, Status.INVALID):
        messages.info(request, "This file's columns can no longer be changed.")
        return redirect("mis_import_run", run.pk)
    try:
        headers = file_headers(run_content(run.pk))
    except FileRejected:  # checked when it was given; the page says it names no columns
        headers = []
    preset = request.GET.get("preset")
    status = 200
    if request.method == "POST":
        form = ColumnsForm(request.POST, kind=kind, headers=headers)
        if form.is_valid():
            try:
                run_columns_choose(run=run, actor=request.user, kind=kind, columns=form.columns())
            except RunRefused as refused:
                messages.info(request, refused.message)
            return redirect("mis_import_run", run.pk)
        status = 400
    else:
        if preset or not run.mapping:
            offer = mapping_to_offer(kind, headers, school_id=run.school_id, preset=preset)
        else:
            offer = run.mapping
        form = ColumnsForm(kind=kind, headers=headers, initial=offer)
    return render(
        request,
        "mis/imports/columns.html",
        {
            "run": run,
            "kind": kind,
            "form": form,
            "headers": headers,
            "presets": sorted(kind.presets),
            "preset": preset if preset in kind.presets else "",
            "school_query": school_query(request, run.school),
        },
        status=status,
    )


def _act(request, run_id: int, action, done_message: str):
    """A button of the run page: 404 to anyone who may not see the run, then 405 to a GET."""
    run = admin_run(request, run_id, with_preview=False)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        run = action(run)
    except RunRefused as refused:
        messages.info(request, refused.message)
    else:
        if done_message:
            messages.success(request, done_message)
    return redirect("mis_import_run", run.pk)


@login_required
def import_apply(request, run_id: int):
    return _act(request, run_id, lambda run: run_apply(run=run, actor=request.user), "")


@login_required
def import_discard(request, run_id: int):
    return _act(
        request,
        run_id,
        lambda run: run_discard(run=run, actor=request.user),
        "Discarded: nothing in the file was applied, and the file itself is deleted.",
    )


@login_required
def import_read_again(request, run_id: int):
    return _act(request, run_id, lambda run: run_read_again(run=run), "")
