"""Invitations: a school admin invites a guardian by email (sent after commit), the one-time
link sets a password and creates the parent's login, or attaches the record to the login
the parent already has. Links work once, for 14 days, and a new invitation makes the old
link stop working; a used, expired, replaced or unknown link changes nothing."""

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parents.models import Invitation
from school.models import Guardian, User
from tests.factories import GuardianFactory, GuardianLinkFactory, UserFactory

PASSWORD = "Marmalade-sandwich-42"
LINK = re.compile(r"https?://[^/\s]+(/parents/invitations/([\w-]+)/)")


def new_guardian(world, pupil=None, **fields):
    """A guardian with parental responsibility for the pupil and no login yet."""
    fields = {"first_name": "Grace", "last_name": "Adeyemi", "email": "grace@example.org"} | fields
    guardian = GuardianFactory(school=world.school, **fields)
    GuardianLinkFactory(guardian=guardian, pupil=pupil or world.pupil)
    return guardian


def invite(client, actor, guardian, capture):
    """Post the invitation as `actor`, running the on-commit callbacks (the email task);
    returns the response."""
    client.force_login(actor)
    with capture(execute=True):
        return client.post(reverse("parents_guardian_invite", args=[guardian.pk]))


def link_in(message) -> tuple[str, str]:
    """The (path, token) of the invitation link in an email's text."""
    path, token = LINK.search(message.body).groups()
    return path, token


def invited(client, world, capture, guardian=None):
    guardian = guardian or new_guardian(world)
    response = invite(client, world.school_admin, guardian, capture)
    assert response.status_code == 302
    client.logout()
    return guardian, link_in(mail.outbox[-1])[0]


# Sending ---------------------------------------------------------------------------------


def test_an_invitation_emails_a_one_time_link_after_commit_and_keeps_only_its_hash(
    client, world, django_capture_on_commit_callbacks
):
    guardian = new_guardian(world, email=" Grace@Example.org ")
    client.force_login(world.school_admin)
    url = reverse("parents_guardian_invite", args=[guardian.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"back": reverse("parents_accounts") + "?status=no_login"})
        assert mail.outbox == [], "nothing leaves before the invitation is saved"
    assert response.status_code == 302
    assert response["Location"] == reverse("parents_accounts") + "?status=no_login"
    for callback in callbacks:
        callback()

    (message,) = mail.outbox
    assert message.to == ["grace@example.org"]
    assert message.subject == "Test Academy: set up your Homework account"
    path, token = link_in(message)
    assert path in message.alternatives[0].content
    assert len(token) >= 43  # 32 random bytes
    invitation = Invitation.objects.get()
    assert invitation.guardian == guardian and invitation.email == "grace@example.org"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert invitation.created_by == world.school_admin
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=14)
    expires = f"{timezone.localtime(invitation.expires_at):%d/%m/%Y}"
    assert expires in message.body
    assert "Invitation sent to Grace Adeyemi at Grace@Example.org." in [
        str(m) for m in response.wsgi_request._messages
    ]


