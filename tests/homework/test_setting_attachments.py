"""Downloading homework attachments: always as a file to save, and only for people who
can see the homework (its class's teachers, staff who may see the class, the pupils given
it once it is set, and their parents). Everyone else gets 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homework.services.planner import submission_submit
from homework.services.setting import (
    HomeworkDetails,
    homework_delete,
    homework_publish,
    homework_set,
)


def download(client, user, attachment):
    client.force_login(user)
    return client.get(reverse("homework_attachment", args=[attachment.pk]))


def test_pupil_of_the_class_downloads_it_as_an_attachment(client, homework_world):
    w = homework_world
    response = download(client, w.pupil.user, w.maths_attachment)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="worksheet.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 fractions"


def test_pupil_of_another_class_gets_404(client, homework_world):
    w = homework_world
    assert download(client, w.pupil.user, w.year8_attachment).status_code == 404


def test_parent_of_a_pupil_in_the_class_downloads_it(client, homework_world):
    w = homework_world
    assert download(client, w.parent, w.maths_attachment).status_code == 200
    assert download(client, w.parent, w.year8_attachment).status_code == 200  # Chidi's class


def test_another_parent_gets_404(client, homework_world):
    w = homework_world
    assert download(client, w.other_parent, w.year8_attachment).status_code == 404


@pytest.mark.parametrize("who", ["other_school_staff", "other_school_teacher"])
def test_another_schools_staff_get_404(client, homework_world, who):
    w = homework_world
    assert download(client, getattr(w, who), w.maths_attachment).status_code == 404


def test_staff_who_see_the_class_download_it(client, homework_world):
    w = homework_world
    for user in (w.teacher, w.head_of_year, w.subject_leader, w.senior_leader):
        assert download(client, user, w.maths_attachment).status_code == 200
    assert download(client, w.other_teacher, w.maths_attachment).status_code == 404
    assert download(client, w.lsa, w.maths_attachment).status_code == 404


@pytest.fixture
def draft_attachment(homework_world):
    w = homework_world
    (draft,) = homework_set(
        teacher=w.teacher,
        teaching_groups=[w.maths_7],
        details=HomeworkDetails(
            title="Draft with a sheet",
            instructions="Not yet.",
            set_on=w.maths_homework.set_on,
            due_at=w.maths_homework.due_at,
            estimated_minutes=20,
        ),
        files=[SimpleUploadedFile("secret.pdf", b"%PDF-1.4 not yet", "application/pdf")],
        as_draft=True,
    )
    return draft.attachments.get()


def test_a_drafts_attachment_is_hidden_from_pupils_and_parents(
    client, homework_world, draft_attachment
):
    w = homework_world
    assert download(client, w.pupil.user, draft_attachment).status_code == 404
    assert download(client, w.parent, draft_attachment).status_code == 404
    assert download(client, w.teacher, draft_attachment).status_code == 200


def test_once_the_draft_is_set_pupils_download_it(client, homework_world, draft_attachment):
    w = homework_world
    homework_publish(homework=draft_attachment.homework)
    assert download(client, w.pupil.user, draft_attachment).status_code == 200


def test_an_archived_homeworks_attachment_is_hidden_from_pupils(client, homework_world):
    w = homework_world
    submission_submit(assignment=w.pupil_maths_assignment, text="Done")
    assert homework_delete(homework=w.maths_homework) == "archived"
    assert download(client, w.pupil.user, w.maths_attachment).status_code == 404
    assert download(client, w.teacher, w.maths_attachment).status_code == 200


def test_a_missing_file_is_a_404_not_an_error(client, homework_world):
    w = homework_world
    w.maths_attachment.file.storage.delete(w.maths_attachment.file.name)
    assert download(client, w.teacher, w.maths_attachment).status_code == 404


def test_a_name_with_unusual_characters_is_sent_safely(client, homework_world):
    w = homework_world
    w.maths_attachment.original_name = 'Fractions "week 2" – ½.pdf'
    w.maths_attachment.save()
    response = download(client, w.pupil.user, w.maths_attachment)
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
