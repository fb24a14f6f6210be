"""Families see the coming key dates of their children's year groups on their overview
(with which child each is for, the kind in their language, and the way to the calendar
feed); never another year's, a past one, or another school's. The panel costs the same
queries for few dates or many. The demo school has key dates ahead of today."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from school.demo import DEMO_LOGINS, demo_extensions
from school.models import KeyDate, User
from tests.factories import YearGroupFactory

D = datetime.date


@pytest.fixture
def dates(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 4, 12, 0), tick=False)
    y9 = YearGroupFactory(school=world.school, number=9)
    for title, day, years, kind in [
        ("Year 7 parents' evening", D(2026, 11, 19), [world.y7], KeyDate.Kind.PARENTS_EVENING),
        ("Mock exams", D(2026, 12, 7), [world.y7, world.y8], KeyDate.Kind.EXAM),
        ("Year 9 options evening", D(2026, 11, 24), [y9], KeyDate.Kind.INFORMATION_EVENING),
        ("Open evening that has passed", D(2026, 10, 1), [world.y7], KeyDate.Kind.OTHER),
    ]:
        row = KeyDate.objects.create(
            school=world.school, title=title, date=day, kind=kind, start_time=None
        )
        row.year_groups.set(years)
    other = KeyDate.objects.create(
        school=world.other_school, title="Other school's evening", date=D(2026, 11, 20)
    )
    other.year_groups.set([world.other_y7])
    return world


def panel(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("parents_overview")).content.decode()
    return html.split('id="key-dates"', 1)[1].split("</section>", 1)[0]


def test_the_overview_lists_the_childrens_coming_key_dates(client, dates):
    section = panel(client, dates.parent)
    assert "Thu 19/11/2026" in section and "Year 7 parents&#x27; evening" in section
    assert "Mock exams" in section and "Amara, Chidi" in section
    assert section.index("19/11/2026") < section.index("07/12/2026")
    for hidden in ("Year 9 options", "has passed", "Other school"):
        assert hidden not in section
    assert reverse("parents_calendar") in section


def test_another_family_sees_their_childs_years_only(client, dates):
    section = panel(client, dates.other_parent)
    assert "Year 7 parents&#x27; evening" in section and "Bartek" in section
    assert "Amara" not in section and "Chidi" not in section


def test_the_kind_reads_in_the_parents_language(client, dates):
    dates.guardian.preferred_language = "pl"
    dates.guardian.save(update_fields=["preferred_language"])
    section = panel(client, dates.parent)
    assert "Egzaminy" in section and "Mock exams" in section


def _overview_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("parents_overview"))
    return len(queries)


@pytest.mark.parametrize("rows", [1, 6])
def test_the_panel_costs_the_same_queries_for_few_dates_or_many(client, world, time_machine, rows):
    time_machine.move_to(datetime.datetime(2026, 11, 4, 12, 0), tick=False)
    client.force_login(world.parent)
    client.get(reverse("parents_overview"))
    without = _overview_queries(client)
    for number in range(rows):
        row = KeyDate.objects.create(
            school=world.school, title=f"Date {number}", date=D(2026, 11, 10 + number)
        )
        row.year_groups.set([world.y7, world.y8])
    # The dates come with which of the children's year groups each is for: no query more.
    assert _overview_queries(client) == without


def test_the_demo_school_has_key_dates_ahead(time_machine, db):
    time_machine.move_to(datetime.datetime(2026, 11, 23, 10, 0), tick=False)
    assert "key dates" in [extension.name for extension in demo_extensions()]
    out = StringIO()
    call_command("seed_demo", "--pupils", "60", "--force", stdout=out)
    assert "key dates for year groups" in out.getvalue()
    coming = KeyDate.objects.filter(date__gte=D(2026, 11, 23))
    assert coming.count() >= 5
    assert all(row.date.weekday() < 5 for row in coming)
    parent = User.objects.get(email=DEMO_LOGINS["parent"])
    years = parent.guardian_records.first().pupils.values_list("year_group", flat=True)
    assert KeyDate.objects.filter(year_groups__in=list(years)).exists()


def test_the_panels_dates_are_key_dates_for_pupils_rule(dates):
    """parents.calendar.upcoming_key_dates writes key_dates_for_pupils once as SQL: the
    same dates in the same order, a date begun before today and ending after it among
    them, none past 120 days, at most `limit`."""
    from parents.calendar import upcoming_key_dates
    from school.key_dates import key_dates_for_pupils
    from school.models import Pupil

    today = D(2026, 11, 4)
    began = KeyDate.objects.create(
        school=dates.school, title="Exam fortnight", date=D(2026, 11, 1), ends_on=D(2026, 11, 12)
    )
    began.year_groups.set([dates.y7])
    later = KeyDate.objects.create(school=dates.school, title="Summer fair", date=D(2027, 6, 1))
    later.year_groups.set([dates.y7])
    for n in range(3):
        same_day = KeyDate.objects.create(
            school=dates.school, title=f"Trip {n}", date=D(2026, 12, 7), kind=KeyDate.Kind.OTHER
        )
        same_day.year_groups.set([dates.y8])
    children = list(Pupil.objects.filter(guardians=dates.guardian))
    assert len({child.year_group_id for child in children}) == 2
    for limit in (8, 3):
        expected = list(
            key_dates_for_pupils(
                children,
                since=today,
                until=today + datetime.timedelta(days=120),
                with_years=False,
            )[:limit]
        )
        rows = upcoming_key_dates(children, today=today, limit=limit)
        assert rows == expected and len(rows) == min(limit, 6)
        assert [(r.title, r.date, r.ends_on, r.kind) for r in rows] == [
            (r.title, r.date, r.ends_on, r.kind) for r in expected
        ]
    assert upcoming_key_dates(children, today=today)[0].children == ["Amara"]
