"""The session register: checking in and out, the reward. Built for a phone: one list of
the pupils expected and in, a name search for walk-ins, and one button per action, each a
plain POST that comes back to the pupil's row."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from school.models import Pupil

from ..forms.register import WalkInSearchForm
from ..selectors.register import (
    SEARCH_MIN_LENGTH,
    minutes_between,
    register_refusal,
    register_rows,
    sessions_registrable_by,
    walk_in_search,
)
from ..selectors.rota import club_policy
from ..services.register import (
    RegisterError,
    attendance_check_in,
    attendance_check_out,
    attendance_reward,
)

ACTIONS = {
    "check_in": attendance_check_in,
    "check_out": attendance_check_out,
    "reward": attendance_reward,
}
DONE = {
    "check_in": "{name} is checked in.",
    "check_out": "{name} is checked out after {minutes} minutes.",
    "reward": "{name} has the reward for working effectively; their parents will be told.",
}


def _page(request, session, *, error="", status=200):
    now = timezone.now()
    rows = register_rows(session, now=now)
    needed = club_policy(session.school_id).reward_minutes
    for row in rows:
        attendance = row.attendance
        if attendance is not None:
            row.minutes = minutes_between(
                attendance.checked_in_at, attendance.checked_out_at or now
            )
            row.reward_ready = row.minutes >= needed and not attendance.worked_effectively
            row.reward_from = attendance.checked_in_at + datetime.timedelta(minutes=needed)
    search = WalkInSearchForm(request.GET)
    query = search.query.strip()
    on_register = {row.pupil.pk for row in rows}
    found = [pupil for pupil in walk_in_search(session, query) if pupil.pk not in on_register]
    return render(
        request,
        "clubs/register/register.html",
        {
            "session": session,
            "rows": rows,
            "in_count": sum(1 for row in rows if row.state == "in"),
            "reward_minutes": needed,
            "query": query,
            "search": search,
            "searched": len(query) >= SEARCH_MIN_LENGTH,
            "found": found,
            "error": error,
            "closed": register_refusal(session, now),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def clubs_register(request, session_id):
    """The register of one session for its rota staff and the club's leaders; a POST
    with `action` (check_in, check_out, reward) and `pupil` does one thing to one pupil."""
    session = get_object_or_404(
        sessions_registrable_by(request.user).select_related("club", "school"),
        pk=session_id,
    )
    if request.method != "POST":
        return _page(request, session)
    action = request.POST.get("action", "")
    pupil_id = request.POST.get("pupil", "")
    if action not in ACTIONS:
        return _page(request, session, error="Choose check in, check out or reward.", status=400)
    pupil = (
        Pupil.objects.filter(school_id=session.school_id, pk=int(pupil_id)).first()
        if pupil_id.isdigit() and len(pupil_id) < 12
        else None
    )
    if pupil is None:
        return _page(request, session, error="Choose a pupil from the register.", status=400)
    try:
        attendance = ACTIONS[action](session=session, pupil=pupil, actor=request.user)
    except RegisterError as error:
        return _page(request, session, error=str(error), status=400)
    minutes = attendance.minutes
    messages.success(request, DONE[action].format(name=pupil.full_name, minutes=minutes))
    return redirect(f"{reverse('clubs_register', args=[session.pk])}#pupil-{pupil.pk}")
