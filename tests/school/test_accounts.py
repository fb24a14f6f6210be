"""Logging in and out, resetting a forgotten password by email, and the lockout that
stops password guessing for one account without locking out the rest of the school."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


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
