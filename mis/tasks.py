"""The import's background work: each task loads the run by id and calls its step
(mis/services/run_steps.py). A task delivered twice does nothing the second time: each
step acts only on a run in the state that step is for."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

from .services import run_steps


@shared_task(acks_late=True)
def import_run_read(run_id: int) -> str | None:
    run = run_steps.run_read(run_id=run_id)
    return run.status if run else None


@shared_task(acks_late=True)
def import_run_apply(run_id: int, actor_id: int | None = None) -> str | None:
    run = run_steps.run_apply_perform(run_id=run_id, actor_id=actor_id)
    return run.status if run else None


@shared_task
def import_runs_unconfirmed_discard() -> int:
    return run_steps.runs_unconfirmed_discard(
        older_than=timedelta(days=settings.MIS_UNCONFIRMED_KEEP_DAYS)
    )
