"""The client secrets of the schools' sign-in services, encrypted in the database with
a key from the environment (settings.SSO_SECRET_KEY), so that a dump of the database alone
does not give them away."""

import base64
import hashlib

from cryptography.fernet import Fernet
from django.conf import settings


def _fernet() -> Fernet:
    # Any string will do as the setting: it is stretched to the 32 bytes Fernet wants.
    digest = hashlib.sha256(f"sso-client-secret:{settings.SSO_SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def secret_encrypt(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode()


def secret_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()
