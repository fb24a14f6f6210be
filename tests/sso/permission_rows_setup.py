"""Who may open the sign-in setup pages: a school's admins, for their school (the other
school's admin opens their own school's setup and people, with nothing of ours); a
service of the world's school is for its admin only. The steps of signing in are public
(tests/sso/test_sign_in_*.py check them)."""

from django.urls import reverse

from sso.models import IdentityLink, IdentityProvider

ADMINS = {"school_admin", "other_school_staff"}


def provider_of(w) -> IdentityProvider:
    return IdentityProvider.objects.create(
        school=w.school,
        kind=IdentityProvider.Kind.MICROSOFT,
        label="Microsoft",
        issuer="https://login.microsoftonline.com/tenant/v2.0",
        client_id="client",
        client_secret_encrypted="-",
        authorization_endpoint="https://login.microsoftonline.com/tenant/authorize",
        token_endpoint="https://login.microsoftonline.com/tenant/token",
        userinfo_endpoint="https://graph.microsoft.com/oidc/userinfo",
        jwks_uri="https://login.microsoftonline.com/tenant/keys",
        email_domains=["test.school"],
    )


def link_of(w) -> IdentityLink:
    provider = provider_of(w)
    return IdentityLink.objects.create(
        school=w.school,
        provider=provider,
        user=w.teacher,
        issuer=provider.issuer,
        subject="teacher-sub",
        email=w.teacher.email,
    )


PAGES = {
    "sso_setup": (lambda w: reverse("sso_setup"), ADMINS),
    "sso_provider_add": (lambda w: reverse("sso_provider_add"), ADMINS),
    "sso_provider_edit": (
        lambda w: reverse("sso_provider_edit", args=[provider_of(w).pk]),
        {"school_admin"},
    ),
    "sso_people": (lambda w: reverse("sso_people"), ADMINS),
}

POST_ONLY = {
    "sso_policy": (lambda w: reverse("sso_policy"), ADMINS),
    "sso_unlink": (lambda w: reverse("sso_unlink", args=[link_of(w).pk]), {"school_admin"}),
}

PUBLIC = {"sso_school_account", "sso_start", "sso_callback", "sso_signed_out"}
