"""The organisation a service says the person belongs to: Google is asked for the school's
Workspace domain (hd) and its answer's hd must be one of the school's domains; Microsoft's
tenant (tid) must be the one the configured issuer names. Through the loopback provider
where it can say these, else on the claims."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from sso.models import IdentityLink, IdentityProvider
from sso.sign_in import Refusal, microsoft_tenant, organisation_check

from .conftest import provider_for
from .idp import callback_path

TENANT = "8f3e1c2a-5b6d-4e7f-9a0b-1c2d3e4f5a6b"


@pytest.fixture
def google(world, idp_a):
    return provider_for(
        world.school, idp_a, domains=["test.school", "pupils.test.school"], kind="google"
    )


def start(client, provider, login=""):
    url = reverse("sso_start", args=[provider.pk])
    response = client.get(f"{url}?login_hint={login}" if login else url)
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, provider, idp, login):
    back = idp.consent(start(client, provider, login), login)
    return client.get(callback_path(back))


def test_google_is_asked_for_the_schools_first_domain(client, google):
    query = parse_qs(urlsplit(start(client, google, "teacher@test.school")).query)

    assert query["hd"] == ["test.school"]
    assert query["login_hint"] == ["teacher@test.school"]


def test_microsoft_is_not_sent_a_google_domain_hint(client, world, idp_a):
    provider = provider_for(world.school, idp_a, domains=["test.school"])

    assert "hd" not in parse_qs(urlsplit(start(client, provider)).query)


def test_a_google_account_of_the_schools_domain_signs_in(client, world, google, idp_a):
    idp_a.person("teacher@test.school", hd="test.school")

    response = sign_in(client, google, idp_a, "teacher@test.school")

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(world.teacher.pk)


def test_a_google_account_of_another_workspace_domain_is_refused(client, google, idp_a):
    idp_a.person("teacher@test.school", hd="other-academy.org")

    response = sign_in(client, google, idp_a, "teacher@test.school")

    assert response.status_code == 403
    text = response.content.decode()
    assert "an account of another organisation, not Test Academy" in text
    assert SESSION_KEY not in client.session
    assert not IdentityLink.objects.exists()


def provider_of(kind, issuer, domains=("test.school",)):
    return IdentityProvider(
        kind=kind, label=str(kind), issuer=issuer, email_domains=list(domains), school_id=None
    )


@pytest.mark.parametrize(
    "issuer, tenant",
    [
        (f"https://login.microsoftonline.com/{TENANT}/v2.0", TENANT),
        (f"https://login.microsoftonline.com/{TENANT.upper()}/v2.0", TENANT),
        (f"https://sts.windows.net/{TENANT}/", TENANT),
        ("https://login.microsoftonline.com/common/v2.0", ""),
        ("https://login.microsoftonline.com/organizations/v2.0", ""),
        ("https://accounts.google.com", ""),
        (f"https://idp.example.org/{TENANT}/v2.0", ""),
    ],
)
def test_the_tenant_a_microsoft_issuer_names(issuer, tenant):
    assert microsoft_tenant(issuer) == tenant


def check(provider, id_claims, claims=None):
    # The refusal names the school: a provider of the world's school.
    organisation_check(provider, id_claims, claims or {})


def test_microsofts_tenant_must_be_the_issuers(world):
    provider = provider_of(
        IdentityProvider.Kind.MICROSOFT, f"https://login.microsoftonline.com/{TENANT}/v2.0"
    )
    provider.school = world.school

    check(provider, {"tid": TENANT})
    check(provider, {"tid": TENANT.upper()})
    check(provider, {}, {"tid": TENANT})  # said in the userinfo answer
    with pytest.raises(Refusal, match="another organisation, not Test Academy"):
        check(provider, {"tid": "00000000-0000-0000-0000-000000000000"})
    with pytest.raises(Refusal):
        check(provider, {})  # an issuer that names a tenant: its tokens name it too


def test_a_microsoft_issuer_naming_no_tenant_checks_none(world):
    provider = provider_of(
        IdentityProvider.Kind.MICROSOFT, "https://login.microsoftonline.com/common/v2.0"
    )
    provider.school = world.school

    check(provider, {"tid": "00000000-0000-0000-0000-000000000000"})


def test_googles_hd_must_be_a_school_domain_when_present(world):
    provider = provider_of(
        IdentityProvider.Kind.GOOGLE,
        "https://accounts.google.com",
        domains=["test.school", "pupils.test.school"],
    )
    provider.school = world.school

    check(provider, {"hd": "pupils.test.school"})
    check(provider, {"hd": "Test.School"})
    check(provider, {})  # a personal account: the email checks decide
    with pytest.raises(Refusal):
        check(provider, {"hd": "other-academy.org"})
    with pytest.raises(Refusal):
        check(provider, {}, {"hd": "other-academy.org"})
