"""One school against a trust, fairly: each page's time at K schools against its time at one.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homework \\
        python bench/compare.py --schools 20 [--pupils 1342] [--rounds 3] [--requests 20]
        [--pages WORD]

The goal it checks: a page's time at 20 schools is within 20 % of its time at one school.
Two separate `make bench` runs cannot say so on a shared machine whose speed drifts by a
third in an afternoon; this measures both scales in turns, minutes apart.

1. Needs both databases `make bench` builds, `<name>_1x<N>` and `<name>_<K>x<N>`
   (`bench/run.py --schools K --pupils N` builds one), and copies each to
   `..._compare` (template copy, ANALYZE, migrations), since pages write as they are read.
2. Each round runs bench/profile_pages.py --json in a subprocess on each copy in turn,
   one school first on odd rounds and the trust first on even ones, so that the machine's
   drift falls on both sides alike. The subprocesses run without REDIS_URL (each its own
   memory cache), so neither scale is served the other's cached figures.
3. Prints per page the median over rounds of each round's median wall and CPU (Python)
   milliseconds at each scale, the trust's difference in per cent, the queries at each
   scale, then which pages are outside the goal. Drops the copies.

It asserts nothing: the figures depend on the machine and on what else runs on it."""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import database  # noqa: E402
from bench.run import (  # noqa: E402
    aligned,
    bench_env,
    database_copy,
    database_server,
    manage,
    say,
)

PYTHON = sys.executable
GOAL = 20  # per cent


def arguments(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=20, help="the trust's schools (default 20)")
    parser.add_argument("--pupils", type=int, default=1342, help="pupils a school (default 1342)")
    parser.add_argument("--rounds", type=int, default=3, help="turns at each scale (default 3)")
    parser.add_argument(
        "--requests", type=int, default=20, help="timed requests a page a turn (default 20)"
    )
    parser.add_argument("--pages", default="", help="only pages whose name contains this")
    return parser.parse_args(argv)


def databases_missing(server, *, schools: int, pupils: int) -> list[str]:
    """What to build first: one line per built database that is missing or unfinished."""
    lines = []
    for scale in (1, schools):
        name = database.built_name(server, schools=scale, pupils=pupils)
        if database.built_status(server, name) is None:
            state = "unfinished" if database.database_exists(server, name) else "missing"
            lines.append(
                f"{name} is {state}: build it with python bench/run.py --schools {scale} "
                f"--pupils {pupils} (the same DATABASE_URL; or make bench "
                f'BENCH_ARGS="--schools {scale} --pupils {pupils}")'
            )
    return lines


def profile_run(url: str, *, requests: int, matching: str) -> list[dict]:
    """bench/profile_pages.py --json on the database at `url`: its per-page figures."""
    env = dict(os.environ, DATABASE_URL=url)
    env.pop("REDIS_URL", None)
    command = [PYTHON, str(ROOT / "bench" / "profile_pages.py"), "--json"]
    command += ["--requests", str(requests), "--matching", matching]
    finished = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    lines = finished.stdout.strip().splitlines()
    if finished.returncode != 0 or not lines:
        raise SystemExit(
            f"bench/profile_pages.py failed on {url}:\n{finished.stderr[-3000:]}{finished.stdout}"
        )
    return json.loads(lines[-1])


def summary(rounds: list[list[dict]]) -> dict[str, dict]:
    """Per page (in the order measured): the median over rounds of each round's median wall
    and CPU ms, and the most queries seen."""
    pages: dict[str, dict] = {}
    for results in rounds:
        for result in results:
            page = pages.setdefault(
                result["page"],
                {"persona": result["persona"], "wall": [], "cpu": [], "queries": 0},
            )
            page["wall"].append(result["wall"][0])
            page["cpu"].append(result["cpu"][0])
            page["queries"] = max(page["queries"], result["queries"])
    for page in pages.values():
        page["wall"] = statistics.median(page["wall"])
        page["cpu"] = statistics.median(page["cpu"])
    return pages


def difference(one: float, many: float) -> float:
    """How much longer (per cent) the trust's time is than the one school's."""
    return 100 * (many - one) / one if one else 0.0


def percent(value: float) -> str:
    return f"{round(value):+d} %"


def comparison(one: dict[str, dict], many: dict[str, dict], *, schools: int) -> str:
    """The table of two summaries (one school, K schools), then the goal's line: the pages
    more than GOAL % slower at K schools, by wall time and by CPU time."""
    trust = f"{schools} schools"
    header = (
        "page", "persona", "wall ms: 1 school", trust, "diff", "cpu ms: 1 school", trust,
        "diff", "queries: 1 school", trust,
    )  # fmt: skip
    lines = [header]
    outside = {"wall": [], "cpu": []}
    for name, small in one.items():
        large = many.get(name)
        if large is None:
            lines.append((name, small["persona"], f"not measured at {schools} schools"))
            continue
        cells = [name, small["persona"]]
        for key in ("wall", "cpu"):
            change = difference(small[key], large[key])
            cells += [f"{small[key]:.1f}", f"{large[key]:.1f}", percent(change)]
            if change > GOAL:
                outside[key].append(f"{name} ({percent(change)})")
        cells += [str(small["queries"]), str(large["queries"])]
        lines.append(tuple(cells))
    text = aligned(lines)
    text.append("")
    text.append(
        f"Goal: each page's time at {schools} schools within {GOAL} % of its time at one "
        "school. More than "
        f"{GOAL} % slower by wall time: {', '.join(outside['wall']) or 'none'}; "
        f"by CPU time: {', '.join(outside['cpu']) or 'none'}."
    )
    return "\n".join(text)


def main(argv=None) -> int:
    options = arguments(argv)
    server = database_server("bench/compare.py")
    if server is None:
        return 2
    if options.schools < 2:
        say("bench/compare.py: --schools is the trust's size, 2 or more.")
        return 2
    missing = databases_missing(server, schools=options.schools, pupils=options.pupils)
    if missing:
        say("bench/compare.py needs both databases:\n" + "\n".join(missing))
        return 2
    builts = [
        database.built_name(server, schools=scale, pupils=options.pupils)
        for scale in (1, options.schools)
    ]
    copies = [f"{built}_compare" for built in builts]
    try:
        for built, copy in zip(builts, copies, strict=True):
            database_copy(server, built, copy)
            # The copy, not the built database, catches up with this checkout's migrations.
            manage(bench_env(server.url_for(copy)), "migrate", "--noinput", "--verbosity", "0")
        rounds = ([], [])
        for number in range(options.rounds):
            order = (0, 1) if number % 2 == 0 else (1, 0)
            for side in order:
                started = time.monotonic()
                rounds[side].append(
                    profile_run(
                        server.url_for(copies[side]),
                        requests=options.requests,
                        matching=options.pages,
                    )
                )
                say(
                    f"Round {number + 1} of {options.rounds}: {builts[side]} in "
                    f"{time.monotonic() - started:.0f} s"
                )
    finally:
        for copy in copies:
            database.database_drop(server, copy)
    say("")
    say(
        f"Pages in one process each (bench/profile_pages.py), "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} CPUs: {builts[0]} "
        f"against {builts[1]}, {options.rounds} rounds of {options.requests} requests a page "
        "taken in turns; each figure the median over rounds of a round's median"
    )
    say(comparison(summary(rounds[0]), summary(rounds[1]), schools=options.schools))
    return 0


if __name__ == "__main__":
    sys.exit(main())
