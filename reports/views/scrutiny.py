"""Work scrutiny for leaders: the school's checklist, the rounds and each round's sample
(drawing it, drawing it again, closing the round). Reviews, the teacher's page and the
results are in scrutiny_reviews.py. Who may do what: reports/scrutiny/access.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from school.models import RoleAssignment, Subject, TeachingGroup, User

from ..forms.scrutiny import CriterionForm, DrawAgainForm, RoundForm
from ..models import ScrutinyCriterion
from ..scrutiny import ScrutinyError, access, selectors, services


def leader_or_404(request) -> None:
    if not access.is_leader(request.user):
        raise Http404(access.NOT_FOUND)


@login_required
@require_http_methods(["GET", "HEAD"])
def scrutiny_rounds(request):
    """The rounds this leader sees, with how far each has got."""
    leader_or_404(request)
    return render(
        request,
        "reports/scrutiny/rounds.html",
        {
            "rounds": selectors.rounds_for_list(request.user),
            "edits_checklist": access.edits_checklist(request.user),
            "sets_homework": access.sets_homework(request.user),
        },
    )


def _subjects_for(user) -> list[Subject]:
    subject_ids = access.led_subject_ids(user)
    subjects = Subject.objects.filter(school_id=user.school_id)
    if subject_ids is not None:
        subjects = subjects.filter(pk__in=subject_ids)
    return list(subjects.order_by("name"))


def _teachers_for(user) -> list[User]:
    """The school's teachers; for a subject leader, those who teach their departments."""
    teaching = RoleAssignment.objects.filter(
        school_id=user.school_id, role=RoleAssignment.Role.TEACHER
    ).values("user_id")
    teachers = User.objects.filter(school_id=user.school_id, pk__in=teaching)
    subject_ids = access.led_subject_ids(user)
    if subject_ids is not None:
        teachers = teachers.filter(
            pk__in=TeachingGroup.teachers.through.objects.filter(
                teachinggroup__school_id=user.school_id,
                teachinggroup__subject_id__in=subject_ids,
            ).values("user_id")
        )
    return list(teachers.order_by("last_name", "first_name", "email"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scrutiny_round_new(request):
    leader_or_404(request)
    user = request.user
    services.criteria_ensure(school_id=user.school_id)
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        subjects=_subjects_for(user),
        teachers=_teachers_for(user),
        subjects_required=access.led_subject_ids(user) is not None,
    )
    if request.method == "POST" and form.is_valid():
        round = services.round_create(
            school_id=user.school_id,
            created_by=user,
            details=form.details(),
            subject_ids=form.cleaned_data["subjects"],
            teacher_ids=form.cleaned_data["teachers"],
        )
        messages.success(request, f"Round “{round.title}” created: draw its sample next.")
        return redirect("scrutiny_round", round_id=round.pk)
    return render(request, "reports/scrutiny/round_new.html", {"form": form})


def _round_or_404(request, round_id: int):
    leader_or_404(request)
    return get_object_or_404(access.rounds_visible_to(request.user), pk=round_id)


def _round_page(request, round, *, draw_form=None, status=200):
    user = request.user
    subjects = list(round.subjects.order_by("name"))
    teachers = list(round.teachers.order_by("last_name", "first_name"))
    samples = selectors.samples_of(user, round)
    return render(
        request,
        "reports/scrutiny/round.html",
        {
            "round": round,
            "subjects": subjects,
            "teachers": teachers,
            "samples": samples,
            "reviewed": sum(1 for s in samples if hasattr(s, "review")),
            "may_run": access.may_run(user, round, [s.pk for s in subjects]),
            "only_mine": access.led_subject_ids(user) is not None,
            "draw_form": draw_form or DrawAgainForm(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def scrutiny_round(request, round_id: int):
    return _round_page(request, _round_or_404(request, round_id))


def _runnable_or_404(request, round_id: int):
    round = _round_or_404(request, round_id)
    subject_ids = list(round.subjects.values_list("pk", flat=True))
    if not access.may_run(request.user, round, subject_ids):
        raise Http404("Only the leaders of all the round's departments run it.")
    return round


@login_required
@require_POST
def scrutiny_round_draw(request, round_id: int):
    """Draws the sample; drawing it again (`again`) needs the box ticked."""
    round = _runnable_or_404(request, round_id)
    again = round.drawn_at is not None
    if again:
        form = DrawAgainForm(request.POST)
        if not form.is_valid():
            return _round_page(request, round, draw_form=form)
    try:
        drawn = services.round_draw(round=round, again=again)
    except ScrutinyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Sample drawn: {drawn} homework.")
    return redirect("scrutiny_round", round_id=round.pk)


@login_required
@require_POST
def scrutiny_round_close(request, round_id: int):
    round = _runnable_or_404(request, round_id)
    close = request.POST.get("action") != "reopen"
    services.round_close(round=round, close=close)
    messages.success(
        request,
        "Round closed: its reviews and replies are final."
        if close
        else "Round opened again: reviews and replies can be changed.",
    )
    return redirect("scrutiny_round", round_id=round.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scrutiny_checklist(request):
    """The school's checklist; senior leaders and admins add criteria to it."""
    leader_or_404(request)
    school_id = request.user.school_id
    services.criteria_ensure(school_id=school_id)
    may_edit = access.edits_checklist(request.user)
    form = CriterionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_edit:
            raise Http404("Senior leaders and school admins edit the checklist.")
        if form.is_valid():
            try:
                criterion = services.criterion_save(
                    school_id=school_id, criterion=None, **form.cleaned_data
                )
            except ScrutinyError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, f"“{criterion.name}” added to the checklist.")
                return redirect("scrutiny_checklist")
    return render(
        request,
        "reports/scrutiny/checklist.html",
        {"criteria": selectors.criteria_of(school_id), "form": form, "may_edit": may_edit},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def scrutiny_criterion(request, criterion_id: int):
    """Change or retire a criterion (senior leaders and admins)."""
    if not access.edits_checklist(request.user):
        raise Http404("Senior leaders and school admins edit the checklist.")
    criterion = get_object_or_404(
        ScrutinyCriterion, school_id=request.user.school_id, pk=criterion_id
    )
    if request.method == "POST":
        form = CriterionForm(request.POST)
        if form.is_valid():
            try:
                services.criterion_save(
                    school_id=request.user.school_id, criterion=criterion, **form.cleaned_data
                )
            except ScrutinyError as error:
                form.add_error("name", str(error))
            else:
                messages.success(request, f"“{criterion.name}” saved.")
                return redirect("scrutiny_checklist")
    else:
        form = CriterionForm(
            initial={
                "name": criterion.name,
                "guidance": criterion.guidance,
                "order": criterion.order,
                "is_active": criterion.is_active,
            }
        )
    return render(
        request, "reports/scrutiny/criterion.html", {"criterion": criterion, "form": form}
    )
