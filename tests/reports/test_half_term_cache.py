"""The half-term report's figures are kept until the school's data changes, and never a
moment longer (reports/measures/cache.py): any write to a table a measure reads, through
a page, a bulk update or a delete, shows on the next view; a view with nothing changed
counts nothing again; the cache being down costs only the time to count; and every table
the report's queries read is one whose writes are marked (so a family added later cannot
be kept stale: this test fails until its tables are declared)."""

import re

import pytest
from django.core.cache import cache as django_cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reports.measures import _families, cache, half_term_report
from reports.measures.engagement import family_engagement
from reports.measures.periods import periods_of
from reports.models import ReportSettings
from sanctions.models import Miss
from school.calendar import school_time_zone
from school.models import School
from tests.reports.fixture import TODAY, at, d

URL = reverse("reports_half_term")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the marks are PostgreSQL triggers"
    ),
]


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


def _misses_row(page: str) -> list[str]:
    row = page.split("<summary>Misses recorded</summary>", 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="text-end">([^<]*)</td>', row)


def _view(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_miss_recorded_changes_the_figure_on_the_next_view(client, known, leader):
    client.force_login(leader)
    page, counted = _view(client)
    assert _misses_row(page) == ["2", "2", "0", "4"]
    again, kept = _view(client)
    assert _misses_row(again) == ["2", "2", "0", "4"]
    assert kept < counted - 10, "nothing changed: the figures are not counted again"

    known.builder.miss(known.ada, d(11, 20))

    page, recounted = _view(client)
    assert _misses_row(page) == ["2", "3", "0", "5"]
    assert recounted > kept + 10, "counted again"


def test_a_bulk_update_and_a_delete_change_the_figure_too(client, known, leader):
    """Writes no signal tells of (QuerySet.update, delete) leave their mark all the same."""
    client.force_login(leader)
    assert _misses_row(_view(client)[0]) == ["2", "2", "0", "4"]
    counted = Miss.objects.filter(pupil=known.ada, status=Miss.Status.COUNTED)
    first = counted.order_by("recorded_at").first()

    Miss.objects.filter(pk=first.pk).update(status=Miss.Status.VOIDED)
    assert _misses_row(_view(client)[0]) == ["1", "2", "0", "3"]

    Miss.objects.filter(pk=first.pk).delete()
    Miss.objects.filter(pk=counted.order_by("recorded_at").first().pk).delete()
    assert _misses_row(_view(client)[0]) == ["1", "1", "0", "2"]


def test_another_schools_write_keeps_this_schools_figures(client, known, leader):
    client.force_login(leader)
    page, counted = _view(client)
    other = School.objects.get(slug="elsewhere")  # the fixture's other school
    assert Miss.objects.filter(school=other).update(status=Miss.Status.EXCUSED) == 1
    _again, kept = _view(client)
    assert kept < counted - 10


def test_the_page_is_counted_when_the_cache_is_down(client, known, leader, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is not answering")

    monkeypatch.setattr(django_cache, "get", down)
    monkeypatch.setattr(django_cache, "set", down)
    client.force_login(leader)
    page, _queries = _view(client)
    assert _misses_row(page) == ["2", "2", "0", "4"]


def test_folding_the_marks_keeps_the_key_and_a_later_write_changes_it(known):
    def key():
        with school_time_zone(known.school):
            report = half_term_report(known.year, today=TODAY)
        return report.marks.key("half-term", cache.HALF_TERM_SOURCES, report.key_parts)

    for day in (10, 11, 12):
        known.builder.miss(known.ada, d(11, day))
    before = key()
    weights = {t: v[0] for t, v in half_term_report(known.year, today=TODAY).marks.by_table.items()}

    cache.marks_fold(known.school.pk, "sanctions_miss")

    marks = half_term_report(known.year, today=TODAY).marks.by_table
    assert {t: v[0] for t, v in marks.items()} == weights, "the same weights, in fewer marks"
    assert marks["sanctions_miss"][2] < 3
    known.builder.miss(known.ada, d(11, 13))
    assert key() != before


def _tables_read(queries) -> set[str]:
    found = set()
    for query in queries:
        found |= set(re.findall(r'(?:FROM|JOIN) "([a-z_0-9]+)"', query["sql"]))
    return found


def test_every_table_the_reports_figures_read_is_declared_and_marked(known):
    """Each kept unit's queries read only tables of its declared sources, and each of
    those tables has the triggers that mark its writes."""
    with school_time_zone(known.school):
        periods = periods_of(known.year)
        with CaptureQueriesContext(connection) as queries:
            _families(known.year, periods, timezone.localdate())
        settings = ReportSettings.for_school(known.school.pk)
        with CaptureQueriesContext(connection) as engagement_queries:
            family_engagement(known.year, periods, settings=settings)
    read = _tables_read(queries.captured_queries)
    declared = set(cache.tables_of(cache.HALF_TERM_SOURCES))
    assert read - declared == set(), "declare these in reports/measures/cache.py"
    engagement_read = _tables_read(engagement_queries.captured_queries)
    assert engagement_read - set(cache.tables_of(cache.ENGAGEMENT_SOURCES)) == set()
    read |= engagement_read
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname LIKE 'reports_marks_%%'"
        )
        marked = {row[0] for row in cursor.fetchall()}
    assert set(cache.marked_tables()) <= marked
    assert read <= marked


def test_writes_fold_their_tables_marks_without_changing_their_weight(known):
    """The marks of a school whose report nobody reads are folded by the writes too."""
    marks = half_term_report(known.year, today=TODAY).marks.by_table
    for day in (10, 11, 12):
        known.builder.miss(known.ada, d(11, day))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL reports.fold_chance = '1'")
    known.builder.miss(known.ada, d(11, 13))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL reports.fold_chance = '0'")
    after = half_term_report(known.year, today=TODAY).marks.by_table
    weight, _last, count = after["sanctions_miss"]
    assert count == 1
    assert weight == marks["sanctions_miss"][0] + 4
