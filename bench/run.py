"""`make bench`: how fast the pages are, on PostgreSQL, served as in production.

    python bench/run.py [--schools K] [--pupils N] [--seconds S] [--users U] [--rebuild]

1. Builds `<DATABASE_URL's name>_<K>x<N>` with seed_demo (K schools of N pupils; default
   1 x 1342, the school in the source material), or reuses it when a run at that scale
   built it before (bench/database.py); then works on a fresh copy of it.
2. Serves the copy with gunicorn as in production: DEBUG off, 2 sync workers, static
   files from whitenoise after collectstatic, Redis when REDIS_URL is set; plus the
   reference page (BENCH_REFERENCE_PAGE, homework_mgmt/bench_urls.py).
3. Signs the demo school's personas in through the login form (one session per
   simulated user), checks that each page answers 200, counts each page's queries with
   one instrumented request in this process, then loads each page alone with Locust
   (U users, no think time) for S seconds after a warm-up (bench/locustfile.py).
4. Times the actions (bench/actions.py) and reads the web workers' resident memory.
5. Prints the table; then runs bench/import_benchmark.py on the copy (--skip-import).

It asserts nothing: the figures depend on the machine and on what else runs on it."""

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import database  # noqa: E402
from bench.web import Gunicorn, WebError, free_port, login, page_check  # noqa: E402

PYTHON = sys.executable
VAR = ROOT / "var" / "bench"
LONGER = 12  # a slow page's window lasts at least 12 of its single requests
SECRET_KEY = "bench-only-secret-key-for-a-throwaway-database-never-used-elsewhere"


