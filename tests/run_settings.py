"""How every test runs (tests/conftest.py applies it to each one): passwords hashed fast,
and queued tasks run at once in the test's own process. Data built once for several tests
(a shared world, a TestCase's setUpTestData) is built the same way."""

from contextlib import contextmanager

from django.test import override_settings

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def tasks_run_in_process():
    from homework_mgmt.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        yield
    finally:
        app.conf.task_always_eager = previous


@contextmanager
def built_as_in_a_test():
    with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS), tasks_run_in_process():
        yield
