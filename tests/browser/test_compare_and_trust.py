"""Before and after, and the trust report, in a real browser, as a trust leader reads
them: from the menu (the reports and nothing else) to the half-term report, its link to
last year beside this one, then the trust report with a half-term chosen. Every page is
checked by axe."""

import pytest
from playwright.sync_api import expect

from school.models import RoleAssignment, School, Trust
from tests.browser.helpers import follow_menu, log_in_as
from tests.conftest import staff
from tests.reports.fixture import known_school
from tests.reports.test_compare import last_year_of
from tests.reports.test_trust import second_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_trust_leader_compares_years_and_schools(new_page, live_server, check_accessibility):
    known = known_school()
    last_year_of(known)
    second = second_school()
    trust = Trust.objects.create(name="North Trust", slug="north")
    School.objects.filter(pk__in=[known.school.pk, second.school.pk]).update(trust=trust)
    leader = staff(known.school, "trust@known.school", (RoleAssignment.Role.TRUST_LEADER, {}))
    page = log_in_as(new_page(), live_server, leader)
    page.goto("/")
    menu = page.get_by_role("navigation", name="Main")
    for staff_link in ["Clubs", "Sanctions", "Compliance"]:
        expect(menu.get_by_role("link", name=staff_link, exact=True)).to_have_count(0)

    follow_menu(page, "Half-term report")
    # A trust leader first chooses which of their trust's schools to report on.
    choice = page.get_by_role("main")
    expect(choice.get_by_role("link", name=second.school.name, exact=True)).to_be_visible()
    check_accessibility(page)
    choice.get_by_role("link", name=known.school.name, exact=True).click()
    page.get_by_role("link", name="Compare with the previous year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Before and after: 2026/27 beside 2025/26"
    )
    autumn = page.get_by_role("table", name="Autumn 1: 2026/27 beside 2025/26")
    misses = autumn.get_by_role("row").filter(has_text="Misses recorded")
    expect(misses.get_by_role("cell")).to_have_text(["2", "3", "-1", "-33.3%"])
    spring = page.get_by_role("table", name="Spring 1: 2026/27 beside 2025/26")
    expect(spring.get_by_text("no data for last year").first).to_be_visible()
    check_accessibility(page)

    follow_menu(page, "Trust report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trust report: Year 2026/27")
    page.get_by_label("Half-term").select_option("autumn_2")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trust report: Autumn 2 2026/27")
    table = page.get_by_role("table", name="Autumn 2 2026/27 for each school of North Trust")
    expect(table.get_by_role("columnheader", name="Second School")).to_contain_text(
        "no Autumn 2 2026/27"
    )
    misses = table.get_by_role("row").filter(has_text="Misses recorded")
    expect(misses.get_by_role("cell")).to_have_text(["2", "–"])
    check_accessibility(page)
