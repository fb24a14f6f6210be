"""What each app tells the privacy app about the personal data it holds, so that privacy
knows every record without naming an app (DESIGN.md section 4):

- export sections: the rows (and uploaded files) a subject access export gathers about a
  pupil or a guardian, in `<app>/privacy_export.py`;
- record kinds: what the retention schedule removes or anonymises, and when, in
  `<app>/privacy_retention.py`.

Privacy imports those modules of every installed app when it starts (`discover`), as
Django's admin does its `admin.py`; privacy's own module of each name registers school's
records (pupils, guardians, links, changes)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.module_loading import autodiscover_modules

PUPIL = "pupil"
GUARDIAN = "guardian"


class ExportContext:
    """What a section's `rows` may ask of the export being built. `redact` takes out of
    free text the names of other pupils of the school (third-party data: a pupil's export
    never names another child); `staff_name` names a member of staff (they act for the
    school, so their names stay). The export builder gives the real one."""

    def redact(self, text: str) -> str:
        return text

    def staff_name(self, user) -> str:
        return "" if user is None else (user.get_full_name() or user.email)


@dataclass(frozen=True)
class ExportSection:
    """One part of a subject access export.

    `rows(subject, context)` yields one dict per record (column -> plain value: str, int,
    bool, date, time, datetime or None), the same columns in every row; `files(subject)` yields
    (name in the ZIP, stored file) for the uploads that belong to those records.
    `covers` names every model whose rows the section exports: the coverage test walks
    the models that point at Pupil or Guardian and fails for one no section covers."""

    key: str
    title: str
    about: str  # PUPIL or GUARDIAN
    covers: tuple[type[Model], ...]
    rows: Callable[[Model, ExportContext], Iterable[dict]]
    files: Callable[[Model], Iterable[tuple[str, FieldFile]]] | None = None
    description: str = ""
    order: int = 100


@dataclass(frozen=True)
class RecordKind:
    """One line of the retention schedule.

    `due(school, cutoff)` is the queryset of the kind's rows at `school` whose `event`
    came before `cutoff` (today less the school's period) and that have not been dealt
    with yet, so that running twice does nothing the second time. `apply(rows)` deletes
    or anonymises those rows (a batch: a queryset of at most a few hundred), removes their
    uploaded files from storage, and returns how many it dealt with. `pupil_path` is the
    path from a row to its pupil ("pupil", "thread__pupil"; "" for pupils themselves), so
    that privacy can pass over pupils on a legal hold; None when the rows are no pupil's.
    `guidance` says which published guidance the default follows; `action` says in words
    what happens to a row (deleted, or anonymised and what stays)."""

    key: str
    label: str
    event: str
    default_months: int
    guidance: str
    action: str
    due: Callable[[object, date], QuerySet]
    apply: Callable[[QuerySet], int]
    pupil_path: str | None = PUPIL
    order: int = 100
    covers: tuple[type[Model], ...] = field(default=())


_sections: dict[str, ExportSection] = {}
_kinds: dict[str, RecordKind] = {}
_not_exported: dict[type[Model], str] = {}


def register_export_section(section: ExportSection) -> None:
    """Registering a key again replaces it."""
    if section.about not in (PUPIL, GUARDIAN):
        raise ValueError(f"An export section is about a pupil or a guardian, not {section.about}")
    _sections[section.key] = section


def register_record_kind(kind: RecordKind) -> None:
    """Registering a key again replaces it."""
    if kind.default_months < 1:
        raise ValueError("A retention period is at least a month.")
    _kinds[kind.key] = kind


def export_sections(about: str) -> list[ExportSection]:
    return sorted(
        (section for section in _sections.values() if section.about == about),
        key=lambda section: (section.order, section.key),
    )


def record_kinds() -> list[RecordKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def record_kind(key: str) -> RecordKind | None:
    return _kinds.get(key)


def register_not_exported(model: type[Model], reason: str) -> None:
    """A model about a pupil or guardian that subject access exports leave out on
    purpose, and why (tests/privacy/test_export_coverage.py accepts it)."""
    if not reason.strip():
        raise ValueError("Say why the model is not exported.")
    _not_exported[model] = reason


def not_exported() -> dict[type[Model], str]:
    return dict(_not_exported)


def models_about_people(models: Iterable[type[Model]] | None = None) -> list[type[Model]]:
    """Every concrete model (auto-created many-to-many tables included) with a foreign
    key, one-to-one or many-to-many field pointing at a pupil or a guardian."""
    from django.apps import apps

    from school.models import Guardian, Pupil

    people = (Pupil, Guardian)
    if models is None:
        models = apps.get_models(include_auto_created=True)
    found = []
    for model in models:
        if model._meta.abstract or model._meta.proxy:
            continue
        if any(
            field.is_relation
            and not field.auto_created
            and (field.many_to_one or field.one_to_one or field.many_to_many)
            and field.related_model in people
            for field in model._meta.get_fields(include_hidden=True)
        ):
            found.append(model)
    return found


def models_not_covered(models: Iterable[type[Model]] | None = None) -> list[type[Model]]:
    """The models about people that no export section covers and none says it leaves
    out: each is a gap in subject access exports."""
    covered = {model for section in _sections.values() for model in section.covers}
    return [
        model
        for model in models_about_people(models)
        if model not in covered and model not in _not_exported
    ]


def discover() -> None:
    autodiscover_modules("privacy_export", "privacy_retention")
