"""Logging in and out, resetting a forgotten password by email, and the lockout that
stops password guessing for one account without locking out the rest of the school."""

import datetime
import re
import threading

import pytest
from axes.models import AccessAttempt
from celery.signals import before_task_publish
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from homework_mgmt.accounts import password_reset_email_send
from parents.accounts import LINK_ATTEMPTS
from school.auth import lockout_username
from school.models import RateLimit
from school.ratelimits import (
    Limit,
    client_address,
    limit_hit,
    limit_refund,
    limit_remaining,
    limits_prune,
)
from tests.factories import PASSWORD
from tests.redis_helpers import reset_broker_pools


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_login_with_email_and_password_opens_the_home_page(client, world):
    response = log_in(client, "teacher@test.school")
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "Classes I teach" in client.get(reverse("home")).content.decode()


def test_login_ignores_the_case_of_the_email(client, world):
    assert log_in(client, "Teacher@Test.School").status_code == 302


def test_wrong_password_re_renders_the_form_with_a_clear_message(client, world):
    response = log_in(client, "teacher@test.school", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_anonymous_home_redirects_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


def test_logout_ends_the_session(client, world):
    log_in(client, "teacher@test.school")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_change_needs_the_old_password(client, world):
    client.force_login(world.teacher)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "a-new-long-pass",
            "new_password2": "a-new-long-pass",
        },
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-pass",
            "new_password2": "a-new-long-pass",
        },
    )
    assert response.status_code == 302
    world.teacher.refresh_from_db()
    assert world.teacher.check_password("a-new-long-pass")


def test_password_reset_emails_a_link_that_sets_a_new_password(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "parent@test.school"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["parent@test.school"]
    assert message.subject == "Reset your Homework password"
    assert message.alternatives, "the email has an HTML part"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "brand-new-pass-42", "new_password2": "brand-new-pass-42"}
    )
    assert response.status_code == 302
    world.parent.refresh_from_db()
    assert world.parent.check_password("brand-new-pass-42")
    assert "already been used" in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "nobody@nowhere.test"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.fixture
def lockout_limit(settings):
    return settings.AXES_FAILURE_LIMIT


def test_repeated_failures_lock_that_account_but_not_another_pupil_on_the_same_ip(
    client, world, lockout_limit
):
    for _ in range(lockout_limit):
        log_in(client, "pupil@test.school", "guess")

    locked = log_in(client, "pupil@test.school", PASSWORD)
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "Other people can still log in" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    classmate = log_in(client, "classmate@test.school", PASSWORD)  # same 127.0.0.1
    assert classmate.status_code == 302
    assert client.session["_auth_user_id"] == str(world.classmate.user.pk)


def test_a_successful_login_clears_earlier_failures(client, world, lockout_limit):
    for _ in range(lockout_limit - 1):
        log_in(client, "pupil@test.school", "guess")
    assert log_in(client, "pupil@test.school").status_code == 302
    client.post(reverse("logout"))
    for _ in range(lockout_limit - 1):
        log_in(client, "pupil@test.school", "guess")
    assert log_in(client, "pupil@test.school").status_code == 302


