"""What an agreement is made of: its parts and their headings, the limits on each, the
language it is written in, and the error every refusal raises."""

from django.conf import settings
from django.utils.translation import gettext_lazy

from ..models import Agreement, Signature

ENGLISH = settings.LANGUAGE_CODE  # the agreement as written; translations are of it
LANGUAGE_NAMES = [
    (code, "English" if code == ENGLISH else name) for code, name in settings.LANGUAGES
]


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


def sections(agreement) -> list[tuple[str, list[str]]]:
    """(heading, commitments) for each section, one commitment per non-blank line."""
    return [
        (
            SECTION_HEADINGS[name],
            [line.strip() for line in getattr(agreement, name).splitlines() if line.strip()],
        )
        for name in SECTION_FIELDS
    ]


def text_clean(values: dict) -> dict:
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
