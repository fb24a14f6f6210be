"""What the new academic year adds to the pages below it: its link in the top bar for
school admins (school/navigation.py), and the place on its own last page where apps above
it offer the next steps (school/panels.py): the parents' portal asks for the home-school
agreement to be published for the new year."""

from school import navigation as nav

from .selectors import may_start_new_year

# Links after the new year has started; each url(*, user) -> str or None.
NEW_YEAR_NEXT_STEPS = "new_year_next_steps"


def navigation_register() -> None:
    nav.register_menu_item(
        "mis new year", "New academic year", "mis_new_year", shown_to=may_start_new_year, order=960
    )
