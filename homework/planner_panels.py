"""Panels that apps above `homework` add to a pupil's planner (e.g. clubs' booked
sessions) without `homework` importing them: each registers a template and a function
giving its context in its AppConfig.ready(). A panel's context should cost a fixed number
of queries: the planner's query budget counts them."""

from collections.abc import Callable
from dataclasses import dataclass

from school.models import Pupil


@dataclass(frozen=True)
class PlannerPanel:
    name: str
    template: str
    context: Callable  # context(*, pupil, user) -> dict, given to the template as `panel`
    order: int


_panels: dict[str, PlannerPanel] = {}


def register_planner_panel(name: str, template: str, context: Callable, *, order: int = 100):
    """Show `template` on every pupil's planner, with `context(pupil=, user=)` as `panel`.
    Registering a name again replaces the earlier registration."""
    _panels[name] = PlannerPanel(name=name, template=template, context=context, order=order)


def planner_panels(*, pupil: Pupil, user) -> list[dict]:
    """The registered panels, in order, each as {"name", "template", "context"}."""
    return [
        {"name": p.name, "template": p.template, "context": p.context(pupil=pupil, user=user)}
        for p in sorted(_panels.values(), key=lambda panel: (panel.order, panel.name))
    ]
