"""Work scrutiny end to end in a real browser: a senior leader creates a round of the
maths department, draws its sample, reviews one homework against the checklist; the
teacher who set it logs in, reads the review and replies; the leader reads the reply and
the department's results. Every page is checked by axe."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import ScrutinyReview
from tests.browser.helpers import follow_menu, log_in_as
from tests.reports.scrutiny_fixture import scrutiny_school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = [
    "Clear instructions",
    "Matched to the scheme of work",
    "Right length for the time given",
    "Differentiated and accessible to all",
    "Feedback given",
]


def test_a_round_from_sample_to_reply_to_results(new_page, live_server, check_accessibility):
    s = scrutiny_school()

    page = log_in_as(new_page(), live_server, s.sue)
    page.goto(live_server.url + "/")
    follow_menu(page, "Work scrutiny")
    expect(page.get_by_role("heading", level=1)).to_have_text("Work scrutiny")
    check_accessibility(page)

    page.get_by_role("link", name="New round").click()
    page.get_by_label("Title").fill("Maths autumn 1")
    page.get_by_label("Homework set from").fill("2026-09-01")
    page.get_by_label("Homework set up to").fill("2026-10-23")
    page.get_by_label("Maths").check()
    page.get_by_label("N homework from each teacher").check()
    page.get_by_label("N (homework drawn from each)").fill("1")
    check_accessibility(page)
    page.get_by_role("button", name="Create the round").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Maths autumn 1")
    page.get_by_role("button", name="Draw the sample").click()
    expect(page.get_by_text("Sample drawn: 2 homework.")).to_be_visible()
    table = page.get_by_role("table", name="Sampled homework of Maths autumn 1")
    expect(table.get_by_role("row")).to_have_count(3)
    check_accessibility(page)

    max_row = table.get_by_role("row").filter(has_text="Max Berg")
    max_row.get_by_role("link").click()
    expect(page.get_by_role("heading", name="How it was marked")).to_be_visible()
    check_accessibility(page)
    # Forgetting a rating is refused, with the reason beside it.
    for name in CRITERIA[1:]:
        page.get_by_role("group", name=name).get_by_label("Met", exact=True).check()
    page.get_by_label("Comment for the teacher").fill("Clear steps; add a worked example.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text("Rate “Clear instructions”.")).to_be_visible()
    assert not ScrutinyReview.objects.exists()
    check_accessibility(page)
    page.get_by_role("group", name="Clear instructions").get_by_label(
        "Partly met", exact=True
    ).check()
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_text(re.compile(r"Review of “.+” saved\."))).to_be_visible()
    expect(page.get_by_text("No reply yet.")).to_be_visible()

    teacher = log_in_as(new_page(), live_server, s.max_)
    teacher.goto(live_server.url + "/")
    follow_menu(teacher, "My work scrutiny")
    reviews = teacher.get_by_role("table", name="Reviews of your homework, newest first")
    expect(reviews).to_contain_text("Clear instructions: Partly met")
    check_accessibility(teacher)
    reviews.get_by_role("link").click()
    expect(teacher.get_by_text("Clear steps; add a worked example.")).to_be_visible()
    check_accessibility(teacher)
    teacher.get_by_label("Your reply").fill("Thanks, I will add one next time.")
    teacher.get_by_role("button", name="Save my reply").click()
    expect(teacher.get_by_text("Your reply is saved")).to_be_visible()
    check_accessibility(teacher)

    page.reload()
    expect(page.get_by_text("Thanks, I will add one next time.")).to_be_visible()
    page.get_by_role("link", name="Maths autumn 1").click()
    expect(max_row.get_by_role("cell", name="Replied")).to_be_visible()
    follow_menu(page, "Work scrutiny")
    page.get_by_role("link", name="Results").click()
    results = page.get_by_role(
        "table", name="Share of reviewed homework meeting each criterion, by department and round"
    )
    row = results.get_by_role("row").filter(has_text="Clear instructions")
    expect(row.get_by_role("cell")).to_have_text(["Maths", "0.0% (0 of 1)"])
    expect(
        results.get_by_role("row").filter(has_text="Feedback given").get_by_role("cell")
    ).to_have_text(["Maths", "100.0% (1 of 1)"])
    check_accessibility(page)
