"""The import with Redis down (the Celery broker and the cache on a redis-server of the
test's own, which is stopped): an upload is still recorded and the page says its reading
waits, with a button to try again once Redis is back; a confirmation leaves the file
ready and says nothing was changed; the progress box shows the status alone. Nothing
answers 500, and nothing waits long."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homework_mgmt.celery import app
from mis.models import ImportRun
from mis.services.runs import APPLY_NOT_QUEUED, READ_NOT_QUEUED
from school.models import House
from tests.redis_helpers import private_redis, reset_broker_pools

from .import_kinds import notes_kind_register
from .permission_rows_imports import run_of

pytestmark = [
    pytest.mark.xdist_group("private-redis"),
    pytest.mark.django_db(transaction=True),
]

Status = ImportRun.Status


@pytest.fixture
def redis_down(tmp_path, settings):
    """The cache and the broker on a private Redis, which is then stopped."""
    with private_redis(tmp_path, settings, stopped=True) as redis:
        yield redis


@pytest.fixture
def notes_kind(monkeypatch):
    return notes_kind_register(monkeypatch)


def test_an_upload_is_recorded_and_read_once_redis_is_back(client, world, notes_kind, redis_down):
    client.force_login(world.school_admin)
    started = time.monotonic()
    response = client.post(
        reverse("mis_import_upload"),
        {"kind": "test_notes", "file": SimpleUploadedFile("notes.xml", b"Darwin\n")},
    )
    assert time.monotonic() - started < 5
    run = ImportRun.objects.get()
    assert response["Location"] == reverse("mis_import_run", args=[run.pk])
    assert (run.status, run.message) == (Status.READING, READ_NOT_QUEUED)
    assert bytes(run.content) == b"Darwin\n"  # the file is kept to be read

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "has not been read yet" in page.content.decode()
    assert "Read the file now" in page.content.decode()

    redis_down.start()
    reset_broker_pools()
    app.conf.task_always_eager = True  # a worker takes the task at once
    client.post(reverse("mis_import_read", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.message) == (Status.READY, "")


def test_a_confirmation_leaves_the_file_ready_and_says_nothing_changed(
    client, world, notes_kind, redis_down
):
    run = run_of(world, kind="test_notes", content=b"Darwin\n", status=Status.READY, errors=[])
    client.force_login(world.school_admin)
    started = time.monotonic()
    response = client.post(reverse("mis_import_apply", args=[run.pk]))
    assert time.monotonic() - started < 5
    run.refresh_from_db()
    assert (run.status, run.message) == (Status.READY, APPLY_NOT_QUEUED)
    page = client.get(response["Location"]).content.decode()
    assert "Nothing was changed: the import&#x27;s background worker is not answering" in page
    assert "Confirm and apply" in page
    assert notes_kind.applied == 0
    assert not House.objects.filter(name="Darwin").exists()


def test_the_progress_box_shows_the_status_alone_without_the_cache(
    client, world, notes_kind, redis_down
):
    run = run_of(world, kind="test_notes", status=Status.APPLYING)
    client.force_login(world.school_admin)
    url = reverse("mis_import_run", args=[run.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Applying the file" in page.content.decode()
    fragment = client.get(url + "?fragment=progress", HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert "rows (" not in fragment.content.decode()  # no figures to show
