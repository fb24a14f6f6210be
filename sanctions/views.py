"""Recording missed deadlines from a homework's register (one POST for the whole class),
and undoing or excusing one miss after a confirmation page that asks why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from homework import selectors as homework_selectors
from school.exports import csv_response

from . import dashboard, scheduling, selectors, services
from .forms import (
    REGISTER_MARKS,
    DetentionSessionForm,
    MissChangeForm,
    MissRecordForm,
    register_marks,
)
from .models import DetentionBooking, Miss


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


@login_required
def record_misses(request, homework_id):
    """Only the class's teachers may record: anyone else gets 404; the teachers get 405
    for a GET."""
    homework = get_object_or_404(
        homework_selectors.homework_for_register(request.user), pk=homework_id
    )
    if not homework.viewer_teaches:
        raise Http404("Only the teachers of this class can record missed deadlines.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = redirect("homework_register", homework.pk)
    form = MissRecordForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing was recorded. {' '.join(form.errors['reason'])}")
        return back
    ids = form.ticked_ids(request.POST)
    if not ids:
        messages.warning(request, "Tick the pupils who missed the deadline, then press the button.")
        return back
    assignments = selectors.assignments_missable(homework, ids, now=timezone.now())
    try:
        misses = services.miss_record(
            recorder=request.user, assignments=assignments, reason=form.cleaned_data["reason"]
        )
    except services.SanctionError as error:
        messages.error(request, str(error))
        return back
    if not misses:
        messages.info(
            request,
            "Nothing was recorded: the pupils ticked have handed in or are already recorded.",
        )
        return back
    text = f"Recorded {_count(len(misses), 'missed deadline')}."
    sanctioned = selectors.pupils_with_new_sanctions(misses)
    if sanctioned:
        verb = "has" if sanctioned == 1 else "have"
        text += f" {_count(sanctioned, 'pupil')} now {verb} a detention to schedule."
    messages.success(request, text)
    return back


def _back_url(miss: Miss) -> str:
    """The register for the class's teachers, the pupil's page for their tutor and year."""
    if miss.viewer_teaches:
        return reverse("homework_register", args=[miss.assignment.homework_id])
    return reverse("pupil_detail", args=[miss.pupil_id])


def _change(request, miss_id, *, misses, change, page):
    """GET: the confirmation page asking why; POST: the change, or the page again with
    the error (an empty reason, or what the rules refuse) and nothing changed."""
    miss = get_object_or_404(misses, pk=miss_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    form = MissChangeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            change(actor=request.user, miss=miss, reason=form.cleaned_data["reason"])
        except services.SanctionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{page['done']}: {miss.pupil.full_name}, {miss.assignment.homework.title}.",
            )
            return redirect(_back_url(miss))
    context = {
        "miss": miss,
        "homework": miss.assignment.homework,
        "form": form,
        "back_url": _back_url(miss),
        "cancels_sanction": miss.sanction is not None and not miss.sanction.is_served,
    }
    return render(request, "sanctions/miss_change.html", context | page)


@login_required
def void_miss(request, miss_id):
    """Undo a miss recorded in error: for the class's teachers, the pupil's tutor and
    head of year."""
    return _change(
        request,
        miss_id,
        misses=selectors.misses_voidable_by(request.user),
        change=services.miss_void,
        page={
            "title": "Undo a missed deadline",
            "intro": "Undo this missed deadline if it was recorded in error: it no longer "
            "counts, and the homework is open again for the pupil.",
            "button": "Undo the missed deadline",
            "action": reverse("sanctions_miss_void", args=[miss_id]),
            "done": "Undone",
        },
    )


@login_required
def excuse_miss(request, miss_id):
    """Excuse a miss for extenuating circumstances: for the pupil's tutor, head of year
    and senior leaders, never a subject teacher as such."""
    return _change(
        request,
        miss_id,
        misses=selectors.misses_excusable_by(request.user),
        change=services.miss_excuse,
        page={
            "title": "Excuse a missed deadline",
            "intro": "Excuse this missed deadline for extenuating circumstances: it stays "
            "on record as excused and no longer counts towards a detention.",
            "button": "Excuse the missed deadline",
            "action": reverse("sanctions_miss_excuse", args=[miss_id]),
            "done": "Excused",
        },
    )


# The head of year / head of house dashboard and the pupil timeline (reads in
# sanctions/dashboard.py).


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


# Detentions ------------------------------------------------------------------------------


def _detention_viewer_or_404(user) -> None:
    if not selectors.detention_viewer(user):
        raise Http404("Only heads of year and house, senior leaders and supervisors.")


@login_required
def sanctions_detentions(request):
    """Upcoming sessions, the form to add one or a weekly series (heads of year and senior
    leaders), and the flagged pupils' bookings waiting for a check."""
    _detention_viewer_or_404(request.user)
    may_create = selectors.detention_creator(request.user)
    form = None
    if may_create:
        form = DetentionSessionForm(
            request.POST if request.method == "POST" else None,
            school_id=request.user.school_id,
        )
    elif request.method == "POST":
        raise Http404("Only heads of year and senior leaders can add sessions.")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        details = {
            "school": request.user.school,
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "room": data["room"],
            "supervisor": data["supervisor"],
            "capacity": data["capacity"],
            "created_by": request.user,
        }
        try:
            if data["kind"] == "series":
                sessions = scheduling.detention_series_create(
                    start_date=data["date"],
                    end_date=data["end_date"],
                    weekdays=data["weekdays"],
                    **details,
                )
            else:
                sessions = [scheduling.detention_session_create(date=data["date"], **details)]
        except scheduling.SchedulingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added {_count(len(sessions), 'detention session')}.")
            return redirect("sanctions_detentions")
    sessions = selectors.detention_sessions_visible_to(request.user).filter(
        date__gte=timezone.localdate()
    )[:100]
    return render(
        request,
        "sanctions/detention_list.html",
        {
            "sessions": sessions,
            "form": form,
            "to_check": list(selectors.bookings_to_check(request.user)),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def sanctions_booking_confirm(request, booking_id):
    """POST: the flagged pupil can attend, so the booking stands and parents are told."""
    booking = get_object_or_404(selectors.bookings_to_check(request.user), pk=booking_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        scheduling.detention_booking_confirm(booking=booking, actor=request.user)
    except scheduling.SchedulingError as error:
        messages.error(request, str(error))
    else:
        pupil = booking.sanction.pupil
        messages.success(request, f"Confirmed: {pupil.full_name}, {booking.session.date:%d/%m/%Y}.")
    return redirect("sanctions_detentions")


def _register(request, session, *, errors=None, status=200):
    bookings = selectors.register_bookings(session)
    posted = request.POST if request.method == "POST" else {}
    rows = [
        {
            "booking": booking,
            "pupil": booking.sanction.pupil,
            "markable": booking.status in MARKABLE,
            "mark": posted.get(f"mark_{booking.pk}", booking.status),
            "notes": posted.get(f"notes_{booking.pk}", booking.notes),
            "error": (errors or {}).get(booking.pk),
        }
        for booking in bookings
    ]
    return render(
        request,
        "sanctions/detention_session.html",
        {"session": session, "rows": rows, "marks": REGISTER_MARKS, "has_errors": bool(errors)},
        status=status,
    )


MARKABLE = {
    DetentionBooking.Status.BOOKED,
    DetentionBooking.Status.ATTENDED,
    DetentionBooking.Status.ABSENT_AUTHORISED,
    DetentionBooking.Status.ABSENT_UNAUTHORISED,
}


@login_required
def sanctions_detention_session(request, session_id):
    """The printable register of one session."""
    session = get_object_or_404(
        selectors.detention_sessions_visible_to(request.user), pk=session_id
    )
    return _register(request, session)


@login_required
def sanctions_detention_register(request, session_id):
    """POST: the whole register at once. A bad mark or overlong notes re-render the page
    with the errors and save nothing."""
    session = get_object_or_404(
        selectors.detention_sessions_visible_to(request.user), pk=session_id
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    markable = [b for b in selectors.register_bookings(session) if b.status in MARKABLE]
    marks, errors = register_marks(request.POST, markable)
    if errors:
        return _register(request, session, errors=errors, status=400)
    if not marks:
        messages.warning(request, "Mark each pupil, then save the register.")
        return redirect("sanctions_detention_session", session.pk)
    outcome = scheduling.detention_register_save(session=session, marks=marks, actor=request.user)
    text = "Register saved."
    if outcome["to_rebook"]:
        text += (
            f" {_count(outcome['to_rebook'], 'pupil')} absent with a reason could not be "
            "rebooked: no later session has room yet."
        )
    messages.success(request, text)
    return redirect("sanctions_detention_session", session.pk)
