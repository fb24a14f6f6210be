"""Who looked (privacy/access_log): the school's access log with its filters and CSV, one
pupil's log, and unusual access, for the school's data protection lead (common.py)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from school.exports import csv_response
from school.models import Pupil

from ..access_log.selectors import (
    ENTRIES_PER_PAGE,
    MAY_OPEN_ANY,
    entries_for,
    latest_for_pupil,
    school_wide_access,
    unusual_access,
)
from ..forms.access_log import AccessLogFilters, UnusualAccessWindow
from .common import lead_pupil, lead_school, school_query

FILTERS = ("date_from", "date_to", "staff", "pupil", "page_name")


def _filtered(request) -> bool:
    return any(request.GET.get(name) for name in FILTERS)


def _csv(school, entries):
    response, writer = csv_response(f"access-log-{school.slug}-{timezone.localdate():%Y-%m-%d}")
    writer.writerow(["Date", "Time", "Member of staff", "Email", "Pupil", "UPN", "Page", "Address"])
    for entry in entries.iterator(chunk_size=2000):
        at = timezone.localtime(entry.at)
        user = entry.user
        writer.writerow(
            [
                f"{at:%d/%m/%Y}",
                f"{at:%H:%M:%S}",
                (user.get_full_name() or user.email) if user else "A deleted account",
                user.email if user else "",
                entry.pupil.full_name,
                entry.pupil.upn,
                entry.page,
                entry.path,
            ]
        )
    return response


def _log(request, *, school, pupil: Pupil | None = None):
    filters = AccessLogFilters(
        request.GET if _filtered(request) else None,
        school_id=school.pk,
        with_pupil=pupil is None,
    )
    wanted = filters.wanted(**({"pupil_id": pupil.pk} if pupil else {}))
    entries = entries_for(school.pk, wanted)
    if request.GET.get("format") == "csv" and not filters.errors:
        return _csv(school, entries)
    query = request.GET.copy()
    for key in ("format", "page"):
        query.pop(key, None)
    query = query.urlencode()
    return render(
        request,
        "privacy/access_log/log.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "pupil": pupil,
            "filters": filters,
            "entries": Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page")),
            "csv_query": f"?{query}&format=csv" if query else "?format=csv",
            "clear_url": request.path + school_query(request, school),
        },
    )


@login_required
@require_GET
def access_log(request):
    school = lead_school(request)
    if school is None:
        return redirect("privacy_home")
    return _log(request, school=school)


@login_required
@require_GET
def access_log_pupil(request, pupil_id: int):
    pupil = lead_pupil(
        request, pupil_id, queryset=Pupil.objects.select_related("school", "tutor_group")
    )
    return _log(request, school=pupil.school, pupil=pupil)


@login_required
@require_GET
def access_log_unusual(request):
    school = lead_school(request)
    if school is None:
        return redirect("privacy_home")
    today = timezone.localdate()
    form = UnusualAccessWindow(
        request.GET if {"date_from", "date_to"} & set(request.GET) else None, today=today
    )
    since, until = form.window()
    threshold = settings.PRIVACY_UNUSUAL_PUPILS
    return render(
        request,
        "privacy/access_log/unusual.html",
        {
            "school": school,
            "school_query": school_query(request, school),
            "form": form,
            "since": since,
            "until": until,
            "threshold": threshold,
            "unusual": unusual_access(school.pk, since=since, until=until, threshold=threshold),
            "school_wide": school_wide_access(school.pk, since=since, until=until),
            "school_wide_roles": [role.label for role in MAY_OPEN_ANY],
        },
    )


def pupil_panel(*, pupil, user, query):
    """The privacy pupil page's panel (privacy/apps.py): who looked at the pupil lately."""
    return {
        "entries": latest_for_pupil(pupil),
        "log_url": reverse("privacy_access_log_pupil", args=[pupil.pk]) + query,
    }
