"""The nightly sync (`manage.py import_mis` and its beat task): the files an MIS exports
into a school's folder go through the same runs as uploads, in kind order, each applied
only without errors, moved out of the way, and summed up in an email to the school's
admins. These tests commit (as the command does) and read the mail an SMTP server got."""

import fcntl
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import reverse

from mis.models import ColumnMapping, ImportRun
from mis.nightly import LOCK_NAME, mis_nightly_import
from school.models import Pupil, RoleAssignment, TeachingGroup, User
from tests.conftest import staff
from tests.factories import AcademicYearFactory, SubjectFactory
from tests.mis.ctf_builder import ctf_pupils, ctf_xml
from tests.mis.ctf_fixtures import ctf_school_make, snapshot
from tests.smtp_sink import body_text

Role = RoleAssignment.Role
Status = ImportRun.Status

PUPILS = ctf_pupils(6)  # Years 7 to 11 and one more in Year 7
YEAR_7 = [pupil for pupil in PUPILS if pupil["year"] == "7"]
TEACHING_GROUPS = b"Class,Subject,Year\r\n7x/Ma1,Ma,7\r\n"
ENROLMENTS = ("UPN,Class\r\n" + "".join(f"{p['upn']},7x/Ma1\r\n" for p in YEAR_7)).encode()


@pytest.fixture
def school(transactional_db):
    school = ctf_school_make()
    AcademicYearFactory(school=school)
    SubjectFactory(school=school, code="Ma", name="Mathematics")
    staff(school, "admin@made-up.example", (Role.SCHOOL_ADMIN, {}))
    staff(school, "second.admin@made-up.example", (Role.SCHOOL_ADMIN, {}))
    staff(school, "teacher@made-up.example", (Role.TEACHER, {}))
    for kind, columns in (
        ("teaching_groups", {"name": "Class", "subject": "Subject", "year_group": "Year"}),
        ("enrolments", {"upn": "UPN", "group": "Class"}),
    ):
        ColumnMapping.objects.create(school=school, kind=kind, columns=columns)
    return school


