"""The issue's ladder in a real browser: a teacher records three missed deadlines over three
homeworks, the head of year sees the detention on the dashboard, the supervisor marks the
pupil absent without a reason, and the internal exclusion day appears."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from sanctions.models import DetentionBooking, DetentionSession, Sanction, SessionKind
from tests.factories import PASSWORD
from tests.sanctions.helpers import overdue_assignments

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def weekday_from(day, days_ahead):
    day += datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


def log_in(page, email):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def test_three_misses_a_detention_missed_and_an_exclusion_day(world, new_page):
    pupil = world.pupil
    assignments = overdue_assignments(world, pupil, 3)
    detention_day = weekday_from(timezone.localdate(), 2)
    exclusion_day = weekday_from(detention_day, 1)
    detention = DetentionSession.objects.create(
        school=world.school,
        date=detention_day,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        supervisor=world.teacher,
        capacity=10,
    )
    DetentionSession.objects.create(
        school=world.school,
        kind=SessionKind.INTERNAL_EXCLUSION,
        date=exclusion_day,
        start_time=datetime.time(8, 45),
        end_time=datetime.time(15, 15),
        room="Exclusion room R2",
        supervisor=world.head_of_year,
        capacity=6,
    )

    # The teacher records the missed deadline on each homework's register.
    teacher = new_page()
    log_in(teacher, world.teacher.email)
    for assignment in assignments:
        teacher.goto(reverse("homework_register", args=[assignment.homework_id]))
        teacher.get_by_label(f"Missed: {pupil.full_name}").check()
        teacher.get_by_role("button", name="Record missed deadlines").click()
        expect(teacher.get_by_role("status").first).to_contain_text("Recorded 1 missed deadline")
    expect(teacher.get_by_role("status").first).to_contain_text("1 pupil now has a detention")
    sanction = Sanction.objects.get(pupil=pupil)
    assert sanction.bookings.get().session == detention

    # The head of year sees the detention on the dashboard.
    head = new_page()
    log_in(head, world.head_of_year.email)
    head.get_by_role("link", name="Sanctions", exact=True).click()
    to_serve = head.get_by_role("region", name=re.compile("Sanctions to serve"))
    expect(to_serve).to_contain_text("Okafor, Amara")
    expect(to_serve).to_contain_text(detention_day.strftime("%d/%m/%Y"))

    # The detention takes place: its register opens once it has started. The live server
    # runs on the real clock, so the session is moved to have started today.
    DetentionSession.objects.filter(pk=detention.pk).update(
        date=timezone.localdate(), start_time=datetime.time(0, 0), end_time=datetime.time(0, 1)
    )

    # The supervisor marks the pupil absent without a reason.
    teacher.goto(reverse("sanctions_detention_session", args=[detention.pk]))
    attendance = teacher.get_by_role("group", name=f"Attendance of {pupil.full_name}")
    attendance.get_by_label("Absent, unauthorised").check()
    teacher.get_by_role("button", name="Save the register").click()
    expect(teacher.get_by_role("status").first).to_contain_text("internal exclusion")
    exclusion = sanction.bookings.get(kind=SessionKind.INTERNAL_EXCLUSION)
    assert exclusion.session.date == exclusion_day
    assert exclusion.status == DetentionBooking.Status.BOOKED

    # The exclusion day appears on the head of year's dashboard.
    head.reload()
    excluded = head.get_by_role("region", name=re.compile("Internal exclusion"))
    expect(excluded).to_contain_text("Okafor, Amara")
    expect(excluded).to_contain_text(exclusion_day.strftime("%d/%m/%Y"))
    absences = head.get_by_role("region", name=re.compile("Unauthorised absences"))
    expect(absences).to_contain_text("Okafor, Amara")
