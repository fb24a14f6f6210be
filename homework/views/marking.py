"""Marking: a teacher's homework and marking queue, and the register of one homework, where
the class's teachers record work handed in on paper, marks and feedback, and return marked
work. Staff who may see the class (subject leader, head of year, senior leaders) may read
the register; only its teachers may change it."""

from functools import wraps
from html import escape as html_escape
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from school.exports import csv_response
from school.params import parse_id

from ..forms.marking import EarlierHomeworkForm, MarkForm, OpeningRow, unbound_earlier_search
from ..models import Homework
from ..register_actions import register_parts_for
from ..selectors import marking as selectors
from ..services import HomeworkError
from ..services import marking as services


def _pupils(count: int) -> str:
    return f"{count} pupil{'' if count == 1 else 's'}"


@login_required
def homework_home(request):
    """What the teacher has to mark, drafts, and what is set this half-term; earlier
    homework (searched, paged) only when asked for (`?earlier=1`)."""
    groups = selectors.taught_groups(request.user)
    if not groups:
        raise Http404("This page is for teachers of a class.")
    page = selectors.homework_home_for(request.user, groups)
    shows_earlier = "earlier" in request.GET
    form = EarlierHomeworkForm(request.GET if shows_earlier else None)
    earlier = None
    if shows_earlier and form.is_valid():
        number = parse_id(request.GET.get("page", "")) or 1
        earlier = selectors.earlier_homework_for(
            request.user,
            groups,
            since=page.since,
            query=form.query,
            waiting=form.cleaned_data["waiting"],
            page=min(number, selectors.EARLIER_PAGES_MAX),
        )
    context = {
        "page": page,
        "earlier_form": form,
        "earlier_form_html": "" if form.is_bound else unbound_earlier_search(),
        "earlier": earlier,
        "earlier_page_size": selectors.EARLIER_PAGE_SIZE,
    }
    if earlier:
        context["earlier_query"] = _earlier_query(form)
    return render(request, "homework/marking/home.html", context)


def _earlier_query(form) -> str:
    """The search's query string, for the links to the next and previous pages."""
    params = {"earlier": "1", "q": form.query}
    if form.cleaned_data["waiting"]:
        params["waiting"] = "on"
    return urlencode(params)


def _register_homework(user, homework_id) -> Homework:
    homework = selectors.register_homework(user, homework_id)
    if homework is None:
        raise Http404("No homework of a class you may see has this id.")
    return homework


@login_required
def homework_register(request, homework_id):
    homework = _register_homework(request.user, homework_id)
    register = selectors.register_for(homework)
    if request.GET.get("format") == "csv":
        return _register_csv(register)
    return _render_register(request, register)


def _render_register(request, register, mark_forms=None):
    can_mark = register.homework.viewer_teaches and (
        register.homework.status != Homework.Status.DRAFT
    )
    if can_mark and mark_forms is None:
        # as the register opens: MarkForm's cells without a form a pupil
        mark_forms = [OpeningRow(row) for row in register.rows]
    forms = mark_forms or [None] * len(register.rows)
    # What apps above homework add to the rows and below the table, by registration.
    parts = register_parts_for(
        register=register, user=request.user, can_mark=can_mark, request=request
    )
    rows = []
    for row, form in zip(register.rows, forms, strict=True):
        added = parts.for_row(row)
        rows.append((row, form, added, _row_html(row, form, added, can_mark)))
    context = {
        "register": register,
        "homework": register.homework,
        "rows": rows,
        "invalid_rows": [(row, form) for row, form, _, _ in rows if form and form.errors],
        "can_mark": can_mark,
        "parts": parts,
        # the paper tick boxes (for those who mark), 7 of homework's own, and the added ones
        "column_count": int(can_mark) + 7 + len(parts.columns),
    }
    return render(request, "homework/marking/register.html", context)


