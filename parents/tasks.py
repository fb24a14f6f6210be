from celery import shared_task
from django.utils import timezone

from school.calendar import school_time_zone, week_start
from school.models import School

from .digest import weekly_digest_write

DIGEST_HOUR = 7  # Monday morning at the school


@shared_task
def weekly_digests_write(now=None) -> int:
    """Hourly (celery beat): a school whose own clock reads Monday, 7 o'clock or later,
    has its families told what is set for the week (written once a week; later runs
    find it written). Its Monday, the week's days and the due times are the school's, so
    a school in another time zone hears on its own Monday morning, never on the server's
    (which for a school far west is still Sunday evening, the week before)."""
    now = now or timezone.now()
    written = 0
    for school in School.objects.order_by("pk"):
        with school_time_zone(school):
            local = timezone.localtime(now)
            if local.weekday() == 0 and local.hour >= DIGEST_HOUR:
                written += weekly_digest_write(school=school, week_start=week_start(local.date()))
    return written
