"""What every CSV kind shares: reading the file under its mapping, planning, refusing to
write a file with errors, and the few values several files carry (year groups, yes/no,
lists of staff)."""

import re
from abc import abstractmethod
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from mis.kinds import FileKind, FileRejected, Plan, Progress, RowError
from mis.readers.csv import CsvRow, CsvTable, csv_read
from school.models import School, User

YES = {"y", "yes", "true", "1"}
NO = {"n", "no", "false", "0", ""}
YEAR = re.compile(r"(?:nc\s*)?(?:year|yr|y)?\s*0?(\d{1,2})", re.IGNORECASE)
LIST_SEPARATORS = re.compile(r"[;,|/\s]+")


class CsvKind(FileKind):
    """A CSV kind: subclasses give `columns`, `presets`, `compare` and `write`.

    `compare` reads the rows against the school and returns the Plan and whatever `write`
    needs; it never writes. `plan` and `apply` accept the person importing (`actor`):
    the staff file never takes them as a leaver."""

    format = "csv"

    @abstractmethod
    def compare(
        self, *, school: School, table: CsvTable, today: date, actor: User | None
    ) -> tuple[Plan, Any]:
        """The plan of the file's rows against the school, and what `write` needs."""

    @abstractmethod
    def write(
        self, *, school: School, work: Any, today: date, actor: User | None, progress: Progress
    ) -> None:
        """Writes what `compare` found (inside `apply`'s transaction)."""

    def plan(
        self, *, school: School, content: bytes, mapping: dict, today: date, actor=None
    ) -> Plan:
        return self._compared(school, content, mapping, today, actor)[0]

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
        plan, work = self._compared(school, content, mapping, today, actor)
        if plan.errors:
            raise FileRejected(errors_summary(plan.errors))
        with transaction.atomic():
            self.write(school=school, work=work, today=today, actor=actor, progress=progress)
        return plan

    def _compared(self, school, content, mapping, today, actor):
        table = csv_read(kind=self, content=content, mapping=mapping or {})
        plan, work = self.compare(school=school, table=table, today=today, actor=actor)
        plan.errors = sorted([*table.errors, *plan.errors], key=lambda e: e.line or 0)
        return plan, work


def errors_summary(errors: list[RowError]) -> str:
    first = errors[0]
    where = f"line {first.line}, {first.column}" if first.line else first.column
    more = len(errors) - 1
    return (
        f"The file has {len(errors)} error{'s' if len(errors) != 1 else ''}, so nothing "
        f"was imported. The first: {where}: {first.message}"
        + (f" (and {more} more)." if more else "")
    )


class Duplicates:
    """Finds a key given on two lines: `seen(row, name, key, what)` returns the error for
    the second and later lines ("The staff code JSM is used twice (lines 4 and 9)")."""

    def __init__(self):
        self._first: dict[tuple[str, str], int] = {}

    def seen(self, row: CsvRow, name: str, key: str, what: str) -> RowError | None:
        if not key:
            return None
        first = self._first.setdefault((name, key), row.line)
        if first == row.line:
            return None
        return row.error(name, f"{what} is used twice (lines {first} and {row.line})")


def year_number(text: str) -> int | None:
    """7 from "7", "07", "Y7", "Yr 7", "Year 7" or "NC Year 7"; None if not a year 7-13."""
    match = YEAR.fullmatch(text.strip())
    number = int(match.group(1)) if match else None
    return number if number is not None and 7 <= number <= 13 else None


def yes_no(text: str) -> bool | None:
    """True for Y/Yes/True/1, False for N/No/False/0/blank, None for anything else."""
    value = text.strip().casefold()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def items(text: str) -> list[str]:
    """The codes or emails in a cell that lists several ("JSM; KPA", "JSM, KPA")."""
    return [part for part in LIST_SEPARATORS.split(text) if part]


def staff_at(school: School) -> list[User]:
    """The school's staff logins: its users who are not pupils (one query)."""
    return list(User.objects.filter(school=school, pupil__isnull=True).order_by("last_name", "id"))


class StaffFinder:
    """The school's staff by staff code or email (any case), to resolve a cell listing
    teachers or tutors."""

    def __init__(self, school: School):
        self.by_code: dict[str, User] = {}
        self.by_email: dict[str, User] = {}
        for user in staff_at(school):
            if user.staff_code:
                self.by_code[user.staff_code.casefold()] = user
            self.by_email[user.email.casefold()] = user

    def find(self, token: str) -> User | None:
        key = token.casefold()
        return self.by_code.get(key) or self.by_email.get(key)

    def resolve(self, row: CsvRow, name: str, what: str) -> tuple[list[User], list[RowError]]:
        """The active staff the row's cell lists, and an error for each it cannot use."""
        users, errors = [], []
        for token in items(row.get(name)):
            user = self.find(token)
            if user is None:
                errors.append(
                    row.error(
                        name,
                        f"No member of staff has the code or email {token} "
                        f"(import the staff file first) for {what}",
                    )
                )
            elif not user.is_active:
                errors.append(row.error(name, f"{person(user)} has left (their login is off)"))
            elif user not in users:
                users.append(user)
        return users, errors


def person(user: User) -> str:
    name = user.get_full_name() or user.email
    return f"{name} ({user.staff_code})" if user.staff_code else name


def people(users: Iterable[User]) -> str:
    return ", ".join(sorted(person(user) for user in users))
