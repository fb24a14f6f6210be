"""What consultations tell families by message (registered with notifications; templates
under templates/consultations/email/): a new consultation, a reminder, and "you said, we
did"."""

from django.utils.translation import gettext_lazy as _

from notifications import registry

CONSULTATION_SENT = "consultation_sent"
CONSULTATION_REMINDER = "consultation_reminder"
CONSULTATION_OUTCOME = "consultation_outcome"


def kinds_register() -> None:
    group = _("Updates and messages")
    for code, label in [
        (CONSULTATION_SENT, _("The school asks for your views")),
        (CONSULTATION_REMINDER, _("Reminder: the school asks for your views")),
        (CONSULTATION_OUTCOME, _("You said, we did")),
    ]:
        registry.register_kind(code, label, group=group, templates="consultations/email")
