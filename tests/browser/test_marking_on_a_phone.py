"""Marking on a phone (360px): the teacher's homework list and a homework's register
show each pupil as a card, so nothing scrolls sideways and each pupil's Mark and Feedback
boxes are on screen; the teacher marks a pupil there. The header fits a 390px phone with
the site title clear of the screen's edge."""

import pytest
from playwright.sync_api import expect

from homework.models import Assignment
from homework.services.planner import submission_submit
from tests.browser.helpers import log_in_as, sideways_scrolling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 360


def test_the_homework_list_and_register_fit_a_phone_and_the_teacher_marks_there(
    homework_world, new_page, live_server, check_accessibility
):
    w = homework_world
    submission_submit(
        assignment=w.classmate_maths_assignment, text="Q1: 3/4. Q2: 5/8.", confidence=3
    )
    page = log_in_as(new_page(width=PHONE, height=740), live_server, w.teacher)

    page.goto("/homework/")
    expect(page.get_by_role("link", name="Fractions practice").first).to_be_visible()
    assert sideways_scrolling(page) == []
    check_accessibility(page)

    page.get_by_role("link", name="Fractions practice").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fractions practice")
    assert sideways_scrolling(page) == []
    for pupil in (w.pupil, w.classmate):
        for label in (f"Mark or grade for {pupil.full_name}", f"Feedback for {pupil.full_name}"):
            field = page.get_by_label(label)
            field.scroll_into_view_if_needed()
            box = field.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, f"{label}: {box}"
    check_accessibility(page)

    page.get_by_label(f"Mark or grade for {w.classmate.full_name}").fill("7/10")
    page.get_by_label(f"Feedback for {w.classmate.full_name}").fill("Simplify 6/8.")
    page.get_by_role("button", name="Save marks and feedback").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved marks")
    marked = Assignment.objects.get(pk=w.classmate_maths_assignment.pk)
    assert (marked.mark, marked.feedback) == ("7/10", "Simplify 6/8.")


@pytest.mark.parametrize("width", [360, 390])
def test_the_header_keeps_the_site_title_off_the_screens_edge(world, new_page, live_server, width):
    page = log_in_as(new_page(width=width, height=740), live_server, world.teacher)
    page.goto("/")
    title = page.get_by_role("link", name="Homework", exact=True).bounding_box()
    menu = page.get_by_role("button", name="Menu").bounding_box()
    assert title["x"] >= 12, f"the title is {title['x']}px from the left edge"
    assert width - (menu["x"] + menu["width"]) >= 12
    assert sideways_scrolling(page) == []
