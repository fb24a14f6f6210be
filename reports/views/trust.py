"""The trust view: one period's measures for each school of a trust, side by side
(reports/measures/trust.py), for the trust's leaders; superusers choose the trust."""

from contextlib import nullcontext
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from school import access
from school.calendar import school_time_zone
from school.exports import csv_response
from school.models import RoleAssignment, School, Trust

from ..forms.trust import TrustPeriodForm
from ..measures.trust import LEFT_OUT, YEAR, TrustReport, trust_report, year_names

NOT_FOUND = "The trust view is for the trust's leaders."


def may_read_trust(user) -> bool:
    """The menu's rule: trust leaders and superusers."""
    return bool(getattr(user, "is_superuser", False)) or access.has_role(
        user, RoleAssignment.Role.TRUST_LEADER
    )


def _trust(request) -> tuple[Trust | None, School | None]:
    """A trust leader's trust (that of the school they are assigned at) and that school; a
    superuser names the trust with ?trust=<slug> (None until they choose) and has no
    school. Anyone else, or another trust: 404."""
    user, slug = request.user, request.GET.get("trust", "")
    if user.is_superuser:
        return (get_object_or_404(Trust, slug=slug) if slug else None), None
    if user.school_id is None or not access.has_role(user, RoleAssignment.Role.TRUST_LEADER):
        raise Http404(NOT_FOUND)
    school = School.objects.select_related("trust").get(pk=user.school_id)
    if school.trust is None or (slug and slug != school.trust.slug):
        raise Http404(NOT_FOUND)
    return school.trust, school


def _csv(report: TrustReport):
    response, writer = csv_response(
        f"trust-report-{report.trust.slug}-{report.year_name.replace('/', '-')}-"
        f"{report.period_label.lower().replace(' ', '-')}"
    )
    writer.writerow(["Measure", *(column.school.name for column in report.columns), "Definition"])
    for measure in report.measures:
        writer.writerow([measure.label, *(str(cell) for cell in measure.cells), measure.definition])
    return response


@login_required
@require_GET
def trust_view(request):
    """The chosen year (by name; the latest unless ?year=) and period (?period=<half-term
    name> or year, the default) for each school of the trust, as a page and as CSV."""
    trust, home = _trust(request)
    if trust is None:
        return render(
            request, "reports/trust/choose.html", {"trusts": Trust.objects.order_by("name")}
        )
    names = year_names(trust)
    if "year" in request.GET or "period" in request.GET:
        form = TrustPeriodForm(request.GET, year_names=names)
        chosen = form.cleaned_data if form.is_valid() else None
    else:
        form = TrustPeriodForm(year_names=names, initial={"period": YEAR})
        chosen = {"year": names[0], "period": YEAR} if names else None
        if chosen:
            form.initial["year"] = names[0]
    report = None
    if chosen is not None:
        # Dates are the school's: a trust leader's school's time zone (a trust's schools
        # keep one clock); a superuser's, the site's.
        with school_time_zone(home) if home else nullcontext():
            report = trust_report(
                trust, chosen["year"], chosen["period"], today=timezone.localdate()
            )
    if report is not None and request.GET.get("format") == "csv":
        return _csv(report)
    superuser = {"trust": trust.slug} if request.user.is_superuser else {}
    return render(
        request,
        "reports/trust/report.html",
        {
            "trust": trust,
            "form": form,
            "report": report,
            "left_out": LEFT_OUT,
            "superuser_trust": trust.slug if request.user.is_superuser else "",
            "csv_query": urlencode(
                {
                    **superuser,
                    **({"year": chosen["year"], "period": chosen["period"]} if chosen else {}),
                    "format": "csv",
                }
            ),
        },
    )
