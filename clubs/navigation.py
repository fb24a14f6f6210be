"""What clubs adds to the top bar that school builds (school/navigation.py)."""

from school import navigation as nav
from school.models import RoleAssignment

Role = RoleAssignment.Role


def navigation_register() -> None:
    nav.register_menu_item("clubs", "Clubs", "clubs_home", shown_to=nav.staff_and_pupils, order=300)
    nav.register_menu_item(
        "club rota",
        "Club rota",
        "clubs_rota",
        shown_to=nav.holders_of(Role.TEACHER, Role.LSA),
        order=800,
    )
