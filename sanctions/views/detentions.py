"""Detention sessions, the flagged pupils to check and the printable registers. The
internal exclusion pages (exclusions.py) are the same pages for the other session kind,
built from the helpers here."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from ..forms import (
    ACTIVITIES,
    REGISTER_MARKS,
    DetentionSessionForm,
    register_activities,
    register_marks,
)
from ..models import DetentionBooking, SessionKind
from ..selectors.detentions import (
    bookings_as_placed,
    bookings_to_check,
    check_list,
    detention_creator,
    detention_sessions_visible_to,
    detention_viewer,
    register_bookings,
    register_not_open_message,
    register_open,
    register_opens_at,
    sanctions_waiting,
    upcoming_session_rows,
)
from ..services.detentions import (
    RegisterOutcome,
    SchedulingError,
    detention_booking_confirm,
    detention_register_save,
    detention_series_create,
    detention_session_create,
)
from .common import count_of as _count

DETENTION, EXCLUSION = SessionKind.DETENTION, SessionKind.INTERNAL_EXCLUSION
SESSION_NOUN = {DETENTION: "detention session", EXCLUSION: "internal exclusion day"}
LIST_URL = {DETENTION: "sanctions_detentions", EXCLUSION: "sanctions_exclusions"}
SESSION_URL = {DETENTION: "sanctions_detention_session", EXCLUSION: "sanctions_exclusion_session"}
REGISTER_URL = {
    DETENTION: "sanctions_detention_register",
    EXCLUSION: "sanctions_exclusion_register",
}
UPCOMING_SHOWN = 100


def detention_viewer_or_404(user) -> None:
    if not detention_viewer(user):
        raise Http404("Only heads of year and house, senior leaders and supervisors.")


def upcoming_sessions(user, kind: str):
    return upcoming_session_rows(user, kind, url_name=SESSION_URL[kind], shown=UPCOMING_SHOWN)


def sessions_add(request, kind: str, *, initial=None):
    """The add form of a sessions page (None for those who may not add) and, when a POST
    added sessions, the redirect to answer with."""
    if not detention_creator(request.user):
        if request.method == "POST":
            raise Http404("Only heads of year and senior leaders can add sessions.")
        return None, None
    form = DetentionSessionForm(
        request.POST if request.method == "POST" else None,
        school_id=request.user.school_id,
        initial=initial,
    )
    if request.method != "POST" or not form.is_valid():
        return form, None
    data = form.cleaned_data
    details = {
        "school": request.user.school,
        "start_time": data["start_time"],
        "end_time": data["end_time"],
        "room": data["room"],
        "supervisor": data["supervisor"],
        "capacity": data["capacity"],
        "created_by": request.user,
        "kind": kind,
    }
    try:
        if data["what"] == "series":
            added = detention_series_create(
                start_date=data["date"],
                end_date=data["end_date"],
                weekdays=data["weekdays"],
                **details,
            )
        else:
            added = detention_session_create(date=data["date"], **details)
    except SchedulingError as error:
        form.add_error(None, str(error))
        return form, None
    text = f"Added {_count(len(added.sessions), SESSION_NOUN[kind])}."
    if added.booked:
        waiting = _count(added.booked, "waiting pupil")
        text += f" {waiting} {'was' if added.booked == 1 else 'were'} booked into them."
    messages.success(request, text)
    return form, redirect(LIST_URL[kind])


@login_required
def sanctions_detentions(request):
    """Upcoming sessions, the form to add one or a weekly series (heads of year and senior
    leaders), the flagged pupils' bookings waiting for a check and the detentions waiting
    for a session with room."""
    detention_viewer_or_404(request.user)
    form, added = sessions_add(request, DETENTION)
    if added is not None:
        return added
    return render(
        request,
        "sanctions/detentions/list.html",
        {
            "sessions": upcoming_sessions(request.user, DETENTION),
            "form": form,
            "to_check": check_list(request.user),
            "waiting": sanctions_waiting(request.user, DETENTION),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def sanctions_booking_confirm(request, booking_id):
    """POST: the flagged pupil can attend, so the booking stands and parents are told."""
    booking = get_object_or_404(bookings_to_check(request.user), pk=booking_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        detention_booking_confirm(booking=booking, actor=request.user)
    except SchedulingError as error:
        messages.error(request, str(error))
    else:
        pupil = booking.sanction.pupil
        messages.success(request, f"Confirmed: {pupil.full_name}, {booking.session.date:%d/%m/%Y}.")
    return redirect("sanctions_detentions")


MARKABLE = {
    DetentionBooking.Status.BOOKED,
    DetentionBooking.Status.ATTENDED,
    DetentionBooking.Status.ABSENT_AUTHORISED,
    DetentionBooking.Status.ABSENT_UNAUTHORISED,
}


def _register(request, session, *, errors=None, error="", status=200):
    # Each pupil in the groups they were in on the session's day (a rolled-over year).
    bookings = bookings_as_placed(register_bookings(session))
    is_open = register_open(session)
    posted = request.POST if request.method == "POST" and is_open else {}
    rows = [
        {
            "booking": booking,
            "pupil": booking.sanction.pupil,
            "markable": is_open and booking.status in MARKABLE,
            "mark": posted.get(f"mark_{booking.pk}", booking.status),
            "notes": posted.get(f"notes_{booking.pk}", booking.notes),
            "did": set(posted.getlist(f"did_{booking.pk}"))
            if posted
            else {
                value
                for value, done in (
                    ("restorative", booking.restorative_done),
                    ("homework", booking.homework_completed),
                )
                if done
            },
            "error": (errors or {}).get(booking.pk),
        }
        for booking in bookings
    ]
    return render(
        request,
        "sanctions/detentions/session.html",
        {
            "session": session,
            "rows": rows,
            "marks": REGISTER_MARKS,
            "activities": ACTIVITIES,
            "has_errors": bool(errors),
            "error": error,
            "is_open": is_open,
            "opens_at": register_opens_at(session),
            "list_url": LIST_URL[session.kind],
            "register_url": REGISTER_URL[session.kind],
        },
        status=status,
    )


def register_page(request, session_id, kind: str):
    """The printable register of one session of this kind (another kind's id: 404)."""
    session = get_object_or_404(detention_sessions_visible_to(request.user, kind), pk=session_id)
    return _register(request, session)


def register_save(request, session_id, kind: str):
    """POST: the whole register at once. A bad mark or overlong notes re-render the page
    with the errors and save nothing."""
    session = get_object_or_404(detention_sessions_visible_to(request.user, kind), pk=session_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not register_open(session):
        not_open = register_not_open_message(session)
        return _register(request, session, error=not_open, status=400)
    markable = [b for b in register_bookings(session) if b.status in MARKABLE]
    marks, errors = register_marks(request.POST, markable)
    if errors:
        return _register(request, session, errors=errors, status=400)
    if not marks:
        messages.warning(request, "Mark each pupil, then save the register.")
        return redirect(SESSION_URL[kind], session.pk)
    try:
        outcome = detention_register_save(
            session=session,
            marks=marks,
            activities=register_activities(request.POST, markable),
            actor=request.user,
        )
    except SchedulingError as error:
        return _register(request, session, error=str(error), status=400)
    messages.success(request, _register_message(outcome, kind))
    return redirect(SESSION_URL[kind], session.pk)


def _register_message(outcome: RegisterOutcome, kind: str) -> str:
    text = ["Register saved."]
    if outcome.to_rebook:
        text.append(
            f"{_count(outcome.to_rebook, 'pupil')} absent with a reason could not be "
            f"rebooked: no later {SESSION_NOUN[kind]} has room yet."
        )
    if outcome.excluded_on:
        n = len(outcome.excluded_on)
        text.append(
            f"{_count(n, 'pupil')} absent without a reason {'is' if n == 1 else 'are'} booked "
            f"into internal exclusion on {_days(outcome.excluded_on)}; parents are told."
        )
    if outcome.to_exclude:
        n = outcome.to_exclude
        text.append(
            f"{_count(n, 'pupil')} absent without a reason {'is' if n == 1 else 'are'} "
            "waiting for internal exclusion: no day has room yet, and the head of year sees "
            f"{'them' if n > 1 else 'the pupil'} on the waiting list."
        )
    if kind == EXCLUSION and outcome.absent_unauthorised:
        n = outcome.absent_unauthorised
        text.append(
            f"{_count(n, 'pupil')} absent without a reason: recorded for the head of year "
            "to follow up."
        )
    return " ".join(text)


def _days(dates: list[datetime.date]) -> str:
    days = [f"{day:%a %d/%m}" for day in sorted(set(dates))]
    return days[0] if len(days) == 1 else f"{', '.join(days[:-1])} and {days[-1]}"


@login_required
def sanctions_detention_session(request, session_id):
    """The printable register of one detention session."""
    return register_page(request, session_id, DETENTION)


@login_required
def sanctions_detention_register(request, session_id):
    """POST: a detention session's register."""
    return register_save(request, session_id, DETENTION)
