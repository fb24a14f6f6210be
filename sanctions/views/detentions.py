"""Detention sessions, the flagged pupils to check and the printable registers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .. import scheduling, selectors
from ..forms import (
    REGISTER_MARKS,
    DetentionSessionForm,
    register_marks,
)
from ..models import DetentionBooking
from .common import count_of as _count


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
