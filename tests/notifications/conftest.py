import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import kombu.pools
import pytest

from homework_mgmt.celery import app
from notifications.channels import LocmemSMSProvider


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    """Text messages go to the recording provider; each test starts with an empty outbox."""
    settings.SMS_PROVIDER = "notifications.channels.LocmemSMSProvider"
    settings.SITE_URL = "https://homework.example.org"
    LocmemSMSProvider.outbox = []
    LocmemSMSProvider.failures = 0
    yield LocmemSMSProvider.outbox
    LocmemSMSProvider.outbox = []
    LocmemSMSProvider.failures = 0


@pytest.fixture
def retries_run_in_process():
    """Eager tasks retry at once, in the test's process, instead of raising Retry."""
    from homework_mgmt.celery import app

    previous = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = previous


# A Redis server of the test's own (tests/notifications/test_redis_outage.py stops and
# starts it; test_at_least_once.py gives it to a worker process it kills).

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    def __init__(self, directory: Path):
        self.port = _free_port()
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
        while not _answers(self.port):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _reset_broker_pools():
    """Forget the connections to the previous broker: the next publish connects afresh."""
    kombu.pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def private_redis(tmp_path):
    if not Path(REDIS_SERVER).exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have redis-server ({REDIS_SERVER})")
        pytest.skip(f"needs redis-server ({REDIS_SERVER} is missing)")
    redis = PrivateRedis(tmp_path)
    redis.start()
    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = redis.url, False
    _reset_broker_pools()
    try:
        yield redis
    finally:
        redis.stop()
        app.conf.broker_url, app.conf.task_always_eager = previous
        _reset_broker_pools()
