"""The sign-in tests' providers: real OpenID Connect providers (tests/sso/idp.py) on
loopback ports, one per school that needs one, started once per test process and
stopped at its end; and the school's provider rows, saved as the setup page saves them
(after reading the provider's discovery document)."""

import pytest

from sso.discovery import endpoints_discover
from sso.models import IdentityProvider
from sso.setup import provider_save

from .idp import CALLBACK_PATH, LoopbackProvider

TEST_CLIENT_CALLBACK = f"http://testserver{CALLBACK_PATH}"


def _provider(tmp_path_factory, name):
    idp = LoopbackProvider(
        tmp_path_factory.mktemp(name),
        client_id=f"homework-{name}",
        client_secret=f"secret-of-{name}",
        redirect_uris=[TEST_CLIENT_CALLBACK],
    ).start()
    yield idp
    idp.stop()


@pytest.fixture(scope="session")
def idp_a(tmp_path_factory):
    yield from _provider(tmp_path_factory, "idp-a")


@pytest.fixture(scope="session")
def idp_b(tmp_path_factory):
    yield from _provider(tmp_path_factory, "idp-b")


def provider_for(school, idp, *, domains, kind=IdentityProvider.Kind.MICROSOFT, **flags):
    provider = IdentityProvider(
        school=school,
        kind=kind,
        label=IdentityProvider.Kind(kind).label,
        issuer=idp.issuer,
        client_id=idp.client_id,
        **flags,
    )
    return provider_save(
        provider=provider,
        endpoints=endpoints_discover(idp.issuer),
        domains=domains,
        secret=idp.client_secret,
    )
