"""Planning the scheme-of-work units with dates: the person's classes by subject and year,
one class's unit dates (the class's teachers and the subject's leaders; optionally for all
their classes of that subject and year at once), and a unit's resources for parents."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from school import access

from ..forms.units import ClassPlanForm, UnitResourceForm
from ..models import UnitResource
from ..selectors import units as selectors
from ..services import HomeworkError
from ..services import units as services


def _staff_or_404(user) -> None:
    if not access.is_staff_member(user):
        raise Http404("Planning units is for staff.")


@login_required
@require_safe
def units_home(request):
    _staff_or_404(request.user)
    return render(
        request,
        "homework/units/home.html",
        {
            "courses": selectors.planning_overview(request.user),
            "half_terms": selectors.half_terms_around(request.user.school_id, timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def units_class(request, group_id):
    user = request.user
    plannable = selectors.groups_planned_by(user).select_related(
        "subject", "year_group", "academic_year"
    )
    group = get_object_or_404(plannable, pk=group_id)
    course_groups = list(
        plannable.filter(subject_id=group.subject_id, year_group_id=group.year_group_id).order_by(
            "name"
        )
    )
    units = selectors.course_units(group)
    form = ClassPlanForm(
        request.POST if request.method == "POST" else None,
        units=units,
        group=group,
        course_groups=course_groups,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        groups = course_groups if data.get("apply_to_course") else [group]
        try:
            count = services.unit_plans_save(
                user=user,
                groups=groups,
                dates=data["dates"],
                new_unit_title=data["new_title"],
                new_unit_dates=data["new_dates"],
            )
        except HomeworkError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Unit dates saved for {group.name}."
                if count == 1
                else f"Unit dates saved for {count} classes: "
                + ", ".join(other.name for other in groups)
                + ".",
            )
            return redirect("units_class", group.pk)
    return render(
        request,
        "homework/units/class.html",
        {
            "group": group,
            "form": form,
            "half_terms": selectors.half_terms_around(group.school_id, timezone.localdate()),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def units_resources(request, unit_id):
    user = request.user
    unit = get_object_or_404(
        selectors.units_managed_by(user).select_related("subject", "year_group"), pk=unit_id
    )
    form = UnitResourceForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_resource_add(
                user=user, unit=unit, title=form.cleaned_data["title"], url=form.cleaned_data["url"]
            )
        except HomeworkError as error:
            form.add_error("url", str(error))
        else:
            messages.success(request, f"Link added to “{unit.title}”.")
            return redirect("units_resources", unit.pk)
    return render(
        request,
        "homework/units/resources.html",
        {
            "unit": unit,
            "resources": selectors.unit_resources(unit),
            "form": form,
            "back_group": selectors.groups_planned_by(user)
            .filter(subject_id=unit.subject_id, year_group_id=unit.year_group_id)
            .order_by("name")
            .first(),
        },
    )


@login_required
@require_POST
def units_resource_delete(request, resource_id):
    resource = get_object_or_404(
        UnitResource.objects.filter(unit__in=selectors.units_managed_by(request.user)),
        pk=resource_id,
    )
    unit_id = resource.unit_id
    services.unit_resource_delete(resource=resource)
    messages.success(request, f"Link “{resource.title}” removed.")
    return redirect("units_resources", unit_id)
