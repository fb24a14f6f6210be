"""A pupil's page: who they are, their flags for staff, and the panels and links other
apps add to it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from .. import access, panels, selectors
from ..looked import pupil_looked_at
from ..models import Pupil


@login_required
def pupil_detail(request, pupil_id):
    try:
        pupil = selectors.pupil_detail(request.user, pupil_id)
    except Pupil.DoesNotExist:
        raise Http404("No such pupil.") from None
    # A leaver's record stays readable; nothing new (a commendation, a meeting) is added.
    left = pupil.left_on is not None and pupil.left_on <= timezone.localdate()
    pupil_looked_at(request, pupil, "Pupil page")
    return render(
        request,
        "school/pupil_detail.html",
        {
            "pupil": pupil,
            "left": left,
            "show_staff_details": access.is_staff_member(request.user),
            "panels": panels.panels_for(panels.PUPIL_RECORD, pupil=pupil, user=request.user),
            "actions": []
            if left
            else panels.links_for(panels.PUPIL_ACTIONS, pupil=pupil, user=request.user),
        },
    )
