"""Running the CSV kinds in tests: plan and apply a file as the runs service does, read
the sample files, and take a picture of a school's rows to show nothing was written."""

import datetime
from pathlib import Path

from mis.kinds import kind_named
from school.models import (
    Guardian,
    GuardianLink,
    House,
    Pupil,
    RoleAssignment,
    Subject,
    TeachingGroup,
    TutorGroup,
    User,
    YearGroup,
)

FILES = Path(__file__).parent / "files" / "csv"
TODAY = datetime.date(2026, 12, 7)  # a Monday of the world's academic year 2026/27


def sample(name: str) -> bytes:
    return (FILES / name).read_bytes()


def csv_text(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def plan(key, school, content, *, mapping=None, today=TODAY, actor=None):
    return kind_named(key).plan(
        school=school, content=content, mapping=mapping or {}, today=today, actor=actor
    )


def apply(key, school, content, *, mapping=None, today=TODAY, actor=None):
    steps = []
    result = kind_named(key).apply(
        school=school,
        content=content,
        mapping=mapping or {},
        today=today,
        actor=actor,
        progress=lambda done, total: steps.append((done, total)),
    )
    assert steps and steps[-1][0] == steps[-1][1], "progress ends at the total"
    return result


def changes(result) -> dict[str, dict]:
    """{key: {"action": ..., "fields": {label: (old, new)}}} of a plan."""
    return {
        change.key: {
            "action": change.action,
            "label": change.label,
            "fields": {name: (old, new) for name, old, new in change.fields},
        }
        for change in result.changes
    }


def errors(result) -> list[tuple]:
    return [(error.line, error.column, error.message) for error in result.errors]


def school_state(school) -> dict:
    """Every row a CSV import may write for `school`, as plain values."""
    return {
        "users": sorted(
            User.objects.filter(school=school).values_list(
                "id", "email", "first_name", "last_name", "staff_code", "is_active"
            )
        ),
        "roles": sorted(
            RoleAssignment.objects.filter(school=school).values_list(
                "user_id", "role", "subject_id", "year_group_id", "house_id", "tutor_group_id"
            ),
            key=repr,
        ),
        "houses": sorted(House.objects.filter(school=school).values_list("id", "name")),
        "subjects": sorted(Subject.objects.filter(school=school).values_list("id", "code", "name")),
        "years": sorted(YearGroup.objects.filter(school=school).values_list("id", "number")),
        "tutor_groups": sorted(
            TutorGroup.objects.filter(school=school).values_list(
                "id", "name", "year_group_id", "room"
            )
        ),
        "teaching_groups": sorted(
            TeachingGroup.objects.filter(school=school).values_list(
                "id", "name", "subject_id", "year_group_id", "academic_year_id"
            )
        ),
        "teachers": sorted(
            TeachingGroup.teachers.through.objects.filter(teachinggroup__school=school).values_list(
                "teachinggroup_id", "user_id"
            )
        ),
        "enrolments": sorted(
            TeachingGroup.pupils.through.objects.filter(teachinggroup__school=school).values_list(
                "teachinggroup_id", "pupil_id"
            )
        ),
        "pupils": sorted(
            Pupil.objects.filter(school=school).values_list(
                "id",
                "upn",
                "first_name",
                "last_name",
                "tutor_group_id",
                "year_group_id",
                "pupil_premium",
                "young_carer",
                "left_on",
            )
        ),
        "guardians": sorted(
            Guardian.objects.filter(school=school).values_list(
                "id", "first_name", "last_name", "email", "mobile"
            )
        ),
        "links": sorted(
            GuardianLink.objects.filter(pupil__school=school).values_list(
                "guardian_id", "pupil_id", "relationship", "contact_priority"
            )
        ),
    }
