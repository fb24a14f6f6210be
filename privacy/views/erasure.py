"""Erasure's pages: the guardians no child is linked to any more (candidates for erasure),
the page that confirms an erasure (what goes, what stays and why, and the reason), and
the change history of a pupil or a guardian as CSV (the person pages show the latest)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from school.exports import csv_response
from school.models import Guardian, Pupil

from ..erasure import selectors
from ..erasure.history import CSV_HEADER, changed_by_shown, person_changes
from ..erasure.services import ERASED_FIELDS, ErasureError, guardian_erase
from ..erasure.steps import guardian_erasure_steps
from ..forms.erasure import ErasureForm
from .common import lead_guardian, lead_pupil, lead_school, school_query
from .people import _choose_school

PER_PAGE = 50


@login_required
@require_GET
def erasure_home(request):
    school = lead_school(request)
    if school is None:
        return _choose_school(request)
    page = Paginator(selectors.guardians_unlinked(school.pk), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "privacy/erasure/home.html",
        {"school": school, "school_query": school_query(request, school), "page": page},
    )


@login_required
@require_http_methods(["GET", "POST"])
def guardian_erase_confirm(request, guardian_id: int):
    guardian = lead_guardian(
        request, guardian_id, queryset=Guardian.objects.select_related("school")
    )
    query = school_query(request, guardian.school)
    if guardian.erased_at is not None:
        if request.method == "POST":
            raise Http404("This record was erased already.")
        messages.info(request, "This record was erased already.")
        return redirect(reverse("privacy_guardian", args=[guardian.pk]) + query)
    form = ErasureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                erasure = guardian_erase(
                    guardian=guardian, actor=request.user, reason=form.cleaned_data["reason"]
                )
            except ErasureError as error:
                form.add_error("reason", str(error))
            else:
                login = (
                    " Their login has ended."
                    if erasure.login_ended
                    else " Their login stays for their other records, without this one."
                    if erasure.login_kept
                    else ""
                )
                messages.success(request, "The parent's record is erased." + login)
                return redirect(reverse("privacy_guardian", args=[guardian.pk]) + query)
        status = 400
    return render(
        request,
        "privacy/erasure/confirm.html",
        {
            "guardian": guardian,
            "school": guardian.school,
            "school_query": query,
            "form": form,
            "children": selectors.guardian_children(guardian),
            "steps": guardian_erasure_steps(),
            "erased_fields": [
                Guardian._meta.get_field(name).verbose_name for name in ERASED_FIELDS
            ],
        },
        status=status,
    )


def _changes_csv(changes, filename: str):
    response, writer = csv_response(filename)
    writer.writerow(CSV_HEADER)
    for change in changes.iterator(chunk_size=2000):
        writer.writerow(
            [
                f"{timezone.localtime(change.changed_at):%d/%m/%Y %H:%M}",
                change.field,
                change.old_value,
                change.new_value,
                changed_by_shown(change),
                change.get_source_display(),
            ]
        )
    return response


@login_required
@require_GET
def pupil_changes(request, pupil_id: int):
    pupil = lead_pupil(request, pupil_id, queryset=Pupil.objects.only("pk", "school_id"))
    return _changes_csv(person_changes(pupil=pupil), f"changes-pupil-{pupil.pk}")


@login_required
@require_GET
def guardian_changes(request, guardian_id: int):
    guardian = lead_guardian(
        request, guardian_id, queryset=Guardian.objects.only("pk", "school_id")
    )
    return _changes_csv(person_changes(guardian=guardian), f"changes-guardian-{guardian.pk}")
