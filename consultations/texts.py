"""The school's texts in the parents' languages: each text is written in English, with the
school's translations beside it ({language: text}); a reader whose language has none reads
the English."""

from django.utils import translation

from school.models import Guardian

# The languages the school writes translations in: every parents' language but English.
LANGUAGES = [(code, name) for code, name in Guardian.Language.choices if not code.startswith("en")]
LANGUAGE_CODES = [code for code, _name in LANGUAGES]


def in_language(english: str, translations, language: str | None = None, key: str = "") -> str:
    """`english` as the reader of `language` (default: the active one) reads it: the
    school's translation (`translations[language]`, or `translations[language][key]`
    when the translations hold several texts), else the English."""
    language = language or translation.get_language() or ""
    variants = translations if isinstance(translations, dict) else {}
    found = variants.get(language)
    if key:
        found = found.get(key) if isinstance(found, dict) else None
    return found if isinstance(found, str) and found.strip() else english


def translations_with(translations, language: str, key: str, text: str) -> dict:
    """A copy of nested translations with `key` in `language` set to `text` (dropped when
    empty)."""
    result = {lang: dict(values) for lang, values in (translations or {}).items()}
    values = result.setdefault(language, {})
    if text:
        values[key] = text
    else:
        values.pop(key, None)
    if not values:
        result.pop(language)
    return result
