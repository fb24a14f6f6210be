"""What the privacy notice page shows: the school's text in the reader's language (or in
English, or the product's template), and what the product holds and for how long, from
the kinds of record the apps register and the school's retention schedule. Each a query."""

from dataclasses import dataclass
from datetime import datetime

from school.formatting import markdown_to_html
from school.models import Guardian, School

from ..models import PrivacyNotice, RetentionRule
from ..registry import record_kinds
from .default import default_notice

ENGLISH = Guardian.Language.ENGLISH.value
LANGUAGES = [value for value, _label in Guardian.Language.choices]


def notice_language(active: str) -> str:
    """The notice language for an active Django language ("pl", "en-gb", "en")."""
    active = (active or "").lower()
    for language in LANGUAGES:
        if active == language or active.split("-")[0] == language.split("-")[0]:
            return language
    return ENGLISH


@dataclass
class NoticeShown:
    html: str
    language: str  # the language of the text shown
    in_english_instead: bool  # the reader's language has no text of the school's
    is_template: bool  # the school has written nothing: the product's template
    updated_at: datetime | None


def notice_shown(school: School, language: str) -> NoticeShown:
    wanted = {language, ENGLISH}
    notices = {
        n.language: n for n in PrivacyNotice.objects.filter(school=school, language__in=wanted)
    }
    notice = notices.get(language) or notices.get(ENGLISH)
    if notice is None:
        return NoticeShown(
            html=markdown_to_html(default_notice(school.name)),
            language=ENGLISH,
            in_english_instead=language != ENGLISH,
            is_template=True,
            updated_at=None,
        )
    return NoticeShown(
        html=markdown_to_html(notice.body),
        language=notice.language,
        in_english_instead=notice.language != language,
        is_template=False,
        updated_at=notice.updated_at,
    )


@dataclass
class Holding:
    label: str
    event: str
    action: str
    months: int
    confirmed: bool  # False: the product's proposed period, not yet confirmed by the school


def holdings(school: School) -> list[Holding]:
    """Every kind of record the product holds, with how long the school keeps it."""
    months = dict(RetentionRule.objects.filter(school=school).values_list("kind", "months"))
    return [
        Holding(
            label=kind.label,
            event=kind.event,
            action=kind.action,
            months=months.get(kind.key, kind.default_months),
            confirmed=kind.key in months,
        )
        for kind in record_kinds()
    ]


def notices_of(school: School) -> dict[str, PrivacyNotice]:
    """The school's texts by language."""
    return {n.language: n for n in PrivacyNotice.objects.filter(school=school)}
