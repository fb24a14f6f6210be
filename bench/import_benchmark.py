"""How long the MIS import takes for a whole secondary school: `make bench` (or
`python bench/import_benchmark.py [--pupils N]`) against the configured database
(DATABASE_URL, else the SQLite default).

It builds a throwaway school (its DfE number, Years 7 to 11, this academic year), then
made-up files of the size issue 12 names: a Common Transfer File of 1,342 pupils with
about 2,000 contacts (tests/mis/ctf_builder.py), and CSVs of subjects, about a hundred
staff, tutor groups with their tutors, 440 teaching groups and about 14,000 enrolments.
Each file goes through the runs service the upload page and the nightly sync use
(mis/services/runs.py): read (the preview: plan and store it) and apply (plan again and
write, in one transaction), timed with the number of queries. Then the same files again,
which change nothing.

Everything runs inside one transaction that is rolled back at the end, so the database
is left as it was (and no task or email leaves): the figures leave out the final commit.
It prints figures; it asserts nothing about time."""

import argparse
import os
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homework_mgmt.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from homework_mgmt.celery import app as celery_app  # noqa: E402
from mis.kinds import kind_named  # noqa: E402
from mis.models import ColumnMapping, ImportRun  # noqa: E402
from mis.services import run_steps  # noqa: E402
from mis.services.runs import run_apply, run_create  # noqa: E402
from school.models import AcademicYear, School, YearGroup  # noqa: E402
from tests.mis.ctf_builder import TUTOR_LETTERS, ctf_pupils, ctf_xml  # noqa: E402

LAESTAB = "9998765"  # no real school: LA 999 does not exist
SLUG = "import-benchmark"
PUPILS = 1342
YEARS = (7, 8, 9, 10, 11)
SUBJECTS = [
    ("Ma", "Mathematics"), ("En", "English"), ("Sc", "Science"), ("Hi", "History"),
    ("Gg", "Geography"), ("Fr", "French"), ("Ar", "Art"), ("Mu", "Music"),
    ("Pe", "Physical education"), ("Cs", "Computing"), ("Re", "Religious education"),
]  # fmt: skip
CORE = 10  # every pupil takes the first ten subjects; every other pupil the eleventh too


class Rollback(Exception):
    """Ends the benchmark's transaction, rolling everything back."""


@dataclass
class Figure:
    round: str
    file: str
    rows: int
    step: str
    seconds: float
    queries: int
    status: str
    counts: dict


