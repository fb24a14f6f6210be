"""Every page of every persona in a real browser. The permission table
(tests/test_permissions.py) knows each page and who may open it; here each persona opens
every page it may, in one browser context, in a world with something on each page (a
sanction and its detention, a child part-way up the ladder, a club booking, marked work,
a sign-off comment, a message thread). Each page must answer 200, log no console error
(Chromium reports every Content-Security-Policy violation there; the `new_page` fixture
fails the test at teardown), and have no WCAG 2.2 A/AA violation that axe-core finds, on
a desktop screen and on a 360px phone, where the page must not scroll sideways either.
Downloads (files, CSV, calendars) are skipped by their content type."""

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

from clubs.models import Booking
from homework.services.marking import MarkEntry, homework_return, marking_save
from homework.services.planner import submission_submit
from parents import signoff
from sanctions.models import Commendation, DetentionSession
from sanctions.services.commendations import commendation_record
from sanctions.services.misses import miss_record
from sanctions.services.policy import policy_current
from school.models import GuardianLink
from tests.browser.helpers import log_in_as
from tests.clubs.permission_rows_sessions import booking_of, session_of
from tests.sanctions.helpers import overdue_assignments
from tests.test_permissions import PAGES, PERSONAS, persona

from .conftest import axe_report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = 360
# Builders that record a miss on the pupil's maths homework come before the one that hands
# it in (which would leave nothing to miss).
BUILD_FIRST = ("sanctions_miss_void", "sanctions_miss_excuse", "sanctions_extension")


def settle(page):
    """Wait two frames, for the page's scripts to answer a resize (menu.js, tables.js)."""
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")


def next_school_day(days_ahead):
    day = timezone.localdate() + datetime.timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def full_world(homework_world):
    """The homework world with something on every page: the pupil has served part of the
    ladder (three misses and a detention booked, then one more miss), a commendation, a
    club booking; the classmate's maths homework is handed in, marked and returned; the
    parent has signed off the week with a comment."""
    w = homework_world
    policy_current(school=w.school)
    DetentionSession.objects.create(
        school=w.school,
        date=next_school_day(3),
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        supervisor=w.teacher,
        capacity=10,
    )
    miss_record(recorder=w.teacher, assignments=overdue_assignments(w, w.pupil, 4))
    commendation_record(
        actor=w.teacher,
        pupil=w.pupil,
        kind=Commendation.Kind.COMMENDATION,
        reason=Commendation.Reason.EFFORT,
        note="Great effort on fractions.",
    )
    booking_of(w, session_of(w))
    assert Booking.objects.filter(pupil=w.pupil).exists()
    submission_submit(
        assignment=w.classmate_maths_assignment, text="Q1: 3/4. Q2: 5/8.", confidence=3
    )
    marking_save(
        teacher=w.teacher,
        homework=w.maths_homework,
        entries=[
            MarkEntry(
                assignment_id=w.classmate_maths_assignment.pk,
                mark="8/10",
                feedback="Good: simplify the last answer.",
            )
        ],
    )
    homework_return(homework=w.maths_homework)
    signoff.sign_off_record(
        user=w.parent,
        link=GuardianLink.objects.get(guardian=w.guardian, pupil=w.pupil),
        comment="Fractions were hard this week.",
    )
    return w


# Every persona in English; a parent also in Urdu, written right to left.
CASES = [pytest.param(who, None, id=who) for who in PERSONAS]
CASES.append(pytest.param("parent", "ur", id="parent-ur"))


@pytest.mark.parametrize(("who", "language"), CASES)
def test_every_page_a_persona_may_open_is_clean_accessible_and_fits_a_phone(
    full_world, who, language, new_page, live_server, axe_violations
):
    started = time.monotonic()
    names = sorted(
        (name for name, (_, allowed) in PAGES.items() if who in allowed),
        key=lambda name: name not in BUILD_FIRST,
    )
    # Every address first, so that each page sees everything the others' rows made.
    urls = {name: PAGES[name][0](full_world) for name in names}
    page = log_in_as(new_page(), live_server, persona(full_world, who))
    if language:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )

    problems, visited, downloads = [], 0, []
    for name, url in urls.items():
        head = page.context.request.get(url, max_redirects=0)
        if head.status != 200:
            problems.append(f"{name} {url}: answered {head.status}")
            continue
        if not head.headers.get("content-type", "").startswith("text/html"):
            downloads.append(name)
            continue
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(url)
        assert response.status == 200, f"{name} {url} answered {response.status}"
        visited += 1
        fragment = "<html" not in head.text()[:500]  # htmx asks for it, to swap into a page
        if violations := axe_violations(page, fragment=fragment):
            problems.append(f"{name} {url}: axe\n{axe_report(violations)}")
        # The same page on a phone: nothing scrolls sideways but the boxes made for it
        # (wide tables), which then take keyboard focus.
        page.set_viewport_size({"width": PHONE, "height": 740})
        settle(page)
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE:
            problems.append(f"{name} {url}: {width}px wide on a {PHONE}px phone")
        if violations := axe_violations(page, fragment=fragment):
            problems.append(f"{name} {url} at {PHONE}px: axe\n{axe_report(violations)}")

    print(
        f"{who} {language or ''}: {visited} pages, {len(downloads)} downloads skipped {downloads}, "
        f"{time.monotonic() - started:.1f}s"
    )
    assert visited, f"{who} opened no page"
    assert not problems, f"{who}: {len(problems)} page(s) with problems:\n" + "\n".join(problems)
