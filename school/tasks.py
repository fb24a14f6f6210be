from celery import shared_task

from .ratelimits import limits_prune


@shared_task
def ratelimits_prune():
    """Daily (celery beat): forget the rate-limit counts whose window is over."""
    return limits_prune()
