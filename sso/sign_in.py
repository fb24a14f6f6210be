"""Signing in with the school's account: which services an email address leads to, and
matching the identity a service vouches for to a person the school already has, by
(issuer, subject) once linked, else by the verified email within the school's domains.
Nothing here guesses: every other outcome is a refusal that says why, and no account is
ever created."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from school.models import Guardian, Pupil, RoleAssignment, School

from .models import IdentityLink, IdentityProvider, SignInPolicy

STAFF, PUPIL, PARENT = "staff", "pupil", "parent"


class Refusal(Exception):
    """Why a sign-in was refused, in words for the person signing in."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Person:
    user: object
    category: str


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def providers_for_email(email: str) -> QuerySet[IdentityProvider]:
    """The enabled services whose school lists the address's domain (the JSON list holds
    lower-case domains)."""
    return (
        IdentityProvider.objects.filter(enabled=True, email_domains__contains=[email_domain(email)])
        .select_related("school")
        .order_by("school__name", "label")
    )


def providers_of_school(school: School) -> QuerySet[IdentityProvider]:
    return IdentityProvider.objects.filter(school=school, enabled=True).order_by("label")


def _verified(claims: dict) -> bool:
    # Google and most services say email_verified; Microsoft Entra ID says xms_edov (the
    # address's domain is verified by the tenant) when that optional claim is configured.
    return any(claims.get(name) in (True, "true") for name in ("email_verified", "xms_edov"))


def person_at_school(user, school_id: int) -> Person | None:
    """What the user is at the school: staff (a role there), a pupil of it, or a parent of
    one of its pupils; None when they are none of these."""
    if user.school_id == school_id:
        if RoleAssignment.objects.filter(user=user, school_id=school_id).exists():
            return Person(user, STAFF)
        if Pupil.objects.filter(user=user, school_id=school_id).exists():
            return Person(user, PUPIL)
    if Guardian.objects.filter(user=user, school_id=school_id).exists():
        return Person(user, PARENT)
    return None


def _check_person(user, provider: IdentityProvider) -> Person:
    school = provider.school
    if not user.is_active:
        raise Refusal(
            _("This account is switched off. Please contact %(school)s.") % {"school": school}
        )
    person = person_at_school(user, provider.school_id)
    if person is None:
        raise Refusal(
            _(
                "This account is not one of %(school)s's. Sign in through your own school's "
                "account, or contact your school."
            )
            % {"school": school}
        )
    if person.category == PUPIL:
        left_on = Pupil.objects.filter(user=user).values_list("left_on", flat=True).first()
        if left_on is not None and left_on <= timezone.localdate():
            raise Refusal(
                _(
                    "%(school)s's records say you left the school on %(day)s, so you can no "
                    "longer sign in. If that is wrong, please contact the school office."
                )
                % {"school": school, "day": left_on.strftime("%d/%m/%Y")}
            )
    allowed = {STAFF: provider.for_staff, PUPIL: provider.for_pupils, PARENT: provider.for_parents}
    if not allowed[person.category]:
        who = {STAFF: _("staff"), PUPIL: _("pupils"), PARENT: _("parents")}[person.category]
        raise Refusal(
            _(
                "%(school)s has not switched on signing in with %(provider)s for %(who)s. "
                "Please log in with your email address and password."
            )
            % {"school": school, "provider": provider.label, "who": who}
        )
    return person


MICROSOFT_HOSTS = {"login.microsoftonline.com", "sts.windows.net"}
# The issuer paths that name no one tenant (multi-tenant and personal-account sign-in).
MICROSOFT_NOT_A_TENANT = {"common", "organizations", "consumers"}


def microsoft_tenant(issuer: str) -> str:
    """The tenant a Microsoft issuer names (https://login.microsoftonline.com/<tenant
    id>/v2.0), lower-case; "" when it names none."""
    parts = urlsplit(issuer)
    if parts.hostname not in MICROSOFT_HOSTS:
        return ""
    tenant = parts.path.strip("/").partition("/")[0].lower()
    return "" if tenant in MICROSOFT_NOT_A_TENANT else tenant


