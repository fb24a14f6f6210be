"""The whole homework round trip in a real browser: a teacher sets homework with an
attachment for two classes, a pupil finds it in the planner, downloads the file and hands
in, the teacher marks and returns it, and the pupil reads the mark and feedback."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from homework.models import Assignment, Homework
from school.models import Pupil, TeachingGroup, User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "homework-demo"
TITLE = "Ratio and proportion: recipe problems"


@pytest.fixture
def demo_school(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", "--pupils", "40", "--force", verbosity=0)


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def next_weekday(days_ahead):
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def test_set_hand_in_mark_and_return_in_the_browser(demo_school, new_page, tmp_path):
    teacher = User.objects.get(email="teacher@demo.school")
    pupil = Pupil.objects.get(user__email="pupil@demo.school")
    pupils_class = TeachingGroup.objects.get(teachers=teacher, pupils=pupil)
    second_class = TeachingGroup.objects.filter(teachers=teacher).exclude(pk=pupils_class.pk)[0]
    worksheet = tmp_path / "recipes.pdf"
    worksheet.write_bytes(b"%PDF-1.4\n% recipe worksheet\n")

    # The teacher sets the homework for two classes with an attachment.
    page = new_page()
    log_in(page, "teacher@demo.school")
    page.get_by_role("listitem").get_by_role("link", name="Homework", exact=True).click()
    page.get_by_role("link", name="Set homework").first.click()
    for group in (pupils_class, second_class):
        page.get_by_label(re.compile(rf"^\s*{re.escape(group.name)}:")).check()
    # Crispy writes a label on lines of its own and ends a required one with "*":
    # "Instructions" alone, not the alternative version's.
    page.get_by_label(re.compile(r"^\s*Title\*?\s*$")).fill(TITLE)
    page.get_by_label(re.compile(r"^\s*Instructions\*?\s*$")).fill(
        "Scale each recipe for **6 people**.\n\n- Q1\n- Q2"
    )
    page.get_by_label("Attach files").set_input_files(str(worksheet))
    page.get_by_label("Due date").fill(next_weekday(7).isoformat())  # the date picker's value
    page.get_by_label("Due time").fill("08:30")
    page.get_by_label("Estimated time (minutes)").fill("40")
    page.get_by_role("button", name="Set homework").click()
    set_anyway = page.get_by_label("Set it anyway")
    # Wait for the answer before looking for the confirmation: counting at once races the
    # navigation.
    expect(page.get_by_text("Homework set for").or_(set_anyway).first).to_be_visible()
    if set_anyway.count():  # the due date fell in a holiday
        set_anyway.check()
        page.get_by_label("Attach files").set_input_files(str(worksheet))
        page.get_by_role("button", name="Set homework").click()
    expect(page.locator("main")).to_contain_text("Homework set for")
    homework = Homework.objects.get(title=TITLE, teaching_group=pupils_class)
    assert Homework.objects.filter(title=TITLE, teaching_group=second_class).exists()
    assert homework.attachments.count() == 1

    # The pupil finds it in the planner, downloads the worksheet and hands in.
    pupil_page = new_page()
    log_in(pupil_page, "pupil@demo.school")
    pupil_page.get_by_role("link", name="My planner").click()
    pupil_page.get_by_role("link", name=TITLE).first.click()
    expect(pupil_page.locator("main")).to_contain_text("6 people")
    with pupil_page.expect_download() as download_info:
        pupil_page.get_by_role("link", name="recipes.pdf").click()
    assert download_info.value.suggested_filename == "recipes.pdf"
    with open(download_info.value.path(), "rb") as downloaded:
        assert downloaded.read().startswith(b"%PDF")
    pupil_page.get_by_label("Your answer").fill("Q1: 450 g flour. Q2: 3 eggs.")
    pupil_page.get_by_label("4 – Confident").check()
    pupil_page.get_by_role("button", name="Hand in").click()
    expect(pupil_page.locator("main")).to_contain_text("450 g flour")
    assignment = Assignment.objects.get(homework=homework, pupil=pupil)
    assert assignment.status == Assignment.Status.SUBMITTED and not assignment.is_late

    # The teacher marks it on the register and returns it.
    page.goto(f"/homework/{homework.pk}/")
    expect(page.locator("main")).to_contain_text("450 g flour")
    page.get_by_label(f"Mark or grade for {pupil.full_name}").fill("9/10")
    page.get_by_label(f"Feedback for {pupil.full_name}").fill("Well scaled. Show the ratio.")
    page.get_by_role("button", name="Save marks and feedback").click()
    expect(page.locator("main")).to_contain_text("Saved marks")
    page.get_by_role("link", name=re.compile("Return marked work")).click()
    page.get_by_role("button", name=re.compile("Return to 1 pupil")).click()
    expect(page.locator("main")).to_contain_text("Returned")

    # The pupil sees the mark and the feedback.
    pupil_page.reload()
    feedback = pupil_page.get_by_role("region", name="Mark and feedback")
    expect(feedback).to_contain_text("9/10")
    expect(feedback).to_contain_text("Well scaled. Show the ratio.")
