"""The import in a real browser, as a school admin does it: from the menu to the imports
page, upload a CSV of subjects, choose its columns (starting from a preset), read the
preview, confirm, and see it applied; the same file again changes nothing; and a run
being applied updates its page by itself (htmx polling) until it has finished. Every page
is checked by axe and must log no console error."""

import re

import pytest
from playwright.sync_api import expect

from mis.models import ColumnMapping, ImportRun
from school.models import Subject
from tests.browser.helpers import follow_menu, log_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUBJECTS = (
    b"Subject Code,Subject Name,Department\r\n"
    b"Ma,Maths,STEM\r\nSc,Science,STEM\r\nHi,History,Humanities\r\n"
)


def upload(page, label, content, name):
    page.get_by_label("What the file holds").select_option(label=label)
    page.get_by_label(re.compile("Your file")).set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Upload and preview").click()


def test_an_admin_uploads_maps_previews_and_applies_a_csv(
    world, new_page, live_server, check_accessibility
):
    page = log_in_as(new_page(), live_server, world.school_admin)
    page.goto("/")
    follow_menu(page, "Imports")
    expect(page.get_by_role("heading", level=1)).to_have_text("Imports from the MIS: Test Academy")
    check_accessibility(page)

    upload(page, "Subjects (CSV)", SUBJECTS, "subjects.csv")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Choose the columns of subjects.csv"
    )
    # A preset fills the choices in; the admin can still change any of them.
    page.get_by_role("link", name="Arbor").click()
    expect(page.get_by_label("Subject code")).to_have_value("Subject Code")
    expect(page.get_by_label("Subject name")).to_have_value("Subject Name")
    check_accessibility(page)
    page.get_by_role("button", name="Save the columns and read the file").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Import of subjects.csv")
    expect(page.get_by_text("Ready to apply")).to_be_visible()
    preview = page.get_by_role("table", name=re.compile("change"))
    expect(preview).to_contain_text("History (Hi)")
    expect(page.get_by_text(re.compile(r"Apply this file now: 2 added, 0 changed"))).to_be_visible()
    assert not Subject.objects.filter(school=world.school, code="Hi").exists()
    check_accessibility(page)

    page.get_by_role("button", name="Confirm and apply").click()
    expect(page.get_by_text("Applied", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Changes made")).to_be_visible()
    assert Subject.objects.get(school=world.school, code="Hi").name == "History"
    assert ColumnMapping.objects.get(school=world.school, kind="subjects").columns == {
        "code": "Subject Code",
        "name": "Subject Name",
    }
    check_accessibility(page)

    # The same file again: the saved columns are used, and nothing would change.
    follow_menu(page, "Imports")
    upload(page, "Subjects (CSV)", SUBJECTS, "subjects.csv")
    expect(page.get_by_text(re.compile(r"Apply this file now: 0 added, 0 changed"))).to_be_visible()
    page.get_by_role("button", name="Discard").click()
    expect(
        page.get_by_text(re.compile("Discarded: nothing in the file was applied"))
    ).to_be_visible()

    page.locator("#main").get_by_role("link", name="History").click()
    expect(page.get_by_role("table")).to_contain_text("Discarded")
    expect(page.get_by_role("table")).to_contain_text("Applied")


def test_a_run_being_applied_updates_its_page_until_it_has_finished(world, new_page, live_server):
    run = ImportRun.objects.create(
        school=world.school,
        kind="subjects",
        file_name="subjects.csv",
        started_by=world.school_admin,
        status=ImportRun.Status.APPLYING,
    )
    page = log_in_as(new_page(width=360, height=740), live_server, world.school_admin)
    page.goto(f"/imports/runs/{run.pk}/")
    expect(page.get_by_text(re.compile("Applying the file"))).to_be_visible()
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()

    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.APPLIED,
        counts={"added": 3, "changed": 0, "left": 0, "unchanged": 0, "errors": 0},
    )
    # The next poll (every second) finds it finished and the page reloads with the outcome.
    expect(page.get_by_text("Applied", exact=True)).to_be_visible(timeout=5000)
    expect(page.get_by_role("heading", name="What the file changed")).to_be_visible()
