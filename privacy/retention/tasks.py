"""The retention schedule's Celery tasks: the nightly run over every school that has
confirmed its schedule (CELERY_BEAT_SCHEDULE "privacy-retention-nightly"), and a run a
lead started from the schedule page."""

import logging

from celery import shared_task

from school.models import School

from ..models import RetentionRule, RetentionRun
from .engine import run_schedule

logger = logging.getLogger(__name__)


@shared_task
def retention_nightly() -> int:
    """Run the confirmed schedule of every school that has one; how many schools ran."""
    schools = School.objects.filter(pk__in=RetentionRule.objects.values("school_id")).order_by("pk")
    ran = 0
    for school in schools:
        try:
            run_schedule(school=school, dry_run=False)
            ran += 1
        except Exception:
            logger.exception("The retention run of %s failed", school.slug)
    return ran


@shared_task
def retention_run(run_id: int) -> None:
    """Carry out a run a lead started (a RetentionRun still running)."""
    run = (
        RetentionRun.objects.select_related("school")
        .filter(pk=run_id, status=RetentionRun.Status.RUNNING)
        .first()
    )
    if run is None:
        return
    run_schedule(school=run.school, dry_run=run.dry_run, run=run)
