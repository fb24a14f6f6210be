"""The links in the top bar: only what the person's roles let them use."""

from dataclasses import dataclass

from django.urls import reverse

from . import access
from .models import RoleAssignment

Role = RoleAssignment.Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str


def nav_items(user) -> list[NavItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    items = [NavItem("Home", reverse("home"))]
    # Staff are never pupils: asking only the others saves staff pages a query.
    if not access.is_staff_member(user) and access.is_pupil(user):
        items.append(NavItem("My planner", reverse("planner")))
    if access.has_role(user, Role.TEACHER):
        items.append(NavItem("Homework", reverse("homework_home")))
    if access.has_role(user, Role.SUBJECT_LEADER, *access.SCHOOL_WIDE_ROLES):
        items.append(NavItem("Compliance", reverse("homework_compliance")))
    if access.is_school_wide(user):
        items.append(NavItem("Homework policy", reverse("homework_policy")))
        items.append(NavItem("Sanctions policy", reverse("sanctions_policy")))
    if access.has_role(user, Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER):
        items.append(NavItem("Sanctions", reverse("sanctions_dashboard")))
        items.append(NavItem("Detentions", reverse("sanctions_detentions")))
    if access.has_role(
        user, Role.FORM_TUTOR, Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER
    ):
        items.append(NavItem("Meetings", reverse("sanctions_meetings")))
    for assignment in access.roles_of(user):
        if assignment.role == Role.FORM_TUTOR:
            items.append(
                NavItem(
                    "My tutor group",
                    reverse("tutor_group_detail", args=[assignment.tutor_group_id]),
                )
            )
        elif assignment.role == Role.HEAD_OF_YEAR:
            items.append(
                NavItem("My year", reverse("year_group_detail", args=[assignment.year_group_id]))
            )
        elif assignment.role == Role.HEAD_OF_HOUSE:
            items.append(NavItem("My house", reverse("house_detail", args=[assignment.house_id])))
    if user.is_staff:
        items.append(NavItem("School setup", reverse("admin:index")))
    return items
