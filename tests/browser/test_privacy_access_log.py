"""Who looked, in a real browser: a teacher opens a pupil's page; the school admin (the
school's data protection lead) goes from the menu to Data protection, finds the pupil,
sees the teacher in the pupil's "Who looked" panel, opens the pupil's log, the school's
log (filtered by the teacher) and unusual access. Every page is checked by axe and must
log no console error."""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from privacy.models import AccessLogEntry
from tests.browser.helpers import follow_menu, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lead_sees_who_opened_a_pupils_page(world, new_page, live_server, check_accessibility):
    teacher = log_in_as(new_page(), live_server, world.teacher)
    teacher.goto(live_server.url + reverse("pupil_detail", args=[world.pupil.pk]))
    expect(teacher.get_by_role("heading", level=1)).to_contain_text("Amara Okafor")
    teacher.context.close()
    # The server writes the entry once it has sent the page: a moment after the browser has it.
    for _ in range(50):
        if AccessLogEntry.objects.exists():
            break
        time.sleep(0.1)
    entry = AccessLogEntry.objects.get()
    assert (entry.user, entry.pupil, entry.page) == (world.teacher, world.pupil, "Pupil page")

    page = log_in_as(new_page(), live_server, world.school_admin)
    page.goto(live_server.url)
    follow_menu(page, "Data protection")
    page.get_by_label(re.compile("Name, UPN")).fill("Amara")
    page.get_by_role("button", name="Find").click()
    page.get_by_role("link", name="Amara Okafor").click()

    panel = page.get_by_role("region", name="Who looked")
    expect(panel).to_contain_text("Tess Teacher")
    expect(panel).to_contain_text("Pupil page")
    check_accessibility(page)

    panel.get_by_role("link", name="Everything the log holds about this pupil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who looked at Amara Okafor")
    expect(page.get_by_role("table")).to_contain_text("Tess Teacher")
    check_accessibility(page)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Who looked").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Who looked: Test Academy")
    page.get_by_label("Member of staff").select_option(label="Tess Teacher")
    page.get_by_role("button", name="Apply filters").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Amara Okafor")
    expect(table).to_contain_text(f"/pupils/{world.pupil.pk}/")
    check_accessibility(page)

    page.get_by_role("link", name="Unusual access").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Unusual access: Test Academy")
    expect(page.get_by_text(re.compile("Nobody opened 10 or more pupils"))).to_be_visible()
    check_accessibility(page)
