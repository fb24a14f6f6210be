"""What apps above `homework` add to a homework's register without homework importing
them (as school/panels.py does for pages): a column of their own (tick boxes and links on
each pupil's row), a form below the table acting on the rows ticked, a link under each
pupil's name. Each app registers, in its AppConfig.ready(), a template for one of the
places below and a function giving the data it needs.

`context(*, register, user, can_mark, request)` is called once per page with the
homework's Register (homework/selectors/marking.py), the person viewing it, whether they
may mark and the request; it returns a dict, or None to show nothing. It must cost a
fixed number of queries however many pupils there are: the register's query budget
counts them. A dict's "rows", if any, maps an assignment's id to what the row's template
needs.

The templates are given the page's context and `part` (the dict), and in a row `row` (the
pupil's assignment) and `item` (its entry in "rows", or None). A part of the rows
registered without a template (None) writes each row's HTML itself: "rows" maps an
assignment's id to it (safe HTML, everything in it escaped), printed as it is; a row
without an entry shows nothing. That saves an include a pupil, which costs a register of
thirty pupils a millisecond or more."""

from collections.abc import Callable
from dataclasses import dataclass

PUPIL = "pupil"  # under the pupil's name, in each row
COLUMN = "column"  # a column of its own, headed `heading`
ACTIONS = "actions"  # below the table, with the teacher's buttons (only for those who mark)
PLACES = (PUPIL, COLUMN, ACTIONS)


@dataclass(frozen=True)
class RegisterPart:
    place: str
    name: str
    template: str | None  # None: "rows" holds each row's HTML (not for ACTIONS)
    context: Callable  # context(*, register, user, can_mark, request) -> dict or None
    heading: str
    wide: bool
    order: int


_parts: dict[tuple[str, str], RegisterPart] = {}


def register_part(
    place: str,
    name: str,
    template: str | None,
    context: Callable,
    *,
    heading: str = "",
    wide: bool = False,
    order: int = 100,
) -> None:
    """Show `template` at `place` of every register, with `context(...)` as `part`; a
    `wide` column takes a phone's whole width. Registering a place and name again
    replaces the earlier registration."""
    if place not in PLACES:
        raise ValueError(f"A register has no place {place!r}: use one of {PLACES}.")
    if place == COLUMN and not heading:
        raise ValueError("A register column needs a heading.")
    if place == ACTIONS and template is None:
        raise ValueError("A part below the register needs a template.")
    _parts[(place, name)] = RegisterPart(place, name, template, context, heading, wide, order)


@dataclass
class Shown:
    """A registered part with its data for this page."""

    name: str
    template: str | None
    heading: str
    wide: bool
    part: dict

    def item(self, row):
        return self.part.get("rows", {}).get(row.pk)


@dataclass
class RegisterParts:
    """Everything registered for one register page: the columns' headings, and for each
    row the parts to show in it."""

    pupil: list[Shown]
    columns: list[Shown]
    actions: list[Shown]

    def for_row(self, row) -> dict[str, list[dict]]:
        return {
            place: [
                {
                    "template": shown.template,
                    "heading": shown.heading,
                    "wide": shown.wide,
                    "part": shown.part,
                    "item": shown.item(row),
                }
                for shown in parts
            ]
            for place, parts in ((PUPIL, self.pupil), (COLUMN, self.columns))
        }


def register_parts_for(*, register, user, can_mark: bool, request=None) -> RegisterParts:
    """The registered parts in order, each with its data; a part whose context is None is
    left out (a column too, with its heading)."""
    shown = {place: [] for place in PLACES}
    for part in sorted(_parts.values(), key=lambda p: (p.order, p.name)):
        data = part.context(register=register, user=user, can_mark=can_mark, request=request)
        if data is not None:
            shown[part.place].append(Shown(part.name, part.template, part.heading, part.wide, data))
    return RegisterParts(pupil=shown[PUPIL], columns=shown[COLUMN], actions=shown[ACTIONS])
