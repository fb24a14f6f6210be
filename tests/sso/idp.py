"""A real OpenID Connect provider for the sign-in tests: tests/sso/provider.mjs (the npm
package oidc-provider) in a node process on a free loopback port, and the person's part
of signing in there (its sign-in form and consent page) driven over HTTP with requests."""

import json
import re
import select
import socket
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

SCRIPT = Path(__file__).with_name("provider.mjs")
CALLBACK_PATH = "/accounts/sso/callback/"
START_TIMEOUT = 60  # node starts slowly on a loaded CI machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LoopbackProvider:
    def __init__(self, folder: Path, *, client_id: str, client_secret: str, redirect_uris):
        self.folder = folder
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = list(redirect_uris)
        self.accounts_file = folder / "accounts.json"
        self.accounts = {}
        self.logins = {}
        self.process = None
        self.port = None

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "LoopbackProvider":
        self.folder.mkdir(parents=True, exist_ok=True)
        self._write_accounts()
        config = self.folder / "config.json"
        client = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": self.redirect_uris,
        }
        config.write_text(
            json.dumps({"clients": [client], "accounts_file": str(self.accounts_file)})
        )
        self.port = free_port()
        self.process = subprocess.Popen(
            ["node", str(SCRIPT), str(self.port), str(config)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + START_TIMEOUT
        output = []
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.process.stdout], [], [], 0.2)
            if ready:
                line = self.process.stdout.readline()
                if not line and self.process.poll() is not None:
                    break
                output.append(line)
                if line.startswith("listening"):
                    return self
        self.stop()
        raise RuntimeError(f"the test OpenID provider did not start: {''.join(output)}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stdout:
            self.process.stdout.close()

    def person(
        self, login: str, *, email: str | None = None, email_verified=True, sub=None, **claims
    ):
        """Someone the provider knows, signing in on its form as `login`."""
        # The provider's subject is the account id its sign-in form is given: the form is
        # filled in with it (self.logins) whatever login the test names.
        sub = sub or f"sub-{login}"
        account = {"sub": sub, "email_verified": email_verified, **claims}
        account["email"] = login if email is None else email
        self.accounts[sub] = account
        self.logins[login] = sub
        self._write_accounts()
        return account

    def _write_accounts(self) -> None:
        self.accounts_file.write_text(json.dumps(self.accounts))

    def consent(self, authorize_url: str, login: str, session: requests.Session | None = None):
        """The person's part at the provider: from the authorization address our site sent
        them to, through its sign-in form (as `login`) and consent page, to the address it
        sends them back to (our callback, with code and state), which is returned."""
        session = session or requests.Session()
        response = session.get(authorize_url, allow_redirects=False, timeout=10)
        for _ in range(20):
            if response.is_redirect:
                target = urljoin(response.url, response.headers["Location"])
                if not target.startswith(self.issuer):
                    return target
                response = session.get(target, allow_redirects=False, timeout=10)
                continue
            response.raise_for_status()
            action = unescape(re.search(r'<form[^>]*action="([^"]+)"', response.text).group(1))
            prompt = re.search(r'name="prompt" value="([^"]+)"', response.text).group(1)
            data = {"prompt": prompt}
            if prompt == "login":
                data |= {"login": self.logins.get(login, login), "password": "any password"}
            response = session.post(
                urljoin(response.url, action), data=data, allow_redirects=False, timeout=10
            )
        raise AssertionError("the provider never sent the person back")


def callback_path(url: str) -> str:
    parts = urlsplit(url)
    assert parts.path == CALLBACK_PATH, url
    return f"{parts.path}?{parts.query}"
