"""What a teacher does in the register: save every pupil's mark and feedback with one POST
(nothing saved when a row is wrong), tick pupils who handed in on paper, and return marked
work after a confirmation."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment
from homework.services.marking import MarkEntry, marking_save
from homework.services.planner import submission_submit
from homework.services.setting import HomeworkDetails, homework_set
from tests.factories import PupilFactory, TeachingGroupFactory


def url(name, homework):
    return reverse(name, args=[homework.pk])


@pytest.fixture
def big_class(homework_world):
    """A maths class of twelve taught by the teacher, with homework due yesterday."""
    w = homework_world
    pupils = PupilFactory.create_batch(12, tutor_group=w.tg_7a)
    group = TeachingGroupFactory(
        school=w.school,
        academic_year=w.academic_year,
        year_group=w.y7,
        subject=w.maths,
        name="7y/Ma3",
        teachers=[w.teacher],
        pupils=pupils,
    )
    (w.big_homework,) = homework_set(
        teacher=w.teacher,
        teaching_groups=[group],
        details=HomeworkDetails(
            title="Percentages",
            instructions="Questions 1 to 10.",
            set_on=timezone.localdate() - datetime.timedelta(days=7),
            due_at=timezone.now() - datetime.timedelta(days=1),
            estimated_minutes=40,
        ),
    )
    w.big_assignments = list(
        w.big_homework.assignments.order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )
    return w


def marks_post(assignments, mark=lambda i: f"{i}/10", feedback=lambda i: f"Feedback {i}"):
    data = {}
    for i, assignment in enumerate(assignments):
        data[f"a{assignment.pk}-mark"] = mark(i)
        data[f"a{assignment.pk}-feedback"] = feedback(i)
    return data


def test_teacher_saves_marks_and_feedback_for_every_pupil_in_one_post(client, big_class):
    w = big_class
    client.force_login(w.teacher)
    response = client.post(
        url("homework_register_save", w.big_homework),
        marks_post(w.big_assignments),
        follow=True,
    )
    assert response.redirect_chain == [(url("homework_register", w.big_homework), 302)]
    assert "Saved marks for 12 pupils." in response.content.decode()
    for i, assignment in enumerate(w.big_assignments):
        assignment.refresh_from_db()
        assert (assignment.mark, assignment.feedback) == (f"{i}/10", f"Feedback {i}")
        assert assignment.marked_by == w.teacher and assignment.marked_at is not None
        assert assignment.returned_at is None


def test_saving_again_counts_only_the_pupils_whose_marks_changed(client, big_class):
    w = big_class
    client.force_login(w.teacher)
    client.post(url("homework_register_save", w.big_homework), marks_post(w.big_assignments))
    data = marks_post(w.big_assignments)
    first = w.big_assignments[0]
    data[f"a{first.pk}-mark"] = "10/10"
    response = client.post(url("homework_register_save", w.big_homework), data, follow=True)
    assert "Saved marks for 1 pupil." in response.content.decode()
    first.refresh_from_db()
    assert first.mark == "10/10"


def test_feedback_line_breaks_are_kept_and_surrounding_space_trimmed(client, big_class):
    w = big_class
    first = w.big_assignments[0]
    client.force_login(w.teacher)
    client.post(
        url("homework_register_save", w.big_homework),
        {f"a{first.pk}-mark": "  B  ", f"a{first.pk}-feedback": "Good start.\r\nNow check Q3."},
    )
    first.refresh_from_db()
    assert (first.mark, first.feedback) == ("B", "Good start.\nNow check Q3.")


def test_a_pupil_left_out_of_the_post_keeps_their_mark(client, big_class):
    w = big_class
    first, second = w.big_assignments[:2]
    marking_save(
        teacher=w.teacher,
        homework=w.big_homework,
        entries=[MarkEntry(second.pk, "A", "Excellent")],
    )
    client.force_login(w.teacher)
    client.post(
        url("homework_register_save", w.big_homework),
        {f"a{first.pk}-mark": "C", f"a{first.pk}-feedback": ""},
    )
    second.refresh_from_db()
    assert (second.mark, second.feedback) == ("A", "Excellent")


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("mark", "x" * 21, "Mark or grade: Write at most 20 characters (this has 21)."),
        ("feedback", "y" * 5001, "Feedback: Write at most 5000 characters (this has 5001)."),
    ],
)
def test_one_invalid_row_saves_nothing_and_says_which_row(client, big_class, field, value, error):
    w = big_class
    data = marks_post(w.big_assignments)
    bad = w.big_assignments[5]
    data[f"a{bad.pk}-{field}"] = value
    client.force_login(w.teacher)
    response = client.post(url("homework_register_save", w.big_homework), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert error in html
    assert f'href="#pupil-{bad.pk}"' in html
    assert 'aria-invalid="true"' in html and "is-invalid" in html
    # ... and under the field itself, which names its error for a screen reader.
    assert f'aria-describedby="id_a{bad.pk}-{field}_error"' in html
    # What the teacher typed in the other rows is still there to save again.
    assert 'value="0/10"' in html
    assert not Assignment.objects.filter(homework=w.big_homework).exclude(mark="").exists()
    assert not Assignment.objects.filter(homework=w.big_homework, marked_at__isnull=False).exists()


def test_marks_for_another_homeworks_pupils_are_ignored(client, big_class):
    w = big_class
    other = w.pupil_maths_assignment
    client.force_login(w.teacher)
    response = client.post(
        url("homework_register_save", w.big_homework),
        {f"a{other.pk}-mark": "Hacked", f"a{other.pk}-feedback": "Hacked"},
        follow=True,
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.mark == "" and other.feedback == ""


def test_paper_is_recorded_for_the_ticked_pupils_only(client, big_class):
    w = big_class
    online, ticked_1, ticked_2, not_ticked = w.big_assignments[:4]
    handed_in_online = submission_submit(assignment=online, text="Online answer")
    client.force_login(w.teacher)
    response = client.post(
        url("homework_register_paper", w.big_homework),
        {"paper": [str(online.pk), str(ticked_1.pk), str(ticked_2.pk)]},
        follow=True,
    )
    assert "Recorded 2 pupils as handed in on paper." in response.content.decode()
    for assignment in (ticked_1, ticked_2):
        assignment.refresh_from_db()
        assert assignment.status == Assignment.Status.PAPER
        assert assignment.submitted_at is not None
        assert assignment.is_late  # the homework was due yesterday
    online.refresh_from_db()
    assert online.status == Assignment.Status.SUBMITTED
    assert online.submitted_at == handed_in_online.submitted_at
    not_ticked.refresh_from_db()
    assert not_ticked.status == Assignment.Status.SET and not_ticked.submitted_at is None


def test_ticking_paper_twice_keeps_the_first_time(client, big_class):
    w = big_class
    first = w.big_assignments[0]
    client.force_login(w.teacher)
    client.post(url("homework_register_paper", w.big_homework), {"paper": [first.pk]})
    first.refresh_from_db()
    recorded_at = first.submitted_at
    response = client.post(
        url("homework_register_paper", w.big_homework), {"paper": [first.pk]}, follow=True
    )
    assert "Recorded 0 pupils as handed in on paper." in response.content.decode()
    first.refresh_from_db()
    assert first.submitted_at == recorded_at


def test_paper_with_nothing_ticked_asks_to_tick_pupils(client, big_class):
    client.force_login(big_class.teacher)
    response = client.post(
        url("homework_register_paper", big_class.big_homework), {"paper": ["x"]}, follow=True
    )
    assert "Tick the pupils who handed in on paper" in response.content.decode()
    assert not big_class.big_homework.assignments.filter(status=Assignment.Status.PAPER).exists()


def test_return_asks_for_confirmation_with_the_number_then_returns_only_marked_work(
    client, big_class
):
    w = big_class
    marked_1, marked_2, feedback_only, unmarked = w.big_assignments[:4]
    for assignment in (marked_1, marked_2, unmarked):
        submission_submit(assignment=assignment, text="Answer")
    marking_save(
        teacher=w.teacher,
        homework=w.big_homework,
        entries=[
            MarkEntry(marked_1.pk, "7/10", "Check question 4."),
            MarkEntry(marked_2.pk, "9/10", ""),
            MarkEntry(feedback_only.pk, "", "Please hand this in tomorrow."),
        ],
    )
    client.force_login(w.teacher)
    register = client.get(url("homework_register", w.big_homework)).content.decode()
    assert "Return marked work (3)" in register

    confirm = client.get(url("homework_return", w.big_homework))
    assert confirm.status_code == 200
    assert "<strong>3 pupils</strong> will get back their mark and feedback" in (
        confirm.content.decode()
    )
    assert "Return to 3 pupils" in confirm.content.decode()
    assert not w.big_homework.assignments.filter(returned_at__isnull=False).exists()

    response = client.post(url("homework_return", w.big_homework), follow=True)
    assert "Returned to 3 pupils." in response.content.decode()
    returned = set(w.big_homework.assignments.filter(returned_at__isnull=False))
    assert returned == {marked_1, marked_2, feedback_only}
    # The pupil's task now carries the returned mark and feedback.
    marked_1.refresh_from_db()
    assert marked_1.is_returned
    assert (marked_1.mark, marked_1.feedback) == ("7/10", "Check question 4.")
    unmarked.refresh_from_db()
    assert unmarked.returned_at is None


def test_return_with_nothing_marked_says_so(client, big_class):
    client.force_login(big_class.teacher)
    confirm = client.get(url("homework_return", big_class.big_homework))
    assert "There is no marked work waiting to be returned." in confirm.content.decode()
    assert "<form" not in confirm.content.decode().split("<main", 1)[1]
    response = client.post(url("homework_return", big_class.big_homework), follow=True)
    assert "There was no marked work waiting to be returned." in response.content.decode()


def test_a_draft_cannot_be_marked_or_returned(client, homework_world):
    w = homework_world
    draft = w.draft_homework
    assignment = draft.assignments.first()
    client.force_login(w.teacher)
    response = client.post(
        url("homework_register_save", draft),
        {f"a{assignment.pk}-mark": "5", f"a{assignment.pk}-feedback": ""},
        follow=True,
    )
    assert "This homework is still a draft" in response.content.decode()
    response = client.post(url("homework_register_paper", draft), {"paper": [assignment.pk]})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.mark == "" and assignment.status == Assignment.Status.SET
