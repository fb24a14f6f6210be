"""The retention schedule in a real browser, as a school admin (the school's data
protection lead) uses it: open Data protection, confirm the suggested schedule, put a
pupil on a legal hold from their data-protection page, see the hold on the schedule, run
a dry run and read what it counted, and open the run-now page and the log. Every page is
checked by axe and must log no console error."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from privacy.models import LegalHold, RetentionRule, RetentionRun
from privacy.registry import record_kinds
from tests.browser.helpers import follow_menu, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_lead_confirms_the_schedule_places_a_hold_and_runs_a_dry_run(
    world, new_page, live_server, check_accessibility
):
    page = log_in_as(new_page(), live_server, world.school_admin)
    page.goto(live_server.url + "/")
    follow_menu(page, "Data protection")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data protection: Test Academy")
    check_accessibility(page)

    page.get_by_role("link", name="The schedule, holds and runs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention schedule: Test Academy")
    expect(page.get_by_text("Not confirmed yet")).to_be_visible()
    expect(page.get_by_label(re.compile("Homework and hand-ins: months after"))).to_have_value("12")
    check_accessibility(page)
    page.get_by_label(re.compile("Access log")).fill("36")
    page.get_by_role("button", name="Confirm this schedule").click()
    expect(page.get_by_text("The retention schedule is confirmed.")).to_be_visible()
    expect(page.get_by_text(re.compile("Confirmed by"))).to_be_visible()
    assert RetentionRule.objects.filter(school=world.school).count() == len(record_kinds())
    assert RetentionRule.objects.get(school=world.school, kind="access_log").months == 36
    check_accessibility(page)

    page.goto(live_server.url + reverse("privacy_pupil", args=[world.pupil.pk]))
    expect(page.get_by_role("heading", name="Legal hold")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Why the pupil's records must be kept").fill("Safeguarding case")
    page.get_by_role("button", name="Place a legal hold").click()
    expect(page.get_by_text("Amara Okafor is on a legal hold.")).to_be_visible()
    expect(page.get_by_role("button", name="Lift the hold")).to_be_visible()
    assert LegalHold.objects.get(pupil=world.pupil).reason == "Safeguarding case"
    check_accessibility(page)

    page.get_by_role("link", name="retention schedule", exact=True).click()
    holds = page.get_by_role("table", name="Pupils on a legal hold")
    expect(holds).to_contain_text("Amara Okafor")
    expect(holds).to_contain_text("Safeguarding case")
    page.get_by_role("button", name="Dry run now").click()
    expect(page.get_by_text(re.compile("A dry run only counts"))).to_be_visible()
    expect(page.get_by_role("table", name="Records per kind")).to_contain_text(
        "Homework and hand-ins"
    )
    run = RetentionRun.objects.get(school=world.school)
    assert run.dry_run and run.status == RetentionRun.Status.DONE
    check_accessibility(page)

    page.get_by_role("link", name="All runs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention runs: Test Academy")
    check_accessibility(page)

    page.goto(live_server.url + reverse("privacy_retention_run_now"))
    expect(page.get_by_text("Nothing is past its period: there is nothing to run.")).to_be_visible()
    check_accessibility(page)
    assert RetentionRun.objects.filter(dry_run=False).count() == 0
