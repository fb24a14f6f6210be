"""The load on one page, for `locust --headless` started by bench/run.py: each simulated
user sends GETs to one address back to back (no think time) with its own session cookie,
from a login bench/run.py made through the real login form.

Its own figures, not Locust's rounded ones: every response time of a request
that ends after the warm-up (BENCH_WARMUP seconds) goes to BENCH_OUT as JSON, with the window's
length, so that bench/run.py computes requests per second, the median and the 95th
percentile exactly. A response other than 200 counts as a failure (a login page served
after a redirect would otherwise look fast)."""

import json
import os
import time

from locust import FastHttpUser, constant, events, task

URL = os.environ.get("BENCH_URL", "/")
COOKIES = json.loads(os.environ.get("BENCH_COOKIES", "[]"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "1"))
OUT = os.environ.get("BENCH_OUT", "")

_state = {"start": None, "stop": None, "times": [], "failures": 0, "statuses": {}}
_users = {"count": 0}


@events.test_start.add_listener
def _start(environment, **kwargs):
    _state["start"] = time.monotonic() + WARMUP


@events.request.add_listener
def _request(response_time, exception, response=None, start_time=None, **kwargs):
    # Requests that end in the window: throughput is completions per second.
    if _state["start"] is None or time.monotonic() < _state["start"]:
        return
    if exception is not None:
        _state["failures"] += 1
        status = str(getattr(response, "status_code", "error"))
        _state["statuses"][status] = _state["statuses"].get(status, 0) + 1
        return
    _state["times"].append(response_time)


@events.test_stop.add_listener
def _stop(environment, **kwargs):
    _state["stop"] = time.monotonic()
    if OUT:
        with open(OUT, "w") as out:
            json.dump(
                {
                    "seconds": max(_state["stop"] - _state["start"], 0.001),
                    "times_ms": _state["times"],
                    "failures": _state["failures"],
                    "statuses": _state["statuses"],
                },
                out,
            )


class PageUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        # Each user its own session, in turn: 4 users, 4 logins.
        self.cookie = COOKIES[_users["count"] % len(COOKIES)] if COOKIES else ""
        _users["count"] += 1

    @task
    def page(self):
        with self.client.get(
            URL,
            headers={"Cookie": self.cookie},
            allow_redirects=False,
            catch_response=True,
            name="page",
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
