"""The new academic year in a real browser, on the demo school, as its admin runs it: from
the menu, the calendar pre-filled from 2026/27 (a closure added), who leaves and copying
the classes, the dry run (nothing changed yet), the confirmation and the finished page with
what to do next. Then the new year works (the teacher's tutor group is 8A, this year's
classes take homework) while last year's dashboard still names the groups of then. Every
page is checked by axe and must log no console error."""

import datetime
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from school.models import AcademicYear, NonSchoolDay, Pupil, TeachingGroup, TutorGroup, User
from tests.browser.helpers import follow_menu, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_school(db):
    call_command("seed_demo", "--pupils", "60", "--force", verbosity=0)


def test_the_admin_starts_the_next_year_on_the_demo_school(
    demo_school, new_page, live_server, check_accessibility
):
    admin = User.objects.get(email="admin@demo.school")
    pupil = Pupil.objects.select_related("tutor_group").get(user__email="pupil@demo.school")
    old_group = pupil.tutor_group
    assert old_group.name.startswith("7")
    year11 = Pupil.objects.filter(school=pupil.school, year_group__number=11).count()

    page = log_in_as(new_page(), live_server, admin)
    page.goto("/")
    follow_menu(page, "New academic year")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start the next academic year after 2026/27"
    )
    expect(page.get_by_label("Name of the year")).to_have_value("2027/28")
    expect(page.get_by_label("Autumn 1 starts")).to_have_value("2027-09-01")
    expect(page.get_by_label("INSET (staff training) days")).to_contain_text("01/09/2027")
    expect(page.get_by_label("Bank holidays in term time")).to_contain_text(
        "Early May bank holiday"
    )
    check_accessibility(page)
    page.get_by_label("Other days the school is closed").fill("14/02/2028 Boiler replacement")
    page.get_by_role("button", name="Next: who moves where").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Start 2027/28: who moves where")
    expect(page.get_by_label("Year 11")).to_be_checked()
    expect(page.get_by_label("Year 13")).to_be_checked()
    expect(page.get_by_label("Year 7", exact=True)).not_to_be_checked()
    page.get_by_label(re.compile("Copy this year's classes")).check()
    check_accessibility(page)
    page.get_by_role("button", name="Next: check what will change").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start 2027/28: check what will change"
    )
    expect(page.get_by_text("This is a dry run: nothing has changed yet.")).to_be_visible()
    pupils_table = page.get_by_role("table", name="Pupils moving up and leaving, by year group")
    expect(pupils_table).to_contain_text("Leave on 01/09/2027")
    groups_table = page.get_by_role("table", name=re.compile("the group that follows it"))
    expect(groups_table).to_contain_text(old_group.name)
    expect(groups_table).to_contain_text("8" + old_group.name[1:])
    check_accessibility(page)
    assert not AcademicYear.objects.filter(school=pupil.school, name="2027/28").exists()

    page.get_by_role("button", name="Start 2027/28").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2027/28 has started from 2026/27")
    expect(page.get_by_text(re.compile(r"2027/28 is ready: \d+ pupils moved up"))).to_be_visible()
    expect(
        page.get_by_role("link", name=re.compile("The home-school agreement: publish"))
    ).to_be_visible()
    check_accessibility(page)

    # What the school has now.
    school = pupil.school
    new_year = AcademicYear.objects.get(school=school, name="2027/28")
    assert new_year.half_terms.count() == 6
    assert NonSchoolDay.objects.filter(school=school, date=datetime.date(2028, 2, 14)).exists()
    pupil.refresh_from_db()
    assert pupil.tutor_group.name == "8" + old_group.name[1:]
    assert pupil.tutor_group.academic_year == new_year
    assert Pupil.objects.filter(school=school, left_on=new_year.start_date).count() >= year11
    assert not TeachingGroup.objects.filter(
        school=school, academic_year__name="2026/27", archived_on__isnull=True
    ).exists()
    assert TeachingGroup.objects.filter(school=school, academic_year=new_year).exists()
    assert TutorGroup.objects.get(pk=old_group.pk).archived_on is not None

    # Starting it again: the page says it is done, and nothing more changes.
    follow_menu(page, "New academic year")
    expect(page.get_by_text("Starting the year again changes nothing more.")).to_be_visible()


def test_after_the_new_year_the_teacher_and_last_years_dashboard(
    demo_school, new_page, live_server, check_accessibility
):
    from mis.rollover.selectors import next_year_defaults
    from mis.rollover.services import Choices, rollover_apply

    admin = User.objects.get(email="admin@demo.school")
    school = admin.school
    year = AcademicYear.objects.get(school=school, name="2026/27")
    rollover_apply(
        school=school,
        from_year=year,
        new_year=next_year_defaults(year),
        choices=Choices(copy_teaching_groups=True),
        actor=admin,
    )

    teacher = User.objects.get(email="teacher@demo.school")
    page = log_in_as(new_page(), live_server, teacher)
    page.goto("/")
    expect(page.locator("main")).to_contain_text("8A")  # the tutor group followed up
    check_accessibility(page)
    page.goto("/homework/new/")
    classes = page.get_by_role("group", name=re.compile("Classes"))
    expect(classes).to_contain_text("8x/")
    expect(classes).not_to_contain_text("7x/")  # last year's classes are archived
    check_accessibility(page)

    # Last year's dashboard (2026/27 is still this year's calendar year until September):
    # the head of Year 7 still sees last year's Year 7, in their groups of then.
    head = User.objects.get(email="headofyear@demo.school")
    page = log_in_as(new_page(), live_server, head)
    page.goto("/sanctions/")
    table = page.get_by_role("table").first
    groups = [cell.strip() for cell in table.locator("tbody tr td:nth-child(2)").all_inner_texts()]
    assert groups, "the demo's misses show on the dashboard"
    assert all(name.startswith("7") for name in groups)
    check_accessibility(page)
