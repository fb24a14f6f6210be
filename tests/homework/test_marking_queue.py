"""A teacher's homework page (/homework/): the marking queue with its counts on a hand-built
class, only the teacher's own classes, drafts, set and archived homework, who may open it,
and a query budget that does not grow with the homework listed."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment, Homework
from homework.services.marking import (
    MarkEntry,
    assignments_mark_paper,
    homework_return,
    marking_save,
)
from homework.services.planner import submission_submit
from homework.services.setting import HomeworkDetails, homework_delete, homework_set
from tests.factories import PupilFactory, TeachingGroupFactory

HOME = reverse("homework_home")


def details(title, due_at, **extra):
    return HomeworkDetails(
        title=title,
        instructions=f"Do the {title} task.",
        set_on=timezone.localdate(due_at) - datetime.timedelta(days=7),
        due_at=due_at,
        estimated_minutes=30,
        **extra,
    )


def new_class(world, name, size, teacher=None):
    pupils = PupilFactory.create_batch(size, tutor_group=world.tg_7a)
    return TeachingGroupFactory(
        school=world.school,
        academic_year=world.academic_year,
        year_group=world.y7,
        subject=world.maths,
        name=name,
        teachers=[teacher or world.teacher],
        pupils=pupils,
    ), pupils


def set_homework(world, group, title, due_at, teacher=None, **kwargs):
    (homework,) = homework_set(
        teacher=teacher or world.teacher,
        teaching_groups=[group],
        details=details(title, due_at),
        **kwargs,
    )
    return homework


@pytest.fixture
def marked_class(homework_world):
    """A class of seven whose homework was due yesterday: one pupil handed in online on
    time (not marked), one late (not marked), one on paper on time (not marked), one on
    time and marked but not returned, one marked and returned, one nothing (overdue), and
    one excused."""
    w = homework_world
    group, _ = new_class(w, "7y/Ma2", 7)
    due = timezone.now() - datetime.timedelta(days=1)
    homework = set_homework(w, group, "Angles", due)
    on_time, late, paper, marked, returned, overdue, excused = homework.assignments.order_by(
        "pupil__last_name", "pupil__first_name", "pupil_id"
    )
    before = due - datetime.timedelta(hours=2)
    for assignment in (on_time, marked, returned):
        submission_submit(assignment=assignment, text="My answer", now=before)
    submission_submit(assignment=late, text="Sorry it is late")
    assignments_mark_paper(homework=homework, assignment_ids=[paper.pk], now=before)
    entry = MarkEntry
    marking_save(
        teacher=w.teacher,
        homework=homework,
        entries=[entry(returned.pk, "9/10", "Well argued.")],
    )
    homework_return(homework=homework)
    marking_save(teacher=w.teacher, homework=homework, entries=[entry(marked.pk, "7/10", "")])
    Assignment.objects.filter(pk=excused.pk).update(status=Assignment.Status.EXCUSED)
    w.angles = homework
    w.angles_group = group
    return w


def home_page(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


def test_marking_queue_counts_each_homework_by_where_the_work_stands(client, marked_class):
    page = home_page(client, marked_class.teacher).context["page"]
    (row,) = page.to_mark
    assert row == marked_class.angles
    assert (row.pupil_count, row.handed_in_count, row.online_count, row.paper_count) == (
        7,
        5,
        4,
        1,
    )
    assert row.late_count == 1
    assert row.unmarked_count == 3  # on time, late and paper, none marked yet
    assert row.to_return_count == 1  # marked 7/10, not yet returned
    assert row.overdue_count == 1  # the excused pupil is not overdue
    assert (page.totals.handed_in, page.totals.unmarked, page.totals.to_return) == (5, 3, 1)
    assert (page.totals.late, page.totals.overdue) == (1, 1)


def test_marking_queue_shows_the_counts_and_totals_on_the_page(client, marked_class):
    html = home_page(client, marked_class.teacher).content.decode()
    assert "Not yet marked: <strong>3</strong>" in html
    assert "Marked, not returned: <strong>1</strong>" in html
    assert "Overdue: <strong>1</strong>" in html
    assert "(4 online, 1 paper)" in html
    assert reverse("homework_register", args=[marked_class.angles.pk]) in html
    assert "7y/Ma2" in html


def test_marking_queue_puts_work_to_mark_first_then_sorts_by_due_date(client, marked_class):
    w = marked_class
    # Due earlier than Angles, but nothing to mark: only a pupil overdue.
    set_homework(w, w.angles_group, "Bearings", timezone.now() - datetime.timedelta(days=5))
    # Due later than Angles, with work to mark.
    later = set_homework(w, w.angles_group, "Circles", timezone.now() - datetime.timedelta(hours=1))
    submission_submit(assignment=later.assignments.first(), text="Done")
    queue = home_page(client, w.teacher).context["page"].to_mark
    assert [hw.title for hw in queue] == ["Angles", "Circles", "Bearings"]
    assert queue[2].unmarked_count == 0 and queue[2].overdue_count == 7


def test_marking_queue_leaves_out_homework_with_nothing_waiting(client, marked_class):
    w = marked_class
    overdue = w.angles.assignments.filter(status=Assignment.Status.SET)
    assignments_mark_paper(homework=w.angles, assignment_ids=[a.pk for a in overdue])
    for assignment in w.angles.assignments.exclude(status=Assignment.Status.EXCUSED):
        marking_save(
            teacher=w.teacher,
            homework=w.angles,
            entries=[MarkEntry(assignment.pk, "5", "")],
        )
    homework_return(homework=w.angles)
    page = home_page(client, w.teacher).context["page"]
    assert page.to_mark == []
    assert (
        "Nothing to mark or return, and nobody is overdue."
        in home_page(client, w.teacher).content.decode()
    )
    # Still listed under Set, with what was handed in.
    assert w.angles in page.recent


def test_marking_queue_lists_only_the_teachers_own_classes(client, marked_class):
    w = marked_class
    past = timezone.now() - datetime.timedelta(days=1)
    theirs = set_homework(w, w.maths_8, "Their algebra", past, teacher=w.other_teacher)
    submission_submit(assignment=theirs.assignments.first(), text="Answer")
    submission_submit(assignment=w.english_homework.assignments.get(), text="A poem")

    mine = home_page(client, w.teacher).context["page"]
    assert [hw.title for hw in mine.to_mark] == ["Angles"]
    listed = {hw.pk for hw in mine.upcoming + mine.recent + mine.drafts + mine.archived}
    assert theirs.pk not in listed and w.english_homework.pk not in listed
    assert "Their algebra" not in home_page(client, w.teacher).content.decode()

    other = home_page(client, w.other_teacher).context["page"]
    assert [hw.title for hw in other.to_mark] == ["Their algebra", "Poem"]
    assert w.english_homework in other.upcoming
    assert "Angles" not in home_page(client, w.other_teacher).content.decode()


def test_a_co_teacher_sees_the_class_homework_whoever_set_it(client, marked_class):
    w = marked_class
    w.angles_group.teachers.add(w.other_teacher)
    queue = home_page(client, w.other_teacher).context["page"].to_mark
    assert w.angles in queue


def test_homework_page_lists_drafts_with_edit_links_set_homework_and_the_archive(
    client, homework_world
):
    w = homework_world
    old = set_homework(w, w.maths_7, "Old sets task", timezone.now() - datetime.timedelta(weeks=3))
    submission_submit(assignment=old.assignments.first(), text="Answer")
    assert homework_delete(homework=old) == "archived"
    long_ago = set_homework(
        w, w.maths_7, "Autumn review", timezone.now() - datetime.timedelta(weeks=9)
    )

    response = home_page(client, w.teacher)
    page, html = response.context["page"], response.content.decode()
    assert page.drafts == [w.draft_homework]
    assert f"/homework/{w.draft_homework.pk}/edit/" in html
    assert "/homework/new/" in html and "Set homework" in html
    assert page.upcoming == [w.maths_homework]
    assert long_ago not in page.recent  # more than 8 weeks ago, and no half-term entered
    assert page.archived == [old]
    assert "<details>" in html and "Old sets task" in html


def test_archive_shows_the_latest_twenty(client, homework_world):
    w = homework_world
    start = timezone.now() - datetime.timedelta(days=30)
    for day in range(22):
        homework = set_homework(w, w.maths_7, f"Task {day}", start + datetime.timedelta(days=day))
        Homework.objects.filter(pk=homework.pk).update(status=Homework.Status.ARCHIVED)
    archived = home_page(client, w.teacher).context["page"].archived
    assert len(archived) == 20
    assert archived[0].title == "Task 21" and archived[-1].title == "Task 2"


@pytest.mark.parametrize(
    "who", ["head_of_year", "subject_leader", "senior_leader", "lsa", "other_school_teacher"]
)
def test_staff_who_teach_no_class_get_404(client, homework_world, who):
    client.force_login(getattr(homework_world, who))
    assert client.get(HOME).status_code == 404


def test_pupils_and_parents_get_404(client, homework_world):
    for user in (homework_world.pupil.user, homework_world.parent):
        client.force_login(user)
        assert client.get(HOME).status_code == 404


def queue_of(world, count):
    """`count` homework due yesterday for the teacher's maths class, each with one pupil's
    work handed in with a file (so every one is in the queue), plus a draft and one
    archived."""
    due = timezone.now() - datetime.timedelta(days=1)
    for number in range(count):
        homework = set_homework(world, world.maths_7, f"Queue {number}", due)
        submission_submit(
            assignment=homework.assignments.get(pupil=world.pupil),
            text="Answer",
            files=[SimpleUploadedFile("work.pdf", b"%PDF-1.4 work", "application/pdf")],
        )
        if number == 0:
            homework_delete(homework=set_homework(world, world.maths_7, "Gone", due))


@pytest.mark.parametrize("rows", [1, 50])
def test_homework_page_query_budget_does_not_grow_with_homework(
    client, homework_world, django_assert_num_queries, rows
):
    queue_of(homework_world, rows)
    client.force_login(homework_world.teacher)
    # session, user, roles, the classes taught, where this half-term starts, drafts and
    # homework set since then or later or waiting to be marked and the latest archived
    # (with counts)
    with django_assert_num_queries(6):
        response = client.get(HOME)
    assert response.status_code == 200
    assert len(response.context["page"].to_mark) == rows


# The rows as the page's template wrote them before the selector did (list_row and
# to_mark_row): the same HTML but for whitespace.
LIST_ROW = """{% localize off %}<tr>
  <th scope="row">
    <a href="{{ hw.register_address }}">{{ hw.title }}</a>
  </th>
  <td data-label="Class">{{ hw.class_label }}</td>
  <td data-label="Set">{{ hw.set_label }}</td>
  <td data-label="Due">{{ hw.due_label }}</td>
  <td data-label="Handed in" class="text-end">{{ hw.handed_in_count }} of {{ hw.pupil_count }}</td>
