"""A school's sign-in setup: saving its services and its password switch, who of its
people has linked an identity, and unlinking one."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from school.models import Pupil, RoleAssignment, School

from .discovery import Endpoints
from .models import IdentityLink, IdentityProvider, SignInPolicy
from .secrets import secret_encrypt


@transaction.atomic
def provider_save(
    *, provider: IdentityProvider, endpoints: Endpoints, domains: list[str], secret: str
) -> IdentityProvider:
    """Saves the service as the form left it, with the endpoints its discovery document
    gave and the secret (encrypted; empty keeps the one saved)."""
    provider.email_domains = domains
    for name, value in endpoints.__dict__.items():
        setattr(provider, name, value)
    if secret:
        provider.client_secret_encrypted = secret_encrypt(secret)
    provider.save()
    return provider


def policy_of(school: School) -> SignInPolicy:
    return SignInPolicy.objects.filter(school=school).first() or SignInPolicy(school=school)


@transaction.atomic
def policy_save(*, policy: SignInPolicy) -> SignInPolicy:
    policy.save()
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
