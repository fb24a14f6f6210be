"""What sanctions adds to the pages of the apps below it: its links in the top bar
(school/navigation.py) and the Commend button on a pupil's page (school/panels.py)."""

from django.urls import reverse

from school import access, panels
from school import navigation as nav
from school.models import RoleAssignment

Role = RoleAssignment.Role


def _commend_url(*, pupil, user):
    return reverse("sanctions_commend", args=[pupil.pk]) if access.is_staff_member(user) else None


def navigation_register() -> None:
    nav.register_menu_item(
        "sanctions policy",
        "Sanctions policy",
        "sanctions_policy",
        shown_to=nav.school_wide,
        order=430,
    )
    pastoral_leads = nav.holders_of(Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER)
    nav.register_menu_item(
        "sanctions", "Sanctions", "sanctions_dashboard", shown_to=pastoral_leads, order=600
    )
    nav.register_menu_item(
        "detentions", "Detentions", "sanctions_detentions", shown_to=pastoral_leads, order=610
    )
    nav.register_menu_item(
        "meetings",
        "Meetings",
        "sanctions_meetings",
        shown_to=nav.holders_of(
            Role.FORM_TUTOR, Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER
        ),
        order=620,
    )
    panels.register_link(panels.PUPIL_ACTIONS, "commend", "Commend", _commend_url)