</tr>{% endlocalize %}"""
TO_MARK_ROW = """{% localize off %}<tr>
  <th scope="row">
    <a href="{{ hw.register_address }}">{{ hw.title }}</a>
  </th>
  <td data-label="Class">{{ hw.class_label }}</td>
  <td data-label="Due">{{ hw.due_label }}</td>
  <td data-label="Pupils" class="text-end">{{ hw.pupil_count }}</td>
  <td data-label="Handed in" class="text-end">
    {{ hw.handed_in_count }}
    <span class="small text-body-secondary text-nowrap">({{ hw.online_count }} online,
      {{ hw.paper_count }} paper)</span>
  </td>
  <td data-label="Late" class="text-end">{{ hw.late_count }}</td>
  <td data-label="Not marked" class="text-end">
    {% if hw.unmarked_count %}
      <strong>{{ hw.unmarked_count }}</strong>
    {% else %}
      0
    {% endif %}
  </td>
  <td data-label="Not returned" class="text-end">{{ hw.to_return_count }}</td>
  <td data-label="Overdue" class="text-end">{{ hw.overdue_count }}</td>
</tr>{% endlocalize %}"""


@pytest.mark.parametrize("unmarked", [0, 3])
def test_the_rows_written_by_the_selector_are_the_templates(unmarked):
    import re
    from types import SimpleNamespace

    from django.template import Context, Template

    from homework.selectors.marking import list_row, to_mark_row

    hw = SimpleNamespace(
        register_address="/homework/12/",
        title='Fractions <b>"1" & 2</b>',
        class_label="7x/Ma1 · Maths & <i>",
        set_label="01/12/2026",
        due_label="08/12/2026 16:00",
        handed_in_count=1234,
        pupil_count=1500,
        online_count=1000,
        paper_count=234,
        late_count=5,
        unmarked_count=unmarked,
        to_return_count=2,
        overdue_count=7,
    )

    def words(html):
        return re.sub(r"\s+", " ", html).replace("> <", "><").replace("> ", ">").replace(" <", "<")

    for template, written in ((LIST_ROW, list_row(hw)), (TO_MARK_ROW, to_mark_row(hw))):
        assert words(written) == words(
            Template("{% load l10n %}" + template).render(Context({"hw": hw}))
        )


def test_the_search_of_earlier_homework_is_crispys_form(client, marked_class, monkeypatch):
    """/homework/ shows the unbound search rendered once (unbound_earlier_search): the
    same page as with crispy's tag rendering it on the visit; a search renders its own."""
    from homework.views import marking as views

    w = marked_class
    client.force_login(w.teacher)
    once = client.get(HOME).content.decode()
    monkeypatch.setattr(views, "unbound_earlier_search", lambda: "")
    each_time = client.get(HOME).content.decode()

    def earlier(html):  # the section of the search (the page's CSRF tokens differ)
        start = html.index('aria-labelledby="earlier"')
        return html[start : html.index("</section>", start)]

    assert 'id="earlier-q"' in earlier(once) and earlier(once) == earlier(each_time)
    searched = client.get(HOME, {"earlier": "1", "q": "x" * 200}).content.decode()
    assert "is-invalid" in searched or "invalid-feedback" in searched
