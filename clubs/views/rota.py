"""The staff rota: volunteering, gaps, hours against the target."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from school.calendar import half_term_for
from school.exports import csv_response

from ..forms.rota import RotaAssignForm
from ..selectors.rota import (
    ROTA_WEEKS,
    club_policy,
    clubs_led_by,
    is_club_leader,
    is_rota_staff,
    rota_gaps,
    rota_staff_of,
    rota_viewer,
    session_over,
    staff_minutes,
    upcoming_rota_sessions,
)
from ..services.rota import RotaError, rota_assign, rota_volunteer, rota_withdraw


def _viewer_or_404(user) -> None:
    if not rota_viewer(user):
        raise Http404("The rota is for teachers, learning support assistants and leaders.")


def _assign_form(user, today, data=None):
    local = timezone.localtime()
    return RotaAssignForm(
        data,
        sessions=upcoming_rota_sessions(user.school_id, today=today)
        .filter(club__in=clubs_led_by(user))
        .exclude(date=local.date(), end_time__lte=local.time())  # over: refused
        .prefetch_related(None),
        staff=rota_staff_of(user.school_id),
    )


def _page(request, *, form=None, error="", status=200):
    user = request.user
    today, now = timezone.localdate(), timezone.now()
    zone = timezone.get_current_timezone()  # as `today`: the school's, with no query
    sessions = list(upcoming_rota_sessions(user.school_id, today=today))
    leader = is_club_leader(user)
    led = set(clubs_led_by(user).values_list("pk", flat=True)) if leader else set()
    for session in sessions:
        session.on_rota = [slot.staff for slot in session.rota.all()]
        session.mine = any(person.pk == user.pk for person in session.on_rota)
        # A session over is offered to nobody: volunteering for it is refused.
        session.short = (
            0
            if session_over(session, now, zone)
            else max(session.staff_needed - len(session.on_rota), 0)
        )
        session.can_register = session.mine or session.club_id in led
    context = {
        "sessions": sessions,
        "today": today,
        "weeks": ROTA_WEEKS,
        "can_volunteer": is_rota_staff(user),
        "leader": leader,
        "error": error,
    }
    if leader:
        half_term = half_term_for(user.school_id, today)
        policy = club_policy(user.school_id)
        context.update(
            gaps=[session for session in rota_gaps(sessions, led) if session.short],
            half_term=half_term,
            target=policy.rota_target_minutes,
            minutes=staff_minutes(
                user.school_id, half_term, target=policy.rota_target_minutes, today=today
            )
            if half_term
            else [],
            form=form or _assign_form(user, today),
        )
    return render(request, "clubs/rota/rota.html", context, status=status)


def _minutes_csv(user):
    today = timezone.localdate()
    half_term = half_term_for(user.school_id, today)
    if half_term is None:
        raise Http404("The school has no half-terms yet.")
    target = club_policy(user.school_id).rota_target_minutes
    response, writer = csv_response(f"club-rota-minutes-{half_term.start_date:%Y-%m-%d}")
    writer.writerow(
        ["Member of staff", "Email", "Half-term", "Minutes", "Still to come", "Target", "Short by"]
    )
    for row in staff_minutes(user.school_id, half_term, target=target, today=today):
        writer.writerow(
            [
                row.staff.get_full_name() or row.staff.email,
                row.staff.email,
                str(half_term),
                row.minutes,
                row.to_come,
                row.target,
                row.short_by,
            ]
        )
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def clubs_rota(request):
    """The coming sessions with who is on (everyone on the rota volunteers here); for
    leaders the gaps, each person's minutes this half-term (CSV with ?format=csv) and, by
    POST, putting a member of staff on a session."""
    user = request.user
    _viewer_or_404(user)
    if request.method != "POST":
        if request.GET.get("format") == "csv":
            if not is_club_leader(user):
                raise Http404("The hours are for leaders.")
            return _minutes_csv(user)
        return _page(request)
    if not is_club_leader(user):
        raise Http404("Only leaders put staff on the rota.")
    form = _assign_form(user, timezone.localdate(), request.POST)
    if form.is_valid():
        session, staff = form.cleaned_data["session"], form.cleaned_data["staff"]
        try:
            rota_assign(session=session, staff=staff, actor=user)
        except RotaError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"{staff.get_full_name() or staff.email} is on the rota for {session.club.name} "
                f"on {session.date:%a %d/%m/%Y}.",
            )
            return redirect("clubs_rota")
    return _page(request, form=form, status=400)


def _own_session(user, session_id):
    return get_object_or_404(
        upcoming_rota_sessions(user.school_id, today=timezone.localdate()).prefetch_related(None),
        pk=session_id,
    )


@login_required
def clubs_rota_volunteer(request, session_id):
    """POST: put oneself on a coming session."""
    user = request.user
    if not is_rota_staff(user):
        raise Http404("Teachers and learning support assistants volunteer.")
    session = _own_session(user, session_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        rota_volunteer(session=session, staff=user)
    except RotaError as error:
        return _page(request, error=str(error), status=400)
    messages.success(
        request,
        f"Thank you: you are on the rota for {session.club.name} on "
        f"{session.date:%a %d/%m/%Y} at {session.start_time:%H:%M}.",
    )
    return redirect("clubs_rota")


@login_required
def clubs_rota_withdraw(request, session_id):
    """POST: take oneself off a session, before its day."""
    user = request.user
    if not is_rota_staff(user):
        raise Http404("Teachers and learning support assistants volunteer.")
    session = _own_session(user, session_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        rota_withdraw(session=session, staff=user)
    except RotaError as error:
        return _page(request, error=str(error), status=400)
    messages.success(
        request, f"You are off the rota for {session.club.name} on {session.date:%a %d/%m/%Y}."
    )
    return redirect("clubs_rota")
