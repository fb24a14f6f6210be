"""A real browser (Debian's Chromium) logs into the demo school as each persona, sees
that persona's own home page, and is refused another family's pupil page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from school.models import Pupil, User
from tests.browser.helpers import expect_error_status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "homework-demo"

# persona -> text their home page must show
HOME_CONTENT = {
    "admin@demo.school": ["Whole school", "Year 7", "Year 13"],
    "teacher@demo.school": ["Classes I teach", "My tutor group", "7A"],
    "headofyear@demo.school": ["Year 7", "Tutor group", "7A"],
    "headofhouse@demo.school": ["house"],
    "parent@demo.school": ["My children", "Year 7", "Year 10"],
    "pupil@demo.school": ["My classes", "Maths"],
}


@pytest.fixture
def demo_school(db):
    call_command("seed_demo", "--pupils", "40", "--force", verbosity=0)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def test_each_demo_persona_logs_in_and_sees_its_own_home_page(demo_school, new_page):
    for email, texts in HOME_CONTENT.items():
        page = new_page()
        log_in(page, email)
        main = page.locator("main")
        for text in texts:
            expect(main).to_contain_text(text)
        page.get_by_role("button", name="Log out").click()
        expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_parent_opens_their_child_but_not_another_familys_pupil(demo_school, new_page):
    parent = User.objects.get(email="parent@demo.school")
    own_child = Pupil.objects.get(user__email="pupil@demo.school")
    other_child = Pupil.objects.exclude(guardians__user=parent).order_by("pk").first()

    page = new_page()
    log_in(page, "parent@demo.school")
    page.get_by_role("link", name=own_child.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(own_child.full_name)

    expect_error_status(page, 404)
    response = page.goto(f"/pupils/{other_child.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.locator("main")).not_to_contain_text(other_child.last_name)


def test_a_pupil_cannot_open_a_classmates_page(demo_school, new_page):
    classmate = Pupil.objects.exclude(user__email="pupil@demo.school").order_by("pk").first()
    page = new_page()
    log_in(page, "pupil@demo.school")
    expect_error_status(page, 404)
    assert page.goto(f"/pupils/{classmate.pk}/").status == 404


def test_the_teacher_home_page_fits_a_360px_phone_and_skip_link_works(demo_school, new_page):
    page = new_page(width=360, height=740)
    log_in(page, "teacher@demo.school")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 360px wide"

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
