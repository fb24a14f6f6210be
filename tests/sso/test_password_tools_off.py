"""A school that signs its staff and pupils in with its own account leaves them no
password tools: the top bar offers no "Change password", the page says why instead of a
form (and changes nothing), and a reset request for their address sends no email while
the page answers as it does for any address. Parents and the break-glass admin keep both."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from homework_mgmt.accounts import password_reset_email_send
from sso.models import IdentityProvider, SignInPolicy
from tests.factories import PASSWORD, PupilFactory, UserFactory

CHANGE = "password_change"
NEW = "a-brand-new-long-pass"


@pytest.fixture
def password_off(world):
    IdentityProvider.objects.create(
        school=world.school,
        kind=IdentityProvider.Kind.GOOGLE,
        label="Google",
        issuer="https://accounts.google.com",
        client_id="client",
        client_secret_encrypted="-",
        authorization_endpoint="https://accounts.google.com/o/oauth2/v2/auth",
        token_endpoint="https://oauth2.googleapis.com/token",
        userinfo_endpoint="https://openidconnect.googleapis.com/v1/userinfo",
        jwks_uri="https://www.googleapis.com/oauth2/v3/certs",
        email_domains=["test.school"],
    )
    return SignInPolicy.objects.create(
        school=world.school, password_login_off=True, break_glass_admin=world.school_admin
    )


def person(world, who):
    return world.pupil.user if who == "pupil" else getattr(world, who)


def change_link_shown(response) -> bool:
    return f'href="{reverse(CHANGE)}"' in response.content.decode()


@pytest.mark.parametrize("who", ["teacher", "pupil"])
def test_staff_and_pupils_are_not_offered_change_password(client, world, password_off, who):
    client.force_login(person(world, who))

    response = client.get(reverse("home"))

    assert response.status_code == 200
    assert not change_link_shown(response)


@pytest.mark.parametrize("who", ["school_admin", "parent"])
def test_the_break_glass_admin_and_parents_are_offered_change_password(
    client, world, password_off, who
):
    client.force_login(person(world, who))

    assert change_link_shown(client.get(reverse("home")))


def test_without_the_switch_staff_are_offered_change_password(client, world):
    client.force_login(world.teacher)

    assert change_link_shown(client.get(reverse("home")))


@pytest.mark.parametrize("who", ["teacher", "pupil"])
def test_the_change_page_says_the_school_account_signs_them_in_and_changes_nothing(
    client, world, password_off, who
):
    user = person(world, who)
    client.force_login(user)

    page = client.get(reverse(CHANGE))
    posted = client.post(
        reverse(CHANGE),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert page.status_code == 403
    text = page.content.decode()
    assert "Test Academy signs you in with your school account" in text
    assert 'name="new_password1"' not in text
    assert posted.status_code == 403
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert not user.check_password(NEW)


def test_a_switch_made_after_login_is_seen_by_the_page_and_then_by_the_bar(client, world):
    client.force_login(world.teacher)
    assert change_link_shown(client.get(reverse("home")))
    SignInPolicy.objects.create(
        school=world.school, password_login_off=True, break_glass_admin=world.school_admin
    )

    assert client.get(reverse(CHANGE)).status_code == 403
    assert not change_link_shown(client.get(reverse("home")))


@pytest.mark.parametrize("who", ["school_admin", "parent"])
def test_the_break_glass_admin_and_parents_still_change_their_password(
    client, world, password_off, who
):
    user = person(world, who)
    client.force_login(user)

    assert client.get(reverse(CHANGE)).status_code == 200
    response = client.post(
        reverse(CHANGE),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)


@pytest.mark.parametrize("who", ["teacher", "pupil"])
def test_a_reset_request_for_staff_and_pupils_sends_no_email_and_says_the_usual(
    client, world, password_off, who, django_capture_on_commit_callbacks
):
    email = person(world, who).email

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@nowhere.test"})

    assert response.status_code == 302
    assert response["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["school_admin", "parent"])
def test_a_reset_request_for_the_break_glass_admin_and_parents_sends_the_link(
    client, world, password_off, who, django_capture_on_commit_callbacks
):
    email = person(world, who).email

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": email})

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [email]
    assert "/accounts/reset/" in message.body


def test_without_the_switch_the_worker_emails_staff_a_link(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_email_send(email=world.teacher.email, domain="x", use_https=True)

    (message,) = mail.outbox
    assert message.to == [world.teacher.email]


def _more_pupils(world, extra):
    for n in range(extra):
        user = UserFactory(email=f"extra{n}@test.school", school=world.school)
        PupilFactory(tutor_group=world.tg_7a, user=user)


@pytest.mark.parametrize("extra", [0, 25])
def test_the_change_page_costs_the_same_however_many_people(
    client, world, password_off, extra, django_assert_num_queries
):
    _more_pupils(world, extra)
    client.force_login(world.teacher)
    # session, user; the policy with its school; staff there?; the top bar's roles
    with django_assert_num_queries(5):
        response = client.get(reverse(CHANGE))
    assert response.status_code == 403


def test_a_reset_link_sent_before_the_switch_no_longer_sets_their_password(
    client, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_email_send(email=world.teacher.email, domain="testserver", use_https=False)
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    SignInPolicy.objects.create(
        school=world.school, password_login_off=True, break_glass_admin=world.school_admin
    )

    page = client.get(link, follow=True)

    assert "already been used" in page.content.decode()
    assert 'name="new_password1"' not in page.content.decode()
    world.teacher.refresh_from_db()
    assert world.teacher.check_password(PASSWORD)


def test_a_parents_reset_link_still_sets_their_password(
    client, world, password_off, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_email_send(email=world.parent.email, domain="testserver", use_https=False)
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)

    page = client.get(link, follow=True)
    response = client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})

    assert response.status_code == 302
    world.parent.refresh_from_db()
    assert world.parent.check_password(NEW)
