"""Parents' accounts (issue 5): school admins and senior leaders see the guardians with
parental responsibility and invite them by email; the guardian's one-time link sets a
password (or attaches the record to the login they already have); a code from the school
plus a child's date of birth attaches a further guardian record to a parent's login.

Only SHA-256 hashes of links and codes are stored. Removing a GuardianLink or clearing
Guardian.user ends access on the next request: access is read from the database each
time (school/access.py), nothing here caches it."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from notifications.services import email_queue
from school import access, history
from school.language import guardian_record_attach_language, guardian_salutation
from school.models import (
    Guardian,
    GuardianLink,
    PersonChange,
    Pupil,
    TutorGroup,
    User,
    YearGroup,
)
from school.ratelimits import Limit, limit_hit, limit_refund, limit_remaining

from .models import Invitation, LinkCode

INVITATION_DAYS = 14
LINK_CODE_DAYS = 30
LINK_ATTEMPTS = 5  # failed codes a login may enter ...
LINK_ATTEMPT_WINDOW = 60 * 60  # ... per hour
GUARDIANS_PER_PAGE = 100
# Letters and digits nobody confuses when reading a letter aloud (no 0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12  # 31**12: about 59 bits, against 5 guesses an hour


class AccountError(Exception):
    """A request refused with a message for the person who made it."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def code_normalise(code: str) -> str:
    """What the parent typed, without spaces or dashes, in capitals."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_format(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# Selectors -------------------------------------------------------------------------------


def may_manage(user) -> bool:
    """School admins and senior leaders manage their own school's parents' accounts."""
    return access.is_school_wide(user)


def may_link(user) -> bool:
    """Parents (logins without a school) and anyone who already stands behind a guardian
    record may add a child with a code; pupils and other staff may not."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.school_id is None:
        return True
    return not access.is_pupil(user) and access.is_guardian(user)


def _pending_invitations(now) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        guardian_id=OuterRef("pk"), used_at__isnull=True, expires_at__gt=now
    ).order_by("-created_at")


def guardians_in_scope(
    school_id: int, *, year: YearGroup | None = None, tutor_group: TutorGroup | None = None
) -> QuerySet[Guardian]:
    """The school's guardians with parental responsibility for at least one pupil on roll
    (of the year or tutor group, when given)."""
    links = GuardianLink.objects.filter(
        access.on_roll(timezone.localdate(), "pupil"),
        parental_responsibility=True,
        pupil__school_id=school_id,
    )
    if year is not None:
        links = links.filter(pupil__year_group_id=year.pk)
    if tutor_group is not None:
        links = links.filter(pupil__tutor_group_id=tutor_group.pk)
    return Guardian.objects.filter(school_id=school_id, pk__in=links.values("guardian_id"))


STATUS_FILTERS = {
    "no_login": Q(user__isnull=True),
    "invited": Q(user__isnull=True, invited_until__isnull=False),
    "not_invited": Q(user__isnull=True, invited_until__isnull=True) & ~Q(email=""),
    "no_email": Q(user__isnull=True, email=""),
    "has_login": Q(user__isnull=False),
}


def guardian_list(
    school_id: int,
    *,
    year: YearGroup | None = None,
    tutor_group: TutorGroup | None = None,
    status: str = "",
    now=None,
) -> QuerySet[Guardian]:
    """The guardians page's rows, by surname: each guardian with `invited_until` (when
    their newest pending invitation expires, or None) and `children` (the pupils they
    have parental responsibility for, with tutor groups; one prefetch query)."""
    now = now or timezone.now()
    guardians = guardians_in_scope(school_id, year=year, tutor_group=tutor_group).annotate(
        invited_until=Subquery(_pending_invitations(now).values("expires_at")[:1])
    )
    if status in STATUS_FILTERS:
        guardians = guardians.filter(STATUS_FILTERS[status])
    return guardians.prefetch_related(
        Prefetch(
            "links",
            queryset=GuardianLink.objects.filter(parental_responsibility=True)
            .select_related("pupil__tutor_group")
            .order_by("pupil__last_name", "pupil__first_name", "pk"),
            to_attr="children",
        )
    ).order_by("last_name", "first_name", "pk")


