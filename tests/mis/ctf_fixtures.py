"""Helpers of the CTF tests: the school they import into (`ctf_school_make`: its DfE
number, Years 7 to 11, tutor groups 7A, 7B and 8A, no pupils yet), the sample files, the
kind's plan and apply, and a snapshot of every row an import writes."""

from datetime import date
from pathlib import Path

from mis.kinds import kind_named
from school.models import Guardian, GuardianLink, Pupil, TutorGroup
from tests.factories import SchoolFactory, TutorGroupFactory, YearGroupFactory

FILES = Path(__file__).parent / "files" / "ctf"
TODAY = date(2026, 9, 14)


def ctf_school_make():
    school = SchoolFactory(name="Made-up Academy", slug="made-up", dfe_number="9991234")
    years = {number: YearGroupFactory(school=school, number=number) for number in range(7, 12)}
    for name in ("7A", "7B"):
        TutorGroupFactory(school=school, year_group=years[7], name=name)
    TutorGroupFactory(school=school, year_group=years[8], name="8A")
    school.years = years
    return school


def sample(name: str) -> bytes:
    return (FILES / name).read_bytes()


def line_of(content: bytes, text: str, occurrence: int = 1) -> int:
    """The line (from 1) of the `occurrence`th line of `content` holding `text`."""
    found = 0
    for number, line in enumerate(content.decode().splitlines(), start=1):
        if text in line:
            found += 1
            if found == occurrence:
                return number
    raise AssertionError(f"{text!r} is not in the file")


def kind():
    return kind_named("ctf_pupils")


def plan(school, content: bytes, today=TODAY):
    return kind().plan(school=school, content=content, mapping={}, today=today)


def apply(school, content: bytes, today=TODAY, progress=None):
    steps = []
    applied = kind().apply(
        school=school,
        content=content,
        mapping={},
        today=today,
        actor=None,
        progress=progress or (lambda done, total: steps.append((done, total))),
    )
    return applied


def snapshot(school) -> dict:
    """Every row an import writes for `school`, as plain values, to compare."""
    return {
        "pupils": sorted(
            Pupil.objects.filter(school=school).values_list(
                "upn", "first_name", "last_name", "date_of_birth", "admission_number",
                "year_group__number", "tutor_group__name", "gender", "free_school_meals",
                "sen", "eal", "first_language", "looked_after", "left_on",
            )
        ),
        "tutor_groups": sorted(
            TutorGroup.objects.filter(school=school).values_list("name", "year_group__number")
        ),
        "guardians": sorted(
            Guardian.objects.filter(school=school).values_list(
                "id", "title", "first_name", "last_name", "email", "mobile", "home_phone",
                "work_phone", "address",
            )
        ),
        "links": sorted(
            GuardianLink.objects.filter(pupil__school=school).values_list(
                "pupil__upn", "guardian_id", "relationship", "parental_responsibility",
                "contact_priority",
            )
        ),
    }  # fmt: skip
