"""What homework adds to the pages of the apps below it: its links in the top bar (school
builds the bar, school/navigation.py), and the place on its own planner page where apps
above it add panels (school/panels.py)."""

from school import access
from school import navigation as nav
from school.models import RoleAssignment

Role = RoleAssignment.Role

PLANNER = "planner"  # the pupil's planner; context(*, pupil, user)


def navigation_register() -> None:
    nav.register_menu_item("planner", "My planner", "planner", shown_to=nav.pupils, order=100)
    nav.register_menu_item(
        "homework", "Homework", "homework_home", shown_to=nav.holders_of(Role.TEACHER), order=400
    )
    nav.register_menu_item(
        "units",
        "Units and dates",
        "units_home",
        shown_to=nav.holders_of(Role.TEACHER, Role.SUBJECT_LEADER),
        order=405,
    )
    nav.register_menu_item(
        "compliance",
        "Compliance",
        "homework_compliance",
        shown_to=nav.holders_of(Role.SUBJECT_LEADER, *access.SCHOOL_WIDE_ROLES),
        order=410,
    )
    nav.register_menu_item(
        "homework policy",
        "Homework policy",
        "homework_policy",
        shown_to=nav.school_wide,
        order=420,
    )
