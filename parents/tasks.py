from celery import shared_task
from django.utils import timezone

from school.models import School

from .digest import week_start_of, weekly_digest_write


@shared_task
def weekly_digests_write() -> int:
    """Monday morning: each school's families hear what is set for the week."""
    week_start = week_start_of(timezone.localdate())
    return sum(
        weekly_digest_write(school=school, week_start=week_start)
        for school in School.objects.order_by("pk")
    )
