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

from .agreements import (
    CHANGED_ELSEWHERE,
    DEFAULT_TEXT,
    TEXT_FIELDS,
    AgreementError,
    _clean_text,
    agreement_current,
)
from .models import Agreement, AgreementTranslation, User

ENGLISH = settings.LANGUAGE_CODE


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


# Selectors ------------------------------------------------------------------------------


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


# Services -------------------------------------------------------------------------------


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
    cleaned = _clean_text(text)
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


# The suggested text in Polish and Urdu: a translation of DEFAULT_TEXT, line for line, so
# that a school that keeps the suggested English can publish these at once.

DEFAULT_TRANSLATIONS = {
    "pl": {
        "title": "Umowa szkoła–dom",
        "introduction": (
            "Dzieci osiągają najwięcej, gdy dom i szkoła współpracują. Ta umowa określa, do "
            "czego zobowiązują się szkoła, nauczyciele Państwa dziecka, Państwo i Państwa "
            "dziecko, aby zadania domowe miały sens i były odrabiane. Prosimy przeczytać ją "
            "razem z dzieckiem.\n"
            "Podpisanie umowy jest Państwa wyborem: nigdy nie jest warunkiem czegokolwiek i "
            "nic nie grozi ani Państwu, ani dziecku, jeśli jej nie podpiszą."
        ),
        "school_commitments": "\n".join(
            [
                "Publikować politykę dotyczącą zadań domowych w łatwo dostępnym miejscu i "
                "wyjaśniać, ilu zadań domowych można się spodziewać w każdym roku nauki.",
                "Regularnie informować Państwa o postępach dziecka, nie tylko wtedy, gdy coś "
                "pójdzie nie tak.",
                "Niezwłocznie informować o nieoddanych zadaniach domowych, karach pozostania "
                "po lekcjach i spotkaniach, w wybranym przez Państwa języku.",
                "Odpowiadać na Państwa wiadomości w ciągu trzech dni szkolnych.",
                "Prowadzić świetlicę do odrabiania lekcji z komputerami i pracownikami, którzy "
                "pomagają uczniom potrzebującym spokojnego miejsca do nauki.",
                "Organizować spotkania i udzielać wskazówek, jak wspierać naukę w domu.",
                "Pytać o Państwa opinie i informować, co z nimi zrobiliśmy.",
            ]
        ),
        "teacher_commitments": "\n".join(
            [
                "Zadawać wartościowe zadania domowe, które pomagają dziecku robić postępy, z "
                "jasnymi instrukcjami i realistyczną informacją, ile czasu powinny zająć.",
                "Zadawać zadania domowe tak często, jak przewiduje polityka szkoły, aby "
                "obciążenie było rozłożone sprawiedliwie w ciągu tygodnia.",
                "Przygotowywać wersję z większym wsparciem dla uczniów, którzy jej potrzebują.",
                "Sprawdzać zadania domowe i przekazywać informacje zwrotne, z których dziecko "
                "może skorzystać.",
                "Kontaktować się wcześnie, jeśli dziecko ma trudności lub nie odrabia zadań "
                "domowych.",
            ]
        ),
        "parent_commitments": "\n".join(
            [
                "Dopilnować, aby zadania domowe były odrabiane, najlepiej przed innymi zajęciami.",
                "Zapewnić dziecku spokojny czas i miejsce do nauki albo zachęcać je do "
                "korzystania ze świetlicy do odrabiania lekcji.",
                "Co tydzień przeglądać zadania domowe dziecka i potwierdzać tydzień online.",
                "Utrzymywać kontakt ze szkołą: czytać nasze wiadomości, przychodzić na "
                "spotkania, gdy zostaną Państwo zaproszeni, i informować nas o wszystkim, co "
                "wpływa na naukę dziecka.",
                "Rozmawiać z dzieckiem o tym, czego się uczy, i zachęcać je do czytania.",
                "Zachowywać szacunek w kontaktach z pracownikami szkoły, tak jak my wobec Państwa.",
            ]
        ),
        "pupil_commitments": "\n".join(
            [
                "Codziennie sprawdzać swój plan i wiedzieć, jakie zadania domowe są do oddania.",
                "Odrabiać zadania domowe na czas i najlepiej, jak potrafi.",
                "Wcześnie prosić nauczyciela o pomoc, jeśli czegoś nie rozumie, albo "
                "przychodzić na świetlicę do odrabiania lekcji.",
                "Czytać informacje zwrotne od nauczycieli i korzystać z nich, aby się poprawiać.",
                "Opowiadać rodzicom lub opiekunom o zadaniach domowych i o tym, czego się uczy.",
            ]
        ),
    },
    "ur": {
        "title": "گھر اور اسکول کا معاہدہ",
        "introduction": (
            "بچے سب سے اچھا تب کرتے ہیں جب گھر اور اسکول مل کر کام کریں۔ یہ معاہدہ بتاتا ہے "
            "کہ اسکول، آپ کے بچے کے اساتذہ، آپ اور آپ کا بچہ کن باتوں کا عہد کرتے ہیں، تاکہ "
            "ہوم ورک فائدہ مند ہو اور مکمل کیا جائے۔ براہ کرم اسے اپنے بچے کے ساتھ پڑھیں۔\n"
            "اس پر دستخط کرنا آپ کی مرضی ہے: یہ کبھی کسی چیز کی شرط نہیں، اور اگر آپ دستخط نہ "
            "کریں تو آپ یا آپ کے بچے کے ساتھ کچھ نہیں ہوگا۔"
        ),
        "school_commitments": "\n".join(
            [
                "ہوم ورک کی اپنی پالیسی ایسی جگہ شائع کرے گا جہاں آپ اسے آسانی سے دیکھ سکیں، "
                "اور بتائے گا کہ ہر سال میں کتنا ہوم ورک متوقع ہے۔",
                "آپ کے بچے کی پیش رفت کے بارے میں آپ سے باقاعدہ رابطے میں رہے گا، صرف اس وقت "
                "نہیں جب کچھ غلط ہو جائے۔",
                "چھوٹے ہوئے ہوم ورک، ڈیٹینشن اور ملاقاتوں کے بارے میں آپ کو فوراً، آپ کی پسند "
                "کی زبان میں، بتائے گا۔",
                "آپ کے پیغامات کا جواب تین اسکولی دنوں کے اندر دے گا۔",
                "جن طلبہ کو کام کرنے کے لیے پرسکون جگہ چاہیے، ان کے لیے کمپیوٹرز اور مدد کرنے "
                "والے عملے کے ساتھ ہوم ورک کلب چلائے گا۔",
                "گھر پر پڑھائی میں مدد کرنے کے بارے میں سیشن اور رہنمائی پیش کرے گا۔",
                "آپ کی رائے پوچھے گا، اور بتائے گا کہ ہم نے اس پر کیا کیا۔",
            ]
        ),
        "teacher_commitments": "\n".join(
            [
                "اعلیٰ معیار کا ہوم ورک دیں گے جو آپ کے بچے کو آگے بڑھنے میں مدد دے، واضح "
                "ہدایات اور اس اندازے کے ساتھ کہ اس میں کتنا وقت لگنا چاہیے۔",
                "اسکول کی پالیسی کے مطابق ہوم ورک دیں گے، تاکہ پورے ہفتے میں کام کا بوجھ "
                "منصفانہ رہے۔",
                "جن طلبہ کو ضرورت ہو، انہیں زیادہ مدد والا ورژن دیں گے۔",
                "ہوم ورک چیک کریں گے اور ایسی رائے دیں گے جس پر آپ کا بچہ عمل کر سکے۔",
                "اگر آپ کے بچے کو مشکل ہو رہی ہو یا ہوم ورک چھوٹ رہا ہو تو جلد رابطہ کریں گے۔",
            ]
        ),
        "parent_commitments": "\n".join(
            [
                "یقینی بنائیں گے کہ ہوم ورک مکمل ہو، بہتر ہے کہ دوسری سرگرمیوں سے پہلے۔",
                "اپنے بچے کو کام کے لیے پرسکون وقت اور جگہ دیں گے، یا اسے ہوم ورک کلب جانے کی "
                "ترغیب دیں گے۔",
                "ہر ہفتے اپنے بچے کا ہوم ورک دیکھیں گے اور آن لائن ہفتے کی تصدیق کریں گے۔",
                "اسکول سے رابطے میں رہیں گے: ہمارے پیغامات پڑھیں گے، بلائے جانے پر ملاقاتوں میں "
                "آئیں گے، اور ہمیں ہر اس بات سے آگاہ کریں گے جو آپ کے بچے کی پڑھائی پر اثر "
                "ڈالے۔",
                "اپنے بچے سے اس کے بارے میں بات کریں گے جو وہ سیکھ رہا ہے، اور پڑھنے کی حوصلہ "
                "افزائی کریں گے۔",
                "عملے کے ساتھ بات چیت میں احترام برقرار رکھیں گے، جیسے ہم آپ کے ساتھ رکھیں گے۔",
            ]
        ),
        "pupil_commitments": "\n".join(
            [
                "ہر روز اپنا پلانر دیکھنا اور معلوم رکھنا کہ کون سا ہوم ورک کب جمع کرانا ہے۔",
                "اپنا ہوم ورک وقت پر اور اپنی بہترین صلاحیت کے ساتھ کرنا۔",
                "اگر سمجھ نہ آئے تو جلد اپنے استاد سے مدد مانگنا، یا ہوم ورک کلب جانا۔",
                "اپنے اساتذہ کی رائے پڑھنا اور اسے بہتری کے لیے استعمال کرنا۔",
                "اپنے والدین یا سرپرستوں کو اپنے ہوم ورک اور اپنی پڑھائی کے بارے میں بتانا۔",
            ]
        ),
    },
}
