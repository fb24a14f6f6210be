"""The escalation policy page for senior leaders: editing writes a new version. Heads of
year and house read it (they work to it); anyone else gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from school import access
from school.models import RoleAssignment, School

from ..forms.policy import PolicyForm, StepFormSet
from ..models import EscalationPolicy
from ..selectors.policy import policy_versions
from ..services import SanctionError
from ..services.policy import policy_current, policy_update

Role = RoleAssignment.Role


STEPS_PREFIX = "steps"


def _forms(data, current: EscalationPolicy):
    form = PolicyForm(
        data,
        initial={
            "misses_per_cycle": current.misses_per_cycle,
            "minimum_notice_hours": current.minimum_notice_hours,
            "weekend_sessions_allowed": current.weekend_sessions_allowed,
            "version": current.version,
        },
    )
    if data is not None:
        # Bound without `initial`, so a step added in the blank form is told from one left
        # empty by the form's own defaults, whatever the current ladder now holds.
        return form, StepFormSet(data, prefix=STEPS_PREFIX)
    steps = StepFormSet(
        prefix=STEPS_PREFIX,
        initial=[
            {
                "detention_minutes": step.detention_minutes,
                "meeting_with": step.meeting_with,
                "parents_invited": bool(step.meeting_with and step.parents_invited),
            }
            for step in current.steps.all()
        ],
    )
    return form, steps


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sanctions_policy(request):
    user = request.user
    may_edit = access.is_school_wide(user)
    if not may_edit and not access.has_role(user, Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE):
        raise Http404("The sanctions policy is for senior leaders, heads of year and house.")
    if request.method == "POST" and not may_edit:
        raise Http404("Only senior leaders can change the sanctions policy.")
    versions = policy_versions(user.school_id)
    if not versions:
        policy_current(school=School(pk=user.school_id))
        versions = policy_versions(user.school_id)
    current = next(v for v in versions if v.is_current)
    form = steps = None
    status = 200
    if may_edit:
        form, steps = _forms(request.POST if request.method == "POST" else None, current)
    if request.method == "POST":
        form_valid = form.is_valid()  # both validated, so every error shows at once
        if steps.is_valid() and form_valid:
            data = form.cleaned_data
            try:
                policy = policy_update(
                    school=School(pk=user.school_id),
                    actor=user,
                    misses_per_cycle=data["misses_per_cycle"],
                    minimum_notice_hours=data["minimum_notice_hours"],
                    weekend_sessions_allowed=data["weekend_sessions_allowed"],
                    steps=steps.steps(),
                    based_on_version=data["version"],
                )
            except SanctionError as error:
                # A stale page: show the ladder as it now is, with the message.
                messages.error(request, str(error))
                return redirect("sanctions_policy")
            if policy is None:
                messages.info(
                    request, f"Nothing changed: the ladder is still version {current.version}."
                )
            else:
                messages.success(
                    request,
                    f"Saved as version {policy.version}. It applies to cycles completed from "
                    "now on; sanctions already given keep the version they came from.",
                )
            return redirect("sanctions_policy")
        status = 400
    return render(
        request,
        "sanctions/policy/policy.html",
        {
            "current": current,
            "previous": [v for v in versions if not v.is_current],
            "may_edit": may_edit,
            "form": form,
            "steps": steps,
        },
        status=status,
    )
