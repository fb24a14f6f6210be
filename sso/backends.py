"""The two authentication backends sign-in adds (settings.AUTHENTICATION_BACKENDS).

`SchoolAccountBackend` is mozilla-django-oidc's code flow (token exchange, signature
checked against the provider's keys, nonce and PKCE), configured per school from the
provider the sign-in started with instead of from settings; it also checks the id
token's issuer and audience, which the library leaves to its users.

`PasswordOffBackend` stops a password login by staff and pupils of a school that switched
it off (their break-glass admin excepted), telling the login form why."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from school.auth import AccountBackend

from .secrets import secret_decrypt
from .sign_in import Refusal, identity_sign_in, organisation_check, password_login_off_for

PASSWORD_OFF_ATTRIBUTE = "sso_password_login_off"


class SchoolAccountBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # The library reads one provider from settings here; ours come from the database,
        # once a sign-in is under way (authenticate).
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = "RS256"
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        provider = getattr(request, "sso_provider", None)
        if provider is None or "nonce" not in kwargs:
            return None  # a password login, or another backend's
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = secret_decrypt(provider.client_secret_encrypted)
        self.id_claims = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if self.id_claims is None:  # the id token (a signed userinfo answer comes later)
            audience = payload.get("aud")
            audiences = audience if isinstance(audience, list) else [audience]
            if payload.get("iss") != self.provider.issuer:
                raise SuspiciousOperation("The id token comes from another issuer.")
            if self.OIDC_RP_CLIENT_ID not in audiences:
                raise SuspiciousOperation("The id token is for another client.")
            if not payload.get("sub"):
                raise SuspiciousOperation("The id token names nobody.")
            self.id_claims = payload
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        subject = self.id_claims["sub"]
        if claims.get("sub") != subject:
            raise SuspiciousOperation("The userinfo answer is about someone else.")
        try:
            organisation_check(self.provider, self.id_claims, claims)
            return identity_sign_in(provider=self.provider, subject=subject, claims=claims)
        except Refusal as refusal:
            self.request.sso_refusal = refusal.message
            return None

    def get_user(self, user_id):
        # A session started here ends as a password one does (a pupil who has left).
        return AccountBackend().get_user(user_id)


class PasswordOffBackend:
    """Before the password backend: the right password of someone whose school signs them
    in only with its own account ends the attempt (PermissionDenied), and marks the
    request so that the login form can say so. A wrong password goes on as before."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or username is None or password is None:
            return None
        user = get_user_model().objects.filter(email=username.strip().lower()).first()
        if user is None or not user.check_password(password):
            return None
        policy = password_login_off_for(user)
        if policy is None:
            return None
        setattr(request, PASSWORD_OFF_ATTRIBUTE, policy.school)
        raise PermissionDenied

    # No get_user: no session is ever this backend's (and the test client's force_login
    # takes the first backend that has one).