def escape(value) -> str:
    """What the templates' autoescape writes for a value (a safe string as it is)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html_escape(str(value))


def _row_html(row, form, added, can_mark: bool) -> str | None:
    """A pupil's row of the register, written once here rather than by some thirty tags
    of the template a pupil (the template's `pupils_table` writes the same markup but for
    whitespace, and does when a part of the row has a template of its own: None)."""
    if any(shown["template"] for place in added.values() for shown in place):
        return None
    pk, pupil = row.pk, row.pupil
    cells = [f'<tr id="pupil-{pk}">']
    if can_mark:
        if row.status == "set":
            cells.append(
                f'<td class="no-print" data-label="Handed in on paper"><input type="checkbox"'
                f' class="form-check-input" name="paper" value="{pk}" id="paper-{pk}"'
                f' form="paper-form"><label class="visually-hidden" for="paper-{pk}">'
                f"{escape(pupil.full_name)} handed in on paper</label></td>"
            )
        else:
            cells.append('<td class="no-print"></td>')
    name = f'<th scope="row">{escape(pupil.last_name)}, {escape(pupil.first_name)}'
    if row.has_left:
        name += f' <span class="badge text-bg-light border">Left {row.left_on_label}</span>'
    if row.uses_alternative:
        name += ' <span class="badge text-bg-info">Alternative version</span>'
    for shown in added["pupil"]:
        if shown["item"]:
            name += f" {shown['item']}"
    cells.append(name + "</th>")
    status = f'<td data-label="Status"><span class="badge {row.status_tone}">'
    status += f"{escape(row.status_label)}</span>"
    if row.returned_on:
        status += f' <br> <span class="small">Returned {row.returned_on}</span>'
    cells.append(status + "</td>")
    late = ' <span class="badge text-bg-warning">Late</span>' if row.shows_late else ""
    cells.append(f'<td data-label="Handed in">{escape(row.handed_in_at or "—")}{late}</td>')
    work = ""
    if row.submission_text:
        work = (
            "<details> <summary>Answer</summary> <div"
            f' class="small">{linebreaksbr(row.submission_text)}</div> </details>'
        )
    for address, file_name in row.file_links:
        work += f' <a class="d-block small" href="{escape(address)}">{escape(file_name)}</a>'
    if not row.submission_text and not row.file_links:
        work = "—"
    cells.append(f'<td data-label="Work">{work}</td>')
    assessment = f"Confidence {row.confidence}/5" if row.confidence else ""
    if row.reflection:
        assessment += f' <p class="small mb-0">{escape(row.reflection)}</p>'
    if not row.confidence and not row.reflection:
        assessment = "—"
    cells.append(f'<td data-label="Self-assessment">{assessment}</td>')
    for cell in added["column"]:
        wide = ' class="table-cards-wide"' if cell["wide"] else ""
        cells.append(f'<td{wide} data-label="{escape(cell["heading"])}">{cell["item"] or ""}</td>')
    if form:
        cells.append(
            f'<td data-label="Mark or grade"><div class="d-print-none">{form.mark_cell}</div>'
            f' <span class="d-none d-print-inline">{escape(row.mark)}</span></td>'
            f'<td class="table-cards-wide" data-label="Feedback">'
            f'<div class="d-print-none">{form.feedback_cell}</div>'
            f' <span class="d-none d-print-inline">{linebreaksbr(row.feedback)}</span></td>'
        )
    else:
        cells.append(
            f'<td data-label="Mark or grade">{escape(row.mark or "—")}</td>'
            f'<td class="table-cards-wide" data-label="Feedback">'
            f"{linebreaksbr(row.feedback) or '—'}</td>"
        )
    cells.append("</tr>")
    return mark_safe("".join(cells))  # noqa: S308 - every word in it is escaped


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def _register_csv(register):
    homework = register.homework
    filename = slugify(f"{homework.teaching_group.name} {homework.title}") or "register"
    response, writer = csv_response(f"register-{filename}")
    writer.writerow(
        [
            "Surname",
            "First name",
            "Status",
            "Handed in",
            "Late",
            "Alternative version",
            "Files",
            "Confidence",
            "Reflection",
            "Mark",
            "Feedback",
            "Returned",
        ]
    )
    for row in register.rows:
        writer.writerow(
            [
                row.pupil.last_name,
                row.pupil.first_name,
                row.status_label,
                _local(row.submitted_at),
                "Y" if row.is_handed_in and row.is_late else "",
                "Y" if row.uses_alternative else "",
                "; ".join(name for _, name in row.file_links),
                row.confidence or "",
                row.reflection,
                row.mark,
                row.feedback,
                _local(row.returned_at),
            ]
        )
    return response


def _teachers_only(*methods):
    """Only the class's teachers may change its register: anyone else gets 404, as if
    there were nothing here; the teachers get 405 for a method the view does not take."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, homework_id):
            homework = _register_homework(request.user, homework_id)
            if not homework.viewer_teaches:
                raise Http404("Only the teachers of this class can change its register.")
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            try:
                return view(request, homework)
            except HomeworkError as error:
                messages.error(request, str(error))
                return redirect("homework_register", homework.pk)

        return wrapper

    return decorator


@_teachers_only("POST")
def register_save(request, homework):
    register = selectors.register_for(homework)
    mark_forms = [MarkForm(request.POST, assignment=row) for row in register.rows]
    if [form for form in mark_forms if not form.is_valid()]:
        return _render_register(request, register, mark_forms)
    changed = services.marking_save(
        teacher=request.user,
        homework=homework,
        entries=[
            services.MarkEntry(
                assignment_id=form.assignment.pk,
                mark=form.cleaned_data["mark"],
                feedback=form.cleaned_data["feedback"],
            )
            for form in mark_forms
        ],
    )
    if changed:
        messages.success(request, f"Saved marks for {_pupils(changed)}.")
    else:
        messages.info(request, "Nothing had changed, so there was nothing to save.")
    return redirect("homework_register", homework.pk)


@_teachers_only("POST")
def register_paper(request, homework):
    ids = [
        int(value)
        for value in request.POST.getlist("paper")
        if value.isdigit() and len(value) <= 18  # an id, not a number the database refuses
    ]
    if not ids:
        messages.warning(request, "Tick the pupils who handed in on paper, then press the button.")
        return redirect("homework_register", homework.pk)
    count = services.assignments_mark_paper(homework=homework, assignment_ids=ids)
    messages.success(request, f"Recorded {_pupils(count)} as handed in on paper.")
    return redirect("homework_register", homework.pk)


@_teachers_only("GET", "POST")
def register_return(request, homework):
    """GET asks for confirmation, showing how many pupils will get their work back; POST
    returns it."""
    if request.method == "GET":
        count = selectors.assignments_to_return_count(homework)
        return render(
            request,
            "homework/marking/return_confirm.html",
            {"homework": homework, "count": count},
        )
    count = services.homework_return(homework=homework)
    if count:
        messages.success(request, f"Returned to {_pupils(count)}.")
    else:
        messages.info(request, "There was no marked work waiting to be returned.")
    return redirect("homework_register", homework.pk)
