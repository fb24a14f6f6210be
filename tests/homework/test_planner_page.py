"""The pupil's planner: overdue work, today, the rest of the week day by day, later and
done, in the school's time zone, with only homework that is set, and a query budget that
does not grow with the number of tasks."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
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

LONDON = ZoneInfo("Europe/London")
TUESDAY = datetime.datetime(2026, 11, 24, 10, 0, tzinfo=LONDON)
SECTIONS = ["overdue", "today", "this-week", "later", "done"]


@pytest.fixture
def pupil_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return world


def set_homework(w, title, due_at, *, group=None, teacher=None, minutes=30, **extra):
    (homework,) = homework_set(
        teacher=teacher or w.teacher,
        teaching_groups=[group or w.maths_7],
        details=HomeworkDetails(
            title=title,
            instructions=f"Do the {title} task.",
            set_on=(due_at - datetime.timedelta(days=14)).date(),
            due_at=due_at,
            estimated_minutes=minutes,
            **extra,
        ),
    )
    return homework


def assignment_of(homework, pupil):
    return homework.assignments.get(pupil=pupil)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def planner_sections(client, user) -> dict[str, str]:
    """The planner page cut into its sections, keyed by heading id."""
    client.force_login(user)
    response = client.get(reverse("planner"))
    assert response.status_code == 200
    page = response.content.decode()
    starts = {name: page.find(f'aria-labelledby="{name}"') for name in SECTIONS}
    found = sorted((start, name) for name, start in starts.items() if start >= 0)
    return {
        name: page[start : (found[i + 1][0] if i + 1 < len(found) else len(page))]
        for i, (start, name) in enumerate(found)
    }


def test_planner_sorts_tasks_into_overdue_today_this_week_later_and_done(client, pupil_world):
    w = pupil_world
    today = TUESDAY.date()
    with time_machine.travel(TUESDAY, tick=False):
        overdue = set_homework(
            w, "Yesterday's fractions", at(today, 0) - datetime.timedelta(hours=8)
        )
        due_today = set_homework(
            w,
            "Tonight's poem",
            at(today, 18),
            group=w.english_7,
            teacher=w.other_teacher,
            minutes=45,
        )
        thursday = set_homework(w, "Thursday's ratios", at(today + datetime.timedelta(days=2), 16))
        later = set_homework(w, "Next week's algebra", at(today + datetime.timedelta(days=7), 16))
        handed_in = set_homework(w, "Early angles", at(today + datetime.timedelta(days=1), 16))
        submission_submit(assignment=assignment_of(handed_in, w.pupil), text="Done")

        sections = planner_sections(client, w.pupil.user)

    assert "Yesterday&#x27;s fractions" in sections["overdue"]
    assert "Overdue" in sections["overdue"]
    assert "23/11/2026 16:00" in sections["overdue"]

    assert "Tuesday 24 November" in sections["today"]
    assert "Tonight&#x27;s poem" in sections["today"]
    assert "45 min in total" in sections["today"]
    assert "English · 7x/En1" in sections["today"]

    week = sections["this-week"]
    for heading in ["Wednesday 25 November", "Thursday 26 November", "Sunday 29 November"]:
        assert heading in week
    assert "Monday 23 November" not in week  # past days' work is overdue or done
    assert week.index("Thursday 26 November") < week.index("Thursday&#x27;s ratios")
    assert "Early angles" not in week  # handed in: it is done

    assert "Tuesday 1 December" in sections["later"]
    assert "Next week&#x27;s algebra" in sections["later"]

    assert "Early angles" in sections["done"]
    assert "Handed in" in sections["done"]

    for homework in (overdue, due_today, thursday, later, handed_in):
        url = reverse("planner_task", args=[assignment_of(homework, w.pupil).pk])
        assert url in "".join(sections.values())


def test_each_day_heading_shows_the_total_estimated_minutes(client, pupil_world):
    w = pupil_world
    thursday = TUESDAY.date() + datetime.timedelta(days=2)
    with time_machine.travel(TUESDAY, tick=False):
        set_homework(w, "Ratios", at(thursday, 9), minutes=20)
        set_homework(
            w, "Poem", at(thursday, 16), group=w.english_7, teacher=w.other_teacher, minutes=40
        )
        set_homework(w, "Angles", at(thursday + datetime.timedelta(days=1), 9), minutes=25)
        week = planner_sections(client, w.pupil.user)["this-week"]
    thursday_block = week[week.index("Thursday 26 November") : week.index("Friday 27 November")]
    assert "60 min in total" in thursday_block
    assert "Ratios" in thursday_block and "Poem" in thursday_block
    assert "25 min in total" in week[week.index("Friday 27 November") :]
    assert "Nothing due" in week[: week.index("Thursday 26 November")]  # Wednesday


def test_tasks_are_grouped_by_the_london_date_not_the_utc_date(client, pupil_world):
    """00:30 on Wednesday in British Summer Time is still Tuesday in UTC."""
    w = pupil_world
    tuesday_bst = datetime.datetime(2026, 10, 20, 10, 0, tzinfo=LONDON)
    with time_machine.travel(tuesday_bst, tick=False):
        set_homework(w, "Early bird", at(datetime.date(2026, 10, 21), 0, 30))
        sections = planner_sections(client, w.pupil.user)
    assert "Early bird" not in sections["today"]
    week = sections["this-week"]
    assert week.index("Wednesday 21 October") < week.index("Early bird")
    assert "Due 00:30" in week


def test_on_sunday_next_mondays_work_is_later(client, pupil_world):
    w = pupil_world
    sunday = datetime.datetime(2026, 11, 29, 12, 0, tzinfo=LONDON)
    with time_machine.travel(sunday, tick=False):
        set_homework(w, "Monday task", at(datetime.date(2026, 11, 30), 9))
        sections = planner_sections(client, w.pupil.user)
    assert "this-week" not in sections
    assert "Monday 30 November" in sections["later"] and "Monday task" in sections["later"]


def test_done_lists_recent_handed_in_paper_and_excused_work_with_returned_marks(
    client, pupil_world
):
    w = pupil_world
    today = TUESDAY.date()
    with time_machine.travel(TUESDAY - datetime.timedelta(days=40), tick=False):
        old = set_homework(w, "Ancient history", at(today - datetime.timedelta(days=35), 16))
        submission_submit(assignment=assignment_of(old, w.pupil), text="Old work")
    with time_machine.travel(TUESDAY - datetime.timedelta(days=10), tick=False):
        returned = set_homework(w, "Returned essay", at(today - datetime.timedelta(days=7), 16))
        submission_submit(assignment=assignment_of(returned, w.pupil), text="Essay")
        marking_save(
            teacher=w.teacher,
            homework=returned,
            entries=[MarkEntry(assignment_of(returned, w.pupil).pk, "7/10", "Good")],
        )
        homework_return(homework=returned)
    with time_machine.travel(TUESDAY - datetime.timedelta(days=3), tick=False):
        paper = set_homework(
            w,
            "Paper worksheet",
            at(today - datetime.timedelta(days=2), 16),
            submission_mode=Homework.SubmissionMode.PAPER,
        )
        assignments_mark_paper(homework=paper, assignment_ids=[assignment_of(paper, w.pupil).pk])
    with time_machine.travel(TUESDAY - datetime.timedelta(hours=1), tick=False):
        late = set_homework(w, "Late map", at(today - datetime.timedelta(days=1), 16))
        submission_submit(assignment=assignment_of(late, w.pupil), text="Sorry")
        excused = set_homework(w, "Excused quiz", at(today, 9))
        Assignment.objects.filter(pk=assignment_of(excused, w.pupil).pk).update(
            status=Assignment.Status.EXCUSED
        )
    with time_machine.travel(TUESDAY, tick=False):
        sections = planner_sections(client, w.pupil.user)

    done = sections["done"]
    assert "Ancient history" not in done  # handed in more than four weeks ago
    order = ["Late map", "Paper worksheet", "Returned essay"]  # most recent first
    assert [done.index(title) for title in order] == sorted(done.index(t) for t in order)
    assert "Returned: 7/10" in done
    assert "Handed in late" in done
    assert "Handed in on paper" in done
    assert "Excused quiz" in done and "Excused" in done
    assert "overdue" not in sections


def test_drafts_and_archived_homework_never_appear(client, pupil_world):
    w = pupil_world
    thursday = at(TUESDAY.date() + datetime.timedelta(days=2), 16)
    with time_machine.travel(TUESDAY, tick=False):
        set_homework(w, "Visible task", thursday)
        (draft,) = homework_set(
            teacher=w.teacher,
            teaching_groups=[w.maths_7],
            details=HomeworkDetails(
                title="Secret draft",
                instructions="x",
                set_on=TUESDAY.date(),
                due_at=thursday,
                estimated_minutes=30,
            ),
            as_draft=True,
        )
        archived = set_homework(w, "Withdrawn task", thursday)
        submission_submit(assignment=assignment_of(archived, w.classmate), text="Mine")
        assert homework_delete(homework=archived) == "archived"
        page = "".join(planner_sections(client, w.pupil.user).values())
    assert "Visible task" in page
    assert "Secret draft" not in page
    assert "Withdrawn task" not in page
    assert draft.assignments.filter(pupil=w.pupil).exists()  # there, but not shown


def test_missed_work_stays_in_overdue_and_past_nothing_to_hand_in_work_is_done(client, pupil_world):
    w = pupil_world
    yesterday = at(TUESDAY.date() - datetime.timedelta(days=1), 16)
    with time_machine.travel(TUESDAY, tick=False):
        missed = set_homework(w, "Missed essay", yesterday)
        Assignment.objects.filter(pk=assignment_of(missed, w.pupil).pk).update(
            status=Assignment.Status.MISSED
        )
        set_homework(w, "Read chapter 3", yesterday, submission_mode=Homework.SubmissionMode.NONE)
        set_homework(
            w,
            "Revise for the test",
            at(TUESDAY.date(), 20),
            submission_mode=Homework.SubmissionMode.NONE,
        )
        sections = planner_sections(client, w.pupil.user)
    assert "Missed essay" in sections["overdue"] and "Missed" in sections["overdue"]
    assert "Read chapter 3" in sections["done"]
    assert "Revise for the test" in sections["today"]
    assert "Nothing to hand in" in sections["today"]


def test_a_pupil_with_no_homework_sees_empty_sections_explained(client, pupil_world):
    sections = planner_sections(client, pupil_world.pupil.user)
    assert "Nothing set for after this week yet." in sections["later"]
    assert "Nothing handed in yet." in sections["done"]


@pytest.mark.parametrize("who", ["teacher", "parent", "senior_leader"])
def test_staff_and_parents_have_no_planner(client, pupil_world, who):
    client.force_login(getattr(pupil_world, who))
    assert client.get(reverse("planner")).status_code == 404


def add_tasks(w, count):
    """`count` tasks spread over the sections: a quarter done, the rest due over the weeks."""
    now = timezone.now()
    for n in range(count):
        due_at = now + datetime.timedelta(days=n - count // 4, hours=1)
        homework = set_homework(w, f"Task {n}", due_at, group=w.english_7, teacher=w.other_teacher)
        if n % 4 == 0:
            submission_submit(assignment=assignment_of(homework, w.pupil), text="Done")


@pytest.mark.parametrize("tasks", [1, 50])
def test_planner_query_budget_does_not_grow_with_tasks(
    client, pupil_world, django_assert_num_queries, tasks
):
    add_tasks(pupil_world, tasks)
    client.force_login(pupil_world.pupil.user)
    # session, user with their pupil record, roles (navigation), the assignments with their
    # homework, class and subject; the clubs panel (school/panels.py): the pupil's booked
    # sessions (today in the school's time zone, which the page is already in)
    with django_assert_num_queries(5):
        response = client.get(reverse("planner"))
    assert response.status_code == 200
    assert response.content.decode().count('class="list-group-item"') == tasks
