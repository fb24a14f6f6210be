"""Keeping who changed what in a pupil's or a guardian's record, and when (PersonChange):
every path that changes a pupil's flags or details or a guardian's details through the
product (the admin, the MIS imports, a parent's own settings, erasure) writes its rows
here, in one insert, with the values as a reader would say them ("Yes", "SEN support",
"04/09/2012"), never as codes."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from django.db import models, transaction
from django.utils import timezone
from django.utils.text import capfirst

from .models import Guardian, GuardianLink, PersonChange, Pupil, User

Source = PersonChange.Source
FIELD_LENGTH = PersonChange._meta.get_field("field").max_length


def value_shown(value) -> str:
    """A value as text a person reads: "" for nothing, Yes/No, UK dates."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def field_label(model: type[models.Model], name: str) -> str:
    """The field's name as the admin shows it ("FSM", "Preferred language")."""
    return str(capfirst(model._meta.get_field(name).verbose_name))


def values_shown(instance: models.Model, names: Iterable[str]) -> dict[str, str]:
    """{label: readable value} of `names` of a pupil or guardian: a choice's label, a
    related row's name (read if not cached), Yes/No. For `before`/`after`."""
    shown = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            continue
        value = getattr(instance, name)
        if field.choices and value is not None:
            value = dict(field.flatchoices).get(value, value)
        shown[field_label(type(instance), name)] = value_shown(value)
    return shown


def person_change_rows(
    *,
    pupil: Pupil | None = None,
    guardian: Guardian | None = None,
    before: Mapping[str, object],
    after: Mapping[str, object],
    actor: User | None,
    source: str,
    at: datetime | None = None,
) -> list[PersonChange]:
    """The unsaved rows for the fields whose value differs between `before` and `after`
    (field label -> value; a label in one only counts as blank in the other), for a
    caller that saves many people's rows at once (person_changes_save)."""
    if (pupil is None) == (guardian is None):
        raise ValueError("A change is of one pupil or of one guardian.")
    person = pupil or guardian
    at = at or timezone.now()
    rows = []
    for label in dict.fromkeys([*before, *after]):
        old, new = value_shown(before.get(label)), value_shown(after.get(label))
        if old == new:
            continue
        rows.append(
            PersonChange(
                school_id=person.school_id,
                pupil=pupil,
                guardian=guardian,
                field=str(label)[:FIELD_LENGTH],
                old_value=old,
                new_value=new,
                changed_by=actor,
                changed_at=at,
                source=source,
            )
        )
    return rows


def person_changes_save(rows: list[PersonChange]) -> int:
    """Saves rows built by person_change_rows in one insert (none when there are none)."""
    if rows:
        PersonChange.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


@transaction.atomic
def person_changes_record(
    *,
    pupil: Pupil | None = None,
    guardian: Guardian | None = None,
    before: Mapping[str, object],
    after: Mapping[str, object],
    actor: User | None,
    source: str,
) -> int:
    """Keeps what changed in one person's record (see person_change_rows); returns how
    many fields changed."""
    return person_changes_save(
        person_change_rows(
            pupil=pupil,
            guardian=guardian,
            before=before,
            after=after,
            actor=actor,
            source=source,
        )
    )


PUPIL_SIDE = "Parent or carer"
GUARDIAN_SIDE = "Child"


def link_shown(name: str, values: Mapping[str, object] | None) -> str:
    """A link between a pupil and a guardian as text: "Gwen Okafor (Mother, contact 1,
    parental responsibility)"; "" when there is no link."""
    if values is None:
        return ""
    relationship = values.get("relationship")
    parts = [str(GuardianLink.Relationship(relationship).label)] if relationship else []
    if values.get("contact_priority") is not None:
        parts.append(f"contact {values['contact_priority']}")
    if values.get("parental_responsibility"):
        parts.append("parental responsibility")
    return f"{name} ({', '.join(parts)})" if parts else name


LINK_FIELDS = ("relationship", "parental_responsibility", "contact_priority")


def link_values(link: GuardianLink) -> dict[str, object]:
    return {name: getattr(link, name) for name in LINK_FIELDS}


def link_change_rows(
    *,
    pupil: Pupil,
    guardian: Guardian,
    before: Mapping[str, object] | None,
    after: Mapping[str, object] | None,
    actor: User | None,
    source: str,
    at: datetime | None = None,
) -> list[PersonChange]:
    """A link added (before None), removed (after None) or changed, kept on both sides:
    the pupil's record names the guardian, the guardian's names the child."""
    at = at or timezone.now()
    return [
        *person_change_rows(
            pupil=pupil,
            before={PUPIL_SIDE: link_shown(guardian.full_name, before)},
            after={PUPIL_SIDE: link_shown(guardian.full_name, after)},
            actor=actor,
            source=source,
            at=at,
        ),
        *person_change_rows(
            guardian=guardian,
            before={GUARDIAN_SIDE: link_shown(pupil.full_name, before)},
            after={GUARDIAN_SIDE: link_shown(pupil.full_name, after)},
            actor=actor,
            source=source,
            at=at,
        ),
    ]
