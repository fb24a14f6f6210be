"""The half-term report in a real browser, as a governor reads it: from the menu (which
holds nothing else of the school's work) to the table, a measure's definition opened,
the trend charts, the PDF for the meeting, the print layout, another year chosen and
back. Every page is checked by axe."""

import pytest
from playwright.sync_api import expect

from school.models import AcademicYear, RoleAssignment
from tests.browser.helpers import follow_menu, log_in_as
from tests.conftest import staff
from tests.reports.fixture import d, known_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_governor_reads_the_report_and_its_definitions(
    new_page, live_server, check_accessibility
):
    known = known_school()
    AcademicYear.objects.create(
        school=known.school, name="2025/26", start_date=d(9, 1, 2025), end_date=d(8, 31, 2026)
    )
    governor = staff(known.school, "governor@known.school", (RoleAssignment.Role.GOVERNOR, {}))
    page = log_in_as(new_page(), live_server, governor)
    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    for staff_link in ["Clubs", "Sanctions", "Compliance"]:
        expect(menu.get_by_role("link", name=staff_link, exact=True)).to_have_count(0)
    check_accessibility(page)

    follow_menu(page, "Half-term report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Half-term report 2026/27")
    table = page.get_by_role("table", name="Measures of 2026/27 by half-term and for the year")
    misses = table.get_by_role("row").filter(has_text="Misses recorded")
    expect(misses.get_by_role("cell")).to_have_text(["2", "2", "0", "4"])
    definition = page.get_by_text("Only counted misses count").first
    expect(definition).to_be_hidden()
    table.get_by_text("Misses recorded", exact=True).click()
    expect(definition).to_be_visible()
    check_accessibility(page)

    # A trend chart per measure, named by it, its numbers in words.
    chart = page.get_by_role("img", name="Misses recorded", exact=True)
    expect(chart).to_be_visible()
    expect(chart).to_have_accessible_description(
        "Misses recorded by half-term. Autumn 1: 2; Autumn 2: 2; Spring 1: 0."
    )
    assert chart.bounding_box()["width"] > 200
    expect(page.locator("svg.chart polyline").first).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF of the report for a meeting").click()
    assert download.value.suggested_filename == "half-term-report-known-2026-27.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The Print button (report-print.js) and the paper layout: no menu, no form, no
    # buttons; every definition shown; the charts still there.
    expect(page.get_by_role("button", name="Print the report")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(page.get_by_role("link", name="Download PDF of the report for a meeting")).to_be_hidden()
    expect(chart).to_be_visible()
    roll_definition = page.get_by_text("Pupils on roll on the period's last day")
    expect(roll_definition).to_be_hidden()
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(roll_definition).to_be_visible()
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(roll_definition).to_be_hidden()
    page.emulate_media(media="screen")

    page.get_by_label("Academic year").select_option("2025/26")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Half-term report 2025/26")
    expect(page.get_by_text("only the year is shown")).to_be_visible()
    check_accessibility(page)
