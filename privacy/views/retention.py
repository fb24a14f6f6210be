"""The retention schedule's pages: the schedule the lead confirms (with the current legal
holds and the way to a dry run or a run), the page confirming a run with what it will
remove, the log of runs and each run's results, and placing and lifting a pupil's legal
hold (the hold panel on the pupil's data-protection page posts here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from ..forms.retention import HoldForm, ScheduleForm
from ..models import LegalHold, RetentionRun
from ..retention import selectors, services
from ..retention.engine import counts_due
from .common import NOT_FOUND, lead_pupil, lead_school, school_ids_for, school_query
from .people import _choose_school


def _school_or_choose(request):
    school = lead_school(request)
    if school is None and request.method != "GET":
        raise Http404(NOT_FOUND)
    return school


def _to(name: str, request, school, *args) -> str:
    return reverse(name, args=args) + school_query(request, school)


@login_required
@require_http_methods(["GET", "POST"])
def retention_schedule(request):
    school = _school_or_choose(request)
    if school is None:
        return _choose_school(request)
    lines = selectors.schedule_of(school)
    form = ScheduleForm(request.POST or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        services.schedule_confirm(school=school, user=request.user, months=form.months())
        messages.success(request, "The retention schedule is confirmed.")
        return redirect(_to("privacy_retention", request, school))
    return render(
        request,
        "privacy/retention/schedule.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "form": form,
            "lines": lines,
            "confirmed": selectors.is_confirmed(lines),
            "last_confirmed": selectors.last_confirmed(lines),
            "holds": Paginator(selectors.current_holds(school), selectors.HOLDS_PER_PAGE).get_page(
                request.GET.get("holds_page")
            ),
            "last_run": selectors.runs_of(school).first(),
        },
    )


@login_required
def retention_dry_run(request):
    school = lead_school(request)
    if school is None:
        raise Http404(NOT_FOUND)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    run = services.run_start(school=school, user=request.user, dry_run=True)
    return redirect(_to("privacy_retention_run", request, school, run.pk))


@login_required
@require_http_methods(["GET", "POST"])
def retention_run_now(request):
    school = _school_or_choose(request)
    if school is None:
        return _choose_school(request)
    if request.method == "POST":
        run = services.run_start(school=school, user=request.user, dry_run=False)
        messages.success(
            request, "The run has started. This page shows what it removed once it is done."
        )
        return redirect(_to("privacy_retention_run", request, school, run.pk))
    due = counts_due(school)
    return render(
        request,
        "privacy/retention/run_confirm.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "rows": selectors.result_rows(due.items()),
            "total": sum(result["count"] for result in due.values()),
        },
    )


@login_required
@require_GET
def retention_runs(request):
    school = _school_or_choose(request)
    if school is None:
        return _choose_school(request)
    page = Paginator(selectors.runs_of(school), selectors.RUNS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "privacy/retention/runs.html",
        {"school": school, "school_query": school_query(request, school), "page": page},
    )


@login_required
@require_GET
def retention_run(request, run_id: int):
    runs = RetentionRun.objects.select_related("school", "started_by")
    school_ids = school_ids_for(request)
    if school_ids is not None:
        runs = runs.filter(school_id__in=school_ids)
    run = get_object_or_404(runs, pk=run_id)
    return render(
        request,
        "privacy/retention/run.html",
        {
            "school": run.school,
            "school_query": school_query(request, run.school),
            "run": run,
            "rows": selectors.run_rows(run),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def retention_hold(request, pupil_id: int):
    pupil = lead_pupil(request, pupil_id)
    query = school_query(request, pupil.school)
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hold_place(pupil=pupil, user=request.user, reason=form.cleaned_data["reason"])
        except services.HoldRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"{pupil.full_name} is on a legal hold.")
        return redirect(reverse("privacy_pupil", args=[pupil.pk]) + query)
    return render(
        request,
        "privacy/retention/hold.html",
        {"pupil": pupil, "school": pupil.school, "school_query": query, "form": form},
    )


@login_required
def retention_hold_lift(request, hold_id: int):
    holds = LegalHold.objects.select_related("pupil", "school")
    school_ids = school_ids_for(request)
    if school_ids is not None:
        holds = holds.filter(school_id__in=school_ids)
    hold = get_object_or_404(holds, pk=hold_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if services.hold_lift(hold=hold, user=request.user):
        messages.success(request, f"The legal hold on {hold.pupil.full_name} is lifted.")
    back = request.POST.get("back")
    if back == "schedule":
        return redirect(_to("privacy_retention", request, hold.school))
    return redirect(_to("privacy_pupil", request, hold.school, hold.pupil_id))
