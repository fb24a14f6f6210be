"""Clubs, their sessions and pupils' bookings (and teachers' study sessions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render

from .. import selectors, services
from ..forms.sessions import CancelSessionForm, ClubForm, SessionsForm
from ..models import Booking, Club


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _clubs_user_or_404(user) -> None:
    if not selectors.clubs_user(user):
        raise Http404("The clubs pages are for staff and pupils.")


@login_required
def clubs_home(request):
    """Staff: the school's clubs and the next four weeks' sessions. Pupils: their
    bookings and the sessions open to them, each with its booking button."""
    _clubs_user_or_404(request.user)
    pupil = selectors.pupil_of(request.user)
    if pupil is not None:
        return render(
            request,
            "clubs/sessions/home_pupil.html",
            {
                "pupil": pupil,
                "bookings": selectors.pupil_bookings(pupil, request.user.school),
                "sessions": selectors.pupil_sessions(pupil, request.user),
                "visits": selectors.pupil_visits(pupil),
            },
        )
    return render(
        request,
        "clubs/sessions/home.html",
        {
            "clubs": selectors.clubs_for_page(request.user),
            "sessions": selectors.staff_sessions(request.user),
            "can_add": selectors.club_creator(request.user),
            "is_leader": selectors.club_leader(request.user),
            "sees_no_shows": selectors.no_shows_viewer(request.user),
        },
    )


@login_required
def clubs_club_add(request):
    """Leaders add a club of any kind; a teacher offers study sessions they lead."""
    if not selectors.club_creator(request.user):
        raise Http404("Only leaders add clubs and teachers offer study sessions.")
    study_only = not selectors.club_leader(request.user)
    form = ClubForm(
        request.POST if request.method == "POST" else None,
        school_id=request.user.school_id,
        study_only=study_only,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if study_only:
                club = services.study_sessions_offer(
                    teacher=request.user,
                    name=data["name"],
                    room=data["room"],
                    capacity=data["capacity"],
                    year_groups=data["year_groups"],
                    description=data["description"],
                )
            else:
                club = services.club_create(
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
        except services.ClubError as error:
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
    if not selectors.clubs_user(request.user) or selectors.pupil_of(request.user):
        raise Http404("The club page is for staff.")
    club = get_object_or_404(
        selectors.clubs_visible_to(request.user).select_related("leader"), pk=club_id
    )
    manages = selectors.club_manager(request.user, club)
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
    sessions = selectors.with_counts(selectors.upcoming(club.sessions.all(), request.user.school))[
        : selectors.UPCOMING_SHOWN
    ]
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
            return services.club_series_create(
                club=club,
                start_date=data["date"],
                end_date=data["end_date"],
                weekdays=data["weekdays"],
                **times,
            )
        return [services.club_session_create(club=club, date=data["date"], **times)]
    except services.ClubError as error:
        form.add_error(None, str(error))
        return None


@login_required
def clubs_session(request, session_id):
    """One session: staff see who is booked and who is on the rota; a pupil sees their
    own booking and can book or cancel."""
    _clubs_user_or_404(request.user)
    session = get_object_or_404(
        selectors.with_counts(selectors.sessions_visible_to(request.user)), pk=session_id
    )
    pupil = selectors.pupil_of(request.user)
    context = {
        "session": session,
        "started": services.session_started(session),
        "before_the_day": session.date > services.school_now(session.school).date(),
    }
    if pupil is not None:
        context["booking"] = selectors.own_booking(session, pupil)
        return render(request, "clubs/sessions/session_pupil.html", context)
    context.update(
        bookings=selectors.session_bookings(session),
        staff=selectors.session_staff(session),
        manages=selectors.club_manager(request.user, session.club),
        ended=services.session_ended(session),
    )
    return render(request, "clubs/sessions/session.html", context)


@login_required
def clubs_session_cancel(request, session_id):
    """Confirm, then cancel a session with a reason: booked pupils lose their place and
    their parents are told."""
    _clubs_user_or_404(request.user)
    session = get_object_or_404(
        selectors.with_counts(selectors.sessions_visible_to(request.user)), pk=session_id
    )
    if not selectors.club_manager(request.user, session.club):
        raise Http404("Only the club's leader and the school's leaders cancel sessions.")
    form = CancelSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.club_session_cancel(
                session=session, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.ClubError as error:
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
    pupil = selectors.pupil_of(request.user)
    if pupil is None:
        raise Http404("Pupils book their own places.")
    session = get_object_or_404(selectors.sessions_visible_to(request.user), pk=session_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    back = redirect("clubs_home") if request.POST.get("next") == "home" else None
    try:
        services.booking_create(session=session, pupil=pupil, booked_by=request.user)
    except services.ClubError as error:
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
    pupil = selectors.pupil_of(request.user)
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
        services.booking_cancel(booking=booking)
    except services.ClubError as error:
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
    if not selectors.no_shows_viewer(request.user):
        raise Http404("No-shows are for form tutors and leaders.")
    return render(
        request,
        "clubs/sessions/no_shows.html",
        {"no_shows": selectors.no_shows(request.user), "days": selectors.NO_SHOW_DAYS},
    )