def organisation_check(provider: IdentityProvider, id_claims: dict, claims: dict) -> None:
    """The organisation the service says the person belongs to is the school's (each
    claim read from the id token, else from the userinfo answer): Google's `hd` (the
    Workspace domain; a personal account has none, and is left to the email checks) must
    be one of the school's domains; Microsoft's `tid` must be the tenant the issuer names.
    Raises Refusal."""

    def claim(name: str) -> str:
        value = id_claims.get(name) or claims.get(name) or ""
        return str(value).strip().lower()

    refusal = Refusal(
        _(
            "%(provider)s signed you in with an account of another organisation, not "
            "%(school)s. Sign in there with your %(school)s account."
        )
        % {"provider": provider.label, "school": provider.school}
    )
    if provider.kind == IdentityProvider.Kind.GOOGLE:
        domain = claim("hd")
        if domain and domain not in provider.email_domains:
            raise refusal
    elif provider.kind == IdentityProvider.Kind.MICROSOFT:
        tenant = microsoft_tenant(provider.issuer)
        if tenant and claim("tid") != tenant:
            raise refusal


def identity_sign_in(*, provider: IdentityProvider, subject: str, claims: dict):
    """The person the identity `subject` at `provider` (with its userinfo `claims`) signs
    in as; links the identity on their first sign-in. Raises Refusal."""
    issuer = provider.issuer
    link = (
        IdentityLink.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    )
    if link is not None:
        if link.provider_id != provider.pk:
            raise Refusal(
                _("This account is linked to another school here. Sign in through that school.")
            )
        _check_person(link.user, provider)
        IdentityLink.objects.filter(pk=link.pk).update(last_signed_in_at=timezone.now())
        return link.user

    email = str(claims.get("email") or "").strip().lower()
    if not email or "@" not in email:
        raise Refusal(
            _(
                "%(provider)s did not tell us your email address, so we cannot tell who you "
                "are. Please ask your school's IT team to share the email claim."
            )
            % {"provider": provider.label}
        )
    if not _verified(claims):
        raise Refusal(
            _(
                "%(provider)s has not confirmed that %(email)s is yours, so it cannot be "
                "used to sign in. Please ask your school's IT team."
            )
            % {"provider": provider.label, "email": email}
        )
    user = get_user_model().objects.filter(email=email).first()
    domains = provider.email_domains
    if email_domain(email) not in domains:
        parent = user is not None and provider.for_parents
        person = person_at_school(user, provider.school_id) if parent else None
        if person is None or person.category != PARENT:
            raise Refusal(
                _(
                    "%(email)s is not an address of %(school)s (its addresses end in "
                    "%(domains)s). Sign in with your school account, not a personal one."
                )
                % {
                    "email": email,
                    "school": provider.school,
                    "domains": ", ".join(f"@{domain}" for domain in domains),
                }
            )
    if user is None:
        raise Refusal(
            _(
                "%(school)s has nobody here with the address %(email)s. Accounts are never "
                "created at sign-in: please contact the school office to be added."
            )
            % {"school": provider.school, "email": email}
        )
    _check_person(user, provider)
    return _link(provider=provider, user=user, subject=subject, email=email)


@transaction.atomic
def _link(*, provider: IdentityProvider, user, subject: str, email: str):
    if IdentityLink.objects.filter(provider=provider, user=user).exists():
        raise Refusal(
            _(
                "Your account here is already linked to a different %(provider)s account. "
                "Please ask a school admin to unlink it."
            )
            % {"provider": provider.label}
        )
    try:
        with transaction.atomic():
            IdentityLink.objects.create(
                school=provider.school,
                provider=provider,
                user=user,
                issuer=provider.issuer,
                subject=subject,
                email=email,
                last_signed_in_at=timezone.now(),
            )
    except IntegrityError as error:  # the same person signing in twice at once
        raise Refusal(_("You were being signed in twice at once. Please try again.")) from error
    return user


# In the session from login on: the top bar offers "Change password" only where it is
# false, at no query per page (sso/apps.py; the change page itself always asks).
PASSWORD_TOOLS_OFF_SESSION_KEY = "password_tools_off"


def password_login_off_for(user) -> SignInPolicy | None:
    """The policy that stops this user logging in with a password: they are staff or a
    pupil of a school that switched password login off, and not its break-glass admin."""
    if user.school_id is None:
        return None
    policy = (
        SignInPolicy.objects.filter(school_id=user.school_id, password_login_off=True)
        .select_related("school")
        .first()
    )
    if policy is None or policy.break_glass_admin_id == user.pk:
        return None
    person = person_at_school(user, user.school_id)
    if person is None or person.category == PARENT:
        return None
    return policy
