"""Bad input on the homework form: each gets a clear message and nothing is saved, not a
homework, not an assignment, not a file. A due date on a non-school day warns, and the
teacher may set it anyway. The clock stands on Monday 14/09/2026."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homework.forms.uploads import MAX_UPLOAD_BYTES
from homework.models import Assignment, Attachment, Homework
from school.models import NonSchoolDay
from tests.factories import HalfTermFactory

from .test_setting_form import form_data, monday_world, pdf, stored_files

NOTHING_SAVED = "The homework was not saved"


@pytest.fixture
def setting_world(time_machine, world, settings, tmp_path):
    return monday_world(time_machine, world, settings, tmp_path)


def post(client, world, **changes):
    client.force_login(world.teacher)
    return client.post(reverse("homework_new"), form_data([world.maths_7], **changes))


def assert_nothing_saved(world):
    assert not Homework.objects.exists()
    assert not Assignment.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(world) == []


def field_errors(page, name) -> str:
    """The words of the errors shown under one field (crispy's block, which the field's
    aria-describedby names)."""
    match = re.search(
        rf'<div id="id_{name}_error" class="invalid-feedback">(.*?)</div>', page, re.S
    )
    assert match, f"no errors shown under {name}"
    assert re.search(rf'aria-describedby="[^"]*\bid_{name}_error"', page), "not described by it"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "Give the homework a title."),
        ({"instructions": ""}, "instructions", "Write the instructions pupils will follow."),
        (
            {"instructions": "x" * 20001},
            "instructions",
            "Write at most 20000 characters (this has 20001).",
        ),
        (
            {"set_on": "16/09/2026", "due_on": "15/09/2026"},
            "due_on",
            "The due date must be on or after the set date (16/09/2026).",
        ),
        ({"teaching_groups": []}, "teaching_groups", "Choose at least one of your classes."),
        ({"due_on": "2026-13-45"}, "due_on", "Enter a real date."),
        ({"due_on": "14/09/9999"}, "due_on", "Enter a date in the years"),
        ({"due_time": "25:00"}, "due_time", "Enter a time, e.g. 15:30."),
        ({"estimated_minutes": "0"}, "estimated_minutes", "Estimate at least 1 minute."),
        (
            {"estimated_minutes": "601"},
            "estimated_minutes",
            "Estimate at most 600 minutes (10 hours).",
        ),
        (
            {"due_on": "14/09/2026", "due_time": "08:00"},
            "due_on",
            "14/09/2026 at 08:00 has already passed",
        ),
        (
            {"resource_links": "https://example.org/ok\nwww.bbc.co.uk/bitesize"},
            "resource_links",
            "Line 2, “www.bbc.co.uk/bitesize”, is not a web address",
        ),
        (
            {"resource_links": "javascript:alert(1)"},
            "resource_links",
            "Line 1, “javascript:alert(1)”, is not a web address",
        ),
        (
            {"audience": "chosen"},
            "pupils",
            "Choose at least one pupil, or set it for the whole class.",
        ),
    ],
    ids=[
        "empty title",
        "no instructions",
        "instructions too long",
        "due before set",
        "no class",
        "bad date",
        "a year no school means",
        "bad time",
        "too short",
        "too long",
        "already passed",
        "bad link",
        "script link",
        "no pupils chosen",
    ],
)
def test_bad_input_is_refused_with_a_clear_message_under_its_field_and_nothing_saved(
    client, setting_world, changes, field, message
):
    response = post(client, setting_world, attachments=[pdf()], **changes)
    page = response.content.decode()
    assert response.status_code == 200
    assert NOTHING_SAVED in page
    assert message in field_errors(page, field)
    assert "choose your files again" in page
    assert_nothing_saved(setting_world)


def test_due_on_the_set_date_is_allowed(client, setting_world):
    response = post(client, setting_world, due_on="14/09/2026", due_time="18:00")
    assert response.status_code == 302


def test_a_file_over_10_mb_is_refused_by_name(client, setting_world):
    big = SimpleUploadedFile("big-worksheet.pdf", b"%PDF-1.4" + b"0" * MAX_UPLOAD_BYTES)
    response = post(client, setting_world, attachments=[pdf(), big])
    page = response.content.decode()
    assert "“big-worksheet.pdf” is too large" in page
    assert "each file can be at most 10 MB" in page
    assert_nothing_saved(setting_world)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("game.exe", b"MZ\x90\x00\x03", "application/octet-stream"),
            "“game.exe” is not a type of file we accept.",
        ),
        (
            SimpleUploadedFile("worksheet.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "application/pdf"),
            "“worksheet.pdf” is not really a PDF file: its contents are of another kind.",
        ),
        (
            SimpleUploadedFile("photo.png", b"GIF89a\x01\x00", "image/png"),
            "“photo.png” is not really a PNG file",
        ),
        (
            SimpleUploadedFile("notes.txt", b"\x7fELF\x02\x01\x01\x00", "text/plain"),
            "“notes.txt” is not really a text file",
        ),
        (
            SimpleUploadedFile("essay.docx", b"%PDF-1.4", "application/msword"),
            "“essay.docx” is not really a Word file",
        ),
    ],
    ids=["exe", "program named pdf", "gif named png", "binary named txt", "pdf named docx"],
)
def test_a_disallowed_file_is_refused_by_name(client, setting_world, upload, message):
    response = post(client, setting_world, attachments=[upload])
    assert message in response.content.decode()
    assert_nothing_saved(setting_world)


def test_each_allowed_kind_of_file_is_accepted(client, setting_world):
    files = [
        SimpleUploadedFile("a.docx", b"PK\x03\x04word"),
        SimpleUploadedFile("b.jpg", b"\xff\xd8\xff\xe0JFIF"),
        SimpleUploadedFile("c.mp3", b"ID3\x03\x00"),
        SimpleUploadedFile("d.mp4", b"\x00\x00\x00\x18ftypmp42"),
        SimpleUploadedFile("e.ppt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    ]
    response = post(client, setting_world, attachments=files)
    assert response.status_code == 302
    types = dict(Attachment.objects.values_list("original_name", "content_type"))
    assert types == {
        "a.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "b.jpg": "image/jpeg",
        "c.mp3": "audio/mpeg",
        "d.mp4": "video/mp4",
        "e.ppt": "application/vnd.ms-powerpoint",
    }


def test_more_than_five_files_are_refused(client, setting_world):
    response = post(client, setting_world, attachments=[pdf(f"sheet{n}.pdf") for n in range(6)])
    assert "You can attach at most 5 files at once." in response.content.decode()
    assert_nothing_saved(setting_world)


@pytest.mark.parametrize(
    ("due_on", "reason"),
    [
        ("19/09/2026", "a weekend"),
        ("18/09/2026", "INSET (staff training) day: Staff training"),
        ("23/10/2026", "a school holiday (outside every half-term)"),
    ],
    ids=["saturday", "inset day", "holiday"],
)
def test_a_non_school_day_warns_and_can_be_set_anyway(client, setting_world, due_on, reason):
    w = setting_world
    NonSchoolDay.objects.create(
        school=w.school, date=datetime.date(2026, 9, 18), kind="inset", description="Staff training"
    )
    HalfTermFactory(
        academic_year=w.academic_year,
        start_date=datetime.date(2026, 9, 2),
        end_date=datetime.date(2026, 10, 16),
    )
    warned = post(client, w, due_on=due_on, attachments=[pdf()])
    page = warned.content.decode()
    assert warned.status_code == 200
    assert f"is not a school day ({reason})" in page
    assert "Set it anyway" in page
    assert "choose your files again" in page
    assert_nothing_saved(w)

    confirmed = post(client, w, due_on=due_on, confirm_non_school_day="on")
    assert confirmed.status_code == 302
    homework = Homework.objects.get()
    assert homework.due_at.date() == datetime.datetime.strptime(due_on, "%d/%m/%Y").date()


def test_a_school_day_inside_a_half_term_does_not_warn(client, setting_world):
    HalfTermFactory(academic_year=setting_world.academic_year)
    response = post(client, setting_world, due_on="17/09/2026")
    assert response.status_code == 302
