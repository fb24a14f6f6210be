"""What a child is learning and how to help, in a real browser: a teacher writes a "how you
can help at home" note (with its Polish translation) while setting homework; a Polish-
speaking parent on a 360px phone opens the child's page and reads the note in Polish next
to the task, with this month's units and their links, then opens the page that adds the
school dates to the phone's calendar. Every page is checked by axe and must log no
console error."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from homework.models import Homework, SchemeOfWorkUnit, UnitPlan, UnitResource
from homework.services.setting import HomeworkDetails, homework_set
from school.calendar import school_days
from school.models import KeyDate
from tests.browser.helpers import log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 360
NOTE = "Ask them to show you how they added the fractions."
NOTE_PL = "Poproś dziecko, aby pokazało, jak dodało ułamki."


def no_sideways_scroll(page):
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= PHONE, f"the page is {width}px wide on a {PHONE}px phone"


def test_a_teacher_adds_a_help_note_while_setting_homework(
    world, new_page, live_server, check_accessibility
):
    page = log_in_as(new_page(), live_server, world.teacher)
    page.goto(live_server.url + "/homework/new/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set homework")
    check_accessibility(page)
    today = timezone.localdate()
    due = school_days(
        school_id=world.school.pk,
        start=today + datetime.timedelta(days=7),
        end=today + datetime.timedelta(days=60),
    )[0]
    page.get_by_label(re.compile(r"^\s*7x/Ma1:")).check()
    page.get_by_label(re.compile(r"^\s*Title\*?\s*$")).fill("Adding fractions")
    page.get_by_label(re.compile(r"^\s*Instructions\*?\s*$")).fill("Do questions 1 to 10.")
    page.get_by_label("How you can help at home (English)").fill(NOTE)
    page.get_by_label("In Polish (optional)").fill(NOTE_PL)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Due time").fill("16:00")
    page.get_by_label("Estimated time (minutes)").fill("30")
    page.get_by_role("button", name="Set homework", exact=True).click()
    set_anyway = page.get_by_label("Set it anyway")
    # Wait for the answer (the next page, or the form asking to confirm a busy night)
    # before looking for the confirmation: counting at once races the navigation.
    expect(page.get_by_text("Homework set for").or_(set_anyway).first).to_be_visible()
    if set_anyway.count():
        set_anyway.check()
        page.get_by_role("button", name="Set homework", exact=True).click()
    expect(page.locator("main")).to_contain_text("Homework set for")
    homework = Homework.objects.get(title="Adding fractions")
    assert (homework.help_at_home, homework.help_at_home_pl) == (NOTE, NOTE_PL)
    check_accessibility(page)


def test_a_parent_reads_the_note_in_polish_and_this_months_units_on_a_phone(
    world, new_page, live_server, check_accessibility
):
    w = world
    today = timezone.localdate()
    homework_set(
        teacher=w.teacher,
        teaching_groups=[w.maths_7],
        details=HomeworkDetails(
            title="Fractions practice",
            instructions="Questions 1 to 10.",
            set_on=today,
            due_at=timezone.now() + datetime.timedelta(hours=3),
            estimated_minutes=30,
            help_at_home=NOTE,
            help_at_home_pl=NOTE_PL,
        ),
    )
    unit = SchemeOfWorkUnit.objects.create(
        school=w.school, subject=w.maths, year_group=w.y7, title="Fractions and decimals"
    )
    UnitPlan.objects.create(
        school=w.school,
        teaching_group=w.maths_7,
        unit=unit,
        starts_on=today.replace(day=1),
        ends_on=today + datetime.timedelta(days=10),
    )
    UnitResource.objects.create(
        school=w.school,
        unit=unit,
        title="BBC Bitesize: fractions",
        url="https://www.bbc.co.uk/bitesize",
    )
    evening = KeyDate.objects.create(
        school=w.school,
        title="Year 7 parents' evening",
        date=today + datetime.timedelta(days=14),
        kind=KeyDate.Kind.PARENTS_EVENING,
    )
    evening.year_groups.set([w.y7])
    w.guardian.preferred_language = "pl"
    w.guardian.save(update_fields=["preferred_language"])

    page = log_in_as(new_page(width=PHONE, height=740), live_server, w.parent)
    page.goto(live_server.url + "/parents/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje dzieci")
    expect(page.locator("main")).to_contain_text("Year 7 parents' evening")
    check_accessibility(page)
    no_sideways_scroll(page)

    page.locator("main").get_by_role("link", name=w.pupil.full_name).click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(w.pupil.full_name)
    expect(main.get_by_text(NOTE_PL).first).to_be_visible()
    expect(main).not_to_contain_text(NOTE)
    learning = main.locator("section", has=page.locator("#learning"))
    expect(learning).to_contain_text("Fractions and decimals")
    expect(learning.get_by_role("link", name="BBC Bitesize: fractions")).to_have_attribute(
        "href", "https://www.bbc.co.uk/bitesize"
    )
    check_accessibility(page)
    no_sideways_scroll(page)

    page.goto(live_server.url + "/parents/")
    page.get_by_role("link", name="Dodaj daty szkolne do kalendarza w telefonie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dodaj daty szkolne do swojego kalendarza"
    )
    webcal = page.get_by_role("link", name="Dodaj do mojego kalendarza").get_attribute("href")
    assert webcal.startswith("webcal://") and webcal.endswith(".ics")
    address = page.get_by_label("Skopiuj ten adres").input_value()
    assert address.startswith("http") and address.split("://", 1)[1] == webcal.split("://", 1)[1]
    expect(page.get_by_role("button", name="Kopiuj")).to_be_visible()  # copy.js ran
    check_accessibility(page)
    no_sideways_scroll(page)
    response = page.request.get(address)
    assert response.status == 200 and "Year 7 parents' evening" in response.text()