def test_sessions_end_with_the_browser_and_after_a_school_day(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 8


@pytest.mark.parametrize(
    "page", ["login", "password_reset", "password_reset_done", "password_reset_complete"]
)
def test_account_pages_render_for_anonymous_visitors(client, db, page):
    assert client.get(reverse(page)).status_code == 200


# Input no account can have: a clear message, never a 500 ------------------------------

TOO_LONG = "That email address is too long"


def long_address(length: int) -> str:
    return "a" * (length - len("@example.org")) + "@example.org"


@pytest.mark.parametrize("length", [255, 256, 300, 5000])
def test_a_login_address_longer_than_any_account_is_refused_clearly(client, world, length):
    response = client.post(
        reverse("login"),
        {"username": long_address(length), "password": "guess"},
        headers={"user-agent": "x" * 5000},
    )
    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert not AccessAttempt.objects.exists()  # nothing tried, nothing counted


def test_a_login_address_of_the_longest_length_is_tried_as_usual(client, world):
    response = client.post(reverse("login"), {"username": long_address(254), "password": "x"})
    assert response.status_code == 200
    assert "Please enter a correct email address and password" in response.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 1


def test_the_lockout_counts_any_username_in_what_axes_can_store(rf):
    request = rf.post("/accounts/login/", {"username": "X" * 5000})
    assert lockout_username(request, None) == "x" * 255


@pytest.mark.parametrize("length", [255, 300, 5000])
def test_a_reset_address_longer_than_any_account_is_refused_clearly(
    client, db, reset_tasks, length
):
    response = client.post(reverse("password_reset"), {"email": long_address(length)})
    assert response.status_code == 200
    assert TOO_LONG in response.content.decode()
    assert reset_tasks == []


def test_long_passwords_and_choices_on_the_other_open_pages_give_no_500(client, world):
    huge = "p" * 20000
    response = client.post(reverse("login"), {"username": "teacher@test.school", "password": huge})
    assert response.status_code == 200
    response = client.post(reverse("set_language"), {"language": huge, "next": "/" + huge})
    assert response.status_code == 302
    uid = urlsafe_base64_encode(force_bytes(world.parent.pk))
    token = default_token_generator.make_token(world.parent)
    form_page = client.get(reverse("password_reset_confirm", args=[uid, token]), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": huge, "new_password2": huge}
    )
    assert response.status_code in (200, 302)
    bogus = client.get(reverse("password_reset_confirm", args=[huge[:3000], huge[:3000]]))
    assert bogus.status_code == 200
    assert client.get(reverse("parents_invitation", args=[huge])).status_code == 404


# Password reset: the same work for every address, and limits --------------------------


@pytest.fixture
def reset_tasks():
    """The reset tasks the page queues, published to an in-memory broker (nothing runs
    them): the task's name and keyword arguments for each."""
    from homework_mgmt.celery import app

    published = []

    def record(sender=None, body=None, **_):
        if sender == password_reset_email_send.name:
            published.append(body[1])

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url, app.conf.task_always_eager = "memory://", False
    reset_broker_pools()
    before_task_publish.connect(record, weak=False)
    yield published
    before_task_publish.disconnect(record)
    app.conf.broker_url, app.conf.task_always_eager = previous
    reset_broker_pools()


# Values and savepoint names differ from one request to the next; the statements do not.
LITERALS = re.compile(r"'[^']*'|\"s\d+_x\d+\"|\b\d+\b")


def _reset_request(address, ip):
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=ip)
    return response, [LITERALS.sub("?", query["sql"]) for query in queries]


def test_a_known_and_an_unknown_address_do_the_same_work(world, reset_tasks):
    known, known_queries = _reset_request("parent@test.school", "198.51.100.1")
    unknown, unknown_queries = _reset_request("nobody@nowhere.test", "198.51.100.2")

    # The same answer, the same statements (counting the two limits) and one task each,
    # queued alike: nobody is looked up until the worker runs it.
    assert (known.status_code, known["Location"]) == (302, reverse("password_reset_done"))
    assert (unknown.status_code, unknown["Location"]) == (302, reverse("password_reset_done"))
    assert known_queries == unknown_queries
    assert not any("school_user" in sql for sql in known_queries)
    assert [sorted(kwargs) for kwargs in reset_tasks] == [
        ["domain", "email", "language", "use_https"]
    ] * 2
    assert [kwargs["email"] for kwargs in reset_tasks] == [
        "parent@test.school",
        "nobody@nowhere.test",
    ]


def test_the_worker_emails_a_link_only_to_an_account_with_that_address(
    world, django_capture_on_commit_callbacks
):
    world.other_parent.is_active = False
    world.other_parent.save()
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_email_send(email="nobody@nowhere.test", domain="x", use_https=True)
        password_reset_email_send(email="other.parent@test.school", domain="x", use_https=True)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        password_reset_email_send(
            email="parent@test.school",
            domain="homework.example.org",
            use_https=True,
            language="pl",
        )
    (message,) = mail.outbox
    assert message.to == ["parent@test.school"]
    assert "https://homework.example.org/accounts/reset/" in message.body
    assert message.subject != "Reset your Homework password"  # in Polish, as the page was


