"""The annual home-school agreement (seeds 000 and 003): senior leaders write a version for
the academic year and publish it; each guardian signs it for each child (a new version
needs signing again); the pupil may add their own acknowledgement; staff see coverage and
send gentle reminders to families who have not signed.

Signing is never a condition of anything and never penalised: nothing outside this module
reads a signature."""

import ipaddress
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from notifications.models import Notification
from notifications.services import notifications_queue
from school import access
from school.calendar import academic_year_for, academic_years_for
from school.models import AcademicYear, GuardianLink, Pupil, RoleAssignment, TutorGroup, User

from .models import Agreement, AgreementTranslation, PupilAcknowledgement, Signature

Role = RoleAssignment.Role
ENGLISH = settings.LANGUAGE_CODE  # the agreement as written; translations are of it
LANGUAGE_NAMES = [
    (code, "English" if code == ENGLISH else name) for code, name in settings.LANGUAGES
]
COVERAGE_ROLES = (Role.FORM_TUTOR, Role.HEAD_OF_YEAR, *access.SCHOOL_WIDE_ROLES)
REMINDER_INTERVAL = timedelta(days=7)
TITLE_MAX_LENGTH = Agreement._meta.get_field("title").max_length
TYPED_NAME_MAX_LENGTH = Signature._meta.get_field("typed_name").max_length
USER_AGENT_MAX_LENGTH = Signature._meta.get_field("user_agent").max_length
SECTION_MAX_LENGTH = 6000
TYPED_NAME_MIN_LENGTH = 2
SECTION_FIELDS = (
    "school_commitments",
    "teacher_commitments",
    "parent_commitments",
    "pupil_commitments",
)
TEXT_FIELDS = ("title", "introduction", *SECTION_FIELDS)
SECTION_HEADINGS = {
    "school_commitments": gettext_lazy("The school will"),
    "teacher_commitments": gettext_lazy("Teachers will"),
    "parent_commitments": gettext_lazy("Parents and carers will"),
    "pupil_commitments": gettext_lazy("The pupil will"),
}


class AgreementError(Exception):
    """A change refused; the message says why, in words for the person who asked."""


# The default text, in our own words, from seed 000's commitments (teachers set
# high-quality homework and support parents; parents make sure it is done and keep in
# touch) and seed 003's partnership guidance (two-way contact, support for learning at
# home, policies easy to find, parents' views heard). One commitment per line.

DEFAULT_TEXT = {
    "title": "Home-school agreement",
    "introduction": (
        "Children do best when home and school work together. This agreement sets out what "
        "the school, your child's teachers, you and your child each commit to, so that "
        "homework is worth doing and gets done. Please read it with your child.\n"
        "Signing it is your choice: it is never a condition of anything, and nothing "
        "happens to you or your child if you do not sign."
    ),
    "school_commitments": "\n".join(
        [
            "Publish our homework policy where you can easily find it, and explain how "
            "much homework to expect in each year.",
            "Keep in regular contact with you about your child's progress, not only when "
            "something has gone wrong.",
            "Tell you promptly about missed homework, detentions and meetings, in the "
            "language you prefer.",
            "Reply to your messages within three school days.",
            "Run a homework club with computers and staff to help, for pupils who need "
            "a quiet place to work.",
            "Offer sessions and guidance on how to support learning at home.",
            "Ask for your views, and tell you what we have done with them.",
        ]
    ),
    "teacher_commitments": "\n".join(
        [
            "Set high-quality homework that helps your child make progress, with clear "
            "instructions and a realistic idea of how long it should take.",
            "Set homework as often as the school's policy says, so that the load stays "
            "fair across the week.",
            "Give a version with more support to pupils who need it.",
            "Mark homework and give feedback your child can act on.",
            "Get in touch early if your child is struggling or missing homework.",
        ]
    ),
    "parent_commitments": "\n".join(
        [
            "Make sure homework is done, ideally before other activities.",
            "Give your child a quiet time and place to work, or encourage them to use "
            "homework club.",
            "Look at your child's homework each week and sign off the week online.",
            "Stay in touch with the school: read our messages, come to meetings when "
            "invited, and tell us about anything that affects your child's learning.",
            "Talk with your child about what they are learning, and encourage reading.",
            "Keep communication with staff respectful, as we will with you.",
        ]
    ),
    "pupil_commitments": "\n".join(
        [
            "Check my planner every day and know what homework is due.",
            "Do my homework on time and to the best of my ability.",
            "Ask my teacher for help early if I do not understand, or go to homework club.",
            "Read my teachers' feedback and use it to improve.",
            "Tell my parents or carers about my homework and what I am learning.",
        ]
    ),
}


