"""The kinds of file the import reads, and what every kind promises.

A kind (a CTF of pupils and contacts, a CSV of staff, of teaching groups, ...) is a
`FileKind` registered here by a module of `mis/filekinds/` (each module's `KINDS` list;
`kinds_register` finds them all). The runs service (mis/services/runs.py) drives every
kind the same way:

1. `plan(...)` reads the file and compares it with the school's rows: what would be
   added, changed (field by field) and who has left, and every bad row. It writes
   nothing. A file that cannot be read at all raises `FileRejected` with the reason.
2. After the admin confirms, `apply(...)` runs inside one transaction: it plans again
   (the school may have changed since the preview) and writes. A plan with any error
   raises `FileRejected`, so that nothing of a bad file is ever written.

Rows are matched by the keys a school's MIS keeps stable (UPN, staff code or email,
group code), so the same file applied twice changes nothing the second time."""

import importlib
import pkgutil
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from school.models import School, User

ADD, CHANGE, LEAVE = "add", "change", "leave"


class FileRejected(Exception):
    """The file as a whole cannot be used (not the kind it claims, unreadable, too big,
    for another school, or with bad rows when applied); `message` says so in words a
    school admin understands."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Column:
    """A field a CSV kind reads: `name` is ours, the admin maps a column of theirs to it."""

    name: str
    label: str
    required: bool = False
    help_text: str = ""


@dataclass(frozen=True)
class RowError:
    """A bad row: its line in the file (1 is the CSV header; for XML, the element's
    line), the column (the file's own header, or the XML element) and what is wrong."""

    line: int | None
    column: str
    message: str

    def as_json(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class Change:
    """One record the file adds, changes or (for a full list of pupils) marks as left.
    `fields` holds (field label, old value, new value) as text a person reads."""

    action: str
    key: str
    label: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "action": self.action,
            "key": self.key,
            "label": self.label,
            "fields": [list(f) for f in self.fields],
        }


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        counted = {ADD: 0, CHANGE: 0, LEAVE: 0}
        for change in self.changes:
            counted[change.action] += 1
        return {
            "added": counted[ADD],
            "changed": counted[CHANGE],
            "left": counted[LEAVE],
            "unchanged": self.unchanged,
            "errors": len(self.errors),
        }


Progress = Callable[[int, int], None]  # (rows done, rows in all)


class FileKind(ABC):
    """What each kind of file provides. Subclasses set the attributes and the two methods
    (a kind missing either cannot be made, so it never reaches the registry)."""

    key: str  # stored in ImportRun.kind and ColumnMapping.kind; never renamed
    label: str  # "Pupils and contacts (Common Transfer File)"
    format: str  # "ctf" (XML) or "csv"
    columns: tuple[Column, ...] = ()  # CSV kinds: the fields to map
    # Ready mappings for the column names of common MIS exports: {"SIMS": {field: header}}.
    presets: dict[str, dict[str, str]] = {}
    order: int = 100  # where the kind is listed on the upload page (the order to import in)

    @abstractmethod
    def plan(
        self,
        *,
        school: School,
        content: bytes,
        mapping: dict,
        today: date,
        actor: User | None = None,
    ) -> Plan:
        """What the file would change; writes nothing. `actor` is the admin who will apply
        the file (None for the nightly sync): the staff kind never shows them as leaving,
        since applying never deactivates them."""

    @abstractmethod
    def apply(
        self,
        *,
        school: School,
        content: bytes,
        mapping: dict,
        today: date,
        actor: User | None,
        progress: Progress,
    ) -> Plan:
        """Plans again and writes, inside the caller's transaction; any error raises
        FileRejected before anything is written. Returns the plan it applied."""


_KINDS: dict[str, FileKind] = {}


def register_kind(kind: FileKind) -> None:
    if kind.key in _KINDS and type(_KINDS[kind.key]) is not type(kind):
        raise ValueError(f"Two file kinds are called {kind.key!r}.")
    _KINDS[kind.key] = kind


def kind_named(key: str) -> FileKind | None:
    return _KINDS.get(key)


def all_kinds() -> list[FileKind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.label))


def kinds_register() -> None:
    """Registers the `KINDS` of every module in mis/filekinds/."""
    from . import filekinds

    for module in pkgutil.iter_modules(filekinds.__path__):
        for kind in getattr(
            importlib.import_module(f"{filekinds.__name__}.{module.name}"), "KINDS", ()
        ):
            register_kind(kind)
