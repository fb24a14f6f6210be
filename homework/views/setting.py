"""Setting homework: the form (for several of the teacher's classes at once), its workload
panel, editing, setting a past homework again, setting a draft, deleting (or archiving),
and downloading attachments. Only the teachers of a class set or change its homework;
anyone else gets 404."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from school.exports import file_download
from school.params import parse_ids

from ..forms.setting import DEFAULT_DUE_TIME, HomeworkForm, WorkloadQuery
from ..models import Homework
from ..selectors import setting as selectors
from ..services import HomeworkError
from ..services import setting as services

SAVE_ACTIONS = {"set", "draft", "save"}


def _pupils(count: int) -> str:
    return f"{count} pupil{'' if count == 1 else 's'}"


def _joined(names: list[str]) -> str:
    """'7x/Ma1', '7x/Ma1 and 7x/Ma2', '7x/Ma1, 7x/Ma2 and 7x/Ma3'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _teacher_groups(user) -> list:
    """The classes the person teaches; 404 for anyone who teaches none."""
    groups = selectors.teaching_groups_for_setting(user)
    if not groups:
        raise Http404("Only teachers of a class set homework.")
    return groups


@login_required
def homework_new(request):
    groups = _teacher_groups(request.user)
    initial = {
        "set_on": timezone.localdate(),
        "due_time": DEFAULT_DUE_TIME,
        "teaching_groups": parse_ids(request.GET.getlist("teaching_groups")),
    }
    return _setting_page(request, groups=groups, initial=initial)


@login_required
def homework_copy(request, homework_id):
    """Set again: a past homework's form with today's set date and the due date as many
    days later as before, for any of the teacher's classes."""
    source = get_object_or_404(
        selectors.homework_taught_by(request.user).prefetch_related("attachments"),
        pk=homework_id,
    )
    groups = _teacher_groups(request.user)
    today = timezone.localdate()
    due = timezone.localtime(source.due_at)
    initial = HomeworkForm.initial_from(
        source,
        pupil_ids=None if source.whole_group else selectors.pupil_ids_given(source),
        alternative_ids=[pupil.pk for pupil in source.alternative_pupils.all()],
    )
    initial.update(
        set_on=today,
        due_on=today + timedelta(days=max((due.date() - source.set_on).days, 0)),
        teaching_groups=parse_ids(request.GET.getlist("teaching_groups"))
        or [source.teaching_group_id],
        keep_attachments=[attachment.pk for attachment in source.attachments.all()],
    )
    return _setting_page(request, groups=groups, initial=initial, source=source)


@login_required
def homework_edit(request, homework_id):
    homework = get_object_or_404(
        selectors.homework_taught_by(request.user)
        .exclude(status=Homework.Status.ARCHIVED)
        .prefetch_related("attachments"),
        pk=homework_id,
    )
    initial = HomeworkForm.initial_from(
        homework,
        pupil_ids=None if homework.whole_group else selectors.pupil_ids_given(homework),
        alternative_ids=[pupil.pk for pupil in homework.alternative_pupils.all()],
    )
    return _setting_page(request, groups=[], initial=initial, homework=homework)


def _setting_page(request, *, groups, initial, homework=None, source=None):
    user = request.user
    values = request.POST if request.method == "POST" else request.GET
    if homework:
        chosen = [homework.teaching_group]
    else:
        ticked = set(parse_ids(values.getlist("teaching_groups")))
        if request.method == "GET" and not request.htmx and "teaching_groups" not in values:
            ticked = set(initial["teaching_groups"])
        chosen = [group for group in groups if group.pk in ticked]
    pupil_groups = selectors.pupils_by_teaching_group(chosen)
    form_kwargs = {
        "school_id": user.school_id,
        "groups": groups,
        "pupils_by_group": pupil_groups,
        "homework": homework,
        "copy_from": source,
    }
    if request.htmx and request.GET.get("fragment") == "pupils":
        form = HomeworkForm(initial=initial, **form_kwargs)
        form.keep_posted_values(request.GET)
        return render(
            request,
            "homework/setting/pupils.html",
            {
                "form": form,
                "pupil_groups": pupil_groups,
                "swap_alternatives": True,
                "fragment_url": _form_url(homework, source),
            },
        )
    form_kwargs["units"] = selectors.units_for_teaching_groups(chosen if homework else groups)

    action = request.POST.get("action", "")
    workload = None
    if request.method == "POST" and action in SAVE_ACTIONS:
        form = HomeworkForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid() and not form.needs_confirmation:
            saved = _save(request, form, action=action, homework=homework, source=source)
            if saved:
                return saved
    else:
        form = HomeworkForm(initial=initial, **form_kwargs)
        if request.method == "POST":  # "Show pupils" or "Check workload"
            form.keep_posted_values(request.POST)
    if request.method == "POST":
        workload = _workload_context(user, _workload_query(request.POST, homework))
    context = {
        "form": form,
        "homework": homework,
        "source": source,
        "pupil_groups": pupil_groups,
        "workload": workload,
        "files_dropped": bool(request.FILES),
        "fragment_url": _form_url(homework, source),
    }
    return render(request, "homework/setting/form.html", context)


