"""Clubs, their sessions and pupils' bookings (and teachers' study sessions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from ..forms.sessions import CancelSessionForm, ClubForm, SessionsForm
from ..models import Booking, Club
from ..selectors.sessions import (
    NO_SHOW_DAYS,
    UPCOMING_SHOWN,
    club_creator,
    club_leader,
    club_manager,
    clubs_for_page,
    clubs_user,
    clubs_visible_to,
    no_shows,
    no_shows_viewer,
    own_booking,
    pupil_bookings,
    pupil_of,
    pupil_sessions,
    pupil_visits,
    school_now,
    session_bookings,
    session_ended,
    session_staff,
    session_started,
    sessions_visible_to,
    staff_sessions,
    upcoming,
    with_counts,
)
from ..services import ClubError
from ..services.sessions import (
    booking_cancel,
    booking_create,
    club_create,
    club_series_create,
    club_session_cancel,
    club_session_create,
    study_sessions_offer,
)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _clubs_user_or_404(user) -> None:
    if not clubs_user(user):
        raise Http404("The clubs pages are for staff and pupils.")


@login_required
def clubs_home(request):
    """Staff: the school's clubs and the next four weeks' sessions. Pupils: their
    bookings and the sessions open to them, each with its booking button."""
    _clubs_user_or_404(request.user)
    pupil = pupil_of(request.user)
    if pupil is not None:
        return render(
            request,
            "clubs/sessions/home_pupil.html",
            {
                "pupil": pupil,
                "bookings": pupil_bookings(pupil, request.user.school),
                "sessions": pupil_sessions(pupil, request.user),
                "visits": pupil_visits(pupil),
            },
        )
    return render(
        request,
        "clubs/sessions/home.html",
        {
            "clubs": clubs_for_page(request.user),
            "sessions": staff_sessions(request.user),
            "can_add": club_creator(request.user),
            "is_leader": club_leader(request.user),
            "sees_no_shows": no_shows_viewer(request.user),
        },
    )


@login_required
def clubs_club_add(request):
    """Leaders add a club of any kind; a teacher offers study sessions they lead."""
    if not club_creator(request.user):
        raise Http404("Only leaders add clubs and teachers offer study sessions.")
    study_only = not club_leader(request.user)
    form = ClubForm(
        request.POST if request.method == "POST" else None,
        school_id=request.user.school_id,
        study_only=study_only,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if study_only:
                club = study_sessions_offer(
                    teacher=request.user,
                    name=data["name"],
                    room=data["room"],
                    capacity=data["capacity"],
                    year_groups=data["year_groups"],
                    description=data["description"],
                )
            else:
                club = club_create(
                    school=request.user.school,
                    name=data["name"],
                    kind=data["kind"],
                    room=data["room"],
                    capacity=data["capacity"],
                    staff_needed=data["staff_needed"],
                    year_groups=data["year_groups"],
                    leader=data["leader"],
                    description=data["description"],
                )
        except ClubError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Added {club.name}. Now add its sessions.")
            return redirect("clubs_club", club.pk)
    return render(
        request,
        "clubs/sessions/club_form.html",
        {"form": form, "study_only": study_only},
        status=400 if form.is_bound else 200,
    )


@login_required
def clubs_club(request, club_id):
    """One club: its details, its upcoming sessions and, for its leader and the
    school's leaders, the form adding one session or a weekly series."""
    if not clubs_user(request.user) or pupil_of(request.user):
        raise Http404("The club page is for staff.")
    club = get_object_or_404(clubs_visible_to(request.user).select_related("leader"), pk=club_id)
    manages = club_manager(request.user, club)
    if request.method == "POST" and not manages:
        raise Http404("Only the club's leader and the school's leaders add sessions.")
    form = None
    if manages:
        form = SessionsForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            added = _sessions_add(club, form)
            if added is not None:
                messages.success(request, f"Added {_count(len(added), 'session')}.")
                return redirect("clubs_club", club.pk)
    sessions = with_counts(upcoming(club.sessions.all(), request.user.school))[:UPCOMING_SHOWN]
    return render(
        request,
        "clubs/sessions/club.html",
        {
            "club": club,
            "year_groups": list(club.year_groups.all()),
            "sessions": list(sessions),
            "form": form,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


def _sessions_add(club: Club, form: SessionsForm):
    data = form.cleaned_data
    times = {"start_time": data["start_time"], "end_time": data["end_time"]}
    try:
        if data["what"] == "series":
            return club_series_create(
                club=club,
                start_date=data["date"],
                end_date=data["end_date"],
                weekdays=data["weekdays"],
                **times,
            )
        return [club_session_create(club=club, date=data["date"], **times)]
    except ClubError as error:
        form.add_error(None, str(error))
        return None


@login_required
def clubs_session(request, session_id):
    """One session: staff see who is booked and who is on the rota; a pupil sees their
    own booking and can book or cancel."""
    _clubs_user_or_404(request.user)
    session = get_object_or_404(with_counts(sessions_visible_to(request.user)), pk=session_id)
    pupil = pupil_of(request.user)
    context = {
        "session": session,
        "started": session_started(session),
        "before_the_day": session.date > school_now(session.school).date(),
    }
    if pupil is not None:
        context["booking"] = own_booking(session, pupil)
        return render(request, "clubs/sessions/session_pupil.html", context)
    context.update(
        bookings=session_bookings(session),
        staff=session_staff(session),
        manages=club_manager(request.user, session.club),
        ended=session_ended(session),
    )
    return render(request, "clubs/sessions/session.html", context)


@login_required
def clubs_session_cancel(request, session_id):
    """Confirm, then cancel a session with a reason: booked pupils lose their place and
    their parents are told."""
    _clubs_user_or_404(request.user)
    session = get_object_or_404(with_counts(sessions_visible_to(request.user)), pk=session_id)
    if not club_manager(request.user, session.club):
        raise Http404("Only the club's leader and the school's leaders cancel sessions.")
    form = CancelSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            told = club_session_cancel(
                session=session, reason=form.cleaned_data["reason"], actor=request.user
            )
        except ClubError as error:
            form.add_error(None, str(error))
        else:
            text = f"Cancelled {session.club.name} on {session.date:%d/%m/%Y}."
            if told:
                text += f" {_count(told, 'booked pupil')}: their parents are told."
            messages.success(request, text)
            return redirect("clubs_session", session.pk)
    return render(
        request,
        "clubs/sessions/session_cancel.html",
        {"session": session, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def clubs_book(request, session_id):
    """POST: the pupil books a place for themselves (nobody else's id is read)."""
    pupil = pupil_of(request.user)
    if pupil is None:
        raise Http404("Pupils book their own places.")
    session = get_object_or_404(sessions_visible_to(request.user), pk=session_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = redirect("clubs_home") if request.POST.get("next") == "home" else None
    try:
        booking_create(session=session, pupil=pupil, booked_by=request.user)
    except ClubError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Booked: {session.club.name}, {session.date:%a %d/%m} "
            f"{session.start_time:%H:%M}, {session.room}.",
        )
    return back or redirect("clubs_session", session.pk)


@login_required
def clubs_booking_cancel(request, booking_id):
    """POST: the pupil gives back their own place, until the day before."""
    pupil = pupil_of(request.user)
    if pupil is None:
        raise Http404("Pupils cancel their own bookings.")
    booking = get_object_or_404(
        Booking.objects.filter(pupil=pupil, school_id=pupil.school_id).select_related(
            "session__club"
        ),
        pk=booking_id,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        booking_cancel(booking=booking)
    except ClubError as error:
        messages.error(request, str(error))
    else:
        session = booking.session
        messages.success(
            request, f"Cancelled your place: {session.club.name}, {session.date:%a %d/%m}."
        )
    return redirect("clubs_home")


@login_required
def clubs_no_shows(request):
    """Form tutors: their tutees booked into sessions of the last four weeks who did not
    come (heads of year see their year, leaders the school)."""
    if not no_shows_viewer(request.user):
        raise Http404("No-shows are for form tutors and leaders.")
    return render(
        request,
        "clubs/sessions/no_shows.html",
        {"no_shows": no_shows(request.user), "days": NO_SHOW_DAYS},
    )
