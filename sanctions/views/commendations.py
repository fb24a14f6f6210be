"""Recording a commendation or positive contact home for a pupil: for the staff who may
see the pupil (their teachers, tutor, heads of year and house, senior leaders). Anyone
else, and a homework the person may not see, gets 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from school import access, params

from ..forms.commendations import CommendationForm
from ..selectors.commendations import assignments_commendable, recent_commendations
from ..services import SanctionError
from ..services.commendations import commendation_record


def _next_url(request, pupil) -> str:
    """Where to go back to: a `next` on this site, or the pupil's page."""
    wanted = request.POST.get("next") or request.GET.get("next")
    return params.local_path(wanted) or reverse("pupil_detail", args=[pupil.pk])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def sanctions_commend(request, pupil_id):
    user = request.user
    if not access.is_staff_member(user):
        raise Http404("Commendations are recorded by staff.")
    pupil = get_object_or_404(
        access.pupils_visible_to(user)
        .on_roll(timezone.localdate())  # a leaver is commended no more
        .filter(school_id=user.school_id)
        .select_related("tutor_group", "year_group"),
        pk=pupil_id,
    )
    wanted = request.GET.get("assignment")
    preselected = None
    if wanted is not None:
        if not wanted.isdigit() or len(wanted) > 18:
            raise Http404("No such homework.")
        preselected = get_object_or_404(
            assignments_commendable(user, pupil, include=int(wanted)), pk=int(wanted)
        )
    assignments = assignments_commendable(
        user, pupil, include=preselected.pk if preselected else None
    )
    back = _next_url(request, pupil)
    form = CommendationForm(
        request.POST if request.method == "POST" else None,
        assignments=assignments,
        initial={"assignment": preselected},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                commendation = commendation_record(
                    actor=user,
                    pupil=pupil,
                    kind=data["kind"],
                    reason=data["reason"],
                    note=data["note"],
                    assignment=data["assignment"],
                )
            except SanctionError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    f"{commendation.get_kind_display()} recorded for {pupil.full_name}; "
                    "their parents will be told.",
                )
                return redirect(back)
        status = 400
    return render(
        request,
        "sanctions/commendations/commend.html",
        {
            "pupil": pupil,
            "form": form,
            "back_url": back,
            "recent": recent_commendations(pupil),
        },
        status=status,
    )