def guardian_for_staff(user, guardian_id: int) -> Guardian:
    """One guardian of the manager's school with parental responsibility for a pupil
    there; raises Guardian.DoesNotExist otherwise."""
    if not may_manage(user):
        raise Guardian.DoesNotExist
    return guardians_in_scope(user.school_id).select_related("school").get(pk=guardian_id)


def filter_choices(school_id: int) -> tuple[QuerySet[YearGroup], QuerySet[TutorGroup]]:
    return (
        YearGroup.objects.filter(school_id=school_id).order_by("number"),
        TutorGroup.objects.current()
        .filter(school_id=school_id)
        .order_by("year_group__number", "name"),
    )


@dataclass
class InvitationState:
    """What a link leads to: `status` is one of valid, unknown, used, replaced, expired,
    taken (the record already has a login); `existing_user` is set when a login with the
    invited address exists already."""

    status: str
    invitation: Invitation | None = None
    existing_user: User | None = None

    @property
    def valid(self) -> bool:
        return self.status == "valid"


def invitation_state(token: str, *, now=None) -> InvitationState:
    """The invitation behind a link, looked up by the hash of its token (the hash is what
    is compared, so the token itself never meets the database)."""
    now = now or timezone.now()
    invitation = (
        Invitation.objects.filter(token_hash=token_hash(token))
        .select_related("guardian", "school")
        .first()
    )
    if invitation is None:
        return InvitationState("unknown")
    state = _state_of(invitation, now=now)
    if state.valid:
        state.existing_user = User.objects.filter(email=invitation.email.lower()).first()
    return state


def _state_of(invitation: Invitation, *, now) -> InvitationState:
    guardian = invitation.guardian
    if invitation.used_at is not None:
        return InvitationState("used", invitation)
    if (
        guardian.email.strip().lower() != invitation.email.lower()
        or Invitation.objects.filter(
            guardian_id=guardian.pk, created_at__gt=invitation.created_at
        ).exists()
    ):
        return InvitationState("replaced", invitation)
    if invitation.expires_at <= now:
        return InvitationState("expired", invitation)
    if guardian.user_id is not None:
        return InvitationState("taken", invitation)
    return InvitationState("valid", invitation)


# Services --------------------------------------------------------------------------------


@dataclass
class InviteResult:
    sent: list[Guardian] = field(default_factory=list)
    skipped: dict[str, list[Guardian]] = field(default_factory=dict)

    def skip(self, guardian: Guardian, reason: str) -> None:
        self.skipped.setdefault(reason, []).append(guardian)


def not_invitable_reason(guardian: Guardian) -> str:
    """Why a guardian cannot be invited, or "" if they can."""
    if guardian.user_id is not None:
        return _("already has a login")
    if not guardian.email.strip():
        return _("no email address on the school's records")
    return ""


def _invitation_email(
    guardian: Guardian, *, school_name: str, link: str, expires_at, notice_link: str = ""
) -> dict:
    context = {
        "guardian": guardian,
        "school_name": school_name,
        "link": link,
        "notice_link": notice_link,  # the school's privacy notice
        "expires_on": timezone.localtime(expires_at).date(),
        "days": INVITATION_DAYS,
    }
    language = guardian.preferred_language or "en-gb"
    with translation.override(language):
        context["guardian_name"] = guardian_salutation(guardian)
        subject = render_to_string("parents/email/invitation_subject.txt", context)
        return {
            "subject": " ".join(subject.split()),
            "body": render_to_string("parents/email/invitation_body.txt", context),
            "html_body": render_to_string("parents/email/invitation_body.html", context),
        }


