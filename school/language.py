"""A guardian's language: one setting for the parents' site and for every email and text
message the school sends them, saved on all their guardian records (one login may stand
behind records at several schools of a trust). The language switcher (school/views.py)
saves it for a logged-in guardian; for staff, pupils and visitors it stays a cookie."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import pgettext_lazy

from . import history
from .models import Guardian, PersonChange, User


def is_guardian_login(user) -> bool:
    """A login that may be a guardian's: guardians belong to no school (see User), so
    staff and pupils are known without a query. A member of staff who is also a parent
    keeps the staff side: their switch stays a cookie."""
    return bool(getattr(user, "is_authenticated", False)) and (
        user.school_id is None and not user.is_staff
    )


def guardian_language(user) -> str:
    """The language saved for the guardian behind this login ("" when the login has no
    guardian record). One query, whose answer also tells access.is_guardian."""
    languages = list(
        user.guardian_records.order_by("pk").values_list("preferred_language", flat=True)[:1]
    )
    if getattr(user, "_is_guardian", None) is None:
        user._is_guardian = bool(languages)
    language = languages[0] if languages else ""
    if language and translation.check_for_language(language):
        return language
    return settings.LANGUAGE_CODE if languages else ""


@transaction.atomic
def guardian_language_save(*, user: User, language: str) -> int:
    """Save `language` on every guardian record of the login; returns how many records
    changed. An unknown language changes nothing."""
    if language not in Guardian.Language.values:
        return 0
    records = list(
        Guardian.objects.filter(user=user)
        .exclude(preferred_language=language)
        .only("pk", "school_id", "preferred_language")
    )
    if not records:
        return 0
    Guardian.objects.filter(pk__in=[record.pk for record in records]).update(
        preferred_language=language
    )
    # The family's own change, kept on each record (school/history.py).
    label = history.field_label(Guardian, "preferred_language")
    names = dict(Guardian.Language.choices)
    now = timezone.now()
    history.person_changes_save(
        [
            row
            for record in records
            for row in history.person_change_rows(
                guardian=record,
                before={label: names.get(record.preferred_language, record.preferred_language)},
                after={label: names[language]},
                actor=user,
                source=PersonChange.Source.FAMILY,
                at=now,
            )
        ]
    )
    return len(records)


def guardian_record_attach_language(guardian: Guardian, user: User) -> None:
    """A record newly attached to a login takes the language the login already uses, so
    the guardian keeps one setting (the caller saves the record)."""
    current = (
        Guardian.objects.filter(user=user)
        .exclude(pk=guardian.pk)
        .order_by("pk")
        .values_list("preferred_language", flat=True)
        .first()
    )
    if current:
        guardian.preferred_language = current


# A title from the school's records, as the greeting says it in the reader's language:
# "Dear Mrs Grace Okafor" is "Dzień dobry, Pani Grace Okafor" in Polish, and in Urdu the
# greeting is already the honorific. A title not listed here is the school's own word and
# is kept as it is.
SALUTATIONS = {
    "mr": pgettext_lazy("salutation", "Mr %(name)s"),
    "mrs": pgettext_lazy("salutation", "Mrs %(name)s"),
    "ms": pgettext_lazy("salutation", "Ms %(name)s"),
    "miss": pgettext_lazy("salutation", "Miss %(name)s"),
    "mx": pgettext_lazy("salutation", "Mx %(name)s"),
    "dr": pgettext_lazy("salutation", "Dr %(name)s"),
    "prof": pgettext_lazy("salutation", "Prof %(name)s"),
    "rev": pgettext_lazy("salutation", "Rev %(name)s"),
}


def guardian_salutation(guardian) -> str:
    """The name a message greets the guardian by, in the active language."""
    name = " ".join(part for part in (guardian.first_name, guardian.last_name) if part)
    title = (guardian.title or "").strip()
    if not title:
        return name
    pattern = SALUTATIONS.get(title.rstrip(".").casefold())
    if pattern is None:
        return f"{title} {name}"
    return str(pattern) % {"name": name}
