"""What the parents' portal tells families by message: its kinds (registered with
notifications, with their templates under templates/parents/email/), and the page a
message links to when its event names none."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications import registry

WEEKLY_DIGEST = "weekly_digest"
AGREEMENT_REMINDER = "agreement_reminder"
MESSAGE_REPLY = "message_reply"


def kinds_register() -> None:
    group = _("Updates and messages")
    for code, label in [
        (WEEKLY_DIGEST, _("This week's homework")),
        (AGREEMENT_REMINDER, _("Home-school agreement reminder")),
        (MESSAGE_REPLY, _("Reply to your message")),
    ]:
        registry.register_kind(code, label, group=group, templates="parents/email")
    registry.register_family_page(lambda: reverse("parents_overview"))
