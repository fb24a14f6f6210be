"""What sanctions adds to a homework's register (homework/register_actions.py): the
"Missed deadline" column (a pupil's counted miss, which the class's teachers may undo or
extend, or a tick box on work overdue), the form recording the ticked misses, and a link
to commend each pupil. The column's cells and the links are written here, a row at a
time (no include a pupil); the form is a partial of
templates/sanctions/register_actions.html."""

from html import escape as _escape
from urllib.parse import quote

from django.utils import timezone
from django.utils.safestring import mark_safe

from homework.models import Assignment, Homework
from homework.register_actions import ACTIONS, COLUMN, PUPIL, register_part
from school.links import id_url

from .models import Miss

TEMPLATE = "sanctions/register_actions.html"


def _records_misses(register, can_mark: bool) -> bool:
    """Only the class's teachers record misses, and only on homework that is set."""
    return can_mark and register.homework.status == Homework.Status.SET


def escape(value) -> str:
    """What the templates' autoescape writes for a plain value."""
    return _escape(str(value))


def _missed_cell(row, miss, *, can_change: bool, recordable: bool, void, extension) -> str:
    """A row's "Missed deadline" cell: a counted miss with who recorded it and when (its
    Undo and Extend buttons for the class's teachers), a tick box with an Extend link on
    work overdue, or the status."""
    if miss:
        recorded = timezone.localtime(miss.recorded_at).strftime("%d/%m")
        html = f"Missed (recorded {recorded} by {escape(miss.recorded_by)})"
        if can_change:
            name = escape(row.pupil.full_name)
            html += (
                f'\n<a class="btn btn-outline-secondary btn-sm no-print" href="{void(miss.pk)}">'
                f'Undo<span class="visually-hidden"> the missed deadline of {name}</span></a>'
                f'\n<a class="btn btn-outline-secondary btn-sm no-print"'
                f' href="{extension(row.pk)}">'
                f'Extend<span class="visually-hidden"> the deadline of {name}</span></a>'
            )
        return html
    if recordable:
        name, pk = escape(row.pupil.full_name), row.pk
        return (
            f'<input type="checkbox" class="form-check-input" name="missed" value="{pk}"'
            f' id="missed-{pk}" form="misses-form">'
            f'\n<label class="form-check-label small" for="missed-{pk}">'
            f'Missed<span class="visually-hidden">: {name}</span></label>'
            f'\n<a class="d-block small no-print" href="{extension(pk)}">'
            f'Extend<span class="visually-hidden"> the deadline of {name}</span></a>'
        )
    if row.status == Assignment.Status.MISSED:
        return "Missed"
    if row.status == Assignment.Status.EXCUSED:
        return "Excused"
    return "—"


def missed_column(*, register, user, can_mark: bool, request=None) -> dict:
    """Each row's cell: its counted miss with who recorded it (one query), or whether a
    miss may be recorded for it (not handed in, and past due), written once (the
    addresses of its buttons from one reverse each for the page)."""
    ids = [row.pk for row in register.rows]
    counted = {}
    if ids:
        counted = {
            miss.assignment_id: miss
            for miss in Miss.objects.filter(assignment_id__in=ids, status=Miss.Status.COUNTED)
            .select_related("recorded_by")
            .order_by()  # keyed by assignment: the model's order would join schools and pupils
        }
    recording = _records_misses(register, can_mark)
    void, extension = id_url("sanctions_miss_void"), id_url("sanctions_extension")
    rows = {}
    for row in register.rows:
        recordable = (
            recording and row.status == Assignment.Status.SET and row.due_at <= register.now
        )
        rows[row.pk] = mark_safe(  # noqa: S308 - every value in it is escaped or an address
            _missed_cell(
                row,
                counted.get(row.pk),
                can_change=can_mark,
                recordable=recordable,
                void=void,
                extension=extension,
            )
        )
    return {"can_change": can_mark, "rows": rows}


def misses_form(*, register, user, can_mark: bool, request=None) -> dict | None:
    """The form recording the ticked misses, while some pupil is overdue."""
    return {} if _records_misses(register, can_mark) and register.overdue else None


def commend_link(*, register, user, can_mark: bool, request=None) -> dict | None:
    """The class's teachers commend a pupil for their homework (not a leaver): each
    row's link, its address from one reverse, coming back to this page."""
    if not can_mark:
        return None
    commend = id_url("sanctions_commend")
    back = quote(request.get_full_path(), safe="") if request is not None else ""
    return {
        "rows": {
            row.pk: mark_safe(  # noqa: S308 - the name is escaped, the rest are addresses
                f'<a class="d-block small no-print"'
                f' href="{commend(row.pupil_id)}?assignment={row.pk}&amp;next={back}">'
                f'Commend<span class="visually-hidden"> {escape(row.pupil.full_name)}</span></a>'
            )
            for row in register.rows
            if not row.has_left
        }
    }


def register_actions_register() -> None:
    register_part(
        COLUMN,
        "missed",
        None,
        missed_column,
        heading="Missed deadline",
        wide=True,
    )
    register_part(ACTIONS, "misses", f"{TEMPLATE}#misses_form", misses_form)
    register_part(PUPIL, "commend", None, commend_link)
