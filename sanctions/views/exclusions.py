"""Internal exclusion days: the days planned, the pupils waiting for a place and each
day's printable register. The same pages as the detentions' for the other session kind
(the helpers are in detentions.py)."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..selectors.detentions import sanctions_waiting
from .detentions import (
    EXCLUSION,
    detention_viewer_or_404,
    register_page,
    register_save,
    sessions_add,
    upcoming_sessions,
)

# An exclusion day runs through the school day, not after it.
DAY_INITIAL = {
    "start_time": datetime.time(8, 45),
    "end_time": datetime.time(15, 15),
    "capacity": 6,
}


@login_required
def sanctions_exclusions(request):
    """Upcoming internal exclusion days, the form to add one or a weekly series (heads of
    year and senior leaders) and the pupils waiting for a place."""
    detention_viewer_or_404(request.user)
    form, added = sessions_add(request, EXCLUSION, initial=DAY_INITIAL)
    if added is not None:
        return added
    return render(
        request,
        "sanctions/exclusions/list.html",
        {
            "sessions": upcoming_sessions(request.user, EXCLUSION),
            "form": form,
            "waiting": sanctions_waiting(request.user, EXCLUSION),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def sanctions_exclusion_session(request, session_id):
    """The printable register of one internal exclusion day."""
    return register_page(request, session_id, EXCLUSION)


@login_required
def sanctions_exclusion_register(request, session_id):
    """POST: an internal exclusion day's register."""
    return register_save(request, session_id, EXCLUSION)