@transaction.atomic
def invitations_send(
    *,
    actor: User,
    guardians: list[Guardian],
    site: str,
    skip_pending: bool = False,
    now=None,
) -> InviteResult:
    """Invite each guardian by email to set up their login: a new one-time link valid for
    INVITATION_DAYS, which makes any earlier link of theirs invalid. Guardians with a
    login or without an email address are skipped (with the reason); so are those with a
    pending invitation when `skip_pending` (inviting a whole group). `site` is the
    scheme and host the link starts with. Emails leave after commit."""
    now = now or timezone.now()
    result = InviteResult()
    to_invite = []
    for guardian in guardians:
        if guardian.school_id != actor.school_id:
            raise AccountError(_("You can only invite guardians of your own school."))
        reason = not_invitable_reason(guardian)
        if reason:
            result.skip(guardian, reason)
        elif skip_pending and getattr(guardian, "invited_until", None):
            result.skip(guardian, _("already invited"))
        else:
            to_invite.append(guardian)
    if not to_invite:
        return result
    # Earlier links stop working at once (invitation_state also refuses them as replaced).
    Invitation.objects.filter(
        guardian_id__in=[g.pk for g in to_invite], used_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    school_name = str(actor.school)
    notice_link = site.rstrip("/") + reverse("privacy_notice_school", args=[actor.school.slug])
    expires_at = now + timedelta(days=INVITATION_DAYS)
    rows, emails = [], []
    for guardian in to_invite:
        token = secrets.token_urlsafe(32)
        email = guardian.email.strip().lower()
        rows.append(
            Invitation(
                school_id=guardian.school_id,
                guardian=guardian,
                email=email,
                token_hash=token_hash(token),
                created_by=actor,
                created_at=now,
                expires_at=expires_at,
            )
        )
        link = site.rstrip("/") + reverse("parents_invitation", args=[token])
        emails.append(
            (
                email,
                _invitation_email(
                    guardian,
                    school_name=school_name,
                    link=link,
                    expires_at=expires_at,
                    notice_link=notice_link,
                ),
            )
        )
    Invitation.objects.bulk_create(rows)
    for email, message in emails:
        email_queue(to=[email], **message)
    result.sent = to_invite
    return result


def _locked_valid(invitation: Invitation, *, now) -> Invitation:
    """The invitation and its guardian again under row locks, refused unless still valid
    (two tabs posting the same link: the second waits, then finds it used)."""
    invitation = (
        Invitation.objects.select_for_update().select_related("guardian").get(pk=invitation.pk)
    )
    if not _state_of(invitation, now=now).valid:
        raise AccountError(_("This link can no longer be used."))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, now=None) -> User:
    """Create the guardian's login with the invited address and the password, attach the
    record to it and use up the link. Refused if the link has been used, replaced or has
    expired meanwhile, or if a login with that address exists (they attach instead)."""
    now = now or timezone.now()
    invitation = _locked_valid(invitation, now=now)
    guardian = invitation.guardian
    candidate = User(
        email=invitation.email, first_name=guardian.first_name, last_name=guardian.last_name
    )
    validate_password(password, user=candidate)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                first_name=guardian.first_name,
                last_name=guardian.last_name,
                school=None,
            )
    except IntegrityError:
        raise AccountError(
            _("An account with this email address exists already: log in to use this link.")
        ) from None
    _use(invitation, user=user, now=now)
    return user


@transaction.atomic
def invitation_attach(*, invitation: Invitation, user: User, now=None) -> Guardian:
    """Attach the invited guardian record to the login with the invited address (a parent
    who already has an account, e.g. for a child at another school of the trust)."""
    now = now or timezone.now()
    invitation = _locked_valid(invitation, now=now)
    if user.email.lower() != invitation.email.lower():
        raise AccountError(
            _("This invitation is for %(email)s: log in with that address to use it.")
            % {"email": invitation.email}
        )
    if not user.is_active or access.is_pupil(user):
        raise AccountError(_("This account cannot be used for a parent: contact the school."))
    _use(invitation, user=user, now=now)
    return invitation.guardian


def _attach(guardian: Guardian, user: User) -> None:
    """The record joins the login (and takes its language), kept in its history as the
    family's own change."""
    fields = ["user", "preferred_language"]
    before = history.values_shown(guardian, fields)
    guardian_record_attach_language(guardian, user)
    guardian.user = user
    guardian.save(update_fields=fields)
    history.person_changes_record(
        guardian=guardian,
        before=before,
        after=history.values_shown(guardian, fields),
        actor=user,
        source=PersonChange.Source.FAMILY,
    )


