"""A redis-server of a test's own, on a free port, that the test can stop and start, and
the way to make Celery forget the broker connections it pooled (the approach of
tests/notifications/test_redis_outage.py, shared)."""

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import kombu.pools
import pytest

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not answers(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def redis_server_or_skip() -> None:
    if not Path(REDIS_SERVER).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have redis-server ({REDIS_SERVER})")
        pytest.skip(f"needs redis-server ({REDIS_SERVER} is missing)")


def reset_broker_pools():
    """Forget the connections to the previous broker: the next publish connects afresh."""
    from homework_mgmt.celery import app

    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def private_redis(directory: Path, settings, *, stopped: bool = False):
    """The cache and the broker on a redis-server of the test's own, with tasks queued
    rather than run at once; `stopped`: it was up and reachable, then stopped (Redis down
    for the rest of the test). Puts the broker back afterwards."""
    from homework_mgmt.celery import app

    redis_server_or_skip()
    redis = PrivateRedis(directory)
    redis.start()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis.url}
    }
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = redis.url, False
    reset_broker_pools()
    if stopped:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1)
        redis.stop()
    try:
        yield redis
    finally:
        redis.stop()
        app.conf.broker_url, app.conf.task_always_eager = previous
        reset_broker_pools()
