"""Panels that apps above `school` add to pages of the apps below them without being
imported by them: the pupil's planner (homework) shows their booked club sessions, a
pupil's page (school) their club visits and rewards. Each app registers a template and a
function giving its context in its AppConfig.ready(), for a named place. A panel's
context must cost a fixed number of queries: the page's query budget counts them."""

from collections.abc import Callable
from dataclasses import dataclass

PLANNER = "planner"  # homework's planner page; context(*, pupil, user)
PUPIL_RECORD = "pupil_record"  # school's pupil page; context(*, pupil, user)


@dataclass(frozen=True)
class Panel:
    place: str
    name: str
    template: str
    context: Callable  # context(**kwargs) -> dict or None (None: nothing to show)
    order: int


_panels: dict[tuple[str, str], Panel] = {}


def register_panel(place: str, name: str, template: str, context: Callable, *, order: int = 100):
    """Show `template` at `place`, with `context(**page's arguments)` as `panel`.
    Registering a place and name again replaces the earlier registration."""
    _panels[(place, name)] = Panel(place, name, template, context, order)


def panels_for(place: str, **arguments) -> list[dict]:
    """The place's registered panels in order, each as {"name", "template", "context"};
    a panel whose context is None is left out."""
    shown = []
    for panel in sorted(
        (p for p in _panels.values() if p.place == place), key=lambda p: (p.order, p.name)
    ):
        context = panel.context(**arguments)
        if context is not None:
            shown.append({"name": panel.name, "template": panel.template, "context": context})
    return shown
