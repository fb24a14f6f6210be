"""Issue 5's journey in a real browser: a parent signs the home-school agreement for both
children, signs off the week with a comment for the tutor, the tutor replies, the parent
reads the reply, writes to the tutor and reads their answer; and when the child earns a
detention, the notice really leaves by SMTP (to a local mail sink) through the outbox and
the delivery task."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from notifications.models import Notification
from parents.agreements.defaults import DEFAULT_TEXT
from parents.agreements.versions import agreement_draft_save, agreement_publish
from parents.models import Signature, WeeklySignOff
from sanctions.models import DetentionSession
from sanctions.notices import SANCTION_DUE
from sanctions.services.misses import miss_record
from tests.browser.helpers import follow_menu
from tests.factories import PASSWORD
from tests.sanctions.helpers import overdue_assignments
from tests.smtp_sink import body_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def test_sign_sign_off_reply_and_a_detention_notice(world, new_page, smtp_sink):
    agreement_publish(
        actor=world.senior_leader,
        agreement=agreement_draft_save(
            actor=world.senior_leader, year=world.academic_year, text=DEFAULT_TEXT
        ),
    )
    world.guardian.email = "ngozi@example.org"
    world.guardian.save()

    # The parent signs the agreement for both children at once, on a phone.
    parent = new_page(width=360, height=800)
    log_in(parent, world.parent.email)
    follow_menu(parent, "Agreement")
    parent.get_by_label(world.pupil.full_name).check()
    parent.get_by_label(world.year8_pupil.full_name).check()
    parent.get_by_label("Your full name").fill("Ngozi Okafor")
    parent.get_by_label(re.compile("I have read the agreement")).check()
    parent.get_by_role("button", name="Sign", exact=True).click()
    expect(parent.get_by_role("status").first).to_be_visible()
    signed = Signature.objects.filter(guardian=world.guardian)
    assert set(signed.values_list("pupil", flat=True)) == {world.pupil.pk, world.year8_pupil.pk}
    assert signed.first().typed_name == "Ngozi Okafor"

    # The parent signs off Amara's week with a comment for the tutor.
    follow_menu(parent, "Weekly sign-off")
    card = parent.get_by_role("region", name=re.compile(world.pupil.first_name))
    card.get_by_label("A comment for the tutor (optional)").fill("Fractions were hard this week.")
    card.get_by_role("button", name=re.compile("I have seen this week's homework")).click()
    expect(parent.get_by_role("status").first).to_be_visible()
    sign_off = WeeklySignOff.objects.get(pupil=world.pupil, guardian=world.guardian)
    assert sign_off.comment == "Fractions were hard this week."

    # The tutor reads the comment and replies.
    tutor = new_page()
    log_in(tutor, world.teacher.email)
    tutor.goto("/parents/sign-off/tutor/")
    expect(tutor.locator("main")).to_contain_text("Fractions were hard this week.")
    tutor.get_by_label(re.compile("Your reply to")).fill("We will go over them on Tuesday.")
    tutor.get_by_role("button", name="Reply", exact=True).click()
    expect(tutor.get_by_role("status").first).to_contain_text("Reply sent")

    # The parent sees the reply.
    parent.reload()
    expect(parent.locator("main")).to_contain_text("We will go over them on Tuesday.")

    # The parent writes to Amara's tutor about her; the tutor answers.
    follow_menu(parent, "Messages")
    parent.get_by_role("link", name="New message").click()
    parent.get_by_role("link", name=world.pupil.full_name).click()
    parent.get_by_label("To").select_option(str(world.teacher.pk))
    parent.get_by_label("Subject").fill("Maths homework")
    parent.get_by_label("Message").fill("Could Amara have the worksheet again?")
    parent.get_by_role("button", name="Send").click()
    expect(parent.locator("main")).to_contain_text("Could Amara have the worksheet again?")
    tutor.get_by_role("link", name="Messages").click()
    tutor.get_by_role("link", name="Maths homework").click()
    tutor.get_by_label(re.compile("Message|Reply|reply")).first.fill("Yes: it is in her tray.")
    tutor.get_by_role("button", name="Send reply").click()
    parent.reload()
    expect(parent.locator("main")).to_contain_text("Yes: it is in her tray.")

    # Three missed deadlines book a detention; its notice reaches the mail sink.
    day = timezone.localdate() + datetime.timedelta(days=2)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    DetentionSession.objects.create(
        school=world.school,
        date=day,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        capacity=10,
    )
    miss_record(recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 3))
    notice = smtp_sink.wait_for(lambda m: "ngozi@example.org" in m["To"] and "B12" in body_text(m))
    assert world.pupil.first_name in body_text(notice)
    # One message: the three misses, the detention and the session it was booked into.
    booked = Notification.objects.get(kind=SANCTION_DUE, guardian=world.guardian)
    assert booked.status == Notification.Status.SENT
