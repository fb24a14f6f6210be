"""The report by pupil group in a real browser, as a senior leader uses it: from the
half-term report to the split, Pupil Premium's flag, SEN support's "fewer than 5", the
split by year group, the CSV, and the settings page with an error then saved. Every page
is checked by axe."""

import pytest
from playwright.sync_api import expect

from school.models import RoleAssignment
from tests.browser.helpers import follow_menu, log_in_as
from tests.conftest import staff
from tests.reports.fixture import groups_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_leader_splits_the_report_by_pupil_group_and_downloads_the_csv(
    new_page, live_server, check_accessibility
):
    school = groups_school()
    leader = staff(school.school, "slt@groups.school", (RoleAssignment.Role.SENIOR_LEADER, {}))
    page = log_in_as(new_page(), live_server, leader)
    page.goto("/")
    follow_menu(page, "Half-term report")
    page.get_by_role("link", name="By pupil group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report by pupil characteristics 2026/27"
    )
    check_accessibility(page)

    page.get_by_role("combobox", name="Period").select_option(label="Autumn 1")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Misses recorded by pupil characteristics, Autumn 1")
    pupil_premium = table.get_by_role("row").filter(has_text="Pupil Premium")
    expect(pupil_premium.get_by_role("cell")).to_have_text(
        ["5", "25.0%", "4", "50.0%", "2.00", "⚑ Flagged"]
    )
    sen = table.get_by_role("row").filter(has_text="SEN support")
    expect(sen.get_by_role("cell").first).to_have_text("fewer than 5")
    expect(page.get_by_text("the next smallest are hidden")).to_be_visible()
    check_accessibility(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download CSV").click()
    assert download.value.suggested_filename == ("report-groups-groups-2026-27-characteristics.csv")
    with open(download.value.path(), encoding="utf-8-sig") as csv_file:
        assert "Misses recorded,Pupil Premium,5,25.0,4,50.0,2.00,yes" in csv_file.read()

    page.get_by_role("combobox", name="Split by").select_option(label="Year group")
    page.get_by_role("button", name="Show").click()
    year_groups = page.get_by_role("table", name="Misses recorded by year group, Autumn 1")
    expect(year_groups.get_by_role("row").filter(has_text="Year 7")).to_contain_text("Flagged")
    check_accessibility(page)

    page.get_by_role("link", name="Report settings").click()
    page.get_by_label("Smallest group shown").fill("1")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The settings were not changed")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Smallest group shown").fill("3")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The report settings are saved.")).to_be_visible()
    page.get_by_role("link", name="By pupil group").click()
    page.get_by_role("combobox", name="Period").select_option(label="Autumn 1")
    page.get_by_role("button", name="Show").click()
    table = page.get_by_role("table", name="Misses recorded by pupil characteristics, Autumn 1")
    sen = table.get_by_role("row").filter(has_text="SEN support")
    expect(sen.get_by_role("cell").first).to_have_text("4")
    check_accessibility(page)
