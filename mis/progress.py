"""How far an apply has got. The apply writes everything in one transaction, so the run's
own row cannot show its progress to anyone else until it ends: the worker writes it to
the cache (Redis under REDIS_URL), which the run page reads. Without a cache that answers,
the page shows the run's status only; nothing fails for it."""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

# Long enough for the slowest apply; the run's row holds the final figures.
KEEP_SECONDS = 60 * 60
# At most this often (seconds) a write, however many rows the kind reports.
EVERY = 0.5


def _key(run) -> str:
    """The run's id and the moment it was made: a run of another database sharing the
    cache (a copy, a test run) never shows this one's figures."""
    return f"mis:run-progress:{run.pk}:{run.created_at.timestamp():.6f}"


def progress_write(run, done: int, total: int) -> None:
    try:
        cache.set(_key(run), (done, total), KEEP_SECONDS)
    except Exception:  # noqa: BLE001 - the cache is an extra: the apply goes on without it
        logger.warning("Could not write the progress of import run %s.", run.pk, exc_info=True)


def progress_read(run) -> tuple[int, int] | None:
    """(rows done, rows in all) as the worker last wrote them for the run; None if
    unknown."""
    try:
        value = cache.get(_key(run))
    except Exception:  # noqa: BLE001 - a cache that does not answer: show the status only
        logger.warning("Could not read the progress of import run %s.", run.pk, exc_info=True)
        return None
    if isinstance(value, tuple | list) and len(value) == 2:
        return int(value[0]), int(value[1])
    return None


class ProgressReporter:
    """A `Progress` callback for FileKind.apply: writes at most every EVERY seconds, and
    always the last row; `last` is the latest (done, total) reported."""

    def __init__(self, run):
        self.run = run
        self.last: tuple[int, int] | None = None
        self._written_at = float("-inf")

    def __call__(self, done: int, total: int) -> None:
        self.last = (done, total)
        now = time.monotonic()
        if done >= total or now - self._written_at >= EVERY:
            self._written_at = now
            progress_write(self.run, done, total)
