"""A school's sign-in setup: saving its services and its password switch, who of its
people has linked an identity, and unlinking one."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from school.models import Pupil, RoleAssignment, School

from .discovery import Endpoints
from .models import IdentityLink, IdentityProvider, SetupChange, SignInPolicy
from .secrets import secret_encrypt

HISTORY_SHOWN = 20
# A service's settings as the history names them (the endpoints follow the issuer).
PROVIDER_FIELDS = (
    "kind",
    "label",
    "issuer",
    "client_id",
    "email_domains",
    "for_staff",
    "for_pupils",
    "for_parents",
    "enabled",
)
POLICY_FIELDS = ("password_login_off", "break_glass_admin")


def _shown(instance, name: str) -> str:
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _changes(before, after, names) -> list[str]:
    """'Label: old → new' for each field of `names` that differs (all of them, as
    'Label: new', when there is no `before`)."""
    lines = []
    for name in names:
        label = str(after._meta.get_field(name).verbose_name)
        label = label[:1].upper() + label[1:]
        new = _shown(after, name)
        if before is None:
            lines.append(f"{label}: {new}")
        elif (old := _shown(before, name)) != new:
            lines.append(f"{label}: {old} → {new}")
    return lines


def change_record(*, school: School, by, what: str) -> SetupChange:
    return SetupChange.objects.create(
        school=school, changed_by=by, changed_at=timezone.now(), what=what
    )


def setup_history(school: School) -> list[SetupChange]:
    """The school's last changes, newest first."""
    return list(
        SetupChange.objects.filter(school=school)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")[:HISTORY_SHOWN]
    )


@transaction.atomic
def provider_save(
    *,
    provider: IdentityProvider,
    endpoints: Endpoints,
    domains: list[str],
    secret: str,
    by=None,
) -> IdentityProvider:
    """Saves the service as the form left it, with the endpoints its discovery document
    gave and the secret (encrypted; empty keeps the one saved), and writes what changed
    to the school's setup history (a new secret as the fact, never its value)."""
    before = IdentityProvider.objects.filter(pk=provider.pk).first() if provider.pk else None
    provider.email_domains = domains
    for name, value in endpoints.__dict__.items():
        setattr(provider, name, value)
    if secret:
        provider.client_secret_encrypted = secret_encrypt(secret)
    provider.save()
    lines = _changes(before, provider, PROVIDER_FIELDS)
    if before is not None and secret:
        lines.append("Client secret: replaced")
    if lines:
        heading = "Added" if before is None else "Changed"
        change_record(
            school=provider.school,
            by=by,
            what=f"{heading} the sign-in service {provider.label}: " + "; ".join(lines),
        )
    return provider


def policy_of(school: School) -> SignInPolicy:
    return SignInPolicy.objects.filter(school=school).first() or SignInPolicy(school=school)


@transaction.atomic
def policy_save(*, policy: SignInPolicy, by=None) -> SignInPolicy:
    before = SignInPolicy.objects.filter(pk=policy.pk).first() if policy.pk else None
    policy.save()
    if before is None:
        before = SignInPolicy(school=policy.school)  # the switch was off until now
    lines = _changes(before, policy, POLICY_FIELDS)
    if lines:
        change_record(school=policy.school, by=by, what="Password login: " + "; ".join(lines))
    return policy


def links_of_school(school: School) -> QuerySet[IdentityLink]:
    return IdentityLink.objects.filter(school=school)


def link_remove(*, school: School, link_id: int) -> IdentityLink | None:
    """Unlinks the identity (the person's next sign-in links again, by their verified
    email); None when the school has no such link."""
    link = (
        IdentityLink.objects.filter(school=school, pk=link_id)
        .select_related("user", "provider")
        .first()
    )
    if link is not None:
        link.delete()
    return link


def people_for_sign_in(school: School, *, linked: bool | None) -> QuerySet:
    """The school's staff (a role there) and pupils on roll with an account, each with
    `is_linked` (and pupils with `is_pupil`), by name; `linked` keeps one side only."""
    today = timezone.localdate()
    staff = RoleAssignment.objects.filter(user=OuterRef("pk"), school=school)
    pupil_on_roll = Pupil.objects.filter(user=OuterRef("pk"), school=school).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=today)
    )
    people = (
        get_user_model()
        .objects.filter(school=school, is_active=True)
        .annotate(
            is_staff_member=Exists(staff),
            is_pupil=Exists(pupil_on_roll),
            is_linked=Exists(IdentityLink.objects.filter(user=OuterRef("pk"), school=school)),
        )
        .filter(Q(is_staff_member=True) | Q(is_pupil=True))
        .order_by("last_name", "first_name", "email")
    )
    if linked is not None:
        people = people.filter(is_linked=linked)
    return people
