"""What the parents' portal adds to the pages of the apps below it: its links in the top
bar for families, pupils and staff (school/navigation.py), and the way from a guardian's
home page to their children's pages (school/panels.py)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mis.rollover.navigation import NEW_YEAR_NEXT_STEPS
from school import access, panels
from school import navigation as nav
from school.models import RoleAssignment

Role = RoleAssignment.Role

# Panels on the parents' pages that the apps above them add (school/panels.py).
# A guardian's overview of their children; context(*, user, children): `children` are the
# login's children on roll (school.models.Pupil, read once for the page, each with
# `guardian_id`: the login's guardian record linked to it).
OVERVIEW = "parents_overview"


def _overview_url(*, user):
    return reverse("parents_overview")


def _agreement_editor_url(*, user):
    return reverse("parents_agreement_edit") if access.is_school_wide(user) else None


def navigation_register() -> None:
    register = nav.register_menu_item
    register(
        "pupil agreement", _("Agreement"), "parents_agreement_pupil", shown_to=nav.pupils, order=110
    )
    register("children", _("My children"), "parents_overview", shown_to=nav.guardians, order=200)
    register("agreement", _("Agreement"), "parents_agreement", shown_to=nav.guardians, order=210)
    register("sign-off", _("Weekly sign-off"), "parents_signoff", shown_to=nav.guardians, order=230)
    register("messages", _("Messages"), "parents_messages", shown_to=nav.guardians, order=240)
    register(
        "parent accounts",
        "Parent accounts",
        "parents_accounts",
        shown_to=nav.school_wide,
        order=440,
    )
    register(
        "agreement coverage",
        "Agreement coverage",
        "parents_agreement_coverage",
        shown_to=nav.holders_of(Role.FORM_TUTOR, Role.HEAD_OF_YEAR, *access.SCHOOL_WIDE_ROLES),
        order=500,
    )
    register(
        "tutor sign-off",
        "Weekly sign-off",
        "parents_signoff_tutor",
        shown_to=nav.holders_of(Role.FORM_TUTOR, Role.HEAD_OF_YEAR),
        order=700,
    )
    register(
        "staff messages",
        "Messages",
        "parents_messages",
        shown_to=nav.holders_of(Role.TEACHER, Role.FORM_TUTOR),
        order=710,
    )
    panels.register_link(
        panels.HOME_CHILDREN,
        "overview",
        _("Homework, feedback and sanctions for each child"),
        _overview_url,
    )
    # After the new academic year is started: its agreement is to be published again.
    panels.register_link(
        NEW_YEAR_NEXT_STEPS,
        "agreement",
        "The home-school agreement: publish the new year's version once the year has begun",
        _agreement_editor_url,
    )
