"""A school that switched password login off for staff and pupils: their right password
is refused with a clear message (the login page and Django's admin login alike), except
for the named break-glass admin; parents keep their passwords; a wrong password is
refused as before and counts towards the lockout."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from sso.models import IdentityProvider, SignInPolicy

PASSWORD = "correct horse battery staple"


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
    for user in (world.teacher, world.pupil.user, world.parent, world.school_admin):
        user.set_password(PASSWORD)
        user.save()
    return SignInPolicy.objects.create(
        school=world.school, password_login_off=True, break_glass_admin=world.school_admin
    )


def log_in(client, email, password=PASSWORD):
    return client.post(reverse("login"), {"username": email, "password": password})


@pytest.mark.parametrize("who", ["teacher", "pupil"])
def test_staff_and_pupils_are_told_to_use_the_school_account(client, world, password_off, who):
    email = world.teacher.email if who == "teacher" else world.pupil.user.email

    response = log_in(client, email)

    assert response.status_code == 200
    text = response.content.decode()
    assert "Test Academy signs its staff and pupils in with their school account" in text
    assert "Sign in with your school account" in text
    assert SESSION_KEY not in client.session


def test_the_break_glass_admin_keeps_their_password(client, world, password_off):
    response = log_in(client, world.school_admin.email)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.school_admin.pk)


def test_parents_keep_their_passwords(client, world, password_off):
    response = log_in(client, world.parent.email)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.parent.pk)


def test_a_wrong_password_is_refused_as_before_and_counts_towards_the_lockout(
    client, world, password_off
):
    response = log_in(client, world.teacher.email, "not the password")

    assert response.status_code == 200
    assert "signs its staff and pupils in" not in response.content.decode()
    assert AccessAttempt.objects.filter(username=world.teacher.email).exists()


def test_the_admin_site_login_is_closed_to_them_too(client, world, password_off):
    world.teacher.is_staff = True
    world.teacher.save()

    response = client.post("/admin/login/", {"username": world.teacher.email, "password": PASSWORD})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_other_schools_still_log_in_with_passwords(client, world, password_off):
    world.other_school_teacher.set_password(PASSWORD)
    world.other_school_teacher.save()

    response = log_in(client, world.other_school_teacher.email)

    assert response.status_code == 302


def test_with_the_switch_on_again_staff_log_in_with_passwords(client, world, password_off):
    password_off.password_login_off = False
    password_off.save()

    assert log_in(client, world.teacher.email).status_code == 302
