from celery import shared_task
from django.utils import timezone

from school.calendar import school_time_zone, week_start
from school.models import School

from .digest import weekly_digest_write


@shared_task
def weekly_digests_write() -> int:
    """Monday morning: each school's families hear what is set for the week. The week,
    its days and the due times are the school's own (a school in another time zone gets
    its own Monday)."""
    written = 0
    for school in School.objects.order_by("pk"):
        with school_time_zone(school):
            written += weekly_digest_write(
                school=school, week_start=week_start(timezone.localdate())
            )
    return written