def write(folder: Path, name: str, content: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def exported(folder: Path) -> None:
    """What the MIS writes each night: named so that sorting by name would put the
    enrolments before the groups they name."""
    write(folder, "ctf_pupils_9991234.xml", ctf_xml(PUPILS))
    write(folder, "enrolments.csv", ENROLMENTS)
    write(folder, "teaching_groups.csv", TEACHING_GROUPS)


def waiting(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != LOCK_NAME)


def moved(folder: Path, into: str) -> list[str]:
    """The files in done/ or failed/, without the time the name starts with."""
    if not (folder / into).is_dir():
        return []
    return sorted(p.name.split("-", 2)[2] for p in (folder / into).iterdir())


def test_the_command_applies_each_file_in_kind_order_moves_it_and_emails_the_admins(
    school, tmp_path, smtp_sink, client
):
    exported(tmp_path)
    out = io.StringIO()

    call_command("import_mis", school=school.slug, folder=str(tmp_path), stdout=out)

    runs = list(ImportRun.objects.filter(school=school).order_by("pk"))
    assert [run.kind for run in runs] == ["ctf_pupils", "teaching_groups", "enrolments"]
    assert {run.status for run in runs} == {Status.APPLIED}
    assert {run.source for run in runs} == {ImportRun.Source.NIGHTLY}
    assert {run.started_by for run in runs} == {None}
    assert all(run.content is None and run.finished_at for run in runs)
    assert runs[0].counts["added"] == len(PUPILS)
    assert Pupil.objects.filter(school=school).count() == len(PUPILS)
    group = TeachingGroup.objects.get(school=school, name="7x/Ma1")
    assert sorted(group.pupils.values_list("upn", flat=True)) == sorted(p["upn"] for p in YEAR_7)

    assert waiting(tmp_path) == []
    assert moved(tmp_path, "done") == [
        "ctf_pupils_9991234.xml",
        "enrolments.csv",
        "teaching_groups.csv",
    ]
    assert moved(tmp_path, "failed") == []

    for admin in ("admin@made-up.example", "second.admin@made-up.example"):
        message = smtp_sink.wait_for(lambda m, admin=admin: m["To"] == admin)
        assert message["Subject"] == "Nightly import for Made-up Academy: 3 files, 3 applied"
        text = body_text(message)
        assert "ctf_pupils_9991234.xml (Pupils and contacts (Common Transfer File))" in text
        assert f"Applied: {len(PUPILS)} added, 0 changed, 0 marked as left" in text
        (html,) = [p for p in message.walk() if p.get_content_type() == "text/html"]
        html = html.get_payload(decode=True).decode()
        for run in runs:
            url = settings.SITE_URL + reverse("mis_import_run", args=[run.pk])
            assert url in text
            assert f'<a href="{url}"' in html
    assert not [m for m in smtp_sink.messages if m["To"] == "teacher@made-up.example"]
    assert len(smtp_sink.messages) == 2

    printed = out.getvalue()
    assert "  teaching_groups.csv: applied: 1 added, 0 changed" in printed
    assert "Summary emailed to admin@made-up.example, second.admin@made-up.example." in printed
    client.force_login(User.objects.get(email="admin@made-up.example"))
    history = client.get(reverse("mis_import_history")).content.decode()
    assert history.count("Nightly sync") == 3
    assert "enrolments.csv" in history and "ctf_pupils_9991234.xml" in history


def test_the_same_export_the_next_night_changes_nothing(school, tmp_path, smtp_sink):
    exported(tmp_path)
    call_command("import_mis", school=school.slug, folder=str(tmp_path))
    before = snapshot(school)
    exported(tmp_path)

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    second = ImportRun.objects.filter(school=school).order_by("pk")[3:]
    assert [run.status for run in second] == [Status.APPLIED] * 3
    assert [(run.counts["added"], run.counts["changed"], run.counts["left"]) for run in second] == [
        (0, 0, 0)
    ] * 3
    assert snapshot(school) == before
    assert len(moved(tmp_path, "done")) == 6


def test_a_file_with_errors_is_recorded_not_applied_and_moved_to_failed(
    school, tmp_path, smtp_sink
):
    broken = [dict(pupil) for pupil in PUPILS]
    broken[2]["upn"] = ""
    write(tmp_path, "ctf_pupils.xml", ctf_xml(broken))

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    run = ImportRun.objects.get(school=school)
    assert run.status == Status.INVALID
    assert {"column": "UPN", "message": "Missing UPN"} in [
        {"column": error["column"], "message": error["message"]} for error in run.errors
    ]
    assert not Pupil.objects.filter(school=school).exists()
    assert moved(tmp_path, "failed") == ["ctf_pupils.xml"]
    message = smtp_sink.wait_for(lambda m: m["To"] == "admin@made-up.example")
    assert message["Subject"] == (
        "Nightly import for Made-up Academy: 1 file, 0 applied, 1 not applied"
    )
    assert "Not applied: 1 row with errors (nothing was changed)" in body_text(message)


def test_a_file_for_another_school_is_refused_with_the_reason(school, tmp_path, smtp_sink):
    write(tmp_path, "ctf_pupils.xml", ctf_xml(PUPILS, source="9990001"))

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    run = ImportRun.objects.get(school=school)
    assert run.status == Status.FAILED
    assert "This file is for another school" in run.message
    assert not Pupil.objects.filter(school=school).exists()
    assert moved(tmp_path, "failed") == ["ctf_pupils.xml"]
    text = body_text(smtp_sink.wait_for(lambda m: True))
    assert "Not applied: This file is for another school" in text
    assert "999/1234." in text and "999/1234.." not in text


def test_later_files_still_run_when_an_earlier_one_fails(school, tmp_path, smtp_sink):
    write(tmp_path, "ctf_pupils.xml", b"<CTfile><Header>")  # not well-formed
    write(tmp_path, "teaching_groups.csv", TEACHING_GROUPS)

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    assert list(
        ImportRun.objects.filter(school=school).order_by("pk").values_list("kind", "status")
    ) == [("ctf_pupils", Status.FAILED), ("teaching_groups", Status.APPLIED)]
    assert moved(tmp_path, "failed") == ["ctf_pupils.xml"]
    assert moved(tmp_path, "done") == ["teaching_groups.csv"]


def test_a_file_whose_name_names_no_kind_is_kept_in_the_history_as_failed(
    school, tmp_path, smtp_sink
):
    write(tmp_path, "export 05-12-2026.csv", TEACHING_GROUPS)
    write(tmp_path, "staffing.csv", b"Forename,Surname\r\n")  # "staff" then a letter

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    runs = ImportRun.objects.filter(school=school).order_by("file_name")
    assert [(run.file_name, run.kind, run.status) for run in runs] == [
        ("export 05-12-2026.csv", "unrecognised", Status.FAILED),
        ("staffing.csv", "unrecognised", Status.FAILED),
    ]
    assert "does not say what kind of file it is" in runs[0].message
    assert not TeachingGroup.objects.filter(school=school).exists()
    assert moved(tmp_path, "failed") == ["export 05-12-2026.csv", "staffing.csv"]


def test_a_csv_whose_columns_were_never_chosen_waits_on_its_page(school, tmp_path, smtp_sink):
    ColumnMapping.objects.filter(school=school, kind="teaching_groups").delete()
    write(tmp_path, "teaching_groups.csv", TEACHING_GROUPS)

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    run = ImportRun.objects.get(school=school)
    assert run.status == Status.READING and not run.mapping
    assert bytes(run.content) == TEACHING_GROUPS  # the admin chooses its columns on its page
    assert not TeachingGroup.objects.filter(school=school).exists()
    assert moved(tmp_path, "failed") == ["teaching_groups.csv"]
    assert "choose them on its page" in body_text(smtp_sink.wait_for(lambda m: True))


def test_files_still_being_written_and_hidden_files_are_left_alone(school, tmp_path, smtp_sink):
    write(tmp_path, "teaching_groups.csv.part", TEACHING_GROUPS)
    write(tmp_path, "enrolments.csv.tmp", ENROLMENTS)
    write(tmp_path, ".teaching_groups.csv", TEACHING_GROUPS)

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    assert not ImportRun.objects.exists()
    assert waiting(tmp_path) == [
        ".teaching_groups.csv",
        "enrolments.csv.tmp",
        "teaching_groups.csv.part",
    ]
    assert smtp_sink.messages == []  # nothing taken, nothing to tell


def test_a_folder_another_sync_holds_is_left_for_it(school, tmp_path, smtp_sink):
    write(tmp_path, "teaching_groups.csv", TEACHING_GROUPS)
    errors = io.StringIO()
    with open(tmp_path / LOCK_NAME, "a") as held:  # as a sync still running would hold it
        fcntl.flock(held, fcntl.LOCK_EX)
        call_command("import_mis", school=school.slug, folder=str(tmp_path), stderr=errors)
    assert "another import of this folder is running; skipped" in errors.getvalue()
    assert waiting(tmp_path) == ["teaching_groups.csv"]
    assert not ImportRun.objects.exists()


def test_processed_files_are_deleted_after_the_days_kept(school, tmp_path, settings, smtp_sink):
    settings.MIS_IMPORT_KEEP_DAYS = 30
    old = write(tmp_path / "done", "20261001-023000-staff.csv", b"x")
    recent = write(tmp_path / "failed", "20261201-023000-staff.csv", b"x")
    long_ago = time.time() - 31 * 24 * 60 * 60
    os.utime(old, (long_ago, long_ago))

    exported_long_ago = write(tmp_path, "teaching_groups.csv", TEACHING_GROUPS)
    os.utime(exported_long_ago, (long_ago, long_ago))

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    assert not old.exists()
    assert recent.exists()
    (processed,) = (tmp_path / "done").iterdir()  # kept from the day it was imported
    assert time.time() - processed.stat().st_mtime < 60 * 60
    call_command("import_mis", school=school.slug, folder=str(tmp_path))
    assert processed.exists()


def test_the_beat_task_reads_every_school_folder_under_the_root(
    school, tmp_path, settings, smtp_sink
):
    settings.MIS_IMPORT_ROOT = str(tmp_path)
    write(tmp_path / school.slug, "teaching_groups.csv", TEACHING_GROUPS)
    write(tmp_path / "no-such-school", "teaching_groups.csv", TEACHING_GROUPS)

    assert mis_nightly_import.apply().get() == {school.slug: 1}

    assert TeachingGroup.objects.filter(school=school, name="7x/Ma1").exists()
    assert moved(tmp_path / school.slug, "done") == ["teaching_groups.csv"]
    assert waiting(tmp_path / "no-such-school") == ["teaching_groups.csv"]


def test_all_reads_the_root_and_without_a_slug_or_root_the_command_refuses(
    school, tmp_path, settings, smtp_sink
):
    settings.MIS_IMPORT_ROOT = str(tmp_path)
    write(tmp_path / school.slug, "teaching_groups.csv", TEACHING_GROUPS)
    call_command("import_mis", all=True, no_email=True)
    assert ImportRun.objects.get(school=school).status == Status.APPLIED
    assert smtp_sink.messages == []

    with pytest.raises(CommandError, match="No school has the slug 'nope'"):
        call_command("import_mis", school="nope")
    settings.MIS_IMPORT_ROOT = ""
    with pytest.raises(CommandError, match="Give --folder, or set MIS_IMPORT_ROOT"):
        call_command("import_mis", school=school.slug)
    with pytest.raises(CommandError, match="is not a folder"):
        call_command("import_mis", all=True)


def test_a_school_without_admins_with_an_email_gets_no_summary(school, tmp_path, smtp_sink):
    User.objects.filter(email__endswith="admin@made-up.example").update(is_active=False)
    write(tmp_path, "teaching_groups.csv", TEACHING_GROUPS)

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    assert ImportRun.objects.get(school=school).status == Status.APPLIED
    assert smtp_sink.messages == []


def settings_in_a_new_process(code: str, **environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "homework_mgmt.settings", **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_time_that_is_no_time_stops_the_settings_with_the_reason():
    result = settings_in_a_new_process("", MIS_IMPORT_ROOT="/srv/mis", MIS_IMPORT_AT="2.30am")
    assert result.returncode != 0
    assert "MIS_IMPORT_AT must be a time as HH:MM, not '2.30am'." in result.stderr


@pytest.mark.parametrize(("root", "scheduled"), [("/srv/mis", True), ("", False)])
def test_beat_runs_the_import_nightly_only_when_a_root_is_configured(root, scheduled):
    code = (
        "from django.conf import settings; "
        "entry = settings.CELERY_BEAT_SCHEDULE.get('mis-nightly-import'); "
        "print(entry and entry['task'], entry and sorted(entry['schedule'].hour), "
        "entry and sorted(entry['schedule'].minute))"
    )
    result = settings_in_a_new_process(code, MIS_IMPORT_ROOT=root, MIS_IMPORT_AT="03:45")
    assert result.returncode == 0, result.stderr
    expected = "mis.nightly.mis_nightly_import [3] [45]" if scheduled else "None None None"
    assert result.stdout.strip() == expected


def test_an_empty_file_and_one_over_20_mb_are_refused_unread(school, tmp_path, smtp_sink):
    write(tmp_path, "staff.csv", b"")
    with open(write(tmp_path, "ctf_pupils.xml", b""), "r+b") as huge:
        huge.truncate(21 * 1024 * 1024)

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    runs = {run.file_name: run for run in ImportRun.objects.filter(school=school)}
    assert runs["staff.csv"].status == Status.FAILED
    assert runs["staff.csv"].message == "The file is empty."
    assert runs["ctf_pupils.xml"].status == Status.FAILED
    assert runs["ctf_pupils.xml"].message.startswith("The file is 21.0 MB: the import takes")
    assert all(run.content is None for run in runs.values())
    assert moved(tmp_path, "failed") == ["ctf_pupils.xml", "staff.csv"]


def test_a_file_that_would_take_many_off_roll_waits_for_an_admin(school, tmp_path, smtp_sink):
    roll = ctf_pupils(30)
    write(tmp_path, "ctf_pupils.xml", ctf_xml(roll))
    call_command("import_mis", school=school.slug, folder=str(tmp_path), no_email=True)
    # An export set up for one year group instead of the whole roll.
    write(tmp_path, "ctf_pupils.xml", ctf_xml(roll[:8]))

    call_command("import_mis", school=school.slug, folder=str(tmp_path))

    run = ImportRun.objects.filter(school=school).latest("pk")
    assert run.status == Status.READY and run.counts["left"] == 22
    assert not Pupil.objects.filter(school=school, left_on__isnull=False).exists()
    message = smtp_sink.wait_for(lambda m: m["To"] == "admin@made-up.example")
    assert "it would mark 22 as left, more than one in ten of those it lists" in body_text(message)


def test_a_few_leavers_a_night_are_applied(school, tmp_path, smtp_sink):
    roll = ctf_pupils(30)
    write(tmp_path, "ctf_pupils.xml", ctf_xml(roll))
    call_command("import_mis", school=school.slug, folder=str(tmp_path), no_email=True)
    write(tmp_path, "ctf_pupils.xml", ctf_xml(roll[:-2]))

    call_command("import_mis", school=school.slug, folder=str(tmp_path), no_email=True)

    run = ImportRun.objects.filter(school=school).latest("pk")
    assert run.status == Status.APPLIED and run.counts["left"] == 2
    assert Pupil.objects.filter(school=school, left_on__isnull=False).count() == 2