def _ask(client, address, ip="203.0.113.5"):
    return client.post(reverse("password_reset"), {"email": address}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("address", ["parent@test.school", "nobody@nowhere.test"])
def test_a_few_reset_emails_an_hour_per_address_then_a_clear_refusal(
    client, world, settings, time_machine, address, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=False)
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 3
    with django_capture_on_commit_callbacks(execute=True):
        answers = [_ask(client, address.upper(), ip=f"198.51.100.{n}") for n in range(5)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429, 429]
    assert "already sent several reset emails" in answers[3].content.decode()
    assert len(mail.outbox) == (3 if address.startswith("parent") else 0)

    time_machine.shift(datetime.timedelta(hours=1, seconds=1))
    assert _ask(client, address).status_code == 302


def test_one_client_asking_for_many_addresses_is_refused_after_the_limit(
    client, world, settings, reset_tasks
):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 4
    answers = [_ask(client, f"guess{n}@test.school") for n in range(6)]
    assert [a.status_code for a in answers] == [302] * 4 + [429] * 2
    assert len(reset_tasks) == 4
    assert _ask(client, "guess9@test.school", ip="192.0.2.77").status_code == 302


def test_behind_the_tls_proxy_the_client_is_the_address_the_proxy_added(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    settings.BEHIND_TLS_PROXY = False
    assert client_address(request) == "10.0.0.2"
    settings.BEHIND_TLS_PROXY = True
    assert client_address(request) == "203.0.113.9"  # not what the client claimed first
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"


# The counts themselves -------------------------------------------------------------------

TRIES = Limit("test-tries", 5, datetime.timedelta(hours=1))


def test_a_limit_counts_per_subject_and_window_and_keeps_no_address(db):
    now = timezone.now()
    assert [limit_hit(TRIES, "ann@example.org", now=now) for _ in range(6)] == [True] * 5 + [False]
    assert limit_hit(TRIES, "bob@example.org", now=now)
    assert limit_remaining(TRIES, "ann@example.org", now=now) == 0
    assert limit_remaining(TRIES, "bob@example.org", now=now) == 4
    limit_refund(TRIES, "bob@example.org", now=now)
    assert limit_remaining(TRIES, "bob@example.org", now=now) == 5
    later = now + datetime.timedelta(hours=1)
    assert limit_hit(TRIES, "ann@example.org", now=later)
    assert limit_remaining(TRIES, "ann@example.org", now=later) == 4
    assert not RateLimit.objects.filter(key__contains="example").exists()
    assert limits_prune(now=later) == 1  # bob's window is over; ann's new one is not


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_attempts_at_once_lets_exactly_the_limit_through():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections")
    start = threading.Barrier(12)
    results = []

    def attempt():
        try:
            start.wait()
            results.append(limit_hit(TRIES, "burst"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True] * 5
    assert RateLimit.objects.get().count == 12


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_link_codes_sent_at_once_gets_only_the_allowed_guesses(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections")
    start = threading.Barrier(8)
    answers = []

    def guess(n):
        client = Client()
        client.force_login(world.parent)
        try:
            start.wait()
            response = client.post(
                reverse("parents_link"),
                {"code": f"ABCD-EFGH-JK{n:02d}"[:14], "date_of_birth": "2013-03-27"},
            )
            answers.append(response.content.decode())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = [page for page in answers if "do not match our records" in page]
    refused = [page for page in answers if "Too many codes that did not match" in page]
    assert (len(checked), len(refused)) == (LINK_ATTEMPTS, 8 - LINK_ATTEMPTS)


def test_a_pupil_who_has_left_signs_in_no_more_and_their_open_session_ends(client, world):
    other = Client()
    assert log_in(other, "pupil@test.school").status_code == 302  # signed in while on roll
    today = timezone.localdate()
    world.pupil.left_on = today + datetime.timedelta(days=1)
    world.pupil.save()
    assert other.get(reverse("home")).status_code == 200  # leaving tomorrow: still in

    world.pupil.left_on = today
    world.pupil.save()

    assert log_in(client, "pupil@test.school").status_code == 200  # the form again
    assert other.get(reverse("home")).status_code == 302  # the session has ended
    world.pupil.refresh_from_db()
    assert world.pupil.left_on == today  # the record stays
    assert log_in(client, "teacher@test.school").status_code == 302  # staff unaffected
