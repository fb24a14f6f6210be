"""What the reports add to the top bar (school/navigation.py): the half-term report, for
the school's senior leaders, school admins and governors, and superusers."""

from school import navigation as nav

from .views.common import may_read_reports


def navigation_register() -> None:
    nav.register_menu_item(
        "reports half-term",
        "Half-term report",
        "reports_half_term",
        shown_to=may_read_reports,
        order=940,
    )
