"""The import through a real broker and worker: the upload's reading and the confirmed
apply are Celery tasks a worker takes from Redis. While the worker applies (inside its one
transaction), the run page shows how far it has got from the cache, and none of its
writes can be seen until it ends."""

import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homework_mgmt.celery import app
from mis.models import ColumnMapping, ImportRun
from school.models import House
from tests.redis_helpers import private_redis

from .import_kinds import notes_kind_register

# The worker tests share the broker's queue: xdist runs them all in one process.
pytestmark = [
    pytest.mark.xdist_group("celery-worker"),
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]

Status = ImportRun.Status


@pytest.fixture
def redis_broker(tmp_path, settings):
    """A private Redis as the broker and the cache, with tasks queued, not run at once."""
    with private_redis(tmp_path, settings) as redis:
        yield redis


def _until(run, *statuses, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in statuses:
            return run
        time.sleep(0.05)
    raise AssertionError(f"the run is still {run.status}")


def test_a_worker_reads_and_applies_a_csv_and_the_page_shows_it(client, world, redis_broker):
    ColumnMapping.objects.create(school=world.school, kind="houses", columns={"name": "House"})
    client.force_login(world.school_admin)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = client.post(
            reverse("mis_import_upload"),
            {"kind": "houses", "file": SimpleUploadedFile("h.csv", b"House\r\nDarwin\r\n")},
        )
        run = _until(ImportRun.objects.get(), Status.READY)
        assert "Darwin" in client.get(response["Location"]).content.decode()
        client.post(reverse("mis_import_apply", args=[run.pk]))
        _until(run, Status.APPLIED)
    assert House.objects.filter(school=world.school, name="Darwin").exists()
    assert run.content is None


def test_the_page_shows_the_progress_of_an_apply_whose_writes_stay_unseen_until_it_ends(
    client, world, redis_broker, monkeypatch
):
    kind = notes_kind_register(monkeypatch)
    kind.reached, kind.release = threading.Event(), threading.Event()
    client.force_login(world.school_admin)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        client.post(
            reverse("mis_import_upload"),
            {"kind": "test_notes", "file": SimpleUploadedFile("n.xml", b"Darwin\nwait\nFaraday\n")},
        )
        run = _until(ImportRun.objects.get(), Status.READY)
        client.post(reverse("mis_import_apply", args=[run.pk]))
        try:
            assert kind.reached.wait(20), "the worker never reached the middle of the file"
            url = reverse("mis_import_run", args=[run.pk])
            fragment = client.get(url + "?fragment=progress", HTTP_HX_REQUEST="true")
            assert "1 of 3 rows (33%)" in fragment.content.decode()
            assert not House.objects.filter(name="Darwin").exists()  # written, not committed
            # A second confirmation while it runs is refused at once, not queued again.
            started = time.monotonic()
            again = client.post(reverse("mis_import_apply", args=[run.pk]))
            assert time.monotonic() - started < 2
            assert (
                "This file is being applied now." in client.get(again["Location"]).content.decode()
            )
        finally:
            kind.release.set()
        _until(run, Status.APPLIED)
    assert kind.applied == 1
    assert set(
        House.objects.filter(name__in=["Darwin", "Faraday"]).values_list("name", flat=True)
    ) == {
        "Darwin",
        "Faraday",
    }