def test_a_guardian_without_an_email_address_is_not_invited_and_the_admin_is_told_why(
    client, world, django_capture_on_commit_callbacks
):
    guardian = new_guardian(world, email="")
    response = invite(client, world.school_admin, guardian, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not Invitation.objects.exists() and mail.outbox == []
    page = client.get(response["Location"]).content.decode()
    assert "was not invited: no email address on the school&#x27;s records" in page


def test_a_guardian_who_has_a_login_is_not_invited(
    client, world, django_capture_on_commit_callbacks
):
    invite(client, world.school_admin, world.guardian, django_capture_on_commit_callbacks)
    assert not Invitation.objects.exists() and mail.outbox == []


def test_a_senior_leader_may_invite_too(client, world, django_capture_on_commit_callbacks):
    guardian = new_guardian(world)
    invite(client, world.senior_leader, guardian, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and Invitation.objects.get().created_by == world.senior_leader


def test_the_other_schools_admin_cannot_invite_our_guardians(
    client, world, django_capture_on_commit_callbacks
):
    guardian = new_guardian(world)
    response = invite(
        client, world.other_school_staff, guardian, django_capture_on_commit_callbacks
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists() and mail.outbox == []


# Accepting -------------------------------------------------------------------------------


def test_the_link_sets_a_password_creates_the_login_and_shows_the_children(
    client, world, django_capture_on_commit_callbacks
):
    guardian, path = invited(client, world, django_capture_on_commit_callbacks)
    page = client.get(path)
    assert page.status_code == 200
    assert "grace@example.org" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")

    response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/parents/"
    user = User.objects.get(email="grace@example.org")
    assert user.school_id is None and user.first_name == "Grace" and user.check_password(PASSWORD)
    guardian.refresh_from_db()
    assert guardian.user == user
    invitation = Invitation.objects.get()
    assert invitation.used_at is not None and invitation.used_by == user
    # Logged in as the new parent, who sees their child and nobody else's.
    assert client.get(reverse("pupil_detail", args=[world.pupil.pk])).status_code == 200
    assert client.get(reverse("pupil_detail", args=[world.classmate.pk])).status_code == 404
    client.logout()
    response = client.post(
        reverse("login"), {"username": "Grace@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302, "the new password logs in"


def test_a_link_works_only_once(client, world, django_capture_on_commit_callbacks):
    guardian, path = invited(client, world, django_capture_on_commit_callbacks)
    client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    client.logout()

    again = client.get(path)
    assert again.status_code == 410
    assert "used already" in again.content.decode()
    response = client.post(path, {"password1": "Another-pass-99", "password2": "Another-pass-99"})
    assert response.status_code == 410
    user = User.objects.get(email="grace@example.org")
    assert user.check_password(PASSWORD), "the second use changed nothing"
    assert User.objects.filter(email="grace@example.org").count() == 1


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        ("Marmalade-sandwich-42", "Marmalade-sandwich-43", "The two passwords are different."),
        ("password", "password", "This password is too common."),
        ("short", "short", "This password is too short."),
        ("grace@example.org", "grace@example.org", "too similar to the email address"),
        ("", "", "Choose a password."),
    ],
)
def test_a_password_the_validators_refuse_creates_nothing(
    client, world, django_capture_on_commit_callbacks, first, second, message
):
    guardian, path = invited(client, world, django_capture_on_commit_callbacks)
    response = client.post(path, {"password1": first, "password2": second})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email="grace@example.org").exists()
    assert Invitation.objects.get().used_at is None
    guardian.refresh_from_db()
    assert guardian.user is None


def test_a_link_expires_after_14_days(
    client, world, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(timezone.now(), tick=False)
    guardian, path = invited(client, world, django_capture_on_commit_callbacks)
    time_machine.shift(datetime.timedelta(days=14) - datetime.timedelta(minutes=1))
    assert client.get(path).status_code == 200
    time_machine.shift(datetime.timedelta(minutes=1))
    expired = client.get(path)
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()
    response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email="grace@example.org").exists()
    guardian.refresh_from_db()
    assert guardian.user is None


def test_inviting_again_makes_the_earlier_link_stop_working(
    client, world, django_capture_on_commit_callbacks
):
    guardian, first = invited(client, world, django_capture_on_commit_callbacks)
    _, second = invited(client, world, django_capture_on_commit_callbacks, guardian=guardian)
    assert first != second and len(mail.outbox) == 2

    old = client.get(first)
    assert old.status_code == 410
    assert "newer invitation" in old.content.decode()
    assert client.post(first, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 410
    assert not User.objects.filter(email="grace@example.org").exists()

    assert client.post(second, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 302
    guardian.refresh_from_db()
    assert guardian.user.email == "grace@example.org"


def test_a_link_stops_working_when_the_schools_email_address_for_the_guardian_changes(
    client, world, django_capture_on_commit_callbacks
):
    guardian, path = invited(client, world, django_capture_on_commit_callbacks)
    Guardian.objects.filter(pk=guardian.pk).update(email="new@example.org")
    assert client.get(path).status_code == 410
    assert client.post(path, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 410
    assert not User.objects.filter(email__in=["grace@example.org", "new@example.org"]).exists()


@pytest.mark.parametrize("token", ["nonsense", "a" * 43])
def test_an_unknown_link_answers_404_and_changes_nothing(client, world, token):
    path = reverse("parents_invitation", args=[token])
    response = client.get(path)
    assert response.status_code == 404
    assert "do not recognise this link" in response.content.decode()
    users = User.objects.count()
    assert client.post(path, {"password1": PASSWORD, "password2": PASSWORD}).status_code == 404
    assert User.objects.count() == users


# A parent who has a login already (children at another school of the trust) -----------


def test_a_parent_with_a_login_logs_in_and_attaches_the_record_to_it(
    client, world, django_capture_on_commit_callbacks
):
    existing = UserFactory(email="grace@example.org", first_name="Grace")
    guardian, path = invited(client, world, django_capture_on_commit_callbacks)

    page = client.get(path)
    assert page.status_code == 200
    text = page.content.decode()
    assert "You already have an account" in text
    assert reverse("login") + "?next=" + path.replace("/", "%2F") in text
    refused = client.post(path)
    assert refused.status_code == 400
    guardian.refresh_from_db()
    assert guardian.user is None

    client.force_login(existing)
    assert 'type="submit"' in client.get(path).content.decode()
    response = client.post(path)
    assert response.status_code == 302 and response["Location"] == "/parents/"
    guardian.refresh_from_db()
    assert guardian.user == existing
    assert User.objects.filter(email="grace@example.org").count() == 1
    assert Invitation.objects.get().used_by == existing
    assert client.get(reverse("pupil_detail", args=[world.pupil.pk])).status_code == 200
    assert client.get(path).status_code == 410


def test_someone_else_logged_in_cannot_attach_the_record_to_their_login(
    client, world, django_capture_on_commit_callbacks
):
    UserFactory(email="grace@example.org")
    guardian, path = invited(client, world, django_capture_on_commit_callbacks)
    client.force_login(world.other_parent)
    response = client.post(path)
    assert response.status_code == 400
    assert "Log in as grace@example.org" in response.content.decode()
    guardian.refresh_from_db()
    assert guardian.user is None
    assert Invitation.objects.get().used_at is None
    assert client.get(reverse("pupil_detail", args=[world.pupil.pk])).status_code == 404


def test_the_link_page_has_a_fixed_query_budget(
    client, world, django_capture_on_commit_callbacks, django_assert_num_queries
):
    guardian, path = invited(client, world, django_capture_on_commit_callbacks)
    # the invitation with its guardian and school, a newer invitation?, a login with the
    # address?
    with django_assert_num_queries(3):
        assert client.get(path).status_code == 200
