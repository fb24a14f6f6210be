"""The record behind "opened the parents' pages" (parents/visits.py): one visit per guardian
record and day, written at login and by the first parents' page of a day, never twice
and with no query on the pages after it; at each school where the login has a record;
never for staff or an erased record. Its privacy lines: the subject access export and the
retention schedule."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parents.models import PortalVisit
from parents.privacy_export import guardian_portal_visits
from parents.privacy_retention import portal_visits_due
from parents.visits import portal_visit_record
from privacy.registry import record_kind
from school.models import Guardian
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory, SchoolFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
OVERVIEW = reverse("parents_overview")


def at(day, hour=12):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


DAY = datetime.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(DAY), tick=False)


def visits(guardian=None):
    rows = PortalVisit.objects.order_by("school_id", "day")
    if guardian is not None:
        rows = rows.filter(guardian=guardian)
    return list(rows.values_list("school_id", "guardian_id", "day"))


def test_logging_in_records_the_day_once(client, world):
    guardian = Guardian.objects.get(user=world.parent)
    client.force_login(world.parent)
    assert client.get(OVERVIEW).status_code == 200
    client.force_login(world.parent)  # again the same day: nothing new
    assert visits() == [(world.school.pk, guardian.pk, DAY)]


def test_pages_after_the_first_of_the_day_ask_nothing_about_visits(client, world):
    client.force_login(world.parent)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(OVERVIEW).status_code == 200
    assert not [q for q in queries if "portalvisit" in q["sql"]]


def test_the_first_parents_page_of_a_new_day_records_it(client, world, time_machine):
    guardian = Guardian.objects.get(user=world.parent)
    time_machine.move_to(at(DAY, 23).replace(minute=50), tick=False)
    client.force_login(world.parent)
    time_machine.move_to(at(DAY + datetime.timedelta(days=1), 0).replace(minute=10), tick=False)
    client.get(reverse("home"))  # not a parents' page
    assert len(visits(guardian)) == 1
    assert client.get(OVERVIEW).status_code == 200
    assert client.get(OVERVIEW).status_code == 200
    assert [day for *_, day in visits(guardian)] == [DAY, DAY + datetime.timedelta(days=1)]


def test_a_day_is_the_schools_date(world):
    guardian = Guardian.objects.get(user=world.parent)
    # 00:30 on 31/3/2027 in London (summer time) is 23:30 UTC on 30/3: the school's 31/3.
    portal_visit_record(user=world.parent, now=at(datetime.date(2027, 3, 31), 0).replace(minute=30))
    assert visits(guardian)[-1][2] == datetime.date(2027, 3, 31)


def test_a_parent_with_records_at_two_schools_is_recorded_at_each(client, world):
    second = SchoolFactory(name="Second", slug="second")
    record = GuardianFactory(school=second, user=world.parent)
    GuardianLinkFactory(guardian=record, pupil=PupilFactory(school=second))
    client.force_login(world.parent)
    assert {school for school, *_ in visits()} == {world.school.pk, second.pk}


def test_staff_and_erased_records_write_nothing(client, world):
    client.force_login(world.teacher)
    client.get(reverse("parents_messages"))
    Guardian.objects.filter(user=world.other_parent).update(erased_at=at(DAY))
    client.force_login(world.other_parent)
    assert visits() == []


def test_the_export_and_the_retention_schedule_know_the_visits(world):
    guardian = Guardian.objects.get(user=world.parent)
    for day in (datetime.date(2024, 9, 2), DAY):
        PortalVisit.objects.create(school=world.school, guardian=guardian, day=day)
    assert list(guardian_portal_visits(guardian, None)) == [
        {"Day": datetime.date(2024, 9, 2)},
        {"Day": DAY},
    ]
    kind = record_kind("portal_visits")
    assert kind.default_months == 24
    due = portal_visits_due(world.school, datetime.date(2024, 11, 17))
    assert list(due.values_list("day", flat=True)) == [datetime.date(2024, 9, 2)]
    assert kind.apply(due) == 1
    assert [day for *_, day in visits(guardian)] == [DAY]
