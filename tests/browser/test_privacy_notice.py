"""The privacy notice in a real browser: the school admin (the school's data protection
lead) writes the notice, and a visitor who is not logged in finds it from the login
page's footer, chooses the school and reads it, then in Polish, where the school has
written none, in English with a note. Every page is checked by axe."""

import re

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from privacy.models import PrivacyNotice
from tests.browser.helpers import log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lead_writes_the_notice_and_a_visitor_reads_it_from_the_login_page(
    world, new_page, live_server, check_accessibility
):
    lead = log_in_as(new_page(), live_server, world.school_admin)
    lead.goto(live_server.url + reverse("privacy_notice_edit"))
    expect(lead.get_by_role("heading", level=1)).to_have_text("Privacy notice of Test Academy")
    notice = lead.get_by_label("The notice")
    expect(notice).to_have_value(re.compile("This is the product's template notice"))
    check_accessibility(lead)

    notice.fill("### Who we are\n\nTest Academy keeps **homework** records.")
    lead.get_by_role("button", name="Save the notice").click()
    expect(lead.get_by_text("The privacy notice is saved.")).to_be_visible()
    assert PrivacyNotice.objects.get(school=world.school, language="en-gb").body.startswith(
        "### Who we are"
    )
    check_accessibility(lead)

    visitor = new_page()
    visitor.goto(live_server.url + reverse("login"))
    visitor.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Privacy notices")
    check_accessibility(visitor)
    visitor.get_by_role("link", name="Test Academy").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Privacy notice of Test Academy")
    expect(visitor.get_by_role("heading", name="Who we are")).to_be_visible()
    expect(visitor.get_by_role("heading", name="What we hold and for how long")).to_be_visible()
    check_accessibility(visitor)

    visitor.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "pl", "url": live_server.url}]
    )
    visitor.reload()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Informacja o prywatności: Test Academy"
    )
    expect(visitor.get_by_text(re.compile("po angielsku"))).to_be_visible()
    expect(visitor.get_by_role("heading", name="Who we are")).to_be_visible()
    check_accessibility(visitor)
