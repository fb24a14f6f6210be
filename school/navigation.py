"""The links in the top bar: only what the person's roles let them use. `school` knows
only its own pages; each app above it registers its links, with who sees them, in its
AppConfig.ready() (as it does its panels, school/panels.py).

The bar is on every page, so deciding who sees a link must cost no query of its own:
`shown_to` asks the helpers of school/access.py, which read the person's roles, pupil
record and guardian records once per request. The audiences below ask them in an order
that spares staff pages the pupil and guardian checks."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext

from . import access
from .models import RoleAssignment

Role = RoleAssignment.Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


@dataclass(frozen=True)
class MenuItem:
    name: str
    label: str | Promise  # a lazy translation where families read it
    url_name: str
    shown_to: Callable  # shown_to(user) -> bool
    order: int


# Who sees a link. Staff are never pupils and pupils never guardians here: asking in this
# order saves staff pages the pupil and guardian queries.


def pupils(user) -> bool:
    return not access.is_staff_member(user) and access.is_pupil(user)


def guardians(user) -> bool:
    return (
        not access.is_staff_member(user) and not access.is_pupil(user) and access.is_guardian(user)
    )


def staff_and_pupils(user) -> bool:
    return access.is_staff_member(user) or access.is_pupil(user)


def school_wide(user) -> bool:
    return access.is_school_wide(user)


def holders_of(*roles) -> Callable:
    """Staff holding any of these roles."""

    def shown_to(user) -> bool:
        return access.has_role(user, *roles)

    return shown_to


# Where the links stand, lowest first. The apps place theirs between school's own:
# Home first, then each app's links, then the person's own groups and the admin site.
HOME_ORDER = 0
OWN_GROUPS_ORDER = 900
SETUP_ORDER = 1000

_items: dict[str, MenuItem] = {}


def register_menu_item(
    name: str, label: str | Promise, url_name: str, *, shown_to: Callable, order: int
) -> None:
    """Show a link to `url_name` (no arguments) to whoever `shown_to(user)` accepts, at
    `order` in the bar (ties: by name). Registering a name again replaces it."""
    _items[name] = MenuItem(name, label, url_name, shown_to, order)


def _own_groups(user) -> list[NavItem]:
    items = []
    for assignment in access.roles_of(user):
        if assignment.role == Role.FORM_TUTOR:
            url = reverse("tutor_group_detail", args=[assignment.tutor_group_id])
            items.append(NavItem("My tutor group", url))
        elif assignment.role == Role.HEAD_OF_YEAR:
            url = reverse("year_group_detail", args=[assignment.year_group_id])
            items.append(NavItem("My year", url))
        elif assignment.role == Role.HEAD_OF_HOUSE:
            items.append(NavItem("My house", reverse("house_detail", args=[assignment.house_id])))
    return items


def _school_items(user) -> list[tuple[int, str, Callable]]:
    """School's own links, as (order, name, build) like the registered ones."""
    own = [
        (HOME_ORDER, "home", lambda: [NavItem(gettext("Home"), reverse("home"))]),
        (OWN_GROUPS_ORDER, "own groups", lambda: _own_groups(user)),
    ]
    if user.is_staff:
        own.append(
            (SETUP_ORDER, "setup", lambda: [NavItem("School setup", reverse("admin:index"))])
        )
    return own


def _registered(item: MenuItem) -> Callable:
    return lambda: [NavItem(str(item.label), reverse(item.url_name))]


def nav_items(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    entries = _school_items(user) + [
        (item.order, item.name, _registered(item))
        for item in _items.values()
        if item.shown_to(user)
    ]
    items = []
    for _order, _name, build in sorted(entries, key=lambda entry: entry[:2]):
        items.extend(build())
    return items
