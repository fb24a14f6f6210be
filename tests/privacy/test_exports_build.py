"""A subject access export, end to end: the lead makes one from the pupil's (or the
guardian's) page, the worker builds it, and the one download is a ZIP holding a readable
report, data.json, a CSV per section and the uploaded files, with every record of the
person, staff named, and no other pupil's name anywhere."""

import io
import json
import re
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.html import escape

from homework.models import SubmissionFile
from privacy.models import SubjectAccessExport
from privacy.registry import GUARDIAN, PUPIL, export_sections
from school.looked import looked_at

from .export_records import records_add

Status = SubjectAccessExport.Status


def export_made(client, capture, url) -> SubjectAccessExport:
    """POST the person page's button; the queued build runs once the request commits."""
    with capture(execute=True):
        response = client.post(url)
    export = SubjectAccessExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy_export", args=[export.pk])
    export.refresh_from_db()
    return export


def downloaded(client, export, capture):
    """The one download; the stored file is removed once the request commits."""
    with capture(execute=True):
        response = client.post(reverse("privacy_export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return response, zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def texts(archive) -> dict[str, str]:
    return {
        name: archive.read(name).decode("utf-8")
        for name in archive.namelist()
        if name.endswith((".html", ".css", ".json", ".csv"))
    }


@pytest.fixture
def records(homework_world):
    return records_add(homework_world)


def test_a_pupils_export_holds_every_record_and_file_in_one_zip(
    client, records, django_capture_on_commit_callbacks
):
    w = records
    client.force_login(w.school_admin)
    page = client.get(reverse("privacy_pupil", args=[w.pupil.pk])).content.decode()
    assert "Make a subject access export" in page
    assert reverse("privacy_export_pupil", args=[w.pupil.pk]) in page

    export = export_made(
        client,
        django_capture_on_commit_callbacks,
        reverse("privacy_export_pupil", args=[w.pupil.pk]),
    )
    assert (export.status, export.requested_by, export.subject_name) == (
        Status.READY,
        w.school_admin,
        "Amara Okafor",
    )
    keys = [section.key for section in export_sections(PUPIL)]
    assert export.sections_done == export.sections_total == len(keys)
    stored = export.file.name
    assert default_storage.exists(stored)
    page = client.get(reverse("privacy_export", args=[export.pk])).content.decode()
    assert "Ready to download" in page and ">Download<" in page

    response, archive = downloaded(client, export, django_capture_on_commit_callbacks)
    names = set(archive.namelist())
    assert {"report.html", "report.css", "data.json"} <= names
    assert {f"csv/{key}.csv" for key in keys} <= names
    uploads = [name for name in names if name.startswith("files/pupil_homework/")]
    assert len(uploads) == 1 and uploads[0].endswith("-fractions0.txt")
    assert archive.read(uploads[0]) == b"1/2 + 1/4 = 3/4"

    report = archive.read("report.html").decode()
    assert "Everything Test Academy holds about Amara Okafor" in report
    assert '<link rel="stylesheet" href="report.css">' in report
    assert "<script" not in report and "style=" not in report
    for section in export_sections(PUPIL):
        assert f'href="#{section.key}"' in report and escape(section.title) in report
    assert "Tess Teacher" in report  # staff act for the school: named
    assert "Good work; do not copy from [another pupil] again." in report
    assert "Fractions practice" in report and "8/10" in report
    assert "Recorded in error" in report and "Excused" in report and "Ill that week" in report
    assert "Agreed a plan; [another pupil]&#x27;s mother was told nothing." in report
    assert "D12" in report and "Homework club" in report
    assert "Ngozi Okafor" in report  # signed the agreement, wrote the messages
    assert "[another pupil] took her book" in report
    assert "Pupil page" in report  # the access log
    # No other pupil anywhere: not in free text, not as a fellow attendee.
    for name, text in texts(archive).items():
        assert not re.search("bartek|nowak", text, re.I), name

    data = json.loads(archive.read("data.json"))
    assert data["export"]["name"] == "Amara Okafor" and data["export"]["about"] == PUPIL
    sections = {section["key"]: section for section in data["sections"]}
    assert list(sections) == keys
    misses = sections["pupil_misses"]["rows"]
    assert {row["Status"] for row in misses} == {"Counted", "Recorded in error", "Excused"}
    assert "Meant [another pupil] (0)" in {row["Why it changed"] for row in misses}
    assert len(sections["pupil_detentions"]["rows"]) == 1  # the pupil's booking only
    assert len(sections["pupil_club_visits"]["rows"]) == 1
    assert sections["pupil_club_visits"]["rows"][0]["Minutes"] == 45
    notifications = sections["pupil_notifications"]["rows"]
    assert notifications[0]["Deliveries"].startswith("Email: Sent")
    assert "Sent again" in notifications[0]["Staff actions"]
    logins = sections["pupil_login"]["rows"]
    assert [(row["Record"], row["Email"]) for row in logins] == [
        ("Login", "pupil@test.school"),
        ("Sign-in", "pupil@test.school"),
        ("Failed sign-in attempts", "pupil@test.school"),
    ]
    assert logins[2]["Detail"] == "2 failed" and logins[1]["IP address"] == "192.0.2.9"
    assert sections["pupil_homework"]["files"][0]["missing"] is False
    assert sections["pupil_details"]["rows"][0]["Free school meals"] == "Yes"
    assert (
        sections["pupil_details"]["rows"][0]["Date of birth"] == w.pupil.date_of_birth.isoformat()
    )

    homework_csv = archive.read("csv/pupil_homework.csv").decode("utf-8-sig")
    assert "'=1+1 was the hard part" in homework_csv  # a formula, neutralised
    assert homework_csv.splitlines()[0].startswith("Homework,Subject,Class,Set by")

    export.refresh_from_db()
    assert export.status == Status.DOWNLOADED
    assert export.downloaded_by == w.school_admin and export.downloaded_at is not None
    assert not export.file and not default_storage.exists(stored)
    assert [(look.pupil_id, look.page) for look in looked_at(response.wsgi_request)] == [
        (w.pupil.pk, "Subject access export")
    ]


def test_an_export_is_downloaded_once_and_then_says_by_whom(
    client, homework_world, django_capture_on_commit_callbacks
):
    w = homework_world
    client.force_login(w.school_admin)
    export = export_made(
        client,
        django_capture_on_commit_callbacks,
        reverse("privacy_export_pupil", args=[w.pupil.pk]),
    )
    downloaded(client, export, django_capture_on_commit_callbacks)
    again = client.post(reverse("privacy_export_download", args=[export.pk]), follow=True)
    text = again.content.decode()
    assert again.redirect_chain[-1][0] == reverse("privacy_export", args=[export.pk])
    assert "already downloaded by" in text and escape(str(w.school_admin)) in text
    assert ">Download<" not in text
    log = client.get(reverse("privacy_exports")).content.decode()
    assert "Amara Okafor" in log and "Downloaded" in log


def test_a_missing_upload_is_listed_as_missing_and_the_rest_is_exported(
    client, records, django_capture_on_commit_callbacks
):
    w = records
    upload = SubmissionFile.objects.get()
    upload.file.delete(save=False)
    client.force_login(w.school_admin)
    export = export_made(
        client,
        django_capture_on_commit_callbacks,
        reverse("privacy_export_pupil", args=[w.pupil.pk]),
    )
    assert export.status == Status.READY
    _response, archive = downloaded(client, export, django_capture_on_commit_callbacks)
    assert not [name for name in archive.namelist() if name.startswith("files/")]
    assert "fractions0.txt: the file is missing" in archive.read("report.html").decode()
    data = json.loads(archive.read("data.json"))
    (homework,) = [s for s in data["sections"] if s["key"] == "pupil_homework"]
    assert homework["files"] == [
        {"name": f"{upload.pk}-fractions0.txt", "path": "", "missing": True}
    ]


def test_a_guardians_export_holds_their_own_records_and_names_their_children_only(
    client, records, django_capture_on_commit_callbacks
):
    w = records
    client.force_login(w.school_admin)
    page = client.get(reverse("privacy_guardian", args=[w.guardian.pk])).content.decode()
    assert "Make a subject access export" in page
    export = export_made(
        client,
        django_capture_on_commit_callbacks,
        reverse("privacy_export_guardian", args=[w.guardian.pk]),
    )
    assert export.status == Status.READY and export.guardian == w.guardian
    _response, archive = downloaded(client, export, django_capture_on_commit_callbacks)
    data = json.loads(archive.read("data.json"))
    sections = {section["key"]: section["rows"] for section in data["sections"]}
    assert list(sections) == [section.key for section in export_sections(GUARDIAN)]
    assert sections["guardian_details"][0]["Last name"] == "Okafor"
    children = {row["Child"] for row in sections["guardian_children"]}
    assert children == {"Amara Okafor", "Chidi Okafor"}
    assert sections["guardian_changes"][0]["Became"] == "07700 900123"
    assert sections["guardian_login"][0]["Email"] == "parent@test.school"
    assert sections["guardian_signatures"][0]["For"] == "Amara Okafor"
    assert sections["guardian_invitations"][0]["What"] == "Invitation"
    assert sections["guardian_preferences"][0]["How"] == "Straight away"
    assert len(sections["guardian_notifications"]) == 1
    assert "Amara says [another pupil] took her book (0)." in {
        row["Message"] for row in sections["guardian_messages"]
    }
    report = archive.read("report.html").decode()
    assert "Amara Okafor" in report  # their own child is no third party to them
    for name, text in texts(archive).items():
        assert not re.search("bartek|nowak", text, re.I), name


def test_a_lead_of_another_school_gets_404_for_our_exports_and_people(
    client, homework_world, django_capture_on_commit_callbacks
):
    w = homework_world
    client.force_login(w.school_admin)
    export = export_made(
        client,
        django_capture_on_commit_callbacks,
        reverse("privacy_export_pupil", args=[w.pupil.pk]),
    )
    client.force_login(w.other_school_staff)
    assert client.get(reverse("privacy_export", args=[export.pk])).status_code == 404
    assert client.post(reverse("privacy_export_download", args=[export.pk])).status_code == 404
    assert client.post(reverse("privacy_export_restart", args=[export.pk])).status_code == 404
    assert client.post(reverse("privacy_export_pupil", args=[w.pupil.pk])).status_code == 404
    assert client.post(reverse("privacy_export_guardian", args=[w.guardian.pk])).status_code == 404
    assert "Amara" not in client.get(reverse("privacy_exports")).content.decode()
    export.refresh_from_db()
    assert export.status == Status.READY and export.downloaded_at is None
    assert SubjectAccessExport.objects.count() == 1


def test_a_superuser_makes_and_downloads_an_export_staying_at_the_school(
    client, homework_world, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    w = homework_world
    root = UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    client.force_login(root)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy_export_guardian", args=[w.guardian.pk]) + "?school=test"
        )
    export = SubjectAccessExport.objects.get()
    assert response["Location"] == reverse("privacy_export", args=[export.pk]) + "?school=test"
    page = client.get(response["Location"]).content.decode()
    assert reverse("privacy_export_download", args=[export.pk]) + "?school=test" in page
    _response, archive = downloaded(client, export, django_capture_on_commit_callbacks)
    assert "report.html" in archive.namelist()