def arguments(argv=None):
    parser = argparse.ArgumentParser(
        description="Page benchmark on PostgreSQL (DATABASE_URL): see README 'make bench'."
    )
    parser.add_argument("--schools", type=int, default=1, help="schools (default 1)")
    parser.add_argument("--pupils", type=int, default=1342, help="pupils a school (default 1342)")
    parser.add_argument(
        "--seconds", type=float, default=10, help="measured seconds a page (default 10)"
    )
    parser.add_argument(
        "--warmup", type=float, default=2, help="seconds of load before measuring (default 2)"
    )
    parser.add_argument(
        "--longest",
        type=float,
        default=180,
        help="most seconds of load for a slow page, whose window grows (default 180)",
    )
    parser.add_argument("--users", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument(
        "--pages", default="", help="only pages whose name contains this (the reference always)"
    )
    parser.add_argument("--skip-actions", action="store_true", help="pages only")
    parser.add_argument("--skip-import", action="store_true", help="no MIS import benchmark")
    return parser.parse_args(argv)


def say(text: str) -> None:
    print(text, flush=True)


def bench_env(database_url: str, *, email_url: str = "memorymail://") -> dict:
    """The environment of every process of the run (gunicorn, manage.py, this one): the
    production settings with the benchmark's database and reference page."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        # Plain HTTP on 127.0.0.1: no TLS proxy in front to redirect to.
        SECURE_SSL_REDIRECT="false",
        # Each web worker keeps its database connection, as README advises for production
        # (docker-compose.yml sets the same): a new connection per request is not the
        # pages' cost.
        CONN_MAX_AGE="60",
        BENCH_REFERENCE_PAGE="true",
        EMAIL_URL=email_url,
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="homework_mgmt.settings",
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def database_prepare(server, *, schools: int, pupils: int, rebuild: bool) -> tuple[str, str]:
    """Builds (or reuses) the scale's database, migrates it, and copies it for this run.
    Returns (run database name, what was built when)."""
    built = database.built_name(server, schools=schools, pupils=pupils)
    status = None if rebuild else database.built_status(server, built)
    # Building runs seed_demo as a developer would: without Redis its few tasks run inline
    # and their emails stay in memory.
    build_env = bench_env(server.url_for(built))
    build_env.pop("REDIS_URL", None)
    if status is None:
        say(f"Building {built}: {schools} school(s) of {pupils} pupils with seed_demo...")
        database.database_drop(server, built)
        database.database_create(server, built)
        started = time.monotonic()
        manage(build_env, "migrate", "--noinput", "--verbosity", "0")
        manage(
            build_env, "seed_demo", "--schools", str(schools), "--pupils", str(pupils), "--force"
        )
        took = time.monotonic() - started
        status = (
            f"{schools} school(s) x {pupils} pupils, built "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC from {database.git_commit(ROOT)} "
            f"in {took:.0f} s"
        )
        database.database_mark(server, built, status)
        status = f"{database.MARK} {status}"
    else:
        say(f"Reusing {built} ({status.removeprefix(database.MARK).strip()}; --rebuild to rebuild)")
        manage(build_env, "migrate", "--noinput", "--verbosity", "0")
    run = f"{built}_run"
    database_copy(server, built, run)
    return run, status.removeprefix(database.MARK).strip()


def database_copy(server, built: str, copy: str) -> None:
    """A fresh copy of a built database to measure on (pages write as they are read),
    with the planner's statistics gathered (ANALYZE)."""
    database.database_drop(server, copy)
    started = time.monotonic()
    database.database_create(server, copy, template=built)
    database.database_analyze(server, copy)
    size = database.database_size(server, copy) / 2**20
    say(
        f"Copied {built} to {copy} ({size:,.0f} MB) and gathered its statistics (ANALYZE) in "
        f"{time.monotonic() - started:.1f} s."
    )


def static_fresh() -> bool:
    """Whether collectstatic's manifest is newer than every file of the project's static
    folders and requirements (collecting compresses every file again: slow)."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    sources = [ROOT / "requirements.txt", *ROOT.glob("static/**/*"), *ROOT.glob("*/static/**/*")]
    newest = max((path.stat().st_mtime for path in sources if path.is_file()), default=0)
    return manifest.stat().st_mtime > newest


def django_setup(env: dict) -> None:
    os.environ.update(env)
    import django

    django.setup()


def sessions_open(host: str, pages, users: int) -> dict[str, list[str]]:
    """`users` sessions per persona, each through the login form."""
    from bench.pages import PERSONAS
    from school.demo import DEMO_PASSWORD

    sessions = {}
    for persona in sorted({page.persona for page in pages}):
        sessions[persona] = [login(host, PERSONAS[persona], DEMO_PASSWORD) for _ in range(users)]
    return sessions


def queries_count(url: str, cookie: str) -> tuple[int, float]:
    """The page's queries, from one request in this process with the persona's session
    (after one warm-up request), and that request's seconds."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    for part in cookie.split("; "):
        name, _, value = part.partition("=")
        client.cookies[name] = value
    client.get(url)
    started = time.monotonic()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    took = time.monotonic() - started
    if response.status_code != 200:
        raise WebError(f"{url} answered {response.status_code} in process")
    return len(context.captured_queries), took


def load(host: str, url: str, cookies: list[str], *, users: int, seconds: float, warmup: float):
    """Locust on one page: requests per second, median and 95th percentile (ms), failures."""
    VAR.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(suffix=".json", dir=VAR, delete=False) as out:
        out_path = Path(out.name)
    env = dict(os.environ)
    env.update(
        BENCH_URL=url,
        BENCH_COOKIES=json.dumps(cookies),
        BENCH_WARMUP=str(warmup),
        BENCH_OUT=str(out_path),
    )
    locust = Path(PYTHON).parent / "locust"
    command = [
        str(locust),
        "-f", str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users", str(users),
        "--spawn-rate", str(users),
        "--run-time", f"{math.ceil(warmup + seconds)}s",  # whole seconds only
        "--host", host,
        "--only-summary",
        "--loglevel", "ERROR",
    ]  # fmt: skip
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    try:
        result = json.loads(out_path.read_text())
    except (OSError, ValueError):
        raise WebError(f"Locust gave no figures: {finished.stderr[-2000:]}") from None
    finally:
        out_path.unlink(missing_ok=True)
    times = sorted(result["times_ms"])
    if not times:
        failed = ", ".join(f"{count} x {status}" for status, count in result["statuses"].items())
        raise WebError(
            f"no request finished in {seconds:g} s" + (f" ({failed} failed)" if failed else "")
        )
    return {
        "rps": len(times) / result["seconds"],
        "median": statistics.median(times),
        "p95": times[math.ceil(0.95 * len(times)) - 1],  # the nearest rank
        "failures": result["failures"],
        "statuses": result["statuses"],
        "requests": len(times),
    }


def pages_measure(host: str, pages, options) -> list[dict]:
    from bench.pages import REFERENCE

    say(f"Signing in {len({page.persona for page in pages})} personas x {options.users}...")
    sessions = sessions_open(host, pages, options.users)
    rows = []
    for page in pages:
        row = {"page": page.name, "persona": page.persona, "url": page.url}
        cookies = sessions[page.persona]
        problem = page_check(host, page.url, cookies[0])
        if problem:
            row["error"] = problem
            say(f"  {page.name}: {problem}, skipped")
            rows.append(row)
            continue
        row["queries"], single = queries_count(page.url, cookies[0])
        # A slow page gets a longer window, so that enough of its requests end in it.
        seconds = min(max(options.seconds, LONGER * single), options.longest)
        warmup = min(max(options.warmup, 2 * single), options.longest)
        if seconds >= options.seconds + 1:
            say(f"  {page.name}: {single:.1f} s a request, so {seconds:.0f} s of load")
        try:
            row.update(
                load(host, page.url, cookies, users=options.users, seconds=seconds, warmup=warmup)
            )
        except WebError as error:
            row["error"] = str(error)
        rows.append(row)
        say(
            f"  {page.name}: "
            + (
                f"{row['rps']:.1f} req/s, median {row['median']:.0f} ms, {row['queries']} queries"
                if "rps" in row
                else row["error"]
            )
        )
    reference = next((row for row in rows if row["page"] == REFERENCE and "rps" in row), None)
    for row in rows:
        if reference and "rps" in row:
            row["share"] = 100 * row["rps"] / reference["rps"]
    return rows


def pages_table(rows: list[dict]) -> str:
    header = (
        "page", "persona", "req/s", "share", "median ms", "p95 ms", "queries", "requests",
        "failed",
    )  # fmt: skip
    lines = [header]
    for row in rows:
        if "rps" not in row:
            lines.append((row["page"], row["persona"], row.get("error", "?"), *[""] * 6))
            continue
        lines.append(
            (
                row["page"],
                row["persona"],
                f"{row['rps']:.1f}",
                f"{row['share']:.1f} %" if "share" in row else "",
                f"{row['median']:.0f}",
                f"{row['p95']:.0f}",
                str(row["queries"]),
                str(row["requests"]),
                str(row["failures"]),
            )
        )
    return "\n".join(aligned(lines))


def aligned(lines: list[tuple], *, left: int = 2) -> list[str]:
    """A table's lines in columns (the first `left` to the left, the rest to the right),
    a rule under the header (the first line); a line of another length as it is, joined."""
    columns = len(lines[0])
    widths = [
        max(len(line[column]) for line in lines if len(line) == columns)
        for column in range(columns)
    ]
    text = []
    for number, line in enumerate(lines):
        if len(line) != columns:
            text.append("  ".join(line))
            continue
        cells = [
            cell.ljust(width) if column < left else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(line, widths, strict=True))
        ]
        text.append("  ".join(cells).rstrip())
        if number == 0:
            text.append("  ".join("-" * width for width in widths))
    return text


