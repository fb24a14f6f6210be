"""The links in the top bar: only what the person's roles let them use."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext

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
    items = [NavItem(gettext("Home"), reverse("home"))]
    # Staff are never pupils: asking only the others saves staff pages a query.
    if not access.is_staff_member(user) and access.is_pupil(user):
        items.append(NavItem("My planner", reverse("planner")))
        items.append(NavItem(gettext("Agreement"), reverse("parents_agreement_pupil")))
    elif not access.is_staff_member(user) and access.is_guardian(user):
        items.append(NavItem(gettext("My children"), reverse("parents_overview")))
        items.append(NavItem(gettext("Agreement"), reverse("parents_agreement")))
        items.append(NavItem(gettext("Notifications"), reverse("notification_preferences")))
        items.append(NavItem(gettext("Weekly sign-off"), reverse("parents_signoff")))
        items.append(NavItem(gettext("Messages"), reverse("parents_messages")))
    if access.is_staff_member(user) or access.is_pupil(user):
        items.append(NavItem("Clubs", reverse("clubs_home")))
    if access.has_role(user, Role.TEACHER):
        items.append(NavItem("Homework", reverse("homework_home")))
    if access.has_role(user, Role.SUBJECT_LEADER, *access.SCHOOL_WIDE_ROLES):
        items.append(NavItem("Compliance", reverse("homework_compliance")))
    if access.is_school_wide(user):
        items.append(NavItem("Homework policy", reverse("homework_policy")))
        items.append(NavItem("Sanctions policy", reverse("sanctions_policy")))
        items.append(NavItem("Parent accounts", reverse("parents_accounts")))
    if access.has_role(user, Role.FORM_TUTOR, Role.HEAD_OF_YEAR, *access.SCHOOL_WIDE_ROLES):
        items.append(NavItem("Agreement coverage", reverse("parents_agreement_coverage")))
    if access.has_role(user, Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER):
        items.append(NavItem("Sanctions", reverse("sanctions_dashboard")))
        items.append(NavItem("Detentions", reverse("sanctions_detentions")))
    if access.has_role(
        user, Role.FORM_TUTOR, Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER
    ):
        items.append(NavItem("Meetings", reverse("sanctions_meetings")))
    if access.has_role(user, Role.FORM_TUTOR, Role.HEAD_OF_YEAR):
        items.append(NavItem("Weekly sign-off", reverse("parents_signoff_tutor")))
    if access.has_role(user, Role.TEACHER, Role.FORM_TUTOR):
        items.append(NavItem("Messages", reverse("parents_messages")))
    if access.has_role(user, Role.TEACHER, Role.LSA):
        items.append(NavItem("Club rota", reverse("clubs_rota")))
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
