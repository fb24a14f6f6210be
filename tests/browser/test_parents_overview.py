"""The children's overview on a phone: the world's parent logs in at 360px wide, opens
/parents/ from the top bar, sees both children without scrolling sideways, and opens a
child's page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from homework.services.setting import HomeworkDetails, homework_set
from sanctions.models import DetentionSession
from sanctions.services.misses import miss_record
from sanctions.services.policy import policy_current
from tests.browser.helpers import follow_menu
from tests.factories import PASSWORD
from tests.sanctions.helpers import overdue_assignments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 360


def no_sideways_scroll(page):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE, f"the page is {width}px wide on a {PHONE}px phone"


def test_a_parent_reads_both_children_on_a_phone(world, new_page):
    w = world
    today = timezone.localdate()
    detention_day = today + datetime.timedelta(days=3)
    while detention_day.weekday() >= 5:
        detention_day += datetime.timedelta(days=1)
    (homework,) = homework_set(
        teacher=w.teacher,
        teaching_groups=[w.maths_7],
        details=HomeworkDetails(
            title="Fractions practice with a rather long title that must wrap on a phone",
            instructions="See https://example.org/a-very-long-address-that-should-wrap-nicely",
            set_on=today,
            due_at=timezone.now() + datetime.timedelta(hours=2),
            estimated_minutes=30,
        ),
    )
    policy_current(school=w.school)
    DetentionSession.objects.create(
        school=w.school,
        date=detention_day,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        capacity=10,
    )
    # Three misses book a detention; the fourth starts the next step of the ladder.
    miss_record(recorder=w.teacher, assignments=overdue_assignments(w, w.pupil, 4))

    page = new_page(width=PHONE, height=740)
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(w.parent.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")

    follow_menu(page, "My children")
    expect(page.get_by_role("heading", level=1)).to_have_text("My children")
    main = page.locator("main")
    expect(main.get_by_role("heading", name=w.pupil.full_name)).to_be_visible()
    expect(main.get_by_role("heading", name=w.year8_pupil.full_name)).to_be_visible()
    expect(main).to_contain_text("Fractions practice with a rather long title")
    expect(main).to_contain_text("60-minute detention")
    expect(main).to_contain_text(detention_day.strftime("%d/%m/%Y"))
    expect(main).not_to_contain_text(w.classmate.full_name)
    # The ladder's bar is filled a third of the way (the CSP once blocked its inline width).
    bar = main.get_by_role("article", name=w.pupil.full_name).get_by_role(
        "progressbar", name="Missed deadlines towards the next sanction"
    )
    expect(bar).to_have_attribute("value", "1")
    expect(bar).to_have_attribute("max", "3")
    assert bar.evaluate("bar => bar.position") == pytest.approx(1 / 3)
    no_sideways_scroll(page)
    page.screenshot(path="/tmp/parents_overview_360.png", full_page=True)

    main.get_by_role("link", name=w.pupil.full_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(w.pupil.full_name)
    expect(page.locator("main")).to_contain_text("Tess Teacher")
    page.locator("summary", has_text="What to do").first.click()
    expect(page.locator("main")).to_contain_text("a-very-long-address")
    no_sideways_scroll(page)
    page.screenshot(path="/tmp/parents_child_360.png", full_page=True)
