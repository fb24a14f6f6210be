"""An import read but never confirmed does not keep families' personal data for ever:
the daily beat job discards it after MIS_UNCONFIRMED_KEEP_DAYS, and it stays listed."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from mis.models import ImportRun
from mis.tasks import import_runs_unconfirmed_discard

Status = ImportRun.Status
pytestmark = pytest.mark.django_db


def run_made(world, status, days_ago):
    run = ImportRun.objects.create(
        school=world.school, kind="houses", file_name=f"{status}.csv", status=status, content=b"x"
    )
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days_ago))
    return run


def test_runs_left_unconfirmed_past_the_days_kept_are_discarded_and_their_files_deleted(world):
    kept = settings.MIS_UNCONFIRMED_KEEP_DAYS
    old = [run_made(world, status, kept + 1) for status in ("reading", "ready", "invalid")]
    recent = run_made(world, Status.READY, kept - 1)
    applied = run_made(world, Status.APPLIED, kept + 30)

    assert import_runs_unconfirmed_discard.delay().get() == 3

    for run in old:
        run.refresh_from_db()
        assert (run.status, run.content, run.finished_at is not None) == (
            Status.DISCARDED,
            None,
            True,
        )
    recent.refresh_from_db()
    applied.refresh_from_db()
    assert recent.status == Status.READY and bytes(recent.content) == b"x"
    assert applied.status == Status.APPLIED


def test_the_discard_runs_daily_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["mis-unconfirmed-discard"]
    assert entry["task"] == import_runs_unconfirmed_discard.name
