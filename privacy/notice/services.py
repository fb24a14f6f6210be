"""The lead saves the school's privacy notice in one language."""

from django.db import transaction
from django.utils import timezone

from school.models import School, User

from ..models import PrivacyNotice
from .selectors import LANGUAGES


@transaction.atomic
def notice_save(*, school: School, language: str, body: str, user: User) -> PrivacyNotice:
    """Keeps `body` (Markdown, cleaned when shown) as the school's notice in `language`,
    replacing the earlier text."""
    if language not in LANGUAGES:
        raise ValueError(f"Not a language of the notice: {language}")
    notice, _created = PrivacyNotice.objects.update_or_create(
        school=school,
        language=language,
        defaults={"body": body, "updated_by": user, "updated_at": timezone.now()},
    )
    return notice
