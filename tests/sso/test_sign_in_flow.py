"""Signing in with the school's account, through a real OpenID Connect provider on a
loopback port: our start page sends the person there, they sign in and consent on its
pages (driven over HTTP), and its answer comes back to our callback, which exchanges the
code, checks the id token, and matches or refuses the person."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import SESSION_KEY, get_user_model
from django.urls import reverse
from django.utils import timezone

from sso.models import IdentityLink

from .conftest import provider_for
from .idp import callback_path


@pytest.fixture
def provider(world, idp_a):
    return provider_for(world.school, idp_a, domains=["test.school"])


def start(client, provider, login=""):
    url = reverse("sso_start", args=[provider.pk])
    response = client.get(f"{url}?login_hint={login}" if login else url)
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, provider, idp, login):
    back = idp.consent(start(client, provider, login), login)
    return client.get(callback_path(back))


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def refusal(response):
    return response.content.decode()


def test_a_teacher_signs_in_links_their_identity_and_lands_on_their_home(
    client, world, provider, idp_a
):
    idp_a.person("teacher@test.school", sub="entra-teacher")

    response = sign_in(client, provider, idp_a, "teacher@test.school")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert signed_in_as(client) == str(world.teacher.pk)
    link = IdentityLink.objects.get(user=world.teacher)
    assert (link.issuer, link.subject, link.provider) == (idp_a.issuer, "entra-teacher", provider)
    assert client.get(reverse("home")).context["user"] == world.teacher


def test_the_start_asks_for_a_code_with_state_nonce_and_pkce(client, provider, idp_a):
    query = parse_qs(urlsplit(start(client, provider, "teacher@test.school")).query)

    assert query["response_type"] == ["code"]
    assert query["client_id"] == [idp_a.client_id]
    assert query["redirect_uri"] == ["http://testserver/accounts/sso/callback/"]
    assert query["login_hint"] == ["teacher@test.school"]
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"][0] in client.session["oidc_states"]
    assert client.session["oidc_states"][query["state"][0]]["nonce"] == query["nonce"][0]


def test_a_linked_identity_is_matched_by_its_subject_even_when_its_email_changes(
    client, world, provider, idp_a
):
    idp_a.person("tess", email="teacher@test.school", sub="entra-tess")
    sign_in(client, provider, idp_a, "tess")
    client.logout()
    idp_a.person("tess", email="tess.married-name@test.school", sub="entra-tess")

    response = sign_in(client, provider, idp_a, "tess")

    assert response.status_code == 302
    assert signed_in_as(client) == str(world.teacher.pk)
    assert IdentityLink.objects.filter(user=world.teacher).count() == 1


def test_a_pupil_signs_in_and_the_next_address_is_kept(client, world, provider, idp_a):
    idp_a.person("pupil@test.school")
    url = reverse("sso_start", args=[provider.pk]) + "?next=/planner/"
    back = idp_a.consent(client.get(url)["Location"], "pupil@test.school")

    response = client.get(callback_path(back))

    assert response.status_code == 302
    assert response["Location"] == "/planner/"
    assert signed_in_as(client) == str(world.pupil.user.pk)


def test_an_unknown_email_is_refused_and_no_account_is_created(client, provider, idp_a):
    idp_a.person("new.starter@test.school")
    users = get_user_model().objects.count()

    response = sign_in(client, provider, idp_a, "new.starter@test.school")

    assert response.status_code == 403
    assert "has nobody here with the address new.starter@test.school" in refusal(response)
    assert "never created" in refusal(response)
    assert get_user_model().objects.count() == users
    assert signed_in_as(client) is None
    assert not IdentityLink.objects.exists()


def test_an_address_outside_the_schools_domains_is_refused(client, world, provider, idp_a):
    # The parent's login address is a person of the school, but not at its domain.
    world.teacher.email = "tess@gmail.com"
    world.teacher.save()
    idp_a.person("tess@gmail.com")

    response = sign_in(client, provider, idp_a, "tess@gmail.com")

    assert response.status_code == 403
    assert "tess@gmail.com is not an address of Test Academy" in refusal(response)
    assert "@test.school" in refusal(response)
    assert signed_in_as(client) is None


def test_an_email_the_provider_has_not_verified_is_refused(client, provider, idp_a):
    idp_a.person("teacher@test.school", sub="unverified-teacher", email_verified=False)

    response = sign_in(client, provider, idp_a, "teacher@test.school")

    assert response.status_code == 403
    assert "has not confirmed that teacher@test.school is yours" in refusal(response)
    assert signed_in_as(client) is None
    assert not IdentityLink.objects.exists()


def test_microsofts_verified_domain_claim_counts_as_verified(client, world, provider, idp_a):
    idp_a.person("teacher@test.school", sub="edov-teacher", email_verified=None, xms_edov=True)

    response = sign_in(client, provider, idp_a, "teacher@test.school")

    assert response.status_code == 302
    assert signed_in_as(client) == str(world.teacher.pk)


def test_a_pupil_who_has_left_is_refused(client, world, provider, idp_a):
    world.pupil.left_on = timezone.localdate() - timedelta(days=1)
    world.pupil.save()
    idp_a.person("pupil@test.school")

    response = sign_in(client, provider, idp_a, "pupil@test.school")

    assert response.status_code == 403
    assert "say you left the school on" in refusal(response)
    assert signed_in_as(client) is None


def test_a_linked_pupil_who_has_since_left_is_refused(client, world, provider, idp_a):
    idp_a.person("pupil@test.school", sub="pupil-sub")
    sign_in(client, provider, idp_a, "pupil@test.school")
    client.logout()
    world.pupil.left_on = timezone.localdate()
    world.pupil.save()

    response = sign_in(client, provider, idp_a, "pupil@test.school")

    assert response.status_code == 403
    assert signed_in_as(client) is None


def test_an_account_switched_off_is_refused(client, world, provider, idp_a):
    world.teacher.is_active = False
    world.teacher.save()
    idp_a.person("teacher@test.school", sub="inactive-teacher")

    response = sign_in(client, provider, idp_a, "teacher@test.school")

    assert response.status_code == 403
    assert "This account is switched off" in refusal(response)
    assert signed_in_as(client) is None


def test_a_person_of_another_school_is_refused(client, world, idp_a):
    # A trust whose two schools share an email domain.
    provider = provider_for(world.school, idp_a, domains=["test.school", "other.school"])
    idp_a.person("teacher@other.school")

    response = sign_in(client, provider, idp_a, "teacher@other.school")

    assert response.status_code == 403
    assert "This account is not one of Test Academy" in refusal(response)
    assert signed_in_as(client) is None


def test_staff_are_refused_where_the_school_has_not_switched_it_on_for_staff(client, world, idp_a):
    provider = provider_for(world.school, idp_a, domains=["test.school"], for_staff=False)
    idp_a.person("teacher@test.school", sub="staff-off")

    response = sign_in(client, provider, idp_a, "teacher@test.school")

    assert response.status_code == 403
    assert "has not switched on signing in with Microsoft for staff" in refusal(response)


def test_parents_sign_in_only_where_the_school_switched_it_on(client, world, idp_a):
    idp_a.person("parent@gmail.com")
    world.parent.email = "parent@gmail.com"
    world.parent.save()
    off = provider_for(world.school, idp_a, domains=["test.school"])

    refused = sign_in(client, off, idp_a, "parent@gmail.com")
    assert refused.status_code == 403
    assert signed_in_as(client) is None

    off.for_parents = True
    off.save()
    response = sign_in(client, off, idp_a, "parent@gmail.com")
    assert response.status_code == 302
    assert signed_in_as(client) == str(world.parent.pk)


def test_an_account_already_linked_to_another_identity_is_refused(client, world, provider, idp_a):
    idp_a.person("tess-one", email="teacher@test.school", sub="first-identity")
    sign_in(client, provider, idp_a, "tess-one")
    client.logout()
    idp_a.person("tess-two", email="teacher@test.school", sub="second-identity")

    response = sign_in(client, provider, idp_a, "tess-two")

    assert response.status_code == 403
    assert "already linked to a different Microsoft account" in refusal(response)
    assert signed_in_as(client) is None


def test_a_replayed_callback_is_refused(client, world, provider, idp_a):
    idp_a.person("teacher@test.school", sub="replay")
    back = callback_path(idp_a.consent(start(client, provider), "teacher@test.school"))
    assert client.get(back).status_code == 302
    client.logout()

    response = client.get(back)

    assert response.status_code == 400
    assert "expired, was already used, or did not start here" in refusal(response)
    assert signed_in_as(client) is None


def test_a_callback_whose_state_was_tampered_with_is_refused(client, provider, idp_a):
    idp_a.person("teacher@test.school", sub="tampered")
    back = idp_a.consent(start(client, provider), "teacher@test.school")
    parts = urlsplit(back)
    query = parse_qs(parts.query)

    response = client.get(parts.path, {"code": query["code"][0], "state": "forged-state"})

    assert response.status_code == 400
    assert signed_in_as(client) is None


def test_a_code_brought_back_with_another_sign_ins_state_is_refused(client, provider, idp_a):
    """A code obtained in one sign-in, delivered with the state of another started in the
    same browser: the other's PKCE verifier and nonce do not fit, and the provider refuses."""
    idp_a.person("teacher@test.school", sub="swapped")
    first = idp_a.consent(start(client, provider), "teacher@test.school")
    second_state = parse_qs(urlsplit(start(client, provider)).query)["state"][0]
    code = parse_qs(urlsplit(first).query)["code"][0]

    response = client.get(reverse("sso_callback"), {"code": code, "state": second_state})

    assert response.status_code == 400
    assert "did not confirm this sign-in" in refusal(response)
    assert signed_in_as(client) is None


