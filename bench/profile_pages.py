"""Where one page's time goes, for working on a slow page (not part of `make bench`).

    DATABASE_URL=postgres://.../<a copy of a bench database> \\
        python bench/profile_pages.py "parent overview" [--requests 30] [--profile]
        [--queries] [--matching WORD] [--json]

Requests each named page (the names of bench/pages.py; none: every page; --matching: those
whose name contains the word) in this process through Django's test client, signed in as
the page's persona, with the production settings of the bench (DEBUG off), and prints per
page the medians and minimums of: the request's wall time, this process's CPU time
(Python: views, ORM, templates), the time spent waiting for SQL, and the queries. CPU time
barely moves when other programs load the machine, so it compares two versions of a page
fairly where wall time would not; --profile adds cProfile's top functions by cumulative
time, --queries each query's median time in the order the page sends them, --json the
same figures per page as JSON on one line in place of the table (bench/compare.py reads
it).

Pages write as they are read (who looked at a pupil): run it on a copy, never on the
database `make bench` built and reuses."""

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import bench_env, django_setup  # noqa: E402


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="*", help="page names as in bench/pages.py")
    parser.add_argument("--requests", type=int, default=30, help="timed requests a page")
    parser.add_argument("--profile", action="store_true", help="cProfile's top functions")
    parser.add_argument("--top", type=int, default=30, help="functions shown by --profile")
    parser.add_argument(
        "--queries", action="store_true", help="each query's median ms, in the order sent"
    )
    parser.add_argument(
        "--matching", default="", help="only pages whose name contains this (as run.py's --pages)"
    )
    parser.add_argument(
        "--json", action="store_true", help="the results as JSON on one line, not the table"
    )
    return parser.parse_args(argv)


class SqlClock:
    """An execute wrapper adding up the queries and the seconds spent waiting for them."""

    def __init__(self):
        self.queries, self.seconds = 0, 0.0
        self.each: list[tuple[str, float]] = []  # (SQL, seconds) in the order sent

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            seconds = time.perf_counter() - started
            self.seconds += seconds
            self.queries += 1
            self.each.append((sql, seconds))


def measure(client, url: str, requests: int, profile: bool, top: int) -> dict:
    from django.db import connection

    for _ in range(3):  # warm: templates compiled, caches filled, connection open
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    walls, cpus, sqls, queries, each = [], [], [], [], []
    profiler = cProfile.Profile() if profile else None
    for _ in range(requests):
        clock = SqlClock()
        with connection.execute_wrapper(clock):
            cpu_started, wall_started = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            client.get(url)
            if profiler:
                profiler.disable()
            wall = time.perf_counter() - wall_started
            cpu = time.process_time() - cpu_started
        walls.append(wall * 1000)
        cpus.append(cpu * 1000)
        sqls.append(clock.seconds * 1000)
        queries.append(clock.queries)
        each.append(clock.each)
    result = {
        "wall": (statistics.median(walls), min(walls)),
        "cpu": (statistics.median(cpus), min(cpus)),
        "sql": (statistics.median(sqls), min(sqls)),
        "queries": max(queries),
    }
    if all(len(request) == len(each[0]) for request in each):
        result["each"] = [
            (statistics.median(request[n][1] for request in each) * 1000, sql)
            for n, (sql, _) in enumerate(each[0])
        ]
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(top)
        result["profile"] = out.getvalue()
    return result


def pages_chosen(names: list[str], matching: str) -> list:
    from bench.pages import pages_list

    pages = pages_list()
    if names:
        known = {page.name for page in pages}
        unknown = [name for name in names if name not in known]
        if unknown:
            raise SystemExit(f"Unknown page(s) {unknown}; known: {sorted(known)}")
        pages = [page for page in pages if page.name in names]
    return [page for page in pages if matching.lower() in page.name.lower()]


def as_json(page, result: dict) -> dict:
    """One page's figures as --json prints them: wall, cpu and sql are [median, min] ms."""
    figures = {"page": page.name, "persona": page.persona, "url": page.url}
    figures.update({key: list(result[key]) for key in ("wall", "cpu", "sql")})
    figures["queries"] = result["queries"]
    return figures


def main(argv=None) -> int:
    options = arguments(argv)
    import os

    env = bench_env(os.environ.get("DATABASE_URL", ""))
    django_setup(env)
    from django.test import Client

    from bench.pages import PERSONAS
    from school.models import User

    pages = pages_chosen(options.pages, options.matching)
    if not pages:
        raise SystemExit(f"No page's name contains {options.matching!r}.")
    figures = []
    if not options.json:
        print(f"{'page':<36} {'wall ms':>14} {'cpu ms':>14} {'sql ms':>14} {'queries':>8}")
        print(f"{'':<36} {'median / min':>14} {'median / min':>14} {'median / min':>14}")
    for page in pages:
        client = Client()
        client.force_login(User.objects.get(email=PERSONAS[page.persona]))
        result = measure(client, page.url, options.requests, options.profile, options.top)
        if options.json:
            figures.append(as_json(page, result))
            if options.queries:
                figures[-1]["each"] = result.get("each", [])
            if options.profile:
                figures[-1]["profile"] = result["profile"]
            continue
        cells = [f"{result[key][0]:6.1f} / {result[key][1]:5.1f}" for key in ("wall", "cpu", "sql")]
        print(
            f"{page.name:<36} {cells[0]:>14} {cells[1]:>14} {cells[2]:>14} {result['queries']:>8}"
        )
        if options.queries:
            for milliseconds, sql in result.get("each", []):
                print(f"  {milliseconds:7.2f} ms  {sql[:150]}")
        if options.profile:
            print(result["profile"])
    if options.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
