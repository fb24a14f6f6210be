"""`make bench`'s pieces work (bench/run.py): the reference page exists only in the
benchmark's environment, the demo personas sign in through the real login form, every
page of the list answers them, and Locust drives a page and reports what it measured.
Nothing here is about time: the figures are the bench's to print, never to assert."""

import importlib
import json

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, clear_url_caches, reverse

import homework_mgmt.urls
from bench import database
from bench.compare import comparison, databases_missing, difference, percent, summary
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


def test_profiling_pages_as_json_gives_each_page_s_figures(
    bench_setting, demo_school, capsys, monkeypatch
):
    from bench import profile_pages

    # Django is set up already, on the test database: the bench's environment would
    # point it at DATABASE_URL's.
    monkeypatch.setattr(profile_pages, "django_setup", lambda env: None)

    assert profile_pages.main(["--json", "--requests", "2", "--matching", "Parent"]) == 0

    results = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert [result["page"] for result in results] == ["parent overview", "parent's child page"]
    for result in results:
        assert result["persona"] == "parent" and result["url"].startswith("/parents/")
        assert all(0 <= result[key][1] <= result[key][0] for key in ("wall", "cpu", "sql"))
        assert result["queries"] > 0
    # What bench/compare.py makes of it: the same figures on both sides differ by nothing.
    table = comparison(summary([results]), summary([results]), schools=20)
    assert table.count("+0 %") == 4 and "wall time: none; by CPU time: none." in table


def _round(**pages) -> list[dict]:
    """profile_pages --json's results: page -> (wall median, cpu median, queries)."""
    return [
        {
            "page": name,
            "persona": "teacher",
            "url": "/",
            "wall": [wall, wall - 1],
            "cpu": [cpu, cpu - 1],
            "sql": [1.0, 0.5],
            "queries": queries,
        }
        for name, (wall, cpu, queries) in pages.items()
    ]


def test_the_comparison_gives_each_page_s_difference_and_names_those_outside_the_goal():
    assert [percent(difference(10, many)) for many in (11.2, 9.5, 9.97, 10)] == [
        "+12 %", "-5 %", "+0 %", "+0 %",
    ]  # fmt: skip
    one = summary(
        [
            _round(home=(10, 8, 5), register=(20, 10, 9), report=(50, 30, 8)),
            _round(home=(12, 8, 5), register=(21, 10, 9), report=(50, 30, 8)),
            _round(home=(11, 8, 5), register=(19, 10, 9), report=(50, 30, 8)),
        ]
    )
    many = summary(
        [
            _round(home=(13, 8, 5), register=(25, 9.5, 9), report=(35, 30, 8)),
            _round(home=(14, 9, 5), register=(30, 9.5, 10), report=(35, 40, 8)),
            _round(home=(12, 7, 5), register=(24, 9.5, 9), report=(35, 40, 8)),
        ]
    )
    table = comparison(one, many, schools=20)
    rows = {line.split()[0]: line.split()[2:] for line in table.splitlines()[2:5]}
    # Each figure the median over rounds; queries the most seen.
    assert rows == {
        "home": ["11.0", "13.0", "+18", "%", "8.0", "8.0", "+0", "%", "5", "5"],
        "register": ["20.0", "25.0", "+25", "%", "10.0", "9.5", "-5", "%", "9", "10"],
        "report": ["50.0", "35.0", "-30", "%", "30.0", "40.0", "+33", "%", "8", "8"],
    }
    assert table.splitlines()[0].split()[:3] == ["page", "persona", "wall"]
    assert table.splitlines()[-1] == (
        "Goal: each page's time at 20 schools within 20 % of its time at one school. More "
        "than 20 % slower by wall time: register (+25 %); by CPU time: report (+33 %)."
    )


def test_the_comparison_says_which_database_to_build_first(monkeypatch):
    built = {"homework_1x1342": "bench: 1 school(s) x 1342 pupils, built ..."}
    monkeypatch.setattr(database, "built_status", lambda server, name: built.get(name))
    monkeypatch.setattr(database, "database_exists", lambda server, name: "20x" in name)
    server = database.server_from("postgres://postgres@127.0.0.1:5432/homework")

    assert databases_missing(server, schools=20, pupils=1342) == [
        "homework_20x1342 is unfinished: build it with python bench/run.py --schools 20 "
        '--pupils 1342 (the same DATABASE_URL; or make bench BENCH_ARGS="--schools 20 '
        '--pupils 1342")'
    ]
    built["homework_20x1342"] = "bench: 20 school(s) x 1342 pupils, built ..."
    assert databases_missing(server, schools=20, pupils=1342) == []
