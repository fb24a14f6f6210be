"""The home-school agreement in the parents' languages (issue 10, item 12): senior leaders
add a translation of a version in each language the site offers families; a family reads
and signs the one in their language, told that the English version is the one that
counts, with a link to it; each signature records the language signed; coverage shows
it. A translation of a draft is published with its version; one added to the published
version is published on its own; a published translation is never edited."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language_info

from ..models import Agreement, AgreementTranslation, User
from .defaults import DEFAULT_TEXT, DEFAULT_TRANSLATIONS
from .text import CHANGED_ELSEWHERE, ENGLISH, TEXT_FIELDS, AgreementError, text_clean
from .versions import agreement_current


def languages() -> list[tuple[str, str]]:
    """The languages a version may be translated into: those the site offers families,
    but English (the version itself), as (code, the language's own name)."""
    return [(code, language_name(code)) for code, _name in settings.LANGUAGES if code != ENGLISH]


def language_name(code: str) -> str:
    try:
        return get_language_info(code)["name_local"]
    except KeyError:
        return code


def is_offered(code: str) -> bool:
    return code in {code for code, _name in languages()}


def translations_of(agreement: Agreement) -> dict[str, AgreementTranslation]:
    """Every translation of the version, published or not, by language."""
    return {t.language: t for t in AgreementTranslation.objects.filter(agreement=agreement)}


def published_in(agreement_ids, language: str) -> dict[int, AgreementTranslation]:
    """The published translations of these versions into `language`, by version (one
    query; none for English)."""
    if language == ENGLISH or not is_offered(language):
        return {}
    return {
        t.agreement_id: t
        for t in AgreementTranslation.objects.filter(
            agreement_id__in=list(agreement_ids), language=language, published_at__isnull=False
        )
    }


def may_translate(agreement: Agreement, today) -> bool:
    """A translation may be written for the year's draft or for its current version
    (older versions are history)."""
    if agreement.status == Agreement.Status.DRAFT:
        return True
    current = agreement_current(agreement.school_id, today)
    return current is not None and current.pk == agreement.pk


def translation_initial(agreement: Agreement, language: str) -> dict:
    """The text the form starts from for a new translation: the latest earlier
    translation into that language at the school (the text changes little from version
    to version), else, part by part, the suggested translation where the English part is
    still the suggested text."""
    earlier = (
        AgreementTranslation.objects.filter(school_id=agreement.school_id, language=language)
        .exclude(agreement=agreement)
        .order_by("-agreement__academic_year__start_date", "-agreement__version")
        .first()
    )
    if earlier is not None:
        return {name: getattr(earlier, name) for name in TEXT_FIELDS}
    suggested = DEFAULT_TRANSLATIONS.get(language, {})
    return {
        name: suggested.get(name, "")
        for name in TEXT_FIELDS
        if getattr(agreement, name) == DEFAULT_TEXT[name]
    }


@dataclass
class TranslationRow:
    code: str
    name: str
    translation: AgreementTranslation | None


def translation_rows(*versions: Agreement | None) -> dict[int, list[TranslationRow]]:
    """For each version given: each language offered, with the version's translation into
    it if there is one (one query for them all)."""
    versions = [v for v in versions if v is not None]
    existing = {}
    for t in AgreementTranslation.objects.filter(agreement__in=versions).select_related(
        "published_by"
    ):
        existing[(t.agreement_id, t.language)] = t
    return {
        v.pk: [TranslationRow(code, name, existing.get((v.pk, code))) for code, name in languages()]
        for v in versions
    }


def _locked_version(actor: User, agreement: Agreement, now: datetime) -> Agreement:
    locked = Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
    if locked is None or locked.school_id != actor.school_id:
        raise AgreementError("This version has gone: someone else discarded it.")
    if not may_translate(locked, timezone.localdate(now)):
        raise AgreementError(
            f"Version {locked.version} has been replaced: translate the current version."
        )
    return locked


@transaction.atomic
def translation_save(
    *, actor: User, agreement: Agreement, language: str, text: dict, now=None
) -> AgreementTranslation:
    """Write or rewrite the version's translation into `language` (not yet published)."""
    now = now or timezone.now()
    if not is_offered(language):
        raise AgreementError("Choose one of the languages the site offers families.")
    cleaned = text_clean(text)
    locked = _locked_version(actor, agreement, now)
    existing = (
        AgreementTranslation.objects.select_for_update()
        .filter(agreement=locked, language=language)
        .first()
    )
    if existing is not None and existing.published_at is not None:
        raise AgreementError(
            "This translation is published and is never changed: to change it, publish a "
            "new version of the agreement."
        )
    try:
        with transaction.atomic():
            if existing is not None:
                for name, value in cleaned.items():
                    setattr(existing, name, value)
                existing.save(update_fields=[*TEXT_FIELDS, "updated_at"])
                return existing
            return AgreementTranslation.objects.create(
                school_id=locked.school_id,
                agreement=locked,
                language=language,
                created_by=actor,
                **cleaned,
            )
    except IntegrityError:
        raise AgreementError(CHANGED_ELSEWHERE) from None


@transaction.atomic
def translation_publish(
    *, actor: User, translation: AgreementTranslation, now=None
) -> AgreementTranslation:
    """Publish a translation of the current (published) version: families who read that
    language see it from now on. A draft version's translations are published with it."""
    now = now or timezone.now()
    locked = AgreementTranslation.objects.select_for_update().filter(pk=translation.pk).first()
    if locked is None or locked.school_id != actor.school_id:
        raise AgreementError("This translation has gone: someone else discarded it.")
    version = _locked_version(actor, locked.agreement, now)
    if version.status == Agreement.Status.DRAFT:
        raise AgreementError("This translation is published with its version: publish the version.")
    if locked.published_at is not None:
        raise AgreementError("This translation is already published.")
    locked.published_at, locked.published_by = now, actor
    locked.save(update_fields=["published_at", "published_by"])
    return locked


@transaction.atomic
def translation_discard(*, actor: User, translation: AgreementTranslation) -> None:
    locked = AgreementTranslation.objects.select_for_update().filter(pk=translation.pk).first()
    if locked is None or locked.school_id != actor.school_id:
        raise AgreementError("This translation has gone: someone else discarded it.")
    if locked.published_at is not None:
        raise AgreementError("A published translation is kept: families may have signed it.")
    locked.delete()
