"""A pupil's task page: the right version of the task, handing in online (text, files and
a self-assessment), late work across time zones, changing work until it is returned, bad
input refused with nothing saved, and other pupils kept out."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from homework.models import Assignment, Homework, SubmissionFile
from homework.services.marking import MarkEntry, homework_return, marking_save
from homework.services.planner import submission_submit
from homework.services.setting import HomeworkDetails, homework_set, homework_update

LONDON = ZoneInfo("Europe/London")


def task_url(assignment):
    return reverse("planner_task", args=[assignment.pk])


def pdf(name="answers.pdf", content=b"%PDF-1.4 my answers"):
    return SimpleUploadedFile(name, content, "application/pdf")


def stored_submissions(settings):
    folder = settings.MEDIA_ROOT / "submissions"
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def set_homework(w, title, due_at, **extra):
    (homework,) = homework_set(
        teacher=w.teacher,
        teaching_groups=[w.maths_7],
        details=HomeworkDetails(
            title=title,
            instructions=f"Do the {title} task.",
            set_on=due_at.date() - datetime.timedelta(days=7),
            due_at=due_at,
            estimated_minutes=30,
            **extra,
        ),
    )
    return homework.assignments.get(pupil=w.pupil)


def test_task_page_shows_the_task_its_teacher_resources_and_attachments(client, homework_world):
    w = homework_world
    Homework.objects.filter(pk=w.maths_homework.pk).update(
        resource_links="https://example.org/fractions\njavascript:alert(1)"
    )
    client.force_login(w.pupil.user)
    response = client.get(task_url(w.pupil_maths_assignment))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Fractions practice" in page
    assert "Maths (7x/Ma1)" in page
    assert "Tess Teacher" in page
    assert "About 30 minutes" in page
    assert "Hand in online" in page
    due = w.maths_homework.due_at.astimezone(LONDON)
    assert due.strftime("%d/%m/%Y at %H:%M") in page
    assert f'href="/homework/attachments/{w.maths_attachment.pk}/"' in page
    assert "worksheet.pdf" in page
    assert '<a href="https://example.org/fractions"' in page
    assert 'href="javascript:' not in page  # shown as text, never as a link


def test_eal_pupil_sees_the_alternative_version_and_a_classmate_the_normal_one(
    client, homework_world
):
    w = homework_world
    assert w.pupil.eal and not w.classmate.eal
    client.force_login(w.pupil.user)
    eal_page = client.get(task_url(w.pupil_maths_assignment)).content.decode()
    assert "Do questions 1-5 with the word bank." in eal_page
    assert "Do the Fractions practice task." not in eal_page

    client.force_login(w.classmate.user)
    classmate_page = client.get(task_url(w.classmate_maths_assignment)).content.decode()
    assert "Do the Fractions practice task." in classmate_page
    assert "word bank" not in classmate_page


@pytest.mark.parametrize(
    "whose",
    [
        "classmate_maths_assignment",  # a classmate's copy of the same homework
        "year8_assignment",  # another class's homework
    ],
)
def test_a_pupil_cannot_open_someone_elses_task(client, homework_world, whose):
    client.force_login(homework_world.pupil.user)
    response = client.get(task_url(getattr(homework_world, whose)))
    assert response.status_code == 404
    assert "Algebra" not in response.content.decode()


def test_a_draft_task_answers_404(client, homework_world):
    w = homework_world
    draft = w.draft_homework.assignments.get(pupil=w.pupil)
    client.force_login(w.pupil.user)
    assert client.get(task_url(draft)).status_code == 404
    assert client.post(task_url(draft), {"text": "x"}).status_code == 404


def test_form_offers_confidence_from_1_to_5_with_labels_and_a_reflection(client, homework_world):
    client.force_login(homework_world.pupil.user)
    page = client.get(task_url(homework_world.pupil_maths_assignment)).content.decode()
    assert page.count('name="confidence"') == 5 and page.count('type="radio"') == 5
    assert "1 – Not confident at all" in page and "5 – Very confident" in page
    assert 'name="reflection"' in page and 'maxlength="500"' in page
    assert 'enctype="multipart/form-data"' in page


def test_pupil_hands_in_text_and_a_file_and_sees_what_they_handed_in(
    client, homework_world, settings
):
    w = homework_world
    client.force_login(w.pupil.user)
    response = client.post(
        task_url(w.pupil_maths_assignment),
        {
            "text": "1/2 + 1/4 = 3/4",
            "files": [pdf()],
            "confidence": "4",
            "reflection": "Adding was fine; I found simplifying hard.",
        },
        follow=True,
    )
    assert response.status_code == 200
    assignment = Assignment.objects.get(pk=w.pupil_maths_assignment.pk)
    assert assignment.status == Assignment.Status.SUBMITTED
    assert assignment.submission_text == "1/2 + 1/4 = 3/4"
    assert (assignment.confidence, assignment.is_late) == (4, False)
    assert assignment.reflection == "Adding was fine; I found simplifying hard."
    upload = assignment.files.get()
    assert upload.original_name == "answers.pdf"
    assert len(stored_submissions(settings)) == 1

    page = response.content.decode()
    assert "Handed in. You can add to it until your teacher returns it." in page
    assert "1/2 + 1/4 = 3/4" in page
    assert f'href="{reverse("planner_submission_file", args=[upload.pk])}"' in page
    assert "4 out of 5" in page
    assert "Handed in late" not in page
    assert "Change your work" in page


def test_pupil_may_replace_the_text_add_and_remove_files_until_work_is_returned(
    client, homework_world, settings, django_capture_on_commit_callbacks
):
    w = homework_world
    url = task_url(w.pupil_maths_assignment)
    client.force_login(w.pupil.user)
    client.post(url, {"text": "First try", "files": [pdf("first.pdf")]})
    first = SubmissionFile.objects.get(assignment=w.pupil_maths_assignment)
    submitted_at = Assignment.objects.get(pk=w.pupil_maths_assignment.pk).submitted_at

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {"text": "Second try", "files": [pdf("second.pdf")], "remove_files": [first.pk]},
            follow=True,
        )
    assert "Your work has been updated." in response.content.decode()
    assignment = Assignment.objects.get(pk=w.pupil_maths_assignment.pk)
    assert assignment.submission_text == "Second try"
    assert assignment.submitted_at == submitted_at  # handed in when it first arrived
    assert [f.original_name for f in assignment.files.all()] == ["second.pdf"]
    assert len(stored_submissions(settings)) == 1  # the removed file is gone from storage

    marking_save(
        teacher=w.teacher,
        homework=w.maths_homework,
        entries=[MarkEntry(assignment.pk, "8/10", "Well simplified.\nCheck Q3.")],
    )
    homework_return(homework=w.maths_homework)
    page = client.get(url).content.decode()
    assert "Mark and feedback" in page
    assert "8/10" in page and "Well simplified.<br>Check Q3." in page
    assert "Change your work" not in page and 'name="text"' not in page

    response = client.post(url, {"text": "Sneaky change"}, follow=True)
    assert "Your teacher has already returned this homework." in response.content.decode()
    assert Assignment.objects.get(pk=assignment.pk).submission_text == "Second try"


def test_work_handed_in_on_paper_or_with_nothing_to_hand_in_has_no_form(client, homework_world):
    w = homework_world
    due = datetime.datetime(2026, 12, 10, 16, 0, tzinfo=LONDON)
    paper = set_homework(w, "Worksheet", due, submission_mode=Homework.SubmissionMode.PAPER)
    nothing = set_homework(w, "Read", due, submission_mode=Homework.SubmissionMode.NONE)
    client.force_login(w.pupil.user)
    paper_page = client.get(task_url(paper)).content.decode()
    assert "Hand this in on paper to your teacher." in paper_page
    assert 'name="text"' not in paper_page
    assert "There is nothing to hand in" in client.get(task_url(nothing)).content.decode()

    response = client.post(task_url(paper), {"text": "Online anyway"}, follow=True)
    assert "This homework is not handed in online." in response.content.decode()
    assert Assignment.objects.get(pk=paper.pk).status == Assignment.Status.SET


def test_excused_pupil_is_told_and_cannot_hand_in(client, homework_world):
    w = homework_world
    Assignment.objects.filter(pk=w.pupil_maths_assignment.pk).update(
        status=Assignment.Status.EXCUSED
    )
    client.force_login(w.pupil.user)
    page = client.get(task_url(w.pupil_maths_assignment)).content.decode()
    assert "You have been excused from this homework." in page
    assert 'name="text"' not in page


BAD_INPUT = {
    "too large": (
        {"files": [pdf("huge.pdf", b"0" * (10 * 1024 * 1024 + 1))]},
        "“huge.pdf” is too large (10.0\xa0MB): each file can be at most 10 MB.",
    ),
    "a program": (
        {"text": "See file", "files": [SimpleUploadedFile("game.exe", b"MZ\x90\x00")]},
        "“game.exe” is not a type of file we accept.",
    ),
    "a program renamed .pdf": (
        {"files": [SimpleUploadedFile("homework.pdf", b"MZ\x90\x00 a program")]},
        "“homework.pdf” is not really a PDF file",
    ),
    "nothing at all": ({"text": "   "}, "Write your answer or attach a file before handing in."),
    "too many files": (
        {"files": [pdf(f"page{n}.pdf") for n in range(6)]},
        "You can attach at most 5 files at once.",
    ),
    "an empty file": ({"files": [pdf("blank.pdf", b"")]}, "“blank.pdf” is empty."),
    "a long reflection": (
        {"text": "Answer", "reflection": "x" * 501},
        "Write at most 500 characters (this has 501).",
    ),
    "a confidence out of range": (
        {"text": "Answer", "confidence": "9"},
        "Select a valid choice. 9 is not one of the available choices.",
    ),
}


@pytest.mark.parametrize("case", BAD_INPUT)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_saved(
    client, homework_world, settings, case
):
    data, message = BAD_INPUT[case]
    w = homework_world
    client.force_login(w.pupil.user)
    response = client.post(task_url(w.pupil_maths_assignment), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "Nothing has been handed in: please put right the problems below." in page
    assignment = Assignment.objects.get(pk=w.pupil_maths_assignment.pk)
    assert assignment.status == Assignment.Status.SET
    assert assignment.submitted_at is None and assignment.submission_text == ""
    assert not SubmissionFile.objects.exists()
    assert stored_submissions(settings) == []


def test_a_sixth_file_is_refused_when_five_are_handed_in(client, homework_world, settings):
    w = homework_world
    url = task_url(w.pupil_maths_assignment)
    client.force_login(w.pupil.user)
    client.post(url, {"files": [pdf(f"page{n}.pdf") for n in range(5)]})
    response = client.post(url, {"files": [pdf("page6.pdf")]})
    assert "You can hand in at most 5 files in all, and you already have 5." in (
        response.content.decode()
    )
    assert SubmissionFile.objects.count() == 5
    assert len(stored_submissions(settings)) == 5


# Due at 23:59 in London; when the pupil hands in, in London time; whether it is late.
LATE_CASES = [
    # 20 October 2026 is in British Summer Time (UTC+1): 23:59 London is 22:59 UTC.
    ((2026, 10, 20), (2026, 10, 20, 23, 30), False),  # 22:30 UTC
    ((2026, 10, 20), (2026, 10, 21, 0, 10), True),  # 23:10 UTC, still the 20th in UTC
    # 20 November 2026 is in GMT (UTC+0).
    ((2026, 11, 20), (2026, 11, 20, 23, 30), False),
    ((2026, 11, 20), (2026, 11, 21, 0, 10), True),
    # The clocks go back on 25 October 2026: due on the 24th (BST), handed in the 25th (GMT).
    ((2026, 10, 24), (2026, 10, 24, 23, 58), False),
    ((2026, 10, 24), (2026, 10, 25, 0, 1), True),
]


@pytest.mark.parametrize(("due_day", "handed_in", "late"), LATE_CASES)
def test_late_work_is_accepted_and_marked_late_in_london_time(
    client, homework_world, due_day, handed_in, late
):
    w = homework_world
    due_at = datetime.datetime(*due_day, 23, 59, tzinfo=LONDON)
    assignment = set_homework(w, "Deadline test", due_at)
    moment = datetime.datetime(*handed_in, tzinfo=LONDON)
    with time_machine.travel(moment, tick=False):
        client.force_login(w.pupil.user)
        response = client.post(task_url(assignment), {"text": "My answer"}, follow=True)
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED
    assert assignment.submitted_at == moment
    assert assignment.is_late is late
    assert ("Handed in late" in response.content.decode()) is late


@pytest.mark.parametrize("files", [1, 5])
def test_task_page_query_budget_does_not_grow_with_files(
    client, homework_world, django_assert_num_queries, files
):
    w = homework_world
    submission_submit(
        assignment=w.pupil_maths_assignment,
        text="My answer",
        files=[pdf(f"page{n}.pdf") for n in range(files)],
    )
    homework_update(
        homework=w.maths_homework,
        details=HomeworkDetails(
            title="Fractions practice",
            instructions="Do the Fractions practice task.",
            set_on=w.maths_homework.set_on,
            due_at=w.maths_homework.due_at,
            estimated_minutes=30,
            alternative_instructions="Do questions 1-5 with the word bank.",
            alternative_for_eal=True,
        ),
        files=[pdf(f"sheet{n}.pdf") for n in range(files - 1)],
    )
    client.force_login(w.pupil.user)
    # session, user with their pupil record, roles (navigation), the assignment with its homework,
    # class, subject and teacher, the homework's attachments, the files handed in
    with django_assert_num_queries(6):
        response = client.get(task_url(w.pupil_maths_assignment))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("/planner/files/") == files
    assert "worksheet.pdf" in page