def _use(invitation: Invitation, *, user: User, now) -> None:
    guardian = invitation.guardian
    _attach(guardian, user)
    invitation.used_at, invitation.used_by = now, user
    invitation.save(update_fields=["used_at", "used_by"])


# Codes to link a further child -----------------------------------------------------------


@dataclass
class IssuedCode:
    code: str  # formatted for reading, shown once and never stored
    link_code: LinkCode
    guardian: Guardian
    children: list[Pupil]


@transaction.atomic
def link_code_issue(*, actor: User, guardian: Guardian, now=None) -> IssuedCode:
    """A new code for the guardian record (any earlier unused code of theirs stops
    working), valid for LINK_CODE_DAYS. Only its hash is kept: the code is shown once."""
    now = now or timezone.now()
    if guardian.school_id != actor.school_id:
        raise AccountError(_("You can only issue codes for guardians of your own school."))
    if guardian.user_id is not None:
        raise AccountError(
            _("%(name)s already has a login: their children show on it already.")
            % {"name": guardian.full_name}
        )
    LinkCode.objects.filter(guardian=guardian, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    link_code = LinkCode.objects.create(
        school_id=guardian.school_id,
        guardian=guardian,
        code_hash=token_hash(code),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=LINK_CODE_DAYS),
    )
    children = list(
        Pupil.objects.filter(
            guardian_links__guardian=guardian, guardian_links__parental_responsibility=True
        ).order_by("last_name", "first_name", "pk")
    )
    return IssuedCode(code_format(code), link_code, guardian, children)


# Counted in the database (school/ratelimits.py), so the limit holds with Redis down and
# under a burst of guesses sent at once.
LINK_LIMIT = Limit("parents-link-code", LINK_ATTEMPTS, timedelta(seconds=LINK_ATTEMPT_WINDOW))


def link_attempts_left(user) -> int:
    return limit_remaining(LINK_LIMIT, str(user.pk))


class TooManyAttempts(AccountError):
    pass


WRONG_CODE = _(
    "That code and date of birth do not match our records. Check both and try again, "
    "or ask the school for a new code."
)


def link_code_redeem(*, user: User, code: str, date_of_birth: date, now=None) -> list[Pupil]:
    """Attach the guardian record behind the code to the user's login if one of its
    children has that date of birth; returns the children it brings. Any mismatch (wrong,
    used or expired code, wrong date, a record someone else has) gives the same message
    and counts towards LINK_ATTEMPTS an hour; past that, nothing is checked."""
    now = now or timezone.now()
    # The attempt is counted before the code is checked and given back if it matched:
    # counting failures afterwards would let a burst of guesses all pass the check.
    if not limit_hit(LINK_LIMIT, str(user.pk), now=now):
        raise TooManyAttempts(
            _(
                "Too many codes that did not match. For your security, wait an hour "
                "before trying again, or ask the school for help."
            )
        )
    children = _redeem(user=user, code=code, date_of_birth=date_of_birth, now=now)
    limit_refund(LINK_LIMIT, str(user.pk), now=now)
    return children


@transaction.atomic
def _redeem(*, user: User, code: str, date_of_birth: date, now) -> list[Pupil]:
    normalised = code_normalise(code)
    link_code = (
        LinkCode.objects.select_for_update(of=("self",))
        .filter(code_hash=token_hash(normalised), used_at__isnull=True, expires_at__gt=now)
        .select_related("guardian")
        .first()
    )
    if link_code is None:
        raise AccountError(WRONG_CODE)
    guardian = Guardian.objects.select_for_update().get(pk=link_code.guardian_id)
    children = list(
        Pupil.objects.filter(guardian_links__guardian=guardian).order_by(
            "last_name", "first_name", "pk"
        )
    )
    if not any(child.date_of_birth == date_of_birth for child in children):
        raise AccountError(WRONG_CODE)
    if guardian.user_id not in (None, user.pk):
        raise AccountError(WRONG_CODE)
    _attach(guardian, user)
    link_code.used_at, link_code.used_by = now, user
    link_code.save(update_fields=["used_at", "used_by"])
    return children
