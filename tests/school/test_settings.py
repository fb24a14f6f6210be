"""Settings read from the environment: the mail folder of a `filemail://` EMAIL_URL, and
database connection health checks wherever connections persist, proven on a real request
after PostgreSQL dropped the connection."""

import json
import os
import subprocess
import sys
from io import BytesIO

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection

from homework_mgmt.settings import email_config

# Variables these tests set; any value the caller's shell has for them is left out.
CONFIG = (
    "CONN_MAX_AGE",
    "CONN_HEALTH_CHECKS",
    "EMAIL_URL",
    "EMAIL_TIMEOUT",
    "DATABASE_URL",
    "REDIS_URL",
    "PASSWORD_RESET_LIMIT_PER_ADDRESS",
    "PASSWORD_RESET_LIMIT_PER_CLIENT",
    "BEHIND_TLS_PROXY",
)
SCRIPT = """
import json
from django.conf import settings
database = settings.DATABASES["default"]
names = ["EMAIL_BACKEND", "EMAIL_FILE_PATH", "EMAIL_TIMEOUT", "BEHIND_TLS_PROXY",
         "PASSWORD_RESET_LIMIT_PER_ADDRESS", "PASSWORD_RESET_LIMIT_PER_CLIENT"]
read = {name: getattr(settings, name, None) for name in names}
read["CONN_MAX_AGE"] = database["CONN_MAX_AGE"]
read["CONN_HEALTH_CHECKS"] = database["CONN_HEALTH_CHECKS"]
print(json.dumps(read))
"""


def settings_in_a_fresh_process(**variables) -> dict:
    """The settings Django builds in a new process from exactly these variables."""
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG}
    environment.update(variables, DJANGO_SETTINGS_MODULE="homework_mgmt.settings")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# Mail to files ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, folder",
    [
        ("filemail:///srv/homework/mail", "/srv/homework/mail"),  # the README's form
        ("filemail:////srv/homework/mail", "/srv/homework/mail"),  # django-environ's own
        ("filemail:///srv/my%20mail", "/srv/my mail"),
    ],
)
def test_a_filemail_url_with_an_absolute_path_writes_there(url, folder):
    config = email_config(url)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["EMAIL_FILE_PATH"] == folder


def test_a_filemail_url_without_a_path_writes_to_var_mail_and_a_relative_one_to_the_project():
    assert email_config("filemail://")["EMAIL_FILE_PATH"] == str(settings.BASE_DIR / "var/mail")
    assert email_config("filemail://mail")["EMAIL_FILE_PATH"] == str(settings.BASE_DIR / "mail")


def test_email_url_is_read_from_the_environment():
    read = settings_in_a_fresh_process(EMAIL_URL="filemail:///tmp/homework-mail")
    assert read["EMAIL_FILE_PATH"] == "/tmp/homework-mail"
    default = settings_in_a_fresh_process()
    assert default["EMAIL_FILE_PATH"] == str(settings.BASE_DIR / "var" / "mail")
    smtp = settings_in_a_fresh_process(EMAIL_URL="smtp+tls://user:secret@mail.example.org:587")
    assert smtp["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


# Limits and the proxy -------------------------------------------------------------------


def test_password_reset_limits_mail_timeout_and_the_proxy_are_read_from_the_environment():
    default = settings_in_a_fresh_process()
    assert (
        default["PASSWORD_RESET_LIMIT_PER_ADDRESS"],
        default["PASSWORD_RESET_LIMIT_PER_CLIENT"],
        default["EMAIL_TIMEOUT"],
        default["BEHIND_TLS_PROXY"],
    ) == (3, 20, 30, False)
    read = settings_in_a_fresh_process(
        PASSWORD_RESET_LIMIT_PER_ADDRESS="5",
        PASSWORD_RESET_LIMIT_PER_CLIENT="100",
        EMAIL_TIMEOUT="10",
        BEHIND_TLS_PROXY="true",
    )
    assert (
        read["PASSWORD_RESET_LIMIT_PER_ADDRESS"],
        read["PASSWORD_RESET_LIMIT_PER_CLIENT"],
        read["EMAIL_TIMEOUT"],
        read["BEHIND_TLS_PROXY"],
    ) == (5, 100, 10, True)


# Connection health checks -----------------------------------------------------------------


@pytest.mark.parametrize(
    "variables, max_age, checks",
    [
        ({}, 0, False),  # a new connection per request needs no check
        ({"CONN_MAX_AGE": "60"}, 60, True),
        ({"CONN_MAX_AGE": "60", "CONN_HEALTH_CHECKS": "false"}, 60, False),
        ({"CONN_MAX_AGE": "0", "CONN_HEALTH_CHECKS": "true"}, 0, True),
    ],
)
def test_health_checks_are_on_where_connections_persist_unless_set(variables, max_age, checks):
    read = settings_in_a_fresh_process(**variables)
    assert (read["CONN_MAX_AGE"], read["CONN_HEALTH_CHECKS"]) == (max_age, checks)


def _get(handler, path) -> int:
    """A GET through Django's own WSGI handler, as gunicorn makes it (the test client skips
    the request_started work that checks the connection)."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    response = handler(environ, lambda status, headers, exc_info=None: statuses.append(status))
    response.close()  # request_finished: a persistent connection stays open
    return int(statuses[0].split()[0])


@pytest.fixture
def persistent_connection():
    """The default connection kept between requests, as CONN_MAX_AGE > 0 makes it."""
    if connection.vendor != "postgresql":
        pytest.skip("drops a PostgreSQL backend")
    saved = {key: connection.settings_dict[key] for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = 600
    yield connection.settings_dict
    connection.close()
    connection.settings_dict.update(saved)


def _terminate(backend_pid: int) -> None:
    """Ends one PostgreSQL backend from another connection, as a server restart would."""
    params = connection.get_connection_params()
    with psycopg2.connect(**params) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
    other.close()


# A feed token that does not exist: the page looks it up in the database and answers 404.
FEED = "/planner/feed/no-such-token.ics"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("health_checks, after_the_drop", [(True, 404), (False, 500)])
def test_a_request_after_the_database_dropped_a_kept_connection(
    persistent_connection, health_checks, after_the_drop
):
    persistent_connection["CONN_HEALTH_CHECKS"] = health_checks
    handler = WSGIHandler()
    assert _get(handler, FEED) == 404
    kept = connection.connection
    assert kept is not None, "the connection was kept after the request"

    _terminate(kept.get_backend_pid())

    # Checked: a fresh connection and the page as usual. Unchecked: the 500 the issue saw.
    assert _get(handler, FEED) == after_the_drop
    assert _get(handler, FEED) == 404
