"""The families' link to their notification choices, in the top bar school builds."""

from django.utils.translation import gettext_lazy as _

from school import navigation as nav


def navigation_register() -> None:
    nav.register_menu_item(
        "notifications",
        _("Notifications"),
        "notification_preferences",
        shown_to=nav.guardians,
        order=220,
    )
