"""The school's report settings (the flag's ratio, the smallest group shown): its senior
leaders and school admins change them; governors see them in the group split's
definitions; everyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from school import access
from school.models import RoleAssignment
from school.views.choose_school import choose_school, page_school, school_query

from ..forms.settings import ReportSettingsForm
from ..models import ReportSettings

Role = RoleAssignment.Role
EDITORS = (Role.SENIOR_LEADER, Role.SCHOOL_ADMIN)
NOT_FOUND = "The report settings are for the school's senior leaders and admins."


@login_required
@require_http_methods(["GET", "POST"])
def report_settings(request):
    school = page_school(
        request, may=lambda user: access.has_role(user, *EDITORS), not_found=NOT_FOUND
    )
    if school is None:
        return choose_school(
            request,
            title="Report settings",
            about="Each school sets its own. Choose the school.",
        )
    settings = ReportSettings.for_school(school.pk)
    form = ReportSettingsForm(request.POST or None, instance=settings)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The report settings are saved.")
        return redirect(reverse("reports_settings") + school_query(request, school))
    return render(
        request,
        "reports/settings/settings.html",
        {
            "school": school,
            "form": form,
            "school_query": school_query(request, school),
        },
    )
