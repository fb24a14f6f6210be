"""Reading and signing: each school's agreement and the guardian's children with their
signatures, a signature recorded once for each child (never changed), the printable copy,
and the pupil's own acknowledgement."""

import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from school import access
from school.models import GuardianLink, Pupil, User
from school.placements import as_placed_in

from ..models import Agreement, AgreementTranslation, PupilAcknowledgement, Signature
from .text import (
    ENGLISH,
    TYPED_NAME_MAX_LENGTH,
    TYPED_NAME_MIN_LENGTH,
    USER_AGENT_MAX_LENGTH,
    AgreementError,
)
from .versions import agreement_current, current_year_id


def signature_for(user, signature_id: int) -> Signature:
    """A signature the guardian who made it (while still linked to the child), or staff
    who can see the pupil, may open (raises Signature.DoesNotExist for everyone else).
    Its pupil is shown in their tutor group of the agreement's year, once that year has
    been rolled over (one query more then)."""
    signatures = Signature.objects.select_related(
        "agreement__academic_year", "guardian", "pupil__tutor_group", "school"
    )
    mine = Q(access.still_linked(), guardian__user=user)
    if access.is_staff_member(user):
        mine |= Q(pupil__in=access.pupils_visible_to(user), school_id=user.school_id)
    signature = signatures.filter(mine).get(pk=signature_id)
    as_placed_in(signature.agreement.academic_year, [signature.pupil])
    return signature


def signed_text(signature: Signature) -> AgreementTranslation | None:
    """The translation the guardian read and signed (None when they signed the English
    version). A published translation is never changed or removed, so it is there."""
    if signature.language == ENGLISH:
        return None
    return AgreementTranslation.objects.filter(
        agreement_id=signature.agreement_id,
        language=signature.language,
        published_at__isnull=False,
    ).first()


@dataclass
class ChildToSign:
    pupil: Pupil
    link: GuardianLink
    signature: Signature | None = None

    @property
    def may_sign(self) -> bool:
        return self.signature is None and self.link.parental_responsibility


@dataclass
class SchoolAgreement:
    school_id: int
    school_name: str
    guardian_name: str
    agreement: Agreement | None
    children: list[ChildToSign] = field(default_factory=list)
    form: object = None  # the signing form, set by the view when a child is left to sign
    # The school's published translation into the reader's language, if it has one, and
    # whether they asked for the English version instead.
    translation: AgreementTranslation | None = None
    reading_english: bool = False

    @property
    def to_sign(self) -> list[ChildToSign]:
        return [child for child in self.children if child.may_sign]

    @property
    def text(self):
        """What the guardian reads and signs: the translation, or the English version."""
        if self.translation is not None and not self.reading_english:
            return self.translation
        return self.agreement

    @property
    def text_language(self) -> str:
        return self.text.language if self.text is self.translation else ENGLISH


def guardian_page(
    user, today: date, *, language: str = "", reading_english: bool = False
) -> list[SchoolAgreement]:
    """For each school the guardian has children at: its current agreement (with its
    published translation into `language`, the language the guardian reads the site in)
    and each child with the guardian's own signature of it, if any. Four queries, however
    many children and schools."""
    links = list(
        access.guardian_links_of(user)
        .filter(access.on_roll(today, "pupil"))  # nobody signs for a child who has left
        .select_related("guardian__school", "pupil__tutor_group")
        .order_by("guardian__school__name", "pupil__first_name", "pupil__pk")
    )
    if not links:
        return []
    school_ids = {link.guardian.school_id for link in links}
    agreements = {}
    published = (
        Agreement.objects.filter(
            school_id__in=school_ids,
            status=Agreement.Status.PUBLISHED,
            academic_year_id=current_year_id(OuterRef("school_id"), today),
        )
        .select_related("academic_year")
        .order_by("school_id", "-version")
    )
    for agreement in published:
        agreements.setdefault(agreement.school_id, agreement)
    translations = {}
    if agreements and language and language != ENGLISH:
        translations = {
            t.agreement_id: t
            for t in AgreementTranslation.objects.filter(
                agreement_id__in=[a.pk for a in agreements.values()],
                language=language,
                published_at__isnull=False,
            )
        }
    signatures = {}
    if agreements:
        for signature in Signature.objects.filter(
            agreement_id__in=[a.pk for a in agreements.values()],
            guardian__user=user,
            pupil_id__in=[link.pupil_id for link in links],
        ):
            signatures[(signature.agreement_id, signature.pupil_id)] = signature
    page = {}
    for link in links:
        school = link.guardian.school
        agreement = agreements.get(school.pk)
        entry = page.setdefault(
            school.pk,
            SchoolAgreement(
                school_id=school.pk,
                school_name=school.name,
                guardian_name=f"{link.guardian.first_name} {link.guardian.last_name}",
                agreement=agreement,
                translation=translations.get(agreement.pk) if agreement else None,
                reading_english=reading_english,
            ),
        )
        signature = signatures.get((agreement.pk, link.pupil_id)) if agreement else None
        entry.children.append(ChildToSign(pupil=link.pupil, link=link, signature=signature))
    return list(page.values())


