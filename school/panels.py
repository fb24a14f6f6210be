"""Panels and links that apps above `school` add to pages of the apps below them without
being imported by them: the pupil's planner shows their booked club sessions, a pupil's
page their club visits and rewards and the staff's actions on the pupil, a guardian's home
page the way to their children's pages. Each app registers, for a named place, a template
and a function giving its context (a panel), or a label and a function giving its address
(a link), in its AppConfig.ready(). A panel's context must cost a fixed number of queries
and a link's address none: the page's query budget counts them."""

from collections.abc import Callable
from dataclasses import dataclass

# Panels. An app declares the places on its own pages beside its views; school's are here.
PUPIL_RECORD = "pupil_record"  # school's pupil page; context(*, pupil, user)
# Links. Each place gives its links' url() the arguments named here.
PUPIL_ACTIONS = "pupil_actions"  # school's pupil page, staff's buttons; url(*, pupil, user)
HOME_CHILDREN = "home_children"  # school's home page, a guardian's children; url(*, user)
# School's home page: the pages a role opens that has no list of its own there (a
# governor's report); url(*, user).
HOME_PAGES = "home_pages"


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


@dataclass(frozen=True)
class Link:
    place: str
    name: str
    label: str  # or a lazy translation, read in the page's language
    url: Callable  # url(**kwargs) -> str, or None when the person may not follow it
    order: int


_links: dict[tuple[str, str], Link] = {}


def register_link(place: str, name: str, label, url: Callable, *, order: int = 100):
    """Offer a link labelled `label` to `url(**page's arguments)` at `place`. Registering a
    place and name again replaces the earlier registration."""
    _links[(place, name)] = Link(place, name, label, url, order)


def links_for(place: str, **arguments) -> list[dict]:
    """The place's registered links in order, each as {"name", "label", "url"}; a link
    whose url is None is left out."""
    shown = []
    for link in sorted(
        (k for k in _links.values() if k.place == place), key=lambda k: (k.order, k.name)
    ):
        url = link.url(**arguments)
        if url is not None:
            shown.append({"name": link.name, "label": str(link.label), "url": url})
    return shown
