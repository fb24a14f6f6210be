"""The new academic year's wizard, for the school admins of the school (anyone else: 404):
1 the calendar, 2 who moves where, 3 the dry run and the confirmation. The answers of
steps 1 and 2 wait in the session (for this school and this year only) until the admin
confirms; nothing is written before then."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from school import panels

from .forms import (
    CalendarForm,
    ChoicesForm,
    choices_from_session,
    choices_to_session,
    new_year_from_session,
    new_year_to_session,
)
from .navigation import NEW_YEAR_NEXT_STEPS
from .selectors import may_start_new_year, next_year_defaults, rolled_over_into, year_to_roll_over
from .services import RolloverError, rollover_apply, rollover_plan

SESSION_KEY = "mis_new_year"
STEPS = ["The new year's calendar", "Who moves where", "Check and start"]


def _year(request):
    """The year the wizard starts the next one from; 404 for anyone but a school admin."""
    if not may_start_new_year(request.user):
        raise Http404("Only the school's admins start the new academic year.")
    return year_to_roll_over(request.user.school_id, timezone.localdate())


def _saved(request, year) -> dict:
    saved = request.session.get(SESSION_KEY) or {}
    if saved.get("school") != request.user.school_id or saved.get("year") != year.pk:
        return {}
    return saved


def _save(request, year, **answers) -> None:
    saved = _saved(request, year) or {"school": request.user.school_id, "year": year.pk}
    saved.update(answers)
    request.session[SESSION_KEY] = saved


def _page(request, template, year, step, **context):
    return render(
        request,
        f"mis/rollover/{template}.html",
        {"year": year, "step": step, "steps": STEPS, **context},
    )


def _finished(request, year):
    """The page of a year already rolled over: what happened and what to do next."""
    new_year = rolled_over_into(year)
    return _page(
        request,
        "done",
        year,
        0,
        new_year=new_year,
        next_steps=panels.links_for(NEW_YEAR_NEXT_STEPS, user=request.user),
    )


def _start_first(request, year, step):
    """A step opened before the one it follows was answered (or after the session ended)."""
    return _page(request, "start_first", year, step, first=STEPS[step - 1])


@login_required
def new_year_calendar(request):
    """Step 1: the next year's dates, half-terms and days off, pre-filled from this year."""
    year = _year(request)
    if year is None:
        return _page(request, "no_year", None, 0)
    if year.rolled_over_at is not None:
        return _finished(request, year)
    saved = _saved(request, year)
    try:
        start_from = new_year_from_session(saved["calendar"]) if "calendar" in saved else None
    except ValidationError:
        start_from = None
    initial = CalendarForm.initial_for(start_from or next_year_defaults(year))
    form = CalendarForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        _save(request, year, calendar=new_year_to_session(form.new_year()))
        return redirect("mis_new_year_choices")
    return _page(request, "calendar", year, 1, form=form)


def _saved_year(request, year, *names):
    saved = _saved(request, year)
    try:
        return [
            new_year_from_session(saved["calendar"])
            if name == "calendar"
            else choices_from_session(saved["choices"])
            for name in names
        ]
    except (KeyError, ValidationError):
        return None


@login_required
def new_year_choices(request):
    """Step 2: which years leave, and whether this year's classes are copied."""
    year = _year(request)
    if year is None:
        return _page(request, "no_year", None, 0)
    if year.rolled_over_at is not None:
        return redirect("mis_new_year")
    answers = _saved_year(request, year, "calendar")
    if answers is None:
        return _start_first(request, year, 1)
    saved = _saved(request, year)
    try:
        chosen = choices_from_session(saved["choices"]) if "choices" in saved else None
    except ValidationError:
        chosen = None
    form = ChoicesForm(request.POST or None, initial=ChoicesForm.initial_for(chosen))
    if request.method == "POST" and form.is_valid():
        _save(request, year, choices=choices_to_session(form.choices()))
        return redirect("mis_new_year_check")
    return _page(request, "choices", year, 2, form=form, new_year=answers[0])


@login_required
def new_year_check(request):
    """Step 3: the dry run (everything that will change, with counts); the confirmation
    applies it in one transaction."""
    year = _year(request)
    if year is None:
        return _page(request, "no_year", None, 0)
    if year.rolled_over_at is not None:
        return redirect("mis_new_year")
    if _saved_year(request, year, "calendar") is None:
        return _start_first(request, year, 1)
    answers = _saved_year(request, year, "calendar", "choices")
    if answers is None:
        return _start_first(request, year, 2)
    new_year, choices = answers
    school = request.user.school
    error = ""
    if request.method == "POST":
        try:
            done = rollover_apply(
                school=school,
                from_year=year,
                new_year=new_year,
                choices=choices,
                actor=request.user,
            )
        except RolloverError as refused:
            error = str(refused)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                f"{done.new_year.name} is ready: {done.pupils_moving} pupils moved up, "
                f"{done.pupils_leaving} leave on {done.new_year.start_date:%d/%m/%Y}, "
                f"{len(done.tutor_groups)} new tutor groups, {done.classes_archived} classes "
                f"of {year.name} archived.",
            )
            return redirect("mis_new_year")
    plan = rollover_plan(school=school, from_year=year, new_year=new_year, choices=choices)
    return _page(request, "check", year, 3, plan=plan, error=error)
