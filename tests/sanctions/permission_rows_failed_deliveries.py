"""Who may send again a message that did not reach the pupil's family, from the dashboard:
the pupil's pastoral staff, i.e. the world pupil's form tutor (the teacher), head of year,
head of house and the school-wide roles. Both actions answer POST only: GET answers 405
to them and 404 to everyone else (tests/sanctions/test_dashboard_failed_deliveries.py)."""

from django.urls import reverse

from notifications.models import Notification
from sanctions.notices import DETENTION_BOOKED

PASTORAL = {"teacher", "head_of_year", "head_of_house", "senior_leader", "school_admin"}


def failed_message(w):
    """A detention notice to the pupil's parent that failed (once per world)."""
    notification, _ = Notification.objects.get_or_create(
        school=w.school,
        pupil=w.pupil,
        guardian=w.guardian,
        kind=DETENTION_BOOKED,
        status=Notification.Status.FAILED,
    )
    return notification


PAGES = {}

POST_ONLY = {
    "sanctions_message_resend": (
        lambda w: reverse("sanctions_message_resend", args=[failed_message(w).pk]),
        PASTORAL,
    ),
    "sanctions_message_resend_other": (
        lambda w: reverse("sanctions_message_resend_other", args=[failed_message(w).pk]),
        PASTORAL,
    ),
}
