"""A subject access export with Redis down (the Celery broker on a redis-server of the
test's own, stopped): the request is still recorded, the page says the export has not
started and offers to start it again; once Redis is back, starting again builds it.
Nothing answers 500, and nothing waits long."""

import time

import pytest
from django.urls import reverse

from homework_mgmt.celery import app
from privacy.exports.services import NOT_QUEUED
from privacy.models import SubjectAccessExport
from tests.redis_helpers import private_redis, reset_broker_pools

pytestmark = [
    pytest.mark.xdist_group("private-redis"),
    pytest.mark.django_db(transaction=True),
]

Status = SubjectAccessExport.Status


@pytest.fixture
def redis_down(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    with private_redis(tmp_path, settings, stopped=True) as redis:
        yield redis


def test_an_export_asked_for_while_redis_is_down_is_recorded_and_started_again(
    client, world, redis_down
):
    client.force_login(world.school_admin)
    started = time.monotonic()
    response = client.post(reverse("privacy_export_pupil", args=[world.pupil.pk]))
    assert time.monotonic() - started < 5
    export = SubjectAccessExport.objects.get()
    assert response["Location"] == reverse("privacy_export", args=[export.pk])
    assert (export.status, export.message) == (Status.FAILED, NOT_QUEUED)
    page = client.get(response["Location"]).content.decode()
    assert "the background worker is not answering" in page
    assert "Start again" in page

    redis_down.start()
    reset_broker_pools()
    app.conf.task_always_eager = True  # a worker takes the task at once
    client.post(reverse("privacy_export_restart", args=[export.pk]))
    export.refresh_from_db()
    assert (export.status, export.message) == (Status.READY, "")
    assert export.file.name.endswith(".zip")