def _form_url(homework, source) -> str:
    if homework:
        return reverse("homework_edit", args=[homework.pk])
    if source:
        return reverse("homework_copy", args=[source.pk])
    return reverse("homework_new")


def _workload_query(values, homework) -> WorkloadQuery:
    if homework:
        query = WorkloadQuery.from_data(values, group_ids=[homework.teaching_group_id])
        query.homework_id = homework.pk
        return query
    return WorkloadQuery.from_data(values)


def _workload_context(user, query: WorkloadQuery) -> dict:
    if not (query.day and query.group_ids):
        return {"ready": False, "day_unreadable": query.day_unreadable}
    return {
        "ready": True,
        "panel": selectors.setting_workload(
            teacher=user,
            group_ids=query.group_ids,
            pupil_ids=query.pupil_ids,
            day=query.day,
            adding_minutes=query.minutes,
            exclude_homework_id=query.homework_id,
        ),
        "day_note": selectors.non_school_day_reason(school_id=user.school_id, day=query.day),
    }


def _save(request, form, *, action, homework, source):
    data = form.cleaned_data
    try:
        with transaction.atomic():
            if homework:
                services.homework_update(
                    homework=homework,
                    details=form.details(),
                    pupil_ids=data["pupil_ids"],
                    files=data["attachments"],
                    remove_attachment_ids=data.get("remove_attachments") or [],
                    new_unit_title=data["new_unit_title"],
                )
                if action == "set" and homework.status == Homework.Status.DRAFT:
                    services.homework_publish(homework=homework)
                homeworks = [homework]
            else:
                keep = set(data.get("keep_attachments") or [])
                homeworks = services.homework_set(
                    teacher=request.user,
                    teaching_groups=data["groups"],
                    details=form.details(),
                    pupil_ids=data["pupil_ids"],
                    files=data["attachments"],
                    as_draft=action == "draft",
                    copied_from=source,
                    new_unit_title=data["new_unit_title"],
                    copy_attachments=[a for a in source.attachments.all() if a.pk in keep]
                    if source
                    else (),
                )
    except HomeworkError as error:
        if homework:
            homework.refresh_from_db()  # the page shows the homework as it is saved
        form.add_error(None, str(error))
        return None
    classes = _joined([saved.teaching_group.name for saved in homeworks])
    pupils = _pupils(selectors.assignment_count(homeworks))
    if homeworks[0].status == Homework.Status.DRAFT:
        message = f"Draft saved for {classes} ({pupils}): pupils will see it once you set it."
    elif homework and action == "save":
        message = f"Homework updated for {classes} ({pupils})."
    else:
        message = f"Homework set for {classes} ({pupils})."
    messages.success(request, message)
    return redirect("homework_register", homeworks[0].pk)


@login_required
@require_safe
def homework_workload(request):
    """The workload panel for the form, as a fragment: only pupils of the teacher's own
    classes are counted, whatever the query string asks for."""
    _teacher_groups(request.user)
    query = WorkloadQuery.from_data(request.GET)
    if query.homework_id and not (
        selectors.homework_taught_by(request.user).filter(pk=query.homework_id).exists()
    ):
        query.homework_id = None
    context = {"workload": _workload_context(request.user, query)}
    return render(request, "homework/setting/workload.html", context)


@login_required
def homework_publish(request, homework_id):
    """Set a draft: a confirmation page, then the post that sets it."""
    homework = get_object_or_404(
        selectors.homework_taught_by(request.user).filter(status=Homework.Status.DRAFT),
        pk=homework_id,
    )
    if request.method == "POST":
        try:
            services.homework_publish(homework=homework)
        except HomeworkError as error:  # an archived class's draft
            messages.error(request, str(error))
            return redirect("homework_register", homework.pk)
        pupils = _pupils(selectors.assignment_count([homework]))
        messages.success(request, f"Homework set for {homework.teaching_group.name} ({pupils}).")
        return redirect("homework_register", homework.pk)
    context = {
        "homework": homework,
        "pupil_count": selectors.assignment_count([homework]),
        "due_passed": homework.due_at <= timezone.now(),
    }
    return render(request, "homework/setting/publish.html", context)


@login_required
def homework_delete(request, homework_id):
    """Delete a homework, or archive it when pupils have handed work in: a confirmation
    page saying which will happen, then the post that does it."""
    homework = get_object_or_404(
        selectors.homework_taught_by(request.user).exclude(status=Homework.Status.ARCHIVED),
        pk=homework_id,
    )
    if request.method == "POST":
        label = f"“{homework.title}” for {homework.teaching_group.name}"
        outcome = services.homework_delete(homework=homework)
        if outcome == "archived":
            messages.success(
                request, f"{label} was archived: the work handed in and marks stay on record."
            )
        else:
            messages.success(request, f"{label} was deleted.")
        return redirect("homework_home")
    context = {
        "homework": homework,
        "handed_in": selectors.handed_in_assignments(homework).count(),
        "pupil_count": selectors.assignment_count([homework]),
    }
    return render(request, "homework/setting/delete.html", context)


@login_required
@require_safe
def homework_attachment(request, attachment_id):
    """Download an attachment, always as a file to save (never shown in the browser)."""
    attachment = get_object_or_404(selectors.attachments_visible_to(request.user), pk=attachment_id)
    return file_download(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
