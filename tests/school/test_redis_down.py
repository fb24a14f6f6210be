"""Every page keeps working while Redis is down. The cache and the Celery broker point at a
redis-server of the test's own, which is stopped; each page that could reach Redis (the
cache, or a task queued after commit) is requested and answers as it should, never 500:
counts that limit attempts live in the database, the outbox keeps messages to parents
for the sweep, and a page whose email cannot be queued says so."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from notifications.models import Notification
from parents.models import Invitation, Thread
from school.models import RateLimit
from tests.factories import GuardianFactory, GuardianLinkFactory
from tests.redis_helpers import private_redis
from tests.sanctions.helpers import overdue_assignments

pytestmark = [
    pytest.mark.xdist_group("private-redis"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def redis_down(tmp_path, settings):
    """The cache and the broker on a private Redis, which is then stopped."""
    with private_redis(tmp_path, settings, stopped=True) as redis:
        yield redis


def test_a_parent_links_a_child_and_the_limit_still_holds(client, world, redis_down):
    client.force_login(world.parent)
    assert client.get(reverse("parents_link")).status_code == 200
    answers = [
        client.post(
            reverse("parents_link"), {"code": "ABCD-EFGH-JKMN", "date_of_birth": "2013-03-27"}
        )
        for _ in range(6)
    ]
    assert [a.status_code for a in answers] == [400] * 6
    assert "do not match our records" in answers[0].content.decode()
    assert "Too many codes that did not match" in answers[-1].content.decode()
    assert RateLimit.objects.get().count == 6


def test_password_reset_says_the_email_could_not_be_sent(client, world, redis_down):
    assert client.get(reverse("password_reset")).status_code == 200
    response = client.post(reverse("password_reset"), {"email": "parent@test.school"})
    assert response.status_code == 503
    assert "We could not send the email just now" in response.content.decode()
    unknown = client.post(reverse("password_reset"), {"email": "nobody@nowhere.test"})
    assert unknown.status_code == 503  # the same answer: it says nothing about accounts


def test_logging_in_and_out_works(client, world, redis_down):
    from tests.factories import PASSWORD

    response = client.post(reverse("login"), {"username": "parent@test.school", "password": "x"})
    assert response.status_code == 200
    response = client.post(
        reverse("login"), {"username": "parent@test.school", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("parents_overview")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_recording_a_miss_keeps_the_message_to_parents_for_the_sweep(client, world, redis_down):
    (assignment,) = overdue_assignments(world, world.pupil, 1)
    client.force_login(world.teacher)
    response = client.post(
        reverse("sanctions_miss_record", args=[assignment.homework_id]),
        {"missed": [assignment.pk], "reason": ""},
    )
    assert response.status_code == 302
    (notification,) = Notification.objects.filter(pupil=world.pupil)
    assert notification.status == Notification.Status.PENDING


def test_inviting_a_parent_sends_the_email_from_the_web_process(client, world, redis_down):
    guardian = GuardianFactory(school=world.school, email="grace@example.org", first_name="G")
    GuardianLinkFactory(guardian=guardian, pupil=world.pupil)
    client.force_login(world.school_admin)
    response = client.post(reverse("parents_guardian_invite", args=[guardian.pk]))
    assert response.status_code == 302
    assert Invitation.objects.filter(guardian=guardian).exists()
    assert [message.to for message in mail.outbox] == [["grace@example.org"]]


def test_a_parent_writing_to_a_teacher_is_saved_and_the_teacher_emailed(client, world, redis_down):
    client.force_login(world.parent)
    data = {"pupil": world.pupil.pk, "staff": world.teacher.pk, "subject": "Poem", "body": "Hi"}
    response = client.post(reverse("parents_message_new"), data)
    assert response.status_code == 302
    assert Thread.objects.get().staff == world.teacher
    assert [message.to for message in mail.outbox] == [["teacher@test.school"]]


# The pages above are every one that may reach Redis: nothing else uses the cache.

PROJECT = Path(settings.BASE_DIR)
APPS = [
    "school",
    "notifications",
    "homework",
    "sanctions",
    "clubs",
    "parents",
    "mis",
    "homework_mgmt",
]
# The modules that use the cache, each with its tests with Redis down.
CACHE_USERS = {
    "mis/progress.py": "tests/mis/test_import_pages_redis.py",  # an apply's progress
}


def test_no_module_uses_the_cache():
    users = []
    for app_name in APPS:
        for path in (PROJECT / app_name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                    "django.core.cache"
                ):
                    users.append(str(path.relative_to(PROJECT)))
    assert sorted(users) == sorted(CACHE_USERS), "a cache user needs its tests with Redis down"
    for tests in CACHE_USERS.values():
        assert (PROJECT / tests).exists()
