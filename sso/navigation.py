"""What sign-in adds to the top bar (school/navigation.py): its setup, for school admins
and superusers."""

from django.utils.translation import gettext_lazy as _

from school import navigation as nav

from .views.setup import may_set_up


def navigation_register() -> None:
    nav.register_menu_item(
        "sso setup", _("Sign-in setup"), "sso_setup", shown_to=may_set_up, order=960
    )
