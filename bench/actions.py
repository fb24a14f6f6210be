"""The actions `make bench` times (issue 15), in its own process on the run's copy of the
database (bench/run.py; Django set up with the benchmark's environment):

- recording 30 missed deadlines in one request (the register's form, as the teacher);
- publishing one homework to 5 classes (the "Set homework" form, as the teacher);
- writing the Monday digest for the whole school (parents/digest.py);
- one event that emails every family: that digest, delivered by one Celery worker to a
  local SMTP sink (aiosmtpd), in emails per second.

The two requests run through Django's test client inside a transaction that is rolled
back (no commit, no queued job), so they leave the copy as it was and can be repeated;
their figures leave out the commit. The digest is committed, since its delivery is
measured."""

import datetime
import os
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment, Homework
from notifications.models import Delivery, Notification
from parents.digest import weekly_digest_write
from parents.notices import WEEKLY_DIGEST
from sanctions.models import Miss
from school import access
from school.calendar import week_start
from school.demo import DEMO_PASSWORD, DEMO_SLUG
from school.models import School, TeachingGroup, User

from .pages import PERSONAS
from .web import ChildProcess

MISSES = 30
CLASSES = 5
TITLE = "Benchmark homework"


@dataclass
class Timing:
    action: str
    figure: str  # the headline: seconds, or emails per second
    detail: str  # what was done, and its queries


class ActionError(Exception):
    """The demo school lacks what an action needs, or the action did not do it."""


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back():
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def _client(email: str) -> Client:
    """A test client signed in through the login form."""
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
    if response.status_code != 302:
        raise ActionError(f"Logging in as {email} failed (HTTP {response.status_code}).")
    return client


def _setting_post(groups, *, today: datetime.date) -> dict:
    """A complete "Set homework" post for these classes, due a week today."""
    return {
        "teaching_groups": [group.pk for group in groups],
        "audience": "whole",
        "title": TITLE,
        "instructions": "Answer all the questions on the sheet.",
        "resource_links": "",
        "set_on": today.strftime("%d/%m/%Y"),
        "due_on": (today + datetime.timedelta(days=7)).strftime("%d/%m/%Y"),
        "due_time": "16:00",
        "estimated_minutes": "30",
        "submission_mode": "online",
        "unit": "",
        "new_unit_title": "",
        "alternative_instructions": "",
        "confirm_non_school_day": "on",
        "action": "set",
    }


def _timed(client: Client, url: str, data: dict):
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    return response, time.perf_counter() - started, len(queries.captured_queries)