@dataclass
class PupilPage:
    agreement: Agreement | None
    acknowledgement: PupilAcknowledgement | None


def pupil_page(pupil: Pupil, today: date) -> PupilPage:
    agreement = agreement_current(pupil.school_id, today)
    acknowledgement = None
    if agreement is not None:
        acknowledgement = PupilAcknowledgement.objects.filter(
            agreement=agreement, pupil=pupil
        ).first()
    return PupilPage(agreement=agreement, acknowledgement=acknowledgement)


def _normalised(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^\w\s]", " ", letters).split())


TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "lady", "rev"}


def name_matches(typed: str, first_name: str, last_name: str) -> bool:
    """Loosely the name the school holds: case, accents, punctuation, a title and middle
    names do not matter; the first and last names do."""
    words = [word for word in _normalised(typed).split() if word not in TITLES]
    first, last = _normalised(first_name).split(), _normalised(last_name).split()
    if not words or not first or not last:
        return False
    return words[: len(first)] == first and words[-len(last) :] == last


def typed_name_clean(typed: str) -> str:
    typed = " ".join((typed or "").split())
    if len(typed) < TYPED_NAME_MIN_LENGTH:
        raise AgreementError(_("Type your full name to sign."))
    if len(typed) > TYPED_NAME_MAX_LENGTH:
        raise AgreementError(
            _("A name can be at most %(limit)d characters.") % {"limit": TYPED_NAME_MAX_LENGTH}
        )
    return typed


def _ip_or_none(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


@transaction.atomic
def signatures_record(
    *,
    user: User,
    agreement: Agreement,
    pupil_ids: list[int],
    typed_name: str,
    ip_address: str | None,
    user_agent: str,
    language: str = ENGLISH,
    now: datetime | None = None,
) -> list[Signature]:
    """Sign `agreement` for each of the children: one signature per child, written once.
    The agreement must be the school's current version and each child one the guardian
    has parental responsibility for there; a child already signed for is refused.
    `language` is the text they read: English, or a published translation of it."""
    now = now or timezone.now()
    typed_name = typed_name_clean(typed_name)
    if (
        language != ENGLISH
        and not AgreementTranslation.objects.filter(
            agreement=agreement, language=language, published_at__isnull=False
        ).exists()
    ):
        raise AgreementError(
            _("The text you read is no longer available: read the agreement again and sign.")
        )
    if not pupil_ids:
        raise AgreementError(_("Tick at least one child to sign for."))
    current = agreement_current(agreement.school_id, timezone.localdate(now))
    if current is None or current.pk != agreement.pk:
        raise AgreementError(
            _("The school has published a new version of the agreement: read it and sign again.")
        )
    # Locked, so that a link removed at this moment is either signed for before, or gone.
    links = list(
        access.guardian_links_of(user)
        .filter(guardian__school_id=agreement.school_id, pupil_id__in=set(pupil_ids))
        .filter(access.on_roll(timezone.localdate(now), "pupil"))
        .select_for_update(of=("self",))
        .select_related("pupil")
    )
    if len(links) != len(set(pupil_ids)):
        raise AgreementError(_("Choose only your own children."))
    if not all(link.parental_responsibility for link in links):
        raise AgreementError(_("Only a parent or carer with parental responsibility can sign."))
    already = set(
        Signature.objects.filter(
            agreement=agreement, guardian__user=user, pupil_id__in=pupil_ids
        ).values_list("pupil_id", flat=True)
    )
    if already:
        names = ", ".join(link.pupil.first_name for link in links if link.pupil_id in already)
        raise AgreementError(
            _("You have already signed this version for %(names)s: a signature cannot be changed.")
            % {"names": names}
        )
    rows = [
        Signature(
            school_id=agreement.school_id,
            agreement=agreement,
            guardian_id=link.guardian_id,
            pupil_id=link.pupil_id,
            typed_name=typed_name,
            signed_by=user,
            signed_at=now,
            ip_address=_ip_or_none(ip_address),
            user_agent=(user_agent or "")[:USER_AGENT_MAX_LENGTH],
            language=language,
        )
        for link in sorted(links, key=lambda link: link.pupil_id)
    ]
    try:
        with transaction.atomic():
            return Signature.objects.bulk_create(rows)
    except IntegrityError:
        raise AgreementError(
            _("You have already signed this version: a signature cannot be changed.")
        ) from None


@transaction.atomic
def acknowledgement_record(
    *, pupil: Pupil, agreement: Agreement, now: datetime | None = None
) -> PupilAcknowledgement:
    now = now or timezone.now()
    current = agreement_current(pupil.school_id, timezone.localdate(now))
    if current is None or current.pk != agreement.pk:
        raise AgreementError(_("The school has published a new version: read it first."))
    try:
        with transaction.atomic():
            return PupilAcknowledgement.objects.create(
                school_id=pupil.school_id, agreement=agreement, pupil=pupil, acknowledged_at=now
            )
    except IntegrityError:
        raise AgreementError(_("You have already added your acknowledgement.")) from None
