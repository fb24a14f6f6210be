"""Erasing a guardian's record (UK GDPR article 17): a parent removed from a pupil, or
who asks to be forgotten where the law allows. Their names and contact details go, their
links to pupils, invitations, codes and choices go, and their login ends unless it still
serves another record or a role at a school; what the school must keep (signed
agreements, messages, notifications already sent) stays, pointing at the erased record.
One transaction: nothing is half-erased."""

import secrets
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Replace
from django.utils import timezone

from school import history
from school.models import Guardian, GuardianLink, PersonChange, RoleAssignment, User

from .steps import guardian_erasure_steps

ERASED_FIRST_NAME = "Erased"
ERASED_LAST_NAME = "parent or carer"
ERASED_NAME = f"{ERASED_FIRST_NAME} {ERASED_LAST_NAME}"
# What the history keeps in place of an erased value.
ERASED_VALUE = "erased"
# The guardian's own fields erasure empties, and what each becomes.
ERASED_FIELDS = {
    "title": "",
    "first_name": ERASED_FIRST_NAME,
    "last_name": ERASED_LAST_NAME,
    "email": "",
    "mobile": "",
    "home_phone": "",
    "work_phone": "",
    "address": "",
}
REASON_LENGTH = 300
ERASED_EMAIL_DOMAIN = "erased.invalid"


class ErasureError(Exception):
    """Why a record cannot be erased, in words for the lead."""


@dataclass
class Erasure:
    guardian: Guardian
    links: int = 0
    login_ended: bool = False
    login_kept: bool = False  # the login serves another record or a role: only detached
    steps: dict[str, int] = field(default_factory=dict)


def login_kept_for(user: User, guardian: Guardian) -> bool:
    """Whether the login behind `guardian` must stay: it is staff's or a superuser's, or
    stands behind another guardian record that is not erased."""
    if user.is_superuser or user.is_staff or user.school_id is not None:
        return True
    if RoleAssignment.objects.filter(user=user).exists():
        return True
    return (
        Guardian.objects.filter(user=user, erased_at__isnull=True).exclude(pk=guardian.pk).exists()
    )


def _login_end(user: User) -> None:
    """The login can no longer be used: inactive (every session of it ends on its next
    request: the backend reads no inactive user), no password, no name, no record of its
    sign-ins, and an address nobody can have, so that the real address may be invited
    afresh one day."""
    # django-axes' records of its sign-ins and failed attempts carry the address.
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__in={user.email, user.email.lower()}).delete()
    user.is_active = False
    user.set_unusable_password()
    user.email = f"erased-{user.pk}-{secrets.token_hex(6)}@{ERASED_EMAIL_DOMAIN}"
    user.first_name = ERASED_FIRST_NAME
    user.last_name = ERASED_LAST_NAME
    user.save(update_fields=["is_active", "password", "email", "first_name", "last_name"])


def _history_scrub(guardian: Guardian, pupil_ids: list[int]) -> None:
    """What the change history said of the guardian goes too: their own rows keep which
    field changed and when, not the values; their children's rows lose their name."""
    own = PersonChange.objects.filter(guardian=guardian).exclude(field=history.GUARDIAN_SIDE)
    own.exclude(old_value="").update(old_value=ERASED_VALUE)
    own.exclude(new_value="").update(new_value=ERASED_VALUE)
    name = guardian.full_name
    if pupil_ids and name:
        PersonChange.objects.filter(
            Q(old_value__contains=name) | Q(new_value__contains=name),
            pupil_id__in=pupil_ids,
            field=history.PUPIL_SIDE,
        ).update(
            old_value=Replace("old_value", Value(name), Value(ERASED_NAME)),
            new_value=Replace("new_value", Value(name), Value(ERASED_NAME)),
        )


@transaction.atomic
def guardian_erase(*, guardian: Guardian, actor: User | None, reason: str) -> Erasure:
    """Erase `guardian`'s record for `reason` (kept in its history). Raises ErasureError
    for a record erased already or a missing reason."""
    reason = " ".join(reason.split())
    if not reason:
        raise ErasureError("Say why the record is erased.")
    if len(reason) > REASON_LENGTH:
        raise ErasureError(f"The reason is longer than {REASON_LENGTH} characters.")
    guardian = (
        Guardian.objects.select_for_update(of=("self",)).select_related("user").get(pk=guardian.pk)
    )
    if guardian.erased_at is not None:
        raise ErasureError("This record was erased already.")
    now = timezone.now()
    result = Erasure(guardian=guardian)

    links = list(GuardianLink.objects.filter(guardian=guardian).select_related("pupil"))
    pupil_ids = [link.pupil_id for link in links]
    _history_scrub(guardian, pupil_ids)

    rows = [
        PersonChange(
            school_id=guardian.school_id,
            guardian=guardian,
            field=history.field_label(Guardian, name),
            old_value=ERASED_VALUE,
            new_value=value,
            changed_by=actor,
            changed_at=now,
            source=PersonChange.Source.ERASURE,
        )
        for name, value in ERASED_FIELDS.items()
        if getattr(guardian, name)
    ]
    for link in links:
        rows += history.link_change_rows(
            pupil=link.pupil,
            guardian=guardian,
            before=history.link_values(link),
            after=None,
            actor=actor,
            source=PersonChange.Source.ERASURE,
            at=now,
        )
    # The pupil's side of a link named the guardian: it names the erased record.
    for row in rows:
        if row.pupil_id is not None:
            row.old_value = row.old_value.replace(guardian.full_name, ERASED_NAME, 1)

    user = guardian.user
    if user is not None:
        rows.append(
            PersonChange(
                school_id=guardian.school_id,
                guardian=guardian,
                field="Login",
                old_value=ERASED_VALUE,
                new_value="",
                changed_by=actor,
                changed_at=now,
                source=PersonChange.Source.ERASURE,
            )
        )
    rows.append(
        PersonChange(
            school_id=guardian.school_id,
            guardian=guardian,
            field="Record erased",
            old_value="",
            new_value=reason,
            changed_by=actor,
            changed_at=now,
            source=PersonChange.Source.ERASURE,
        )
    )

    result.links = GuardianLink.objects.filter(guardian=guardian).delete()[0]
    for name, value in ERASED_FIELDS.items():
        setattr(guardian, name, value)
    guardian.user = None
    guardian.erased_at = now
    guardian.save(update_fields=[*ERASED_FIELDS, "user", "erased_at"])
    history.person_changes_save(rows)

    for step in guardian_erasure_steps():
        result.steps[step.name] = step.run(guardian)

    if user is not None:
        if login_kept_for(user, guardian):
            result.login_kept = True
        else:
            _login_end(user)
            result.login_ended = True
    return result
