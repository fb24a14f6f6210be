"""What sanctions adds to a homework's register (homework/register_actions.py): the
"Missed deadline" column (a pupil's counted miss, which the class's teachers may undo or
extend, or a tick box on work overdue), the form recording the ticked misses, and a link
to commend each pupil. The templates are the partials of
templates/sanctions/register_actions.html."""

from homework.models import Assignment, Homework
from homework.register_actions import ACTIONS, COLUMN, PUPIL, register_part
from school.links import id_url

from .models import Miss

TEMPLATE = "sanctions/register_actions.html"


def _records_misses(register, can_mark: bool) -> bool:
    """Only the class's teachers record misses, and only on homework that is set."""
    return can_mark and register.homework.status == Homework.Status.SET


def missed_column(*, register, user, can_mark: bool) -> dict:
    """Each row's counted miss with who recorded it (one query), and whether a miss may
    be recorded for it: not handed in, and past due; the addresses of its buttons (one
    reverse each for the page)."""
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
        miss = counted.get(row.pk)
        recordable = (
            recording and row.status == Assignment.Status.SET and row.due_at <= register.now
        )
        rows[row.pk] = {
            "miss": miss,
            "recordable": recordable,
            "void": void(miss.pk) if miss and can_mark else "",
            "extension": extension(row.pk) if (miss and can_mark) or recordable else "",
        }
    return {"can_change": can_mark, "rows": rows}


def misses_form(*, register, user, can_mark: bool) -> dict | None:
    """The form recording the ticked misses, while some pupil is overdue."""
    return {} if _records_misses(register, can_mark) and register.overdue else None


def commend_link(*, register, user, can_mark: bool) -> dict | None:
    """The class's teachers commend a pupil for their homework (not a leaver): each
    row's address, from one reverse."""
    if not can_mark:
        return None
    commend = id_url("sanctions_commend")
    return {
        "rows": {
            row.pk: f"{commend(row.pupil_id)}?assignment={row.pk}"
            for row in register.rows
            if not row.has_left
        }
    }


def register_actions_register() -> None:
    register_part(
        COLUMN,
        "missed",
        f"{TEMPLATE}#missed_cell",
        missed_column,
        heading="Missed deadline",
        wide=True,
    )
    register_part(ACTIONS, "misses", f"{TEMPLATE}#misses_form", misses_form)
    register_part(PUPIL, "commend", f"{TEMPLATE}#commend_link", commend_link)
