"""Files a pupil hands in: served as attachments to the pupil, their parents, the class's
teachers and staff who may see the class, and to nobody else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homework.services.planner import submission_submit
from tests.factories import UserFactory


@pytest.fixture
def handed_in(homework_world):
    w = homework_world
    submission_submit(
        assignment=w.pupil_maths_assignment,
        text="See my working",
        files=[SimpleUploadedFile("my working.pdf", b"%PDF-1.4 working", "application/pdf")],
    )
    w.upload = w.pupil_maths_assignment.files.get()
    return w


def download(client, user, upload):
    client.force_login(user)
    return client.get(reverse("planner_submission_file", args=[upload.pk]))


@pytest.mark.parametrize("who", ["teacher", "head_of_year", "subject_leader", "parent"])
def test_the_class_teacher_staff_who_see_the_class_and_parents_download_it(client, handed_in, who):
    response = download(client, getattr(handed_in, who), handed_in.upload)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="my working.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 working"


def test_the_pupil_downloads_their_own_file(client, handed_in):
    response = download(client, handed_in.pupil.user, handed_in.upload)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_teacher_of_the_class_without_a_staff_role_still_downloads_it(client, handed_in):
    supply = UserFactory(school=handed_in.school)
    handed_in.maths_7.teachers.add(supply)
    assert download(client, supply, handed_in.upload).status_code == 200


@pytest.mark.parametrize(
    "who",
    [
        "other_teacher",  # teaches the pupil English, not this maths class
        "head_of_house",
        "lsa",
        "other_parent",
        "other_school_staff",
        "other_school_teacher",
    ],
)
def test_anyone_else_gets_404(client, handed_in, who):
    assert download(client, getattr(handed_in, who), handed_in.upload).status_code == 404


def test_a_classmate_cannot_download_it(client, handed_in):
    assert download(client, handed_in.classmate.user, handed_in.upload).status_code == 404


def test_a_pupil_cannot_download_another_class_pupils_file(client, handed_in):
    w = handed_in
    w.year8_pupil.user = UserFactory(school=w.school)
    w.year8_pupil.save()
    submission_submit(
        assignment=w.year8_assignment,
        files=[SimpleUploadedFile("algebra.pdf", b"%PDF-1.4 x", "application/pdf")],
    )
    theirs = w.year8_assignment.files.get()
    assert download(client, w.pupil.user, theirs).status_code == 404
    assert download(client, w.year8_pupil.user, theirs).status_code == 200


def test_a_file_missing_from_storage_answers_404_not_an_error(client, handed_in):
    handed_in.upload.file.storage.delete(handed_in.upload.file.name)
    assert download(client, handed_in.teacher, handed_in.upload).status_code == 404
