"""What the reports add to the top bar (school/navigation.py): the half-term report, for
the school's senior leaders, school admins and governors, and superusers; and to a
governor's home page, which has nothing else to show them (school/panels.py). Work
scrutiny: for senior and subject leaders, and "My work scrutiny" for teachers (all of them:
showing it only to those with a review would cost every page a query)."""

from django.urls import reverse

from school import access
from school import navigation as nav
from school.models import RoleAssignment

from .scrutiny import access as scrutiny_access
from .views.common import may_read_reports
from .views.trust import may_read_trust


def navigation_register() -> None:
    nav.register_menu_item(
        "reports half-term",
        "Half-term report",
        "reports_half_term",
        shown_to=may_read_reports,
        order=940,
    )
    nav.register_menu_item(
        "reports trust", "Trust report", "reports_trust", shown_to=may_read_trust, order=942
    )
    nav.register_menu_item(
        "reports scrutiny",
        "Work scrutiny",
        "scrutiny_rounds",
        shown_to=scrutiny_access.is_leader,
        order=945,
    )
    nav.register_menu_item(
        "reports my scrutiny",
        "My work scrutiny",
        "scrutiny_mine",
        shown_to=scrutiny_access.sets_homework,
        order=946,
    )


def governor_home_link(*, user):
    """A governor's or trust leader's home page: the report (they have no other page)."""
    if access.is_staff_member(user) or not access.has_role(user, *access.REPORT_ONLY_ROLES):
        return None
    return reverse("reports_half_term")


def trust_home_link(*, user):
    if access.is_staff_member(user) or not access.has_role(user, RoleAssignment.Role.TRUST_LEADER):
        return None
    return reverse("reports_trust")