def _seconds(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def _groups_on_roll(teacher_filter: Q, school: School):
    on_roll = access.on_roll(timezone.localdate(), "pupils")
    return (
        TeachingGroup.objects.filter(teacher_filter, school=school, archived_on__isnull=True)
        .annotate(size=Count("pupils", filter=on_roll, distinct=True))
        .order_by("-size", "pk")
    )


def misses_record(school: School, *, repeats: int = 3) -> Timing:
    """The largest class's teacher records MISSES missed deadlines in one POST: a homework
    is set for that class and made overdue first (not timed), then the misses go through
    the register's form, with the escalation engine, sanctions and the parents' notices."""
    group = _groups_on_roll(Q(teachers__isnull=False), school).first()
    if group is None:
        raise ActionError("The demo school has no class with a teacher.")
    teacher = group.teachers.order_by("pk").first()
    client = _client(teacher.email)
    today = timezone.localdate()
    seconds, recorded, queries = [], 0, 0
    for _ in range(repeats):
        with rolled_back():
            answer = client.post(reverse("homework_new"), _setting_post([group], today=today))
            homework = Homework.objects.filter(teaching_group=group, title=TITLE).last()
            if answer.status_code != 302 or homework is None:
                raise ActionError(f"Setting homework answered {answer.status_code}.")
            overdue = timezone.now() - datetime.timedelta(minutes=5)
            Homework.objects.filter(pk=homework.pk).update(due_at=overdue)
            homework.assignments.update(due_at=overdue)
            ids = list(homework.assignments.order_by("pk").values_list("pk", flat=True)[:MISSES])
            url = reverse("sanctions_miss_record", args=[homework.pk])
            response, took, queries = _timed(client, url, {"missed": ids, "reason": ""})
            recorded = Miss.objects.filter(assignment__homework=homework).count()
            if response.status_code != 302 or recorded != len(ids):
                raise ActionError(
                    f"Recording misses answered {response.status_code}, {recorded} recorded."
                )
            seconds.append(took)
    return Timing(
        f"record {recorded} missed deadlines in one request",
        _seconds(seconds),
        f"class {group.name}; {queries} queries; median of {repeats}, rolled back",
    )


def homework_publish(school: School, *, repeats: int = 3) -> Timing:
    """The demo teacher sets one homework for CLASSES of their classes in one POST."""
    teacher = User.objects.get(email=PERSONAS["teacher"])
    groups = list(_groups_on_roll(Q(teachers=teacher), school)[:CLASSES])
    if not groups:
        raise ActionError("The demo teacher teaches no class.")
    client = _client(teacher.email)
    today = timezone.localdate()
    seconds, queries, made = [], 0, (0, 0)
    for _ in range(repeats):
        with rolled_back():
            response, took, queries = _timed(
                client, reverse("homework_new"), _setting_post(groups, today=today)
            )
            homework = Homework.objects.filter(teaching_group__in=groups, title=TITLE)
            made = (
                homework.count(),
                Assignment.objects.filter(homework__in=homework).count(),
            )
            if response.status_code != 302 or made[0] != len(groups):
                raise ActionError(f"Setting homework answered {response.status_code}.")
            seconds.append(took)
    return Timing(
        f"publish one homework to {made[0]} classes",
        _seconds(seconds),
        f"{made[1]} pupils' assignments; {queries} queries; median of {repeats}, rolled back",
    )


# The digest and its delivery -------------------------------------------------------------


class _Sink:
    """Counts the messages an aiosmtpd server receives, and when the last one came."""

    def __init__(self):
        self.count = 0
        self.last = None
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        with self._lock:
            self.count += 1
            self.last = time.monotonic()
        return "250 OK"


class _Worker(ChildProcess):
    """One Celery worker (one process) of the project, its log in `log_path`."""

    def start(self, *, timeout: float = 60) -> None:
        from homework_mgmt.celery import app

        app.control.purge()  # nothing left from an earlier run
        binary = Path(sys.executable).parent / "celery"
        self.launch(
            [
                str(binary),
                "-A",
                "homework_mgmt",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],  # fmt: skip
            ready=lambda: bool(app.control.ping(timeout=1.0)),
            timeout=timeout,
            name="The Celery worker",
            error=ActionError,
        )


def digest_and_delivery(school: School, *, root: Path, env: dict, log_dir: Path) -> list[Timing]:
    """The week's digest for the whole school, written (and committed) with one worker
    waiting; then how fast that worker delivers its emails to the SMTP sink. Without
    REDIS_URL there is no worker: the digest is timed rolled back and nothing is sent."""
    monday = week_start(timezone.localdate())
    this_week = Notification.objects.filter(
        school=school, kind=WEEKLY_DIGEST, context__week_start=monday.isoformat()
    )
    if not os.environ.get("REDIS_URL"):
        with rolled_back():
            this_week.delete()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                rows = weekly_digest_write(school=school, week_start=monday)
            took = time.perf_counter() - started
        return [
            Timing(
                "write the Monday digest for the whole school",
                f"{took * 1000:.0f} ms",
                f"{rows} families' rows; {len(queries.captured_queries)} queries; rolled back",
            ),
            Timing(
                "one event emailing every family",
                "not run",
                "needs REDIS_URL (a broker for the Celery worker)",
            ),
        ]

    from aiosmtpd.controller import Controller

    from .web import free_port

    this_week.delete()  # the copy's own: the digest is written again below
    sink = _Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    worker = _Worker(
        root=root,
        env={**env, "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}"},
        log_path=log_dir / "celery.log",
    )
    try:
        worker.start()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            rows = weekly_digest_write(school=school, week_start=monday)  # commits
        written = time.perf_counter() - started
        committed = time.monotonic()
        waiting = this_week.filter(status=Notification.Status.PENDING)
        deadline = committed + max(120, rows)  # generous: at least a row a second
        while waiting.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        left = waiting.count()
        by_status = dict(
            this_week.values_list("status").annotate(rows=Count("pk")).values_list("status", "rows")
        )
        texts = Delivery.objects.filter(notification__in=this_week, channel="sms").count()
    finally:
        worker.stop()
        smtp.stop()
    timings = [
        Timing(
            "write the Monday digest for the whole school",
            f"{written * 1000:.0f} ms",
            f"{rows} families' rows; {len(queries.captured_queries)} queries; committed",
        )
    ]
    if sink.count == 0:
        timings.append(Timing("one event emailing every family", "no email", f"{left} unsent"))
        return timings
    elapsed = sink.last - committed
    timings.append(
        Timing(
            "one event emailing every family (the digest)",
            f"{sink.count / elapsed:.0f} emails/s",
            f"{sink.count} emails in {elapsed:.1f} s by one Celery worker to a local SMTP "
            f"sink (rows: {_counts(by_status)}; {texts} text messages)"
            + (f"; {left} rows still waiting" if left else ""),
        )
    )
    return timings


def _counts(by_status: dict) -> str:
    return ", ".join(f"{rows} {status}" for status, rows in sorted(by_status.items()))


def actions_time(*, root: Path, env: dict, log_dir: Path) -> list[Timing | tuple[str, str]]:
    """Each action's timing, or (action, why it failed): one failure stops no other."""
    school = School.objects.get(slug=DEMO_SLUG)
    results = []
    for name, action in (
        ("record missed deadlines", lambda: [misses_record(school)]),
        ("publish to 5 classes", lambda: [homework_publish(school)]),
        (
            "Monday digest and its emails",
            lambda: digest_and_delivery(school, root=root, env=env, log_dir=log_dir),
        ),
    ):
        try:
            results.extend(action())
        except Exception as error:  # noqa: BLE001 - reported in the table, the run goes on
            results.append((name, f"{type(error).__name__}: {error}"))
    return results
