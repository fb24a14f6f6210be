"""A guardian's overview of their children, and one child's page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from homework.selectors.units import month_units_for
from school import access, panels
from school.models import Pupil

from .. import overview as selectors
from ..navigation import OVERVIEW


@login_required
@require_safe
def overview(request):
    # Staff and pupils have their own home pages: this one is for guardians only.
    if not access.is_guardian(request.user):
        raise Http404("The children's overview is for parents and carers.")
    now = timezone.now()
    # Read once: the overview and the panels other apps add to it share the children.
    children = selectors.overview_children(request.user, now=now)
    on_roll = selectors.on_roll(children, timezone.localdate(now))
    return render(
        request,
        "parents/overview/overview.html",
        {
            "overview": selectors.overview_for(request.user, now=now, children=children),
            "panels": panels.panels_for(OVERVIEW, user=request.user, children=on_roll),
        },
    )


@login_required
@require_safe
def child(request, pupil_id):
    try:
        # The latest overdue tasks, missed deadlines and club visits, or every one (?all=1,
        # the links under the lists).
        page = selectors.child_page_for(
            request.user, pupil_id, all_lists=request.GET.get("all") == "1"
        )
    except Pupil.DoesNotExist:
        raise Http404("No such child.") from None
    # What each subject teaches this month and next (homework's unit dates): none once left.
    units = None if page.has_left else month_units_for(page.pupil, page.today)
    return render(request, "parents/overview/child.html", {"page": page, "units": units})
