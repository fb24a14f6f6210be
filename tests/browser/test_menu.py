"""The main menu on a phone folds behind a "Menu" button so each page starts at the top of
the screen; on a wide screen it is always open; the button says whether it is open."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logged_in(new_page, email, width):
    page = new_page(width=width, height=800)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")
    return page


def test_a_phone_folds_the_menu_and_opens_it_on_demand(world, new_page):
    page = logged_in(new_page, world.teacher.email, 360)
    button = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Main")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="My tutor group")).to_be_hidden()
    # The page's heading is on the first screen, not below a wall of links.
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 200

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="My tutor group")).to_be_visible()
    button.click()
    expect(menu.get_by_role("link", name="My tutor group")).to_be_hidden()


def test_a_wide_screen_shows_the_menu_without_a_button(world, new_page):
    page = logged_in(new_page, world.teacher.email, 1280)
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="My tutor group")
    ).to_be_visible()
