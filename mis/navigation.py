"""What the import adds to the top bar (school/navigation.py): the imports, for school
admins and superusers."""

from school import navigation as nav

from .views.common import may_import


def navigation_register() -> None:
    nav.register_menu_item("mis imports", "Imports", "mis_imports", shown_to=may_import, order=950)