# Selectors -------------------------------------------------------------------------------


def _current_year_id(school_ref, today: date) -> Subquery:
    return Subquery(academic_years_for(school_ref, today).values("pk"))


def agreement_current(school_id: int, today: date) -> Agreement | None:
    """The published version families sign now: the highest of the current year."""
    return (
        Agreement.objects.filter(
            school_id=school_id,
            status=Agreement.Status.PUBLISHED,
            academic_year_id=_current_year_id(school_id, today),
        )
        .select_related("academic_year")
        .order_by("-version")
        .first()
    )


def may_write(user) -> bool:
    return access.is_school_wide(user)


def may_see_coverage(user) -> bool:
    return access.has_role(user, *COVERAGE_ROLES)


def sections(agreement) -> list[tuple[str, list[str]]]:
    """(heading, commitments) for each section, one commitment per non-blank line."""
    return [
        (
            SECTION_HEADINGS[name],
            [line.strip() for line in getattr(agreement, name).splitlines() if line.strip()],
        )
        for name in SECTION_FIELDS
    ]


@dataclass
class EditorPage:
    year: AcademicYear | None
    current: Agreement | None
    draft: Agreement | None
    versions: list[Agreement]
    initial: dict


def editor_page(user, today: date) -> EditorPage:
    """The year's versions (newest first, with how many signed each), its draft and current
    version, and the text the form starts from: the draft, else the current version, else
    the latest version of an earlier year, else the default text."""
    year = academic_year_for(user.school_id, today)
    if year is None:
        return EditorPage(year=None, current=None, draft=None, versions=[], initial={})
    versions = list(
        Agreement.objects.filter(school_id=user.school_id, academic_year=year)
        .select_related("published_by", "created_by")
        .annotate(signed=Count("signatures__pupil", distinct=True))
        .order_by("-version")
    )
    draft = next((a for a in versions if a.status == Agreement.Status.DRAFT), None)
    current = next((a for a in versions if a.status == Agreement.Status.PUBLISHED), None)
    source = draft or current
    if source is None:
        source = (
            Agreement.objects.filter(
                school_id=user.school_id, academic_year__start_date__lt=year.start_date
            )
            .order_by("-academic_year__start_date", "-version")
            .first()
        )
    initial = {name: getattr(source, name) for name in TEXT_FIELDS} if source else DEFAULT_TEXT
    return EditorPage(year=year, current=current, draft=draft, versions=versions, initial=initial)


def agreement_for_staff(user, agreement_id: int) -> Agreement:
    """One version of the viewer's school (raises Agreement.DoesNotExist otherwise)."""
    return Agreement.objects.select_related("academic_year", "published_by").get(
        pk=agreement_id, school_id=user.school_id
    )


def signature_for(user, signature_id: int) -> Signature:
    """A signature the guardian who made it (while still linked to the child), or staff
    who can see the pupil, may open (raises Signature.DoesNotExist for everyone else)."""
    signatures = Signature.objects.select_related(
        "agreement__academic_year", "guardian", "pupil__tutor_group", "school"
    )
    mine = Q(access.still_linked(), guardian__user=user)
    if access.is_staff_member(user):
        mine |= Q(pupil__in=access.pupils_visible_to(user), school_id=user.school_id)
    return signatures.filter(mine).get(pk=signature_id)


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
            academic_year_id=_current_year_id(OuterRef("school_id"), today),
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