def test_an_id_token_whose_nonce_does_not_match_is_refused(client, provider, idp_a):
    idp_a.person("teacher@test.school", sub="nonce")
    back = idp_a.consent(start(client, provider), "teacher@test.school")
    state = parse_qs(urlsplit(back).query)["state"][0]
    session = client.session
    session["oidc_states"][state]["nonce"] = "not-the-nonce-sent"
    session.save()

    response = client.get(callback_path(back))

    assert response.status_code == 400
    assert "could not be verified" in refusal(response)
    assert signed_in_as(client) is None
    assert not IdentityLink.objects.exists()


def test_a_person_who_cancels_at_the_provider_is_not_signed_in(client, provider):
    state = parse_qs(urlsplit(start(client, provider)).query)["state"][0]

    response = client.get(reverse("sso_callback"), {"error": "access_denied", "state": state})

    assert response.status_code == 400
    assert "did not finish" in refusal(response)
    assert signed_in_as(client) is None


def test_two_schools_each_sign_in_their_own_people_with_their_own_provider(
    client, world, idp_a, idp_b
):
    ours = provider_for(world.school, idp_a, domains=["test.school"])
    theirs = provider_for(world.other_school, idp_b, domains=["other.school"])
    idp_b.person("teacher@other.school", sub="b-teacher")
    idp_b.person("teacher@test.school", sub="b-intruder")

    assert sign_in(client, theirs, idp_b, "teacher@other.school").status_code == 302
    assert signed_in_as(client) == str(world.other_school_teacher.pk)
    client.logout()
    refused = sign_in(client, theirs, idp_b, "teacher@test.school")
    assert refused.status_code == 403
    assert "is not an address of Other Academy" in refusal(refused)
    assert signed_in_as(client) is None

    idp_a.person("teacher@test.school", sub="a-teacher")
    assert sign_in(client, ours, idp_a, "teacher@test.school").status_code == 302
    assert signed_in_as(client) == str(world.teacher.pk)
    assert IdentityLink.objects.get(user=world.other_school_teacher).provider == theirs
    assert IdentityLink.objects.get(user=world.teacher).provider == ours


def test_logging_out_offers_to_sign_out_of_the_school_account_too(client, world, provider, idp_a):
    idp_a.person("teacher@test.school", sub="logout")
    sign_in(client, provider, idp_a, "teacher@test.school")

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("sso_signed_out")
    assert signed_in_as(client) is None
    page = client.get(response["Location"])
    end_session = page.context["end_session_url"]
    assert end_session.startswith(f"{idp_a.issuer}/session/end?client_id={idp_a.client_id}")
    assert "id_token_hint=" in end_session
    # The provider accepts it: its own page asks to confirm signing out.
    assert requests.get(end_session, timeout=10).status_code == 200
    # Shown once: a reload goes to the login page.
    assert client.get(reverse("sso_signed_out"))["Location"] == reverse("login")


def test_a_password_login_logs_out_as_before(client, world):
    client.force_login(world.teacher)

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")
    assert signed_in_as(client) is None