def actions_table(results) -> str:
    lines = [("action", "figure", "what")]
    for result in results:
        if isinstance(result, tuple):
            lines.append((result[0], "failed", result[1]))
        else:
            lines.append((result.action, result.figure, result.detail))
    widths = [max(len(line[column]) for line in lines) for column in range(2)]
    text = []
    for number, (action, figure, what) in enumerate(lines):
        text.append(f"{action.ljust(widths[0])}  {figure.rjust(widths[1])}  {what}")
        if number == 0:
            text.append(f"{'-' * widths[0]}  {'-' * widths[1]}  {'-' * 4}")
    return "\n".join(text)


def database_server(program: str):
    """The PostgreSQL server of DATABASE_URL (read as the settings read it, .env
    included), or None after saying why there is none."""
    import environ

    environ.Env.read_env(ROOT / ".env", overwrite=False)  # as the settings do
    try:
        return database.server_from(os.environ.get("DATABASE_URL"))
    except database.DatabaseError as error:
        say(f"{program}: {error}")
        return None


def main(argv=None) -> int:
    options = arguments(argv)
    server = database_server("make bench")
    if server is None:
        return 2
    VAR.mkdir(parents=True, exist_ok=True)
    run_name, built = database_prepare(
        server, schools=options.schools, pupils=options.pupils, rebuild=options.rebuild
    )
    env = bench_env(server.url_for(run_name))
    if static_fresh():
        say("Static files already collected since the last change.")
    else:
        say("Collecting static files (DEBUG off: whitenoise serves the manifest's files)...")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    django_setup(env)
    from bench.pages import REFERENCE, pages_list

    pages = [
        page
        for page in pages_list()
        if page.name == REFERENCE or options.pages.lower() in page.name.lower()
    ]
    gunicorn = Gunicorn(
        root=ROOT, env=env, workers=options.workers, port=free_port(), log_path=VAR / "gunicorn.log"
    )
    say(f"Starting gunicorn ({options.workers} sync workers) on {gunicorn.host}...")
    gunicorn.start()
    try:
        rows = pages_measure(gunicorn.host, pages, options)
        memory = gunicorn.worker_rss_mb()
    finally:
        gunicorn.stop()
    say("")
    say(
        f"Pages, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs: {built}; "
        f"gunicorn {options.workers} sync workers; {options.users} users, "
        f"{options.seconds:g} s a page after {options.warmup:g} s of warm-up"
    )
    say(pages_table(rows))
    say("")
    say(
        "Web workers' resident memory after the run: "
        + ", ".join(f"{size:.0f} MB" for size in memory)
    )
    if not options.skip_actions:
        say("")
        say("Timing the actions (in this process, on the same copy)...")
        from bench.actions import actions_time

        say(actions_table(actions_time(root=ROOT, env=env, log_dir=VAR)))
    if not options.skip_import:
        say("")
        say("The MIS import (bench/import_benchmark.py, rolled back):")
        subprocess.run([PYTHON, str(ROOT / "bench" / "import_benchmark.py")], env=env, check=False)
    database.database_drop(server, run_name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
