"""What a parent reads about their child's learning, in the parent's language."""

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def help_at_home(homework) -> str:
    """The homework's "how you can help at home" note in the active language where the
    school translated it, else in English ("" when the teacher wrote none)."""
    return homework.help_at_home_in(translation.get_language())


@register.filter
def help_at_home_language(homework) -> str:
    """The language the note is shown in (for the `lang` attribute): English stands in
    where there is no translation."""
    language = (translation.get_language() or "").split("-")[0]
    if language in ("pl", "ur") and getattr(homework, f"help_at_home_{language}").strip():
        return language
    return "en-GB"
