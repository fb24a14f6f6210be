"""A kind of file of the import pages' tests' own, for what the real kinds do not do on
purpose: fail half-way through an apply, or report progress row by row. Registered for a
test by the `notes_kind` fixture and removed after it.

A "notes" file holds one house name a line; a line `bad` is a bad row; a line `explode`
makes the apply fail with a fault of ours after writing the houses before it, and a line
`reject` with FileRejected; `wait` makes the apply wait for the test's event."""

import threading

from mis import kinds
from mis.kinds import ADD, Change, FileKind, FileRejected, Plan, RowError
from school.models import House


class NotesKind(FileKind):
    key = "test_notes"
    label = "House notes (test)"
    format = "ctf"
    order = 1

    def __init__(self):
        self.applied = 0
        self.reached: threading.Event | None = None
        self.release: threading.Event | None = None

    def plan(self, *, school, content, mapping, today, actor=None):
        text = bytes(content).decode()
        if text.startswith("not notes"):
            raise FileRejected("This is not a notes file.")
        plan = Plan()
        existing = set(House.objects.filter(school=school).values_list("name", flat=True))
        for line, name in enumerate(text.splitlines(), start=1):
            if name == "bad":
                plan.errors.append(RowError(line, "name", f"Line {line} is bad"))
            elif name in ("explode", "reject", "wait"):
                continue
            elif name in existing:
                plan.unchanged += 1
            else:
                plan.changes.append(Change(ADD, name, name, [("Name", "", name)]))
        return plan

    def apply(self, *, school, content, mapping, today, actor, progress):
        self.applied += 1
        plan = self.plan(school=school, content=content, mapping=mapping, today=today)
        if plan.errors:
            raise FileRejected("The file has errors.")
        lines = bytes(content).decode().splitlines()
        for done, name in enumerate(lines, start=1):
            if name == "explode":
                raise RuntimeError("a fault of ours")
            if name == "reject":
                raise FileRejected("The school's records changed: upload the file again.")
            if name == "wait" and self.reached is not None:
                self.reached.set()
                self.release.wait(30)
            elif name not in ("bad", "wait") and any(c.key == name for c in plan.changes):
                House.objects.create(school=school, name=name)
            progress(done, len(lines))
        return plan


def notes_kind_register(monkeypatch) -> NotesKind:
    kind = NotesKind()
    monkeypatch.setitem(kinds._KINDS, kind.key, kind)
    return kind
