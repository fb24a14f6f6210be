"""What erasing a guardian's record (privacy/erasure/) does to their notifications: their
choices of how to hear are deleted, and what was still waiting to go to them is discarded
(never sent); notifications already sent stay as the school's record of what it told
the family, now naming the erased record."""

from privacy.erasure.steps import register_guardian_erasure_step

from .models import Notification, Preference

Status = Notification.Status
WAITING = [Status.PENDING, Status.DIGEST, Status.HELD, Status.FAILED]


def notifications_stop(guardian) -> int:
    preferences = Preference.objects.filter(guardian=guardian).delete()[0]
    discarded = Notification.objects.filter(guardian=guardian, status__in=WAITING).update(
        status=Status.DISCARDED
    )
    return preferences + discarded


register_guardian_erasure_step(
    "notifications",
    notifications_stop,
    erases="Their choices of how to hear from the school, and any notification still waiting "
    "to be sent to them (discarded, never sent).",
    keeps="Notifications already sent to them: the school's record of what it told the family.",
    order=20,
)