# Coverage --------------------------------------------------------------------------------


@dataclass
class CoverageRow:
    label: str
    pupils: int
    signed: int
    tutor_group: TutorGroup | None = None
    # Pupils signed for in each language (a pupil two parents signed for in two
    # languages counts in both).
    languages: dict = field(default_factory=dict)

    @property
    def language_counts(self) -> list[tuple[str, str, int]]:
        """(code, language, pupils) for each language signed in, in the site's order."""
        return [
            (code, name, self.languages[code])
            for code, name in LANGUAGE_NAMES
            if self.languages.get(code)
        ]

    @property
    def unsigned(self) -> int:
        return self.pupils - self.signed

    @property
    def percent(self) -> int:
        """Whole per cent, halves rounded up (1 of 8 is 13%)."""
        if not self.pupils:
            return 0
        return (200 * self.signed + self.pupils) // (2 * self.pupils)


@dataclass
class Coverage:
    agreement: Agreement | None
    total: CoverageRow
    years: list[CoverageRow]
    groups: list[CoverageRow]


def _signed(agreement: Agreement, pupil_ref="pk") -> Exists:
    return Exists(Signature.objects.filter(agreement_id=agreement.pk, pupil_id=OuterRef(pupil_ref)))


def coverage(user, today: date) -> Coverage:
    """Pupils with at least one signature of the current version, by tutor group and year,
    over the tutor groups the viewer may see (a tutor their group, a head of year their
    year, senior leaders the school). Two queries."""
    agreement = agreement_current(user.school_id, today)
    total = CoverageRow(label="All pupils in your care", pupils=0, signed=0)
    if agreement is None:
        return Coverage(agreement=None, total=total, years=[], groups=[])
    signatures = Signature.objects.filter(agreement_id=agreement.pk)
    signed_pupil = Q(pupils__in=signatures.values("pupil_id"))
    in_language = {
        f"n_language_{n}": Count(
            "pupils",
            filter=Q(pupils__in=signatures.filter(language=code).values("pupil_id")),
            distinct=True,
        )
        for n, (code, _name) in enumerate(LANGUAGE_NAMES)
    }
    groups = (
        access.tutor_groups_visible_to(user)
        .select_related("year_group")
        .annotate(
            n_pupils=Count("pupils", distinct=True),
            n_signed=Count("pupils", filter=signed_pupil, distinct=True),
            **in_language,
        )
        .order_by("year_group__number", "name")
    )
    rows, years = [], {}
    for group in groups:
        row = CoverageRow(
            label=group.name,
            pupils=group.n_pupils,
            signed=group.n_signed,
            tutor_group=group,
            languages={
                code: getattr(group, f"n_language_{n}")
                for n, (code, _name) in enumerate(LANGUAGE_NAMES)
            },
        )
        rows.append(row)
        year = years.setdefault(
            group.year_group.number,
            CoverageRow(label=str(group.year_group), pupils=0, signed=0),
        )
        for summary in (year, total):
            summary.pupils += row.pupils
            summary.signed += row.signed
            for code, count in row.languages.items():
                summary.languages[code] = summary.languages.get(code, 0) + count
    return Coverage(agreement=agreement, total=total, years=list(years.values()), groups=rows)