def csv_text(header: list[str], rows: list[list[str]]) -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def files_make(pupils: int) -> tuple[list[tuple[str, str, bytes, int]], int]:
    """(kind key, file name, content, rows) for each file, in the order to import, and
    the number of contacts in the CTF."""
    roll = ctf_pupils(pupils, laestab=LAESTAB, years=YEARS)
    contacts = sum(len(pupil["contacts"]) for pupil in roll)
    staff_count = max(12, pupils // 13)
    staff = [
        [f"Staff{n}", f"Member{n}", f"t{n:03d}@import-benchmark.example", f"T{n:03d}"]
        + ["Teacher; School admin" if n == 0 else "Teacher"]
        for n in range(staff_count)
    ]
    tutor_groups = [
        [f"{year}{letter}", str(year), f"T{(index % staff_count):03d}", f"R{index}"]
        for index, (year, letter) in enumerate(
            (year, letter) for year in YEARS for letter in TUTOR_LETTERS
        )
    ]
    sets = len(TUTOR_LETTERS)
    teaching_groups = []
    for year in YEARS:
        for s_index, (code, _) in enumerate(SUBJECTS):
            for group in range(1, sets + 1):
                teacher = f"T{(year * 31 + s_index * sets + group) % staff_count:03d}"
                teaching_groups.append([f"{year}x/{code}{group}", code, str(year), teacher])
    enrolments = []
    for index, pupil in enumerate(roll):
        year, letter = pupil["reg_group"][:-1], pupil["reg_group"][-1]
        group = TUTOR_LETTERS.index(letter) + 1
        taken = SUBJECTS[:CORE] + (SUBJECTS[CORE:] if index % 2 == 0 else [])
        enrolments += [[pupil["upn"], f"{year}x/{code}{group}"] for code, _ in taken]
    return [
        ("ctf_pupils", "ctf_pupils.xml", ctf_xml(roll, source=LAESTAB), len(roll)),
        (
            "subjects",
            "subjects.csv",
            csv_text(["Code", "Subject"], [list(s) for s in SUBJECTS]),
            len(SUBJECTS),
        ),
        (
            "staff",
            "staff.csv",
            csv_text(["Forename", "Surname", "Work Email Address", "Staff Code", "Roles"], staff),
            len(staff),
        ),
        (
            "tutor_groups",
            "tutor_groups.csv",
            csv_text(["Reg Group", "Year", "Tutor", "Room"], tutor_groups),
            len(tutor_groups),
        ),
        (
            "teaching_groups",
            "teaching_groups.csv",
            csv_text(["Class", "Subject", "Year", "Teacher"], teaching_groups),
            len(teaching_groups),
        ),
        (
            "enrolments",
            "enrolments.csv",
            csv_text(["UPN", "Class"], enrolments),
            len(enrolments),
        ),
    ], contacts


def school_make(today: date) -> School:
    if School.objects.filter(slug=SLUG).exists():
        raise SystemExit(f"A school with the slug {SLUG!r} exists already: nothing was done.")
    school = School.objects.create(name="Import Benchmark Academy", slug=SLUG, dfe_number=LAESTAB)
    for number in YEARS:
        YearGroup.objects.create(school=school, number=number)
    start = date(today.year if today.month >= 9 else today.year - 1, 9, 1)
    AcademicYear.objects.create(
        school=school,
        name=f"{start.year}/{(start.year + 1) % 100:02d}",
        start_date=start,
        end_date=date(start.year + 1, 8, 31),
    )
    for key in ("subjects", "staff", "tutor_groups", "teaching_groups", "enrolments"):
        columns = kind_named(key).presets["SIMS"]
        ColumnMapping.objects.create(school=school, kind=key, columns=columns)
    return school


def timed(step):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - started
    return result, seconds, len(queries.captured_queries)


def file_run(school, round_name, key, name, content, rows) -> list[Figure]:
    kind = kind_named(key)

    def read():
        run = run_create(
            school=school,
            kind=kind,
            file_name=name,
            content=content,
            actor=None,
            source=ImportRun.Source.NIGHTLY,
        )
        return run_steps.run_read(run_id=run.pk)

    run, seconds, queries = timed(read)
    figures = [Figure(round_name, name, rows, "read", seconds, queries, run.status, run.counts)]
    if run.status != ImportRun.Status.READY:
        problems = run.message or "; ".join(
            f"line {e['line']}: {e['message']}" for e in run.errors[:5]
        )
        raise SystemExit(f"{name} was not ready to apply ({run.status}): {problems}")

    def apply():
        run_apply(run=run, actor=None)
        return run_steps.run_apply_perform(run_id=run.pk)

    run, seconds, queries = timed(apply)
    figures.append(
        Figure(round_name, name, rows, "apply", seconds, queries, run.status, run.counts)
    )
    if run.status != ImportRun.Status.APPLIED:
        raise SystemExit(f"{name} was not applied ({run.status}): {run.message}")
    return figures


def table(figures: list[Figure]) -> str:
    header = ("Round", "File", "Rows", "Step", "Seconds", "Queries", "Added", "Changed", "Left")
    lines = [
        (
            f.round,
            f.file,
            str(f.rows),
            f.step,
            f"{f.seconds:.2f}",
            str(f.queries),
            str(f.counts.get("added", 0)),
            str(f.counts.get("changed", 0)),
            str(f.counts.get("left", 0)),
        )
        for f in figures
    ]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header))]
    right = {2, 4, 5, 6, 7, 8}

    def shown(row):
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        )

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([shown(header), rule, *(shown(row) for row in lines)])


def main(argv=None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pupils", type=int, default=PUPILS, help=f"default {PUPILS}")
    args = parser.parse_args(argv)
    celery_app.conf.task_always_eager = True  # nothing leaves for a broker
    files, contacts = files_make(args.pupils)
    database = connection.settings_dict["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"MIS import benchmark: {args.pupils} pupils with {contacts} contacts, "
        f"{files[-1][3]} enrolments; {database} database",
        flush=True,
    )
    figures: list[Figure] = []
    started = time.perf_counter()
    try:
        with transaction.atomic():
            school = school_make(date.today())
            for round_name in ("first", "again"):
                for key, name, content, rows in files:
                    figures += file_run(school, round_name, key, name, content, rows)
                    last = figures[-1]
                    print(f"  {round_name}: {name} applied in {last.seconds:.2f} s", flush=True)
            raise Rollback
    except Rollback:
        pass
    print()
    print(table(figures))
    print()
    print(
        f"Read = the preview (plan, store it); apply = plan again and write, in one "
        f"transaction. Rows: pupils for the CTF, lines for a CSV. All in "
        f"{time.perf_counter() - started:.1f} s; everything rolled back."
    )
    return figures


if __name__ == "__main__":
    main()
