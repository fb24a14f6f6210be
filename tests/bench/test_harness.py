"""`make bench`'s pieces work (bench/run.py): the reference page exists only in the
benchmark's environment, the demo personas sign in through the real login form, every
page of the list answers them, and Locust drives a page and reports what it measured.
Nothing here is about time: the figures are the bench's to print, never to assert."""

import importlib

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, clear_url_caches, reverse

import homework_mgmt.urls
from bench import database
from bench.pages import PERSONAS, REFERENCE, pages_list
from bench.run import load
from bench.web import login, page_check
from school.demo import DEMO_PASSWORD
from school.models import User


def _urls_reload():
    importlib.reload(homework_mgmt.urls)
    clear_url_caches()


@pytest.fixture
def bench_setting(settings):
    """The root urls as bench/run.py's environment builds them (BENCH_REFERENCE_PAGE)."""
    settings.BENCH_REFERENCE_PAGE = True
    _urls_reload()
    yield
    settings.BENCH_REFERENCE_PAGE = False
    _urls_reload()


@pytest.fixture
def demo_school(transactional_db):
    call_command("seed_demo", "--pupils", "40", "--force", verbosity=0)


def test_the_reference_page_does_not_exist_without_the_bench_setting(client, db):
    with pytest.raises(NoReverseMatch):
        reverse("bench_reference")
    assert client.get("/bench/reference/").status_code == 404


def test_the_reference_page_with_the_bench_setting_needs_a_login_and_shows_the_school(
    bench_setting, client, db, django_assert_num_queries
):
    url = reverse("bench_reference")
    assert url == "/bench/reference/"
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")

    call_command("seed_demo", "--pupils", "30", "--force", verbosity=0)
    client.force_login(
        User.objects.get(email=PERSONAS["teacher"]), backend="school.auth.AccountBackend"
    )
    # The session, the user, the school's name, the user's roles for the menu.
    with django_assert_num_queries(4):
        response = client.get(url)
    assert response.status_code == 200
    assert "Northfield Academy" in response.text


def test_the_bench_refuses_sqlite_and_a_missing_database_url_and_names_its_databases():
    with pytest.raises(database.DatabaseError, match="refuses SQLite"):
        database.server_from("sqlite:///var/db.sqlite3")
    with pytest.raises(database.DatabaseError, match="DATABASE_URL is not set"):
        database.server_from("")
    server = database.server_from("postgres://bench:secret@db.example:5433/homework")
    assert database.built_name(server, schools=20, pupils=1342) == "homework_20x1342"
    assert server.url_for("postgres") == "postgres://bench:secret@db.example:5433/postgres"


def test_each_persona_logs_in_through_the_form_and_opens_each_of_its_pages(
    bench_setting, demo_school, live_server
):
    pages = pages_list()
    assert pages[0].name == REFERENCE
    assert {page.persona for page in pages} == set(PERSONAS)
    sessions = {
        persona: login(live_server.url, email, DEMO_PASSWORD) for persona, email in PERSONAS.items()
    }
    problems = {
        page.name: page_check(live_server.url, page.url, sessions[page.persona]) for page in pages
    }
    assert problems == {page.name: None for page in pages}

    with pytest.raises(Exception, match="Logging in as teacher@demo.school failed"):
        login(live_server.url, PERSONAS["teacher"], "not-the-password")


def test_locust_loads_one_page_and_counts_its_answers(bench_setting, demo_school, live_server):
    cookie = login(live_server.url, PERSONAS["pupil"], DEMO_PASSWORD)
    figures = load(live_server.url, "/planner/", [cookie, cookie], users=2, seconds=1, warmup=0.5)
    assert figures["requests"] > 0 and figures["failures"] == 0
    assert figures["median"] <= figures["p95"]

    # Without a session the page redirects to the login page: every answer is a failure.
    with pytest.raises(Exception, match="no request finished.*failed"):
        load(live_server.url, "/planner/", ["sessionid=none"], users=1, seconds=1, warmup=0.2)


def test_the_timed_actions_do_what_they_time_and_leave_the_database_as_it_was(
    demo_school, monkeypatch
):
    from bench.actions import TITLE, digest_and_delivery, homework_publish, misses_record
    from homework.models import Homework
    from notifications.models import Notification
    from sanctions.models import Miss
    from school.models import School

    school = School.objects.get(slug="demo")
    misses, notices = Miss.objects.count(), Notification.objects.count()

    recorded = misses_record(school, repeats=1)
    published = homework_publish(school, repeats=1)
    # Without a broker there is no worker to deliver: the digest alone, rolled back.
    monkeypatch.delenv("REDIS_URL", raising=False)
    digest, delivery = digest_and_delivery(school, root=None, env={}, log_dir=None)

    assert recorded.action.startswith("record ") and "missed deadlines" in recorded.action
    assert published.action.startswith("publish one homework to ")
    assert "families' rows" in digest.detail and delivery.figure == "not run"
    assert not Homework.objects.filter(title=TITLE).exists()
    assert (Miss.objects.count(), Notification.objects.count()) == (misses, notices)


def test_profiling_a_page_reports_its_queries_and_where_its_time_goes(bench_setting, demo_school):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.profile_pages import measure

    planner = next(page for page in pages_list() if page.name == "pupil planner")
    client = Client()
    client.force_login(User.objects.get(email=PERSONAS[planner.persona]))

    result = measure(client, planner.url, requests=2, profile=True, top=5)

    with CaptureQueriesContext(connection) as page_queries:
        client.get(planner.url)
    assert result["queries"] == len(page_queries) > 0
    assert all(result[key][1] <= result[key][0] for key in ("wall", "cpu", "sql"))
    # Each query's time, in the order the page sends them (--queries).
    assert len(result["each"]) == result["queries"]
    assert all(milliseconds >= 0 for milliseconds, _ in result["each"])
    assert [sql.split(" ")[:2] for _, sql in result["each"]] == [
        query["sql"].split(" ")[:2] for query in page_queries
    ]
    assert "Ordered by: cumulative time" in result["profile"]

    with pytest.raises(SystemExit, match="answered 302"):
        measure(Client(), planner.url, requests=1, profile=False, top=5)
