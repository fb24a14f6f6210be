"""What consultations add to the pages below them: the leaders' link in the top bar, and
the families' panel on their overview (parents' OVERVIEW place, school/panels.py)."""

from django.utils import timezone

from parents.navigation import OVERVIEW
from school import navigation as nav
from school import panels

from .selectors import children_from_pupils, family_items
from .texts import in_language


def _overview_panel(*, user, children=None):
    items = family_items(
        user, children=None if children is None else children_from_pupils(children)
    )
    if not items:
        return None
    for item in items:
        consultation = item.consultation
        item.title = in_language(consultation.title, consultation.translations, key="title")
        for outcome in item.outcomes:
            outcome.shown_text = in_language(outcome.text, outcome.translations)
    return {
        "to_answer": [i for i in items if i.open and not i.answered],
        "answered": [i for i in items if i.open and i.answered],
        "upcoming": [i for i in items if i.upcoming],
        "outcomes": [i for i in items if i.outcomes],
        "today": timezone.localdate(),
    }


def navigation_register() -> None:
    nav.register_menu_item(
        "consultations",
        "Consultations",
        "consultations_list",
        shown_to=nav.school_wide,
        order=450,
    )
    panels.register_panel(
        OVERVIEW, "consultations", "consultations/panels/overview.html", _overview_panel, order=10
    )
