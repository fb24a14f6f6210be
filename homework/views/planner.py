"""The pupil's planner: what is due and done, each task with its hand-in form, the files
handed in, and the personal calendar feed (a secret address, no login)."""

from datetime import timedelta

import icalendar
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from school import panels
from school.exports import file_download
from school.models import Pupil

from ..forms.planner import SubmissionForm
from ..models import Assignment
from ..navigation import PLANNER
from ..selectors import planner as selectors
from ..services import HomeworkError
from ..services import planner as services


def _pupil_or_404(user) -> Pupil:
    """The planner is a pupil's own; staff and parents have their own pages."""
    pupil = getattr(user, "pupil", None)
    if pupil is None:
        raise Http404("The planner is for pupils.")
    return pupil


@login_required
@require_safe
def planner(request):
    pupil = _pupil_or_404(request.user)
    return render(
        request,
        "homework/planner/page.html",
        {
            "planner": selectors.planner_for(pupil=pupil),
            "panels": panels.panels_for(PLANNER, pupil=pupil, user=request.user),
        },
    )


@login_required
def planner_task(request, assignment_id):
    pupil = _pupil_or_404(request.user)
    try:
        assignment = selectors.planner_assignment(pupil=pupil, assignment_id=assignment_id)
    except Assignment.DoesNotExist:
        raise Http404("No such task.") from None
    closed_reason = services.submission_closed_reason(assignment)
    form = None
    if request.method == "POST" and closed_reason:
        messages.error(request, closed_reason)
        return redirect("planner_task", assignment.pk)
    if not closed_reason:
        existing_files = list(assignment.files.all())
        if request.method == "POST":
            form = SubmissionForm(request.POST, request.FILES, existing_files=existing_files)
            if form.is_valid() and _hand_in(request, assignment, form):
                return redirect("planner_task", assignment.pk)
        else:
            form = SubmissionForm(
                existing_files=existing_files,
                initial={
                    "text": assignment.submission_text,
                    "confidence": assignment.confidence,
                    "reflection": assignment.reflection,
                },
            )
    return render(
        request,
        "homework/planner/task.html",
        {
            "assignment": assignment,
            "homework": assignment.homework,
            "instructions_html": selectors.instructions_html_for(assignment),
            "form": form,
            "status": selectors.planner_item(assignment),
        },
    )


def _hand_in(request, assignment, form) -> bool:
    first_time = assignment.submitted_at is None
    try:
        assignment = services.submission_submit(
            assignment=assignment,
            text=form.cleaned_data["text"],
            files=form.cleaned_data["files"],
            confidence=form.cleaned_data["confidence"],
            reflection=form.cleaned_data["reflection"],
            remove_file_ids=form.cleaned_data.get("remove_files") or [],
        )
    except HomeworkError as error:
        form.add_error(None, str(error))
        return False
    if not first_time:
        messages.success(request, "Your work has been updated.")
    elif assignment.is_late:
        messages.success(request, "Handed in late. Your teacher can see when it arrived.")
    else:
        messages.success(request, "Handed in. You can add to it until your teacher returns it.")
    return True


@login_required
@require_safe
def planner_submission_file(request, file_id):
    upload = get_object_or_404(selectors.submission_files_visible_to(request.user), pk=file_id)
    return file_download(
        upload.file, filename=upload.original_name, content_type=upload.content_type
    )


@login_required
@require_safe
def planner_calendar(request):
    _pupil_or_404(request.user)
    feed = services.calendar_feed_for(request.user)
    feed_url = request.build_absolute_uri(reverse("planner_feed", args=[feed.token]))
    return render(
        request,
        "homework/planner/calendar.html",
        {"feed_url": feed_url, "webcal_url": "webcal://" + feed_url.split("://", 1)[1]},
    )


@login_required
def planner_calendar_reset(request):
    _pupil_or_404(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request,
        "Your calendar address has been reset. The old address no longer works: "
        "subscribe again with the new one below.",
    )
    return redirect("planner_calendar")


@require_safe
def planner_feed(request, token):
    pupil = selectors.calendar_feed_pupil(token)
    if pupil is None:
        raise Http404("No such calendar.")
    calendar = _calendar(request, pupil, selectors.calendar_assignments_for(pupil=pupil))
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="homework.ics"'
    response["Cache-Control"] = "private, max-age=600"
    return response


def _calendar(request, pupil, assignments) -> icalendar.Calendar:
    """One 15-minute event at each task's due time, with a link to the task page."""
    now = timezone.now()
    host = request.get_host()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Homework//Pupil planner//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Homework: {pupil.first_name}")
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for assignment in assignments:
        homework = assignment.homework
        url = request.build_absolute_uri(reverse("planner_task", args=[assignment.pk]))
        event = icalendar.Event()
        event.add("uid", f"homework-assignment-{assignment.pk}@{host}")
        event.add("dtstamp", now)
        event.add("last-modified", homework.updated_at)
        event.add("dtstart", assignment.due_at)
        event.add("dtend", assignment.due_at + timedelta(minutes=15))
        event.add("summary", f"{homework.teaching_group.subject.name}: {homework.title}")
        event.add(
            "description",
            f"Estimated time: {homework.estimated_minutes} minutes\n"
            f"{homework.get_submission_mode_display()}\n"
            f"Status: {assignment.get_status_display()}\n"
            f"Task: {url}",
        )
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar
