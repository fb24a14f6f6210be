"""The imports home (each kind of file in the order to import them, with its last run; the
upload form; the school's DfE number) and the history of every run."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from school.models import School
from school.views.choose_school import choose_school

from ..forms.imports import DfeNumberForm, UploadForm
from ..kinds import FileRejected, kind_named
from ..selectors.runs import RUNS_PER_PAGE, kinds_with_last_run, run_status_label, runs_of
from ..services.runs import run_needs_columns, run_upload
from ..services.school_number import school_dfe_number_set
from .common import NOT_FOUND, admin_school, school_query


def _home(request, school, *, upload_form=None, dfe_form=None, status=200):
    return render(
        request,
        "mis/imports/home.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "kinds": kinds_with_last_run(school.pk),
            "upload_form": upload_form or UploadForm(),
            "dfe_form": dfe_form or DfeNumberForm(initial={"dfe_number": school.dfe_number}),
        },
        status=status,
    )


def _choose_school(request):
    return choose_school(
        request,
        title="Imports",
        about="Each school imports its own files. Choose the school whose imports to open.",
    )


def _posting_school(request):
    """The school of a form's POST; anyone who may not use it gets 404 before being told
    the address takes POST only (405)."""
    school = admin_school(request)
    if school is None:
        raise Http404(NOT_FOUND)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return school


@login_required
@require_GET
def imports_home(request):
    school = admin_school(request)
    if school is None:
        return _choose_school(request)
    return _home(request, school)


@login_required
def import_upload(request):
    school = _posting_school(request)
    if not isinstance(school, School):
        return school
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        kind = kind_named(form.cleaned_data["kind"])
        try:
            run = run_upload(
                school=school, actor=request.user, kind=kind, upload=form.cleaned_data["file"]
            )
        except FileRejected as rejected:
            form.add_error("file", rejected.message)
        else:
            if run_needs_columns(run, kind):
                return redirect("mis_import_columns", run.pk)
            return redirect("mis_import_run", run.pk)
    return _home(request, school, upload_form=form, status=400)


@login_required
def import_dfe_number(request):
    school = _posting_school(request)
    if not isinstance(school, School):
        return school
    form = DfeNumberForm(request.POST)
    if not form.is_valid():
        return _home(request, school, dfe_form=form, status=400)
    number = form.cleaned_data["dfe_number"]
    if school_dfe_number_set(school=school, actor=request.user, dfe_number=number):
        if number:
            messages.success(request, f"Saved: {school}'s DfE number is {number}.")
        else:
            messages.success(request, f"Saved: {school} has no DfE number now.")
    else:
        messages.info(request, "Nothing changed: that is the DfE number already saved.")
    return redirect(reverse("mis_imports") + school_query(request, school))


@login_required
@require_GET
def import_history(request):
    school = admin_school(request)
    if school is None:
        return _choose_school(request)
    page = Paginator(runs_of(school.pk), RUNS_PER_PAGE).get_page(request.GET.get("page"))
    runs = list(page)
    for run in runs:
        kind = kind_named(run.kind)
        run.kind_label = kind.label if kind else run.kind
        run.status_label = run_status_label(run, kind)
    return render(
        request,
        "mis/imports/history.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "page": page,
            "runs": runs,
        },
    )
