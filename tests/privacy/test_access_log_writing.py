"""The access log is written for each sensitive page a member of staff opens (the pupil
page, the sanctions timeline, a roster's CSV carrying the pupils' flags): who, when, which
pupil, which page, in one insert after the response, with nothing more read; not for a
pupil or a parent opening their own record, nor for a page refused; and a database error
in the insert leaves the page as it was."""

import logging
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from privacy.models import AccessLogEntry
from tests.factories import HouseFactory, PupilFactory

pytestmark = pytest.mark.shared_world

MIDDLEWARE = "privacy.access_log.middleware.AccessLogMiddleware"
TABLE = AccessLogEntry._meta.db_table

# page -> (who opens it, its url, the pupils it shows, the page the log names)
PAGES = {
    "pupil_page": (
        "teacher",
        lambda w: reverse("pupil_detail", args=[w.pupil.pk]),
        lambda w: [w.pupil],
        "Pupil page",
    ),
    "sanctions_timeline": (
        "head_of_year",
        lambda w: reverse("sanctions_pupil", args=[w.pupil.pk]),
        lambda w: [w.pupil],
        "Sanctions timeline",
    ),
    "tutor_roster_csv": (
        "teacher",
        lambda w: reverse("tutor_group_detail", args=[w.tg_7a.pk]) + "?format=csv",
        lambda w: list(w.tg_7a.pupils.all()),
        "Roster CSV",
    ),
    "year_roster_csv": (
        "head_of_year",
        lambda w: reverse("year_group_detail", args=[w.y7.pk]) + "?format=csv",
        lambda w: list(w.y7.pupils.all()),
        "Roster CSV",
    ),
}


def _statements(capture) -> list[str]:
    """The statements run, with their literals (a session key, the time) left out."""
    return [re.sub(r"'[^']*'", "?", q["sql"]) for q in capture.captured_queries]


def _inserts(queries: list[str]) -> list[str]:
    return [sql for sql in queries if sql.startswith(f'INSERT INTO "{TABLE}"')]


@pytest.mark.parametrize("name", PAGES)
def test_each_sensitive_page_writes_who_when_which_pupil_and_page(client, world, name):
    who, url, shown, page = PAGES[name]
    PupilFactory(tutor_group=world.tg_7a)  # a roster of more than one
    user = getattr(world, who)
    client.force_login(user)
    address = url(world)

    response = client.get(address)

    assert response.status_code == 200
    entries = list(AccessLogEntry.objects.order_by("pupil_id"))
    assert [e.pupil_id for e in entries] == sorted(p.pk for p in shown(world))
    assert {(e.school_id, e.user_id, e.page, e.path) for e in entries} == {
        (world.school.pk, user.pk, page, address)
    }
    assert all(e.at is not None for e in entries)


@pytest.mark.parametrize("extra", [1, 40])
@pytest.mark.parametrize("name", PAGES)
def test_the_log_costs_one_insert_and_no_read(client, world, name, extra, settings):
    """The page's queries with the log are those without it, and one insert, however many
    pupils a roster's CSV names."""
    who, url, shown, _ = PAGES[name]
    for _ in range(extra):
        PupilFactory(tutor_group=world.tg_7a)
    client.force_login(getattr(world, who))
    address = url(world)
    client.get(address)  # the session and caches settled alike for both
    with CaptureQueriesContext(connection) as capture:
        assert client.get(address).status_code == 200
    logged = _statements(capture)  # read now: the next request resets the log
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MIDDLEWARE]
    unlogged_client = Client()  # a client loads the middleware once, when first used
    unlogged_client.force_login(getattr(world, who))
    unlogged_client.get(address)
    with CaptureQueriesContext(connection) as capture:
        assert unlogged_client.get(address).status_code == 200
    unlogged = _statements(capture)

    assert len(_inserts(logged)) == 1
    assert [sql for sql in logged if not _inserts([sql])] == unlogged
    assert AccessLogEntry.objects.count() == 2 * len(shown(world))  # the first two requests


def test_a_pupil_and_a_parent_opening_their_own_record_are_not_logged(client, world):
    url = reverse("pupil_detail", args=[world.pupil.pk])
    for user in (world.pupil.user, world.parent):
        client.force_login(user)
        assert client.get(url).status_code == 200
    assert not AccessLogEntry.objects.exists()


def test_a_pupil_opening_their_page_touches_no_log(client, world):
    client.force_login(world.pupil.user)
    url = reverse("pupil_detail", args=[world.pupil.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as capture:
        client.get(url)
    assert not any(TABLE in q["sql"] for q in capture.captured_queries)


def test_a_refused_page_writes_nothing(client, world):
    client.force_login(world.other_school_staff)
    assert client.get(reverse("pupil_detail", args=[world.pupil.pk])).status_code == 404
    client.force_login(world.lsa)
    assert client.get(reverse("sanctions_pupil", args=[world.pupil.pk])).status_code == 404
    assert not AccessLogEntry.objects.exists()


def test_a_roster_page_and_an_empty_roster_csv_write_nothing(client, world):
    client.force_login(world.teacher)
    assert client.get(reverse("tutor_group_detail", args=[world.tg_7a.pk])).status_code == 200
    empty = HouseFactory(school=world.school, name="Darwin")
    client.force_login(world.senior_leader)
    response = client.get(reverse("house_detail", args=[empty.pk]), {"format": "csv"})
    assert response.status_code == 200
    assert response.content.decode().count("\n") == 1  # the header alone
    assert not AccessLogEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_database_error_in_the_insert_is_logged_and_the_page_is_sent(
    client, world, monkeypatch, caplog
):
    """A real error from the database (the table is not there): the teacher has the page,
    the error is logged, and the next request works and is logged."""
    client.force_login(world.teacher)
    url = reverse("pupil_detail", args=[world.pupil.pk])
    monkeypatch.setattr(AccessLogEntry._meta, "db_table", "privacy_accesslogentry_gone")
    with caplog.at_level(logging.ERROR, logger="privacy.access_log.middleware"):
        response = client.get(url + "?q=secret")

    assert response.status_code == 200
    assert escape(world.pupil.full_name) in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "privacy.access_log.middleware"]
    assert "lost 1 entries" in record.getMessage() and "secret" not in record.getMessage()

    monkeypatch.undo()
    assert client.get(url).status_code == 200
    assert AccessLogEntry.objects.filter(user=world.teacher, pupil=world.pupil).count() == 1


def test_the_middleware_comes_after_authentication():
    middleware = settings.MIDDLEWARE
    assert middleware.index(MIDDLEWARE) > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
