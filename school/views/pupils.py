"""A pupil's page: who they are, their flags for staff, and the panels and links other
apps add to it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .. import access, panels, selectors
from ..models import Pupil


@login_required
def pupil_detail(request, pupil_id):
    try:
        pupil = selectors.pupil_detail(request.user, pupil_id)
    except Pupil.DoesNotExist:
        raise Http404("No such pupil.") from None
    return render(
        request,
        "school/pupil_detail.html",
        {
            "pupil": pupil,
            "show_staff_details": access.is_staff_member(request.user),
            "panels": panels.panels_for(panels.PUPIL_RECORD, pupil=pupil, user=request.user),
            "actions": panels.links_for(panels.PUPIL_ACTIONS, pupil=pupil, user=request.user),
        },
    )
