"""The club in a real browser: a teacher volunteers for today's session on the rota, a
pupil books a place, then the teacher, on a 360px-wide phone, checks the pupil in, checks
them out 35 minutes later and awards the reward; the pupil sees it on their clubs page,
the parent on their child's page, and the parents have a commendation in the outbox.

The 35 minutes: the live server runs in another thread of this process, so moving the
clock there is not reliable; instead the test moves the pupil's check-in 35 minutes back
through the ORM before pressing "Check out", which is what the register would hold had
the teacher waited."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from clubs.models import Attendance, Booking, ClubSession, RotaSlot
from notifications.models import Notification
from notifications.notices import COMMENDATION
from tests.browser.helpers import follow_menu
from tests.clubs.register_helpers import make_club, make_session

from .test_escalation_journey import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_volunteers_then_takes_the_register_on_a_phone(world, new_page):
    club = make_club(world, staff_needed=1)
    session = make_session(club, timezone.localdate(), start=(23, 58), end=(23, 59))

    # The rota, on a desktop.
    desk = new_page()
    log_in(desk, world.teacher.email)
    desk.get_by_role("link", name="Club rota").click()
    desk.get_by_role("button", name="Volunteer").click()
    expect(desk.get_by_role("status").first).to_contain_text("you are on the rota")
    assert RotaSlot.objects.get(session=session).staff == world.teacher

    # The pupil books a place.
    pupil = new_page(width=360, height=740)
    log_in(pupil, world.pupil.user.email)
    follow_menu(pupil, "Clubs")
    pupil.get_by_role("button", name=re.compile(f"Book {re.escape(club.name)}")).click()
    expect(pupil.get_by_role("region", name="My bookings")).to_contain_text(club.name)
    assert Booking.objects.get(session=session, status=Booking.Status.BOOKED).pupil == world.pupil
    # The session has started by the time the pupil arrives.
    ClubSession.objects.filter(pk=session.pk).update(start_time=datetime.time(0, 0))

    # The register, on a phone.
    phone = new_page(width=360, height=740)
    log_in(phone, world.teacher.email)
    phone.goto(reverse("clubs_register", args=[session.pk]))
    row = phone.locator(f"#pupil-{world.pupil.pk}")
    expect(row).to_contain_text("Expected")
    row.get_by_role("button", name="Check in").click()
    expect(phone.get_by_role("status").first).to_contain_text("Amara Okafor is checked in")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    Attendance.objects.filter(session=session, pupil=world.pupil).update(
        checked_in_at=timezone.now() - datetime.timedelta(minutes=35)
    )
    phone.locator(f"#pupil-{world.pupil.pk}").get_by_role("button", name="Check out").click()
    expect(phone.get_by_role("status").first).to_contain_text("checked out after 35 minutes")
    phone.locator(f"#pupil-{world.pupil.pk}").get_by_role(
        "button", name="Worked effectively"
    ).click()
    expect(phone.get_by_role("status").first).to_contain_text("reward for working effectively")
    expect(phone.locator(f"#pupil-{world.pupil.pk}")).to_contain_text("Reward: worked effectively")

    attendance = Attendance.objects.get(session=session, pupil=world.pupil)
    assert attendance.worked_effectively and attendance.minutes == 35
    assert attendance.rewarded_by == world.teacher
    notification = Notification.objects.get(pupil=world.pupil)
    assert notification.guardian == world.guardian
    assert notification.kind == COMMENDATION
    assert notification.context["kind"] == "club_reward"

    # The pupil and the parent see the reward.
    pupil.reload()
    expect(pupil.get_by_role("region", name="My visits and rewards")).to_contain_text(
        "Reward: worked effectively"
    )
    parent = new_page(width=360, height=740)
    log_in(parent, world.parent.email)
    parent.goto(reverse("parents_child", args=[world.pupil.pk]))
    clubs = parent.get_by_role("region", name="Homework club and study sessions")
    expect(clubs).to_contain_text(club.name)
    expect(clubs).to_contain_text("Reward: worked effectively")
