"""Reading a provider's OpenID Connect discovery document (RFC 8414 / OpenID Connect
Discovery 1.0), once, when a school saves the provider."""

from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from django.conf import settings

TIMEOUT_SECONDS = 10
NEEDED = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


class DiscoveryError(Exception):
    pass


@dataclass(frozen=True)
class Endpoints:
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str


def is_loopback(url: str) -> bool:
    return urlsplit(url).hostname in {"127.0.0.1", "localhost", "::1"}


def address_allowed(url: str) -> bool:
    """https everywhere; plain http only to this machine, and only where settings allow it
    (DEBUG, and the tests' own provider)."""
    scheme = urlsplit(url).scheme
    if scheme == "https":
        return True
    return scheme == "http" and settings.SSO_ALLOW_LOOPBACK_HTTP and is_loopback(url)


def endpoints_discover(issuer: str) -> Endpoints:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise DiscoveryError(f"could not read {url} ({error.__class__.__name__})") from error
    if not isinstance(document, dict):
        raise DiscoveryError(f"{url} is not a discovery document")
    if document.get("issuer") != issuer:
        raise DiscoveryError(
            f"the service calls itself {document.get('issuer')!r}, not {issuer!r}: "
            "copy the issuer exactly"
        )
    missing = [name for name in NEEDED if not document.get(name)]
    if missing:
        raise DiscoveryError(f"the discovery document has no {', '.join(missing)}")
    found = {name: str(document.get(name) or "") for name in (*NEEDED, "end_session_endpoint")}
    insecure = [name for name, value in found.items() if value and not address_allowed(value)]
    if insecure:
        raise DiscoveryError(f"{', '.join(insecure)} must be https addresses")
    return Endpoints(**found)
