"""Every page's footer links to the privacy notice (school's footer place): an address
that finds the visitor's school itself, so the link costs no query."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from school.panels import register_link
from school.templatetags.footer import FOOTER


def _notice_url(**_arguments) -> str:
    return reverse("privacy_notice")


def register() -> None:
    register_link(FOOTER, "privacy_notice", _("Privacy notice"), _notice_url, order=10)
