from notifications.models import Notification
from notifications.services import notifications_queue
from sanctions.notices import DETENTION_BOOKED


def tell(pupil, kind=DETENTION_BOOKED, /, **context):
    """Write the outbox rows of one event about `pupil` (in the caller's transaction)."""
    notifications_queue(events=[(pupil.pk, kind, context)])
    return list(Notification.objects.filter(pupil=pupil, kind=kind).order_by("pk"))


DETENTION = {"date": "2026-11-24", "start_time": "15:10", "end_time": "16:10", "room": "B12"}
