"""The web side of the benchmark: gunicorn as in production, logins through the real
login form, and the resident memory of gunicorn's workers."""

import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class WebError(Exception):
    """gunicorn did not start, or a login failed."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ChildProcess:
    """A program the bench starts (gunicorn, a Celery worker), its output in `log_path`:
    started, waited for until `ready()` says so, and stopped."""

    def __init__(self, *, root: Path, env: dict, log_path: Path):
        self.root, self.env, self.log_path = root, env, log_path
        self.process = None

    def launch(self, args: list[str], *, ready, timeout: float, name: str, error=None) -> None:
        """Starts `args`, then asks `ready()` until it is true; raises `error` (WebError by
        default) if the program stops at start or is not ready within `timeout` s."""
        error = error or WebError
        log = open(self.log_path, "w")  # noqa: SIM115 (kept open for the child's life)
        self.process = subprocess.Popen(
            args, cwd=self.root, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise error(f"{name} stopped at start; see {self.log_path}")
            if ready():
                return
            time.sleep(0.3)
        raise error(f"{name} did not answer within {timeout:.0f} s; see {self.log_path}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Gunicorn(ChildProcess):
    """`gunicorn homework_mgmt.wsgi` with sync workers, its log in `log_path`."""

    def __init__(self, *, root: Path, env: dict, workers: int, port: int, log_path: Path):
        super().__init__(root=root, env=env, log_path=log_path)
        self.workers, self.port = workers, port

    @property
    def host(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 60) -> None:
        binary = Path(sys.executable).parent / "gunicorn"
        self.launch(
            [
                str(binary if binary.exists() else "gunicorn"),
                "homework_mgmt.wsgi:application",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],  # fmt: skip
            ready=self._answers,
            timeout=timeout,
            name="gunicorn",
        )

    def _answers(self) -> bool:
        try:
            answer = requests.get(f"{self.host}/accounts/login/", timeout=5)
        except requests.RequestException:
            return False
        return answer.status_code == 200 and len(self.worker_pids()) >= self.workers

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:  # the parent's pid
                pids.append(int(entry.name))
        return sorted(pids)

    def worker_rss_mb(self) -> list[float]:
        """Each worker's resident memory (VmRSS), in MB."""
        sizes = []
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                sizes.append(int(match.group(1)) / 1024)
        return sizes


def _cookie_header(cookies: dict) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def login(host: str, email: str, password: str) -> str:
    """Signs in through the login form as a browser does; returns the Cookie header of
    the signed-in session. With DEBUG off the cookies are Secure, which requests would
    not send over the plain HTTP of 127.0.0.1 (there is no TLS proxy in front), so they
    are carried by hand, as browsers do for localhost."""
    cookies = {}
    page = requests.get(f"{host}/accounts/login/", timeout=30)
    cookies.update(page.cookies)
    match = CSRF_FIELD.search(page.text)
    if page.status_code != 200 or match is None:
        raise WebError(f"The login page answered {page.status_code} without a form.")
    answer = requests.post(
        f"{host}/accounts/login/",
        data={"csrfmiddlewaretoken": match.group(1), "username": email, "password": password},
        headers={"Referer": f"{host}/accounts/login/", "Cookie": _cookie_header(cookies)},
        allow_redirects=False,
        timeout=60,
    )
    cookies.update(answer.cookies)
    if answer.status_code != 302 or "sessionid" not in cookies:
        raise WebError(f"Logging in as {email} failed (HTTP {answer.status_code}).")
    return _cookie_header(cookies)


def page_check(host: str, url: str, cookie: str) -> str | None:
    """None if the page answers 200 to this session, else what it answered."""
    answer = requests.get(
        f"{host}{url}", headers={"Cookie": cookie}, allow_redirects=False, timeout=120
    )
    if answer.status_code == 200:
        return None
    where = answer.headers.get("Location", "")
    return f"HTTP {answer.status_code}" + (f" to {where}" if where else "")
