"""The kind notifications owns itself: good news about a child. More than one app sends
it (staff commend a pupil in sanctions, a club rewards effective work), and neither may
import the other, so it lives below both; each puts the facts of its own in the message
(a reason, a club) and registers the words for their codes."""

from django.utils.translation import gettext_lazy as _

from . import registry

COMMENDATION = "commendation"


def kinds_register() -> None:
    registry.register_kind(
        COMMENDATION, _("Commendation"), group=_("Good news"), templates="notifications/email"
    )
