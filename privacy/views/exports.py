"""Subject access exports: the lead starts one from a pupil's or a guardian's page, watches
it being built, downloads it once, and reads the school's log of every export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from school.exports import file_download
from school.looked import pupil_looked_at
from school.models import Guardian, Pupil

from ..exports.selectors import (
    EXPORTS_PER_PAGE,
    export_progress,
    exports_about,
    exports_of_school,
)
from ..exports.services import (
    ExportRefused,
    export_download,
    export_may_restart,
    export_restart,
    export_start,
)
from ..models import SubjectAccessExport
from .common import lead_guardian, lead_pupil, lead_school, may_lead, school_ids_for, school_query
from .people import _choose_school

Status = SubjectAccessExport.Status
WORKING = (Status.QUEUED, Status.BUILDING)


def _lead_export(request, export_id: int) -> SubjectAccessExport:
    school_ids = school_ids_for(request)
    exports = SubjectAccessExport.objects.select_related("school", "requested_by", "downloaded_by")
    if school_ids is not None:
        exports = exports.filter(school_id__in=school_ids)
    return get_object_or_404(exports, pk=export_id)


def _export_url(export, query: str) -> str:
    return reverse("privacy_export", args=[export.pk]) + query


# The actions answer someone else's object with 404 before they answer GET with 405.


@login_required
def export_pupil_start(request, pupil_id: int):
    pupil = lead_pupil(request, pupil_id, queryset=Pupil.objects.select_related("school"))
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    export = export_start(school=pupil.school, requested_by=request.user, pupil=pupil)
    return redirect(_export_url(export, school_query(request, pupil.school)))


@login_required
def export_guardian_start(request, guardian_id: int):
    guardian = lead_guardian(
        request, guardian_id, queryset=Guardian.objects.select_related("school")
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    export = export_start(school=guardian.school, requested_by=request.user, guardian=guardian)
    return redirect(_export_url(export, school_query(request, guardian.school)))


@login_required
@require_GET
def export_page(request, export_id: int):
    export = _lead_export(request, export_id)
    working = export.status in WORKING and not export_may_restart(export)
    if request.htmx and request.GET.get("fragment") == "progress":
        if not working:  # finished: the whole page shows the outcome
            response = HttpResponse("")
            response["HX-Refresh"] = "true"
            return response
        return render(
            request,
            "privacy/exports/_progress.html",
            {"export": export, "progress": export_progress(export)},
        )
    return render(
        request,
        "privacy/exports/export.html",
        {
            "export": export,
            "school": export.school,
            "school_query": school_query(request, export.school),
            "working": working,
            "may_restart": export_may_restart(export),
            "progress": export_progress(export),
        },
    )


@login_required
def export_download_view(request, export_id: int):
    export = _lead_export(request, export_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    query = school_query(request, export.school)
    try:
        export, copy, name = export_download(export=export, user=request.user)
    except ExportRefused as refused:
        messages.error(request, refused.message)
        return redirect(_export_url(export, query))
    if export.pupil_id is not None:
        pupil_looked_at(request, export.pupil, "Subject access export")
    # file_download opens what it is given, as a stored file: the copy is already open.
    return file_download(File(copy), filename=name, content_type="application/zip")


@login_required
def export_restart_view(request, export_id: int):
    export = _lead_export(request, export_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        export_restart(export=export)
    except ExportRefused as refused:
        messages.error(request, refused.message)
    return redirect(_export_url(export, school_query(request, export.school)))


@login_required
@require_GET
def exports_list(request):
    school = lead_school(request)
    if school is None:
        return _choose_school(request)
    page = Paginator(exports_of_school(school), EXPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "privacy/exports/list.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "page": page,
            "exports": page.object_list,
        },
    )


# The panels on the person pages (privacy/navigation.py's places).


def pupil_panel(*, pupil, user, query):
    if not may_lead(user):
        return None
    return {
        "exports": exports_about(pupil=pupil),
        "start_url": reverse("privacy_export_pupil", args=[pupil.pk]) + query,
        "query": query,
        "whose": "the pupil",
    }


def guardian_panel(*, guardian, user, query):
    if not may_lead(user):
        return None
    return {
        "exports": exports_about(guardian=guardian),
        "start_url": reverse("privacy_export_guardian", args=[guardian.pk]) + query,
        "query": query,
        "whose": "the parent or carer",
    }
