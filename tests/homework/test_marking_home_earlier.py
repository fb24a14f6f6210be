"""A teacher's homework page shows this half-term's homework, not the whole year's: the
marking queue and "Set" start at the half-term (or 8 weeks back), homework due earlier
with work still waiting is counted and one link away, and earlier homework is searched
and paged on request, only ever the teacher's own classes, at a fixed query budget."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homework.selectors.marking import EARLIER_PAGE_SIZE, marking_since
from homework.services.planner import submission_submit
from tests.factories import HalfTermFactory
from tests.homework.test_marking_queue import home_page, set_homework

HOME = reverse("homework_home")


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def half_term_world(homework_world):
    """A half-term that began three weeks ago: homework due four weeks ago is earlier."""
    w = homework_world
    today = timezone.localdate()
    w.half_term = HalfTermFactory(
        academic_year=w.academic_year,
        name="autumn_2",
        start_date=today - datetime.timedelta(weeks=3),
        end_date=today + datetime.timedelta(weeks=3),
    )
    w.this_term = set_homework(w, w.maths_7, "Fractions", days_ago(2))
    w.earlier_marked = set_homework(w, w.maths_7, "Decimals", days_ago(28))
    w.earlier_waiting = set_homework(w, w.maths_7, "Percentages", days_ago(30))
    submission_submit(assignment=w.earlier_waiting.assignments.get(pupil=w.pupil), text="Done")
    return w


def test_the_window_starts_at_the_half_term_or_eight_weeks_back(half_term_world):
    w = half_term_world
    today = timezone.localdate()
    assert marking_since(w.school.pk, today) == (w.half_term.start_date, "Autumn 2")
    w.half_term.delete()
    assert marking_since(w.school.pk, today) == (today - datetime.timedelta(weeks=8), "")
    # A half-term that began long ago (a holiday, or no half-terms entered this year).
    HalfTermFactory(
        academic_year=w.academic_year,
        start_date=today - datetime.timedelta(weeks=20),
        end_date=today - datetime.timedelta(weeks=12),
    )
    assert marking_since(w.school.pk, today) == (today - datetime.timedelta(weeks=8), "")


def test_the_page_lists_this_half_terms_homework_and_counts_earlier_work_waiting(
    client, half_term_world
):
    w = half_term_world
    response = home_page(client, w.teacher)
    page, html = response.context["page"], response.content.decode()
    assert w.this_term in page.to_mark  # overdue pupils, due this half-term
    assert w.earlier_waiting not in page.to_mark
    assert w.this_term in page.recent and w.earlier_marked not in page.recent
    assert page.earlier_waiting_count == 1 and page.earlier_waiting.unmarked == 1
    assert "this half-term (Autumn 2, since" in html
    assert "1 homework due before" in html and "still has work waiting" in html
    assert "?earlier=1&amp;waiting=on#earlier" in html
    # Earlier homework is not listed until asked for.
    assert "Decimals" not in html and "Percentages" not in html
    assert response.context["earlier"] is None


def test_earlier_homework_is_listed_searched_and_filtered_on_request(client, half_term_world):
    w = half_term_world
    client.force_login(w.teacher)
    earlier = client.get(HOME, {"earlier": "1"}).context["earlier"]
    assert earlier.homework == [w.earlier_marked, w.earlier_waiting]  # latest first
    assert w.this_term not in earlier.homework

    found = client.get(HOME, {"earlier": "1", "q": "percent"})
    assert found.context["earlier"].homework == [w.earlier_waiting]
    by_class = client.get(HOME, {"earlier": "1", "q": w.maths_7.name})
    assert len(by_class.context["earlier"].homework) == 2

    waiting = client.get(HOME, {"earlier": "1", "waiting": "on"})
    assert waiting.context["earlier"].homework == [w.earlier_waiting]
    html = waiting.content.decode()
    assert "Percentages" in html and "Decimals" not in html
    assert reverse("homework_register", args=[w.earlier_waiting.pk]) in html


def test_a_refused_search_says_why_and_lists_nothing(client, half_term_world):
    client.force_login(half_term_world.teacher)
    response = client.get(HOME, {"earlier": "1", "q": "x" * 101})
    assert response.status_code == 200
    assert response.context["earlier"] is None
    html = response.content.decode()
    assert "Search with at most 100 characters." in html
    assert 'aria-invalid="true"' in html


def test_earlier_homework_is_paged(client, half_term_world):
    w = half_term_world
    for number in range(EARLIER_PAGE_SIZE):
        set_homework(w, w.maths_7, f"Review {number}", days_ago(40 + number))
    client.force_login(w.teacher)
    first = client.get(HOME, {"earlier": "1"})
    assert len(first.context["earlier"].homework) == EARLIER_PAGE_SIZE
    assert first.context["earlier"].has_next
    assert "page=2#earlier" in first.content.decode()
    second = client.get(HOME, {"earlier": "1", "page": "2"}).context["earlier"]
    # Decimals and Percentages came first: the last two reviews are left for page 2.
    assert [hw.title for hw in second.homework] == [
        f"Review {EARLIER_PAGE_SIZE - 2}",
        f"Review {EARLIER_PAGE_SIZE - 1}",
    ]
    assert not second.has_next
    # A page past the end, or not a number, lists nothing or the first page; never a 500.
    assert client.get(HOME, {"earlier": "1", "page": "99"}).context["earlier"].homework == []
    assert client.get(HOME, {"earlier": "1", "page": "x"}).context["earlier"].page == 1
    assert client.get(HOME, {"earlier": "1", "page": "9" * 30}).status_code == 200


def test_earlier_homework_lists_only_the_teachers_own_classes(client, half_term_world):
    w = half_term_world
    theirs = set_homework(w, w.maths_8, "Their review", days_ago(35), teacher=w.other_teacher)
    client.force_login(w.teacher)
    listed = client.get(HOME, {"earlier": "1", "q": "review"}).context["earlier"].homework
    assert theirs not in listed
    client.force_login(w.other_teacher)
    listed = client.get(HOME, {"earlier": "1", "q": "review"}).context["earlier"].homework
    assert listed == [theirs]


@pytest.mark.parametrize("rows", [1, 30])
def test_earlier_homework_query_budget_does_not_grow_with_homework(
    client, half_term_world, django_assert_num_queries, rows
):
    w = half_term_world
    for number in range(rows):
        homework = set_homework(w, w.maths_7, f"Old {number}", days_ago(35 + number))
        submission_submit(assignment=homework.assignments.get(pupil=w.pupil), text="Answer")
    client.force_login(w.teacher)
    # session, user, roles, the classes taught, where this half-term starts, drafts and
    # homework set since then or later or waiting to be marked and the latest archived
    # (with counts), a page of earlier homework (with counts)
    with django_assert_num_queries(7):
        response = client.get(HOME, {"earlier": "1", "q": "old", "waiting": "on"})
    assert response.status_code == 200
    assert len(response.context["earlier"].homework) == min(rows, EARLIER_PAGE_SIZE)
    assert response.context["page"].earlier_waiting_count == rows + 1