def unsigned_families(user, agreement: Agreement) -> QuerySet[Pupil]:
    """The viewer's pupils with no signature of `agreement`, with their parents and carers
    with parental responsibility (first contact first) and when they were last reminded.
    Two queries."""
    last_reminded = (
        Notification.objects.filter(
            pupil_id=OuterRef("pk"), kind=Notification.Kind.AGREEMENT_REMINDER
        )
        .order_by()
        .values("pupil_id")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    return (
        Pupil.objects.filter(
            school_id=user.school_id,
            tutor_group__in=access.tutor_groups_visible_to(user),
        )
        .filter(~_signed(agreement))
        .annotate(last_reminded=Subquery(last_reminded))
        .select_related("tutor_group", "year_group")
        .prefetch_related(
            Prefetch(
                "guardian_links",
                queryset=GuardianLink.objects.filter(parental_responsibility=True)
                .select_related("guardian")
                .order_by("contact_priority", "pk"),
                to_attr="responsible_links",
            )
        )
        .order_by("year_group__number", "tutor_group__name", "last_name", "first_name", "pk")
    )


def signed_families(user, agreement: Agreement) -> QuerySet[Signature]:
    """The signatures of `agreement` for the viewer's pupils, with the language each was
    signed in, by tutor group and name. One query."""
    return (
        Signature.objects.filter(
            agreement=agreement,
            pupil__school_id=user.school_id,
            pupil__tutor_group__in=access.tutor_groups_visible_to(user),
        )
        .select_related("pupil__tutor_group", "pupil__year_group", "guardian")
        .order_by(
            "pupil__year_group__number",
            "pupil__tutor_group__name",
            "pupil__last_name",
            "pupil__first_name",
            "pupil_id",
            "signed_at",
        )
    )


# Services --------------------------------------------------------------------------------


def _clean_text(values: dict) -> dict:
    cleaned = {name: (values.get(name) or "").strip() for name in TEXT_FIELDS}
    if not cleaned["title"]:
        raise AgreementError("Give the agreement a title.")
    if len(cleaned["title"]) > TITLE_MAX_LENGTH:
        raise AgreementError(f"A title can be at most {TITLE_MAX_LENGTH} characters.")
    for name in SECTION_FIELDS:
        if not cleaned[name]:
            raise AgreementError(f"Write at least one commitment in “{SECTION_HEADINGS[name]}”.")
    for name in ("introduction", *SECTION_FIELDS):
        if len(cleaned[name]) > SECTION_MAX_LENGTH:
            raise AgreementError(f"Each part can be at most {SECTION_MAX_LENGTH} characters.")
    return cleaned


CHANGED_ELSEWHERE = "Someone else changed the agreement at the same moment: reload and try again."


@transaction.atomic
def agreement_draft_save(*, actor: User, year: AcademicYear, text: dict) -> Agreement:
    """Save the year's draft: the existing draft is rewritten; without one, a new version
    is started (a published version is never edited: changing it makes a new draft)."""
    if year.school_id != actor.school_id:
        raise AgreementError("This academic year belongs to another school.")
    cleaned = _clean_text(text)
    versions = Agreement.objects.select_for_update().filter(
        school_id=year.school_id, academic_year=year
    )
    existing = list(versions.order_by("-version"))
    draft = next((a for a in existing if a.status == Agreement.Status.DRAFT), None)
    try:
        with transaction.atomic():
            if draft is not None:
                for name, value in cleaned.items():
                    setattr(draft, name, value)
                draft.save(update_fields=list(TEXT_FIELDS))
                return draft
            return Agreement.objects.create(
                school_id=year.school_id,
                academic_year=year,
                version=(existing[0].version if existing else 0) + 1,
                created_by=actor,
                status=Agreement.Status.DRAFT,
                **cleaned,
            )
    except IntegrityError:
        raise AgreementError(CHANGED_ELSEWHERE) from None


@transaction.atomic
def agreement_draft_discard(*, actor: User, agreement: Agreement) -> None:
    locked = Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    if locked is None or locked.school_id != actor.school_id:
        raise AgreementError("This draft has gone: someone else discarded or published it.")
    if locked.status != Agreement.Status.DRAFT:
        raise AgreementError("This version is published: it can no longer be discarded.")
    locked.delete()


@transaction.atomic
def agreement_publish(
    *, actor: User, agreement: Agreement, now: datetime | None = None
) -> Agreement:
    """Publish the draft: it becomes the version families sign, and signatures of earlier
    versions stay with those versions (families are asked to sign the new one)."""
    now = now or timezone.now()
    locked = (
        Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
        if agreement.school_id == actor.school_id
        else None
    )
    if locked is None:
        raise AgreementError("This draft has gone: someone else discarded it.")
    if locked.status != Agreement.Status.DRAFT:
        raise AgreementError(f"Version {locked.version} is already published.")
    previous = (
        Agreement.objects.filter(
            school_id=locked.school_id,
            academic_year_id=locked.academic_year_id,
            status=Agreement.Status.PUBLISHED,
        )
        .order_by("-version")
        .first()
    )
    if previous is not None and all(
        getattr(previous, name) == getattr(locked, name) for name in TEXT_FIELDS
    ):
        raise AgreementError(
            f"This draft is the same as the published version {previous.version}: change "
            "the text first, or discard the draft."
        )
    locked.status = Agreement.Status.PUBLISHED
    locked.published_at, locked.published_by = now, actor
    locked.save(update_fields=["status", "published_at", "published_by"])
    # The translations written for the draft go out with it.
    AgreementTranslation.objects.filter(agreement=locked, published_at__isnull=True).update(
        published_at=now, published_by=actor
    )
    return locked


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


@dataclass
class RemindersSent:
    families: int  # children whose parents were reminded
    messages: int  # outbox rows written (one per parent with parental responsibility)
    skipped: int  # reminded in the last seven days, or no parent to tell


@transaction.atomic
def reminders_send(
    *, actor: User, tutor_group: TutorGroup, now: datetime | None = None
) -> RemindersSent:
    """Remind the unsigned families of one tutor group (in the actor's care): one outbox
    row per parent with parental responsibility, and never a family reminded in the last
    seven days (siblings count as one family)."""
    now = now or timezone.now()
    if not access.tutor_groups_visible_to(actor).filter(pk=tutor_group.pk).exists():
        raise AgreementError("This tutor group is not in your care.")
    agreement = agreement_current(tutor_group.school_id, timezone.localdate(now))
    if agreement is None:
        raise AgreementError("No agreement is published for this year yet.")
    # Serialise reminders for the group so two clicks at once send once.
    TutorGroup.objects.select_for_update().filter(pk=tutor_group.pk).exists()
    unsigned = list(
        Pupil.objects.filter(tutor_group=tutor_group)
        .filter(~_signed(agreement))
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", "first_name")
    )
    links = GuardianLink.objects.filter(
        pupil_id__in=[pk for pk, _name in unsigned], parental_responsibility=True
    ).values_list("pupil_id", "guardian_id")
    guardians_of = {}
    for pupil_id, guardian_id in links:
        guardians_of.setdefault(pupil_id, set()).add(guardian_id)
    every_guardian = set().union(*guardians_of.values()) if guardians_of else set()
    reminded = set(
        Notification.objects.filter(
            guardian_id__in=every_guardian,
            kind=Notification.Kind.AGREEMENT_REMINDER,
            created_at__gt=now - REMINDER_INTERVAL,
        ).values_list("guardian_id", flat=True)
    )
    # The title as each family reads it: the school's published translations.
    titles = dict(
        AgreementTranslation.objects.filter(
            agreement=agreement, published_at__isnull=False
        ).values_list("language", "title")
    )
    events = []
    for pupil_id, first_name in unsigned:
        guardians = guardians_of.get(pupil_id, set())
        if not guardians or guardians & reminded:
            continue
        reminded |= guardians
        events.append(
            (
                pupil_id,
                Notification.Kind.AGREEMENT_REMINDER,
                {
                    "title": agreement.title,
                    "title_translations": titles,
                    "version": agreement.version,
                    "academic_year": agreement.academic_year.name,
                    "pupil_first_name": first_name,
                    "path": reverse("parents_agreement"),
                },
            )
        )
    messages = notifications_queue(events=events) if events else 0
    return RemindersSent(
        families=len(events), messages=messages, skipped=len(unsigned) - len(events)
    )
