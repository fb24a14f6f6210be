"""Meetings the ladder adds: the list of meetings to arrange and one meeting's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone

from school import access
from school.exports import csv_response

from ..forms.meetings import (
    MeetingArrangeForm,
    MeetingCancelForm,
    MeetingFilterForm,
    MeetingHeldForm,
    MeetingReassignForm,
)
from ..models import Meeting
from ..selectors.meetings import (
    MEETING_ROLES,
    cycle_misses,
    may_change,
    may_reassign,
    meeting_as_placed,
    meeting_detail,
    meeting_history,
    meeting_list,
    meetings_for_export,
    parents_to_contact,
)
from ..services import SanctionError
from ..services.meetings import (
    meeting_arrange,
    meeting_cancel,
    meeting_reassign,
    meeting_record_held,
)


def _viewer_or_404(user) -> None:
    if not access.has_role(user, *MEETING_ROLES):
        raise Http404("Meetings are for form tutors, heads of year and house and senior leaders.")


def _when(meeting: Meeting) -> str:
    if meeting.proposed_at is None:
        return ""
    return f"{timezone.localtime(meeting.proposed_at):%d/%m/%Y %H:%M}"


def _csv(rows):
    response, writer = csv_response("meetings")
    writer.writerow(
        [
            "Pupil",
            "Tutor group",
            "Cycle",
            "Meeting with",
            "Owner",
            "Status",
            "Date",
            "Place",
            "Parents invited",
        ]
    )
    for meeting in rows:
        writer.writerow(
            [
                meeting.pupil.full_name,
                meeting.pupil.tutor_group.name,
                meeting.sanction.cycle,
                meeting.get_meeting_with_display(),
                str(meeting.owner) if meeting.owner else "",
                meeting.get_status_display(),
                _when(meeting),
                meeting.place,
                "Yes" if meeting.parents_invited else "No",
            ]
        )
    return response


@login_required
def sanctions_meetings(request):
    """The viewer's meetings to arrange, the arranged ones by date, and the others in
    their care; `?format=csv` downloads the list as filtered."""
    _viewer_or_404(request.user)
    filters = MeetingFilterForm(request.GET if "status" in request.GET else None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    if request.GET.get("format") == "csv" and not filters.errors:
        return _csv(meetings_for_export(request.user, status=status))
    query = request.GET.copy()
    query.pop("format", None)
    return render(
        request,
        "sanctions/meetings/list.html",
        {
            "lists": meeting_list(request.user, status=status),
            "filters": filters,
            "query": query.urlencode(),
        },
        status=400 if filters.errors else 200,
    )


FORMS = {
    "arrange": MeetingArrangeForm,
    "held": MeetingHeldForm,
    "cancel": MeetingCancelForm,
    "reassign": MeetingReassignForm,
}
SERVICES = {
    "arrange": lambda data: {"when": data["when"], "place": data["place"]},
    "held": lambda data: {"outcome": data["outcome"]},
    "cancel": lambda data: {"reason": data["reason"]},
    "reassign": lambda data: {"owner": data["owner"], "reason": data["reason"]},
}
DONE = {
    "arrange": "Meeting arranged.",
    "held": "Meeting recorded as held.",
    "cancel": "Meeting cancelled.",
    "reassign": "Meeting given to {owner}.",
}
CHANGE = {
    "arrange": meeting_arrange,
    "held": meeting_record_held,
    "cancel": meeting_cancel,
    "reassign": meeting_reassign,
}


def _forms(request, meeting, *, may_reassign, bound=None):
    """One form per action the viewer may take; `bound` is the one posted."""
    made = {}
    for action, form_class in FORMS.items():
        if action == "reassign" and not may_reassign:
            continue
        kwargs = {"auto_id": f"{action}_%s"}  # four forms on one page: distinct ids
        if action == "reassign":
            kwargs["school_id"] = meeting.school_id
        if action == "arrange" and meeting.proposed_at:
            local = timezone.localtime(meeting.proposed_at)
            kwargs["initial"] = {"date": local.date(), "time": local.time(), "place": meeting.place}
        if action == "reassign":
            kwargs["initial"] = {"owner": meeting.owner_id}
        made[action] = form_class(request.POST if action == bound else None, **kwargs)
    return made


@login_required
def sanctions_meeting(request, meeting_id):
    """GET: the meeting, the misses that made its cycle, the parents to contact and its
    history, with the forms the viewer may use. POST (`action`): one change, or the page
    again with the error (status 400) and nothing changed. Readers who may not change it
    (a form tutor who is not the owner) get 404 for a POST."""
    try:
        meeting = meeting_detail(request.user, meeting_id)
    except Meeting.DoesNotExist:
        raise Http404("No such meeting.") from None
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    can_change = may_change(request.user, meeting)
    can_reassign = may_reassign(request.user, meeting)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    error = ""
    if request.method == "POST":
        if not can_change or (action == "reassign" and not can_reassign):
            raise Http404("Only the owner, the pupil's head of year or house and senior leaders.")
        if action not in FORMS:
            error = "Choose what to do with the meeting."
    forms = _forms(request, meeting, may_reassign=can_reassign, bound=action or None)
    if action in FORMS:
        form = forms[action]
        if form.is_valid():
            try:
                changed = CHANGE[action](
                    actor=request.user, meeting=meeting, **SERVICES[action](form.cleaned_data)
                )
            except SanctionError as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, DONE[action].format(owner=changed.owner))
                return redirect("sanctions_meeting", meeting.pk)
    is_open = meeting.status in Meeting.OPEN
    if action in FORMS and not is_open:
        # The forms are gone from a closed meeting's page: its refusal shows at the top.
        error = " ".join(forms[action].non_field_errors())
    return render(
        request,
        "sanctions/meetings/detail.html",
        {
            "meeting": meeting_as_placed(meeting),
            "misses": cycle_misses(meeting),
            "parents": parents_to_contact(meeting),
            "history": meeting_history(meeting),
            "forms": forms if can_change and is_open else {},
            "posted": action,
            "error": error,
            "may_change": can_change,
            "is_open": is_open,
        },
        status=400 if request.method == "POST" else 200,
    )
