"""The head of year / head of house dashboard and the pupil timeline (reads in
sanctions/dashboard.py)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from school.exports import csv_response

from .. import dashboard, services


def _dashboard_csv(board, which: str):
    response, writer = csv_response(f"sanctions-{which}-{board.year.name.replace('/', '-')}")
    if which == "pupils":
        writer.writerow(
            [
                "Pupil",
                "Tutor group",
                "Counted misses",
                "Misses this cycle",
                "To next sanction",
                "Completed cycles",
                "Next detention (minutes)",
                "Next meeting",
            ]
        )
        for row in board.pupils:
            writer.writerow(
                [
                    row.pupil.full_name,
                    row.pupil.tutor_group.name,
                    row.counted,
                    row.open,
                    row.to_next,
                    row.completed,
                    row.next_step.detention_minutes,
                    row.next_step.get_meeting_with_display() if row.next_step.meeting_with else "",
                ]
            )
    else:
        writer.writerow(
            ["Pupil", "Tutor group", "Cycle", "Step", "Detention (minutes)", "Meeting", "Created"]
        )
        for sanction in board.to_schedule:
            writer.writerow(
                [
                    sanction.pupil.full_name,
                    sanction.pupil.tutor_group.name,
                    sanction.cycle,
                    sanction.step_number,
                    sanction.detention_minutes,
                    sanction.get_meeting_with_display() if sanction.meeting_with else "",
                    f"{timezone.localtime(sanction.created_at):%d/%m/%Y}",
                ]
            )
    return response


@login_required
def sanctions_dashboard(request):
    """Heads of year and house (their years and houses) and senior leaders (the school):
    who is closest to the next sanction, what is to schedule, and the trend. Anyone else
    gets 404."""
    if not dashboard.may_use_dashboard(request.user):
        raise Http404("The sanctions dashboard is for heads of year and house.")
    filters = dashboard.DashboardFilters(
        request.GET if set(request.GET) - {"format", "list"} else None, user=request.user
    )
    policy = services.policy_current(school=request.user.school)
    board = dashboard.dashboard_for(
        request.user, filters, today=timezone.localdate(), policy=policy
    )
    wanted = request.GET.get("format")
    which = request.GET.get("list", "")
    download_error = ""
    if wanted == "csv":
        if which not in ("pupils", "sanctions"):
            download_error = "Choose which list to download: pupils or sanctions to schedule."
        elif board.year is None or (filters.is_bound and not filters.is_valid()):
            download_error = "Nothing to download: fix the filters first."
        else:
            return _dashboard_csv(board, which)
    query = request.GET.copy()
    for key in ("format", "list"):
        query.pop(key, None)
    return render(
        request,
        "sanctions/dashboard.html",
        {
            "board": board,
            "filters": filters,
            "download_error": download_error,
            "query": query.urlencode(),
        },
    )


@login_required
def sanctions_pupil(request, pupil_id):
    """A pupil's timeline of misses, sanctions and audit entries, for the staff who look
    after them (form tutor, head of year or house, senior leaders); 404 for anyone else."""
    pupils = dashboard.pastoral_pupils(request.user)
    pupil = get_object_or_404(
        pupils.select_related("tutor_group", "year_group", "house"), pk=pupil_id
    )
    return render(
        request,
        "sanctions/pupil_timeline.html",
        {
            "pupil": pupil,
            "timeline": dashboard.timeline_of(pupil),
            "may_excuse": dashboard.may_excuse_for(request.user, pupil),
            "may_use_dashboard": dashboard.may_use_dashboard(request.user),
        },
    )
