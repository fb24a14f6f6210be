"""What the privacy app adds to the top bar (school/navigation.py) and to school's pupil
page: the data-protection pages, for the school's data protection lead (school admins
hold the role) and superusers."""

from django.urls import reverse

from school import access, panels
from school import navigation as nav

from .views.common import may_lead

# The person pages' panels (school/panels.py): each area of privacy shows its part of a
# pupil's or a guardian's record here; context(*, pupil|guardian, user, query).
PRIVACY_PUPIL = "privacy_pupil"
PRIVACY_GUARDIAN = "privacy_guardian"


def _pupil_data_protection(*, pupil, user):
    if not access.is_data_protection_lead(user) and not user.is_superuser:
        return None
    return reverse("privacy_pupil", args=[pupil.pk])


def register() -> None:
    nav.register_menu_item(
        "privacy", "Data protection", "privacy_home", shown_to=may_lead, order=970
    )
    panels.register_link(
        panels.PUPIL_ACTIONS, "privacy", "Data protection", _pupil_data_protection, order=900
    )
