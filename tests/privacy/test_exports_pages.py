"""The export pages around the build: the progress while it is built (htmx polls it, a
Refresh link without JavaScript), a build that fails and is started again, exports never
downloaded expiring, the third-party rule of the builder's context, and what each page
and the build cost in queries, however many rows there are."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from privacy import tasks
from privacy.exports import build
from privacy.exports.build import BUILD_FAILED, export_build
from privacy.exports.context import RedactingContext
from privacy.exports.expiry import exports_expire
from privacy.models import SubjectAccessExport
from tests.factories import PupilFactory

from .export_records import records_add
from .permission_rows_exports import export_of

Status = SubjectAccessExport.Status


def test_the_page_shows_progress_while_it_is_built_and_htmx_polls_it(client, world):
    export = export_of(world, status=Status.BUILDING, sections_done=3, sections_total=12)
    client.force_login(world.school_admin)
    url = reverse("privacy_export", args=[export.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "3 of 12 sections (25%)" in page
    assert f'<a href="{url}">Refresh</a>' in page  # without JavaScript
    assert ">Download<" not in page and "Start again" not in page

    fragment = client.get(url, {"fragment": "progress"}, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "3 of 12 sections" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()

    SubjectAccessExport.objects.filter(pk=export.pk).update(status=Status.READY)
    done = client.get(url, {"fragment": "progress"}, HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"


def test_a_build_that_fails_says_so_and_starts_again(
    client, homework_world, monkeypatch, django_capture_on_commit_callbacks
):
    w = homework_world
    client.force_login(w.school_admin)

    def broken(subject, archive_or_context):
        raise RuntimeError("storage is full")

    monkeypatch.setattr(build, "_csv", broken)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("privacy_export_pupil", args=[w.pupil.pk]))
    export = SubjectAccessExport.objects.get()
    assert (export.status, export.message, export.file.name) == (Status.FAILED, BUILD_FAILED, "")
    page = client.get(reverse("privacy_export", args=[export.pk])).content.decode()
    assert "could not be built" in page and "Start again" in page

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy_export_restart", args=[export.pk]))
    assert response["Location"] == reverse("privacy_export", args=[export.pk])
    export.refresh_from_db()
    assert (export.status, export.message) == (Status.READY, "")
    # A ready export is not started again.
    refused = client.post(reverse("privacy_export_restart", args=[export.pk]), follow=True)
    assert "not waiting to be started again" in refused.content.decode()


def test_an_export_not_downloaded_in_time_expires_and_its_file_goes(
    world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVACY_EXPORT_KEEP_DAYS = 7
    now = timezone.now()
    old = export_of(world, status=Status.READY, finished_at=now - datetime.timedelta(days=8))
    old.file.save("old.zip", ContentFile(b"PK"), save=True)
    fresh = export_of(world, status=Status.READY, finished_at=now - datetime.timedelta(days=6))
    fresh.file.save("fresh.zip", ContentFile(b"PK"), save=True)
    old_name = old.file.name
    # Beat runs the task daily; the task expires what is due now.
    entry = settings.CELERY_BEAT_SCHEDULE["privacy-exports-expire"]
    assert entry["task"] == tasks.subject_access_exports_expire.name
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.subject_access_exports_expire.delay().get() == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, old.file.name) == (Status.EXPIRED, "")
    assert "Not downloaded within 7 days" in old.message
    assert not default_storage.exists(old_name)
    assert fresh.status == Status.READY and default_storage.exists(fresh.file.name)
    assert exports_expire(now=now) == 0  # a second run finds nothing


def test_the_context_takes_out_other_pupils_full_names_only(world):
    PupilFactory(tutor_group=world.tg_7a, first_name="Mary Jane", last_name="O'Neil")
    context = RedactingContext(school_id=world.school.pk, allowed_pupil_ids=[world.pupil.pk])
    assert context.redact("Amara Okafor sat by Bartek Nowak.") == (
        "Amara Okafor sat by [another pupil]."
    )
    assert context.redact("NOWAK, Bartek and mary  jane o'neil") == (
        "[another pupil] and [another pupil]"
    )
    assert context.redact("Bartek was late; Nowak too; Bartek Nowakowski") == (
        "Bartek was late; Nowak too; Bartek Nowakowski"
    )
    assert context.redact("Chidi Okafor is her brother") == "[another pupil] is her brother"
    # Staff keep their names; another school's pupils are not the school's to know.
    assert context.redact("Tess Teacher and Zed") == "Tess Teacher and Zed"
    family = RedactingContext(
        school_id=world.school.pk, allowed_pupil_ids=[world.pupil.pk, world.year8_pupil.pk]
    )
    assert family.redact("Chidi Okafor is her brother") == "Chidi Okafor is her brother"


@pytest.mark.parametrize("extra", [0, 3])
def test_the_build_costs_the_same_however_many_rows_each_section_has(
    homework_world, settings, extra
):
    w = records_add(homework_world, extra=extra)
    export = export_of(w, status=Status.QUEUED)
    with CaptureQueriesContext(connection) as queries:
        export_build(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == Status.READY
    # The claim (savepoint, lock, save, release), the sections' total, the other pupils'
    # names for the context; each of the 24 sections' reads (30: one each, but the
    # classes' teachers, the homework's files, the notifications' deliveries and actions,
    # and the login's two sign-in logs) and its progress (24); the homework files to put
    # in the ZIP; the finished export's save. The same at both sizes.
    assert len(queries) == 4 + 1 + 1 + 30 + 24 + 1 + 1, [
        q["sql"][:120] for q in queries.captured_queries
    ]


def _exports(world, n):
    for _ in range(n):
        export_of(
            world,
            status=Status.DOWNLOADED,
            downloaded_by=world.school_admin,
            downloaded_at=timezone.now(),
        )


@pytest.mark.parametrize("extra", [0, 30])
def test_the_log_of_exports_costs_the_same_however_many(
    client, world, extra, django_assert_max_num_queries
):
    _exports(world, 1 + extra)
    client.force_login(world.school_admin)
    # session, user, roles (lead), the school; the exports: count, page with who asked
    # and who downloaded.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("privacy_exports"))
    assert response.status_code == 200
    assert response.content.decode().count("Amara Okafor") == min(1 + extra, 50)


@pytest.mark.parametrize("extra", [0, 15])
def test_the_person_pages_panel_costs_the_same_however_many_exports(
    client, world, extra, django_assert_max_num_queries
):
    _exports(world, 1 + extra)
    client.force_login(world.school_admin)
    for url in (
        reverse("privacy_pupil", args=[world.pupil.pk]),
        reverse("privacy_guardian", args=[world.guardian.pk]),
    ):
        with CaptureQueriesContext(connection) as page:
            response = client.get(url)
        assert response.status_code == 200
        assert "Make a subject access export" in response.content.decode()
        # The page's other panels are other areas' to count; the exports panel reads the
        # person's last ten exports, with who asked and who downloaded, in one query.
        exports_read = [q for q in page.captured_queries if "subjectaccessexport" in q["sql"]]
        assert len(exports_read) == 1


def test_the_export_page_costs_a_fixed_number_of_queries(
    client, world, django_assert_max_num_queries
):
    export = export_of(world, status=Status.READY, size=2048)
    client.force_login(world.school_admin)
    # session, user, roles (lead), the export with its school, who asked and downloaded.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("privacy_export", args=[export.pk]))
    assert "2.0\xa0KB" in response.content.decode()
