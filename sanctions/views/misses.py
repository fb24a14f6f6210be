"""Recording missed deadlines from a homework's register (one POST for the whole class),
and undoing or excusing one miss after a confirmation page that asks why."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from homework.selectors.marking import homework_for_register

from ..forms import (
    ExtensionForm,
    MissChangeForm,
    MissRecordForm,
)
from ..models import Miss
from ..selectors.misses import (
    assignments_extendable_by,
    assignments_missable,
    misses_excusable_by,
    misses_voidable_by,
    pupils_with_new_sanctions,
)
from ..services import SanctionError
from ..services.misses import extension_grant, miss_excuse, miss_record, miss_void
from .common import count_of as _count


@login_required
def record_misses(request, homework_id):
    """Only the class's teachers may record: anyone else gets 404; the teachers get 405
    for a GET."""
    homework = get_object_or_404(homework_for_register(request.user), pk=homework_id)
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
    assignments = assignments_missable(homework, ids, now=timezone.now())
    try:
        misses = miss_record(
            recorder=request.user, assignments=assignments, reason=form.cleaned_data["reason"]
        )
    except SanctionError as error:
        messages.error(request, str(error))
        return back
    if not misses:
        messages.info(
            request,
            "Nothing was recorded: the pupils ticked have handed in or are already recorded.",
        )
        return back
    text = f"Recorded {_count(len(misses), 'missed deadline')}."
    sanctioned = pupils_with_new_sanctions(misses)
    if sanctioned:
        verb = "has" if sanctioned == 1 else "have"
        text += f" {_count(sanctioned, 'pupil')} now {verb} a detention (parents are told)."
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
        except SanctionError as error:
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
    return render(request, "sanctions/misses/change.html", context | page)


@login_required
def void_miss(request, miss_id):
    """Undo a miss recorded in error: for the class's teachers, the pupil's tutor and
    head of year."""
    return _change(
        request,
        miss_id,
        misses=misses_voidable_by(request.user),
        change=miss_void,
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
        misses=misses_excusable_by(request.user),
        change=miss_excuse,
        page={
            "title": "Excuse a missed deadline",
            "intro": "Excuse this missed deadline for extenuating circumstances: it stays "
            "on record as excused and no longer counts towards a detention.",
            "button": "Excuse the missed deadline",
            "action": reverse("sanctions_miss_excuse", args=[miss_id]),
            "done": "Excused",
        },
    )


@login_required
def extend_assignment(request, assignment_id):
    """Give one pupil a later deadline for one homework: for the class's teachers, the
    pupil's form tutor and head of year, and senior leaders; 404 for anyone else. GET: the
    form; POST: the extension, or the form again with the error and nothing changed."""
    assignment = get_object_or_404(assignments_extendable_by(request.user), pk=assignment_id)
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if assignment.viewer_teaches:
        back_url = reverse("homework_register", args=[assignment.homework_id])
    else:
        back_url = reverse("sanctions_pupil", args=[assignment.pupil_id])
    local_due = timezone.localtime(assignment.due_at)
    form = ExtensionForm(
        request.POST if request.method == "POST" else None,
        initial={"time": local_due.time().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            extension_grant(
                actor=request.user,
                assignment=assignment,
                due_at=form.due_at(),
                reason=form.cleaned_data["reason"],
            )
        except SanctionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Extension granted: {assignment.pupil.full_name} has until "
                f"{timezone.localtime(form.due_at()):%A %d/%m/%Y %H:%M} for "
                f"{assignment.homework.title}.",
            )
            return redirect(back_url)
    counted = assignment.misses.filter(status=Miss.Status.COUNTED).select_related("sanction")
    miss = counted.first()
    return render(
        request,
        "sanctions/misses/extension.html",
        {
            "assignment": assignment,
            "homework": assignment.homework,
            "form": form,
            "back_url": back_url,
            "miss": miss,
            "cancels_sanction": miss is not None
            and miss.sanction is not None
            and not miss.sanction.is_served,
        },
        status=400 if form.is_bound else 200,
    )
