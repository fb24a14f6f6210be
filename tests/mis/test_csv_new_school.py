"""A school that exists only by its name (and its academic year) imports the sample CSVs
in the order the upload page lists them, and then works for those people: the teacher
finds the imported classes on the homework form; importing every file again changes
nothing."""

import pytest
from django.urls import reverse

from mis.kinds import FileRejected, all_kinds
from school.access import pupils_visible_to
from school.models import House, RoleAssignment, Subject, TeachingGroup, TutorGroup, User

from ..factories import AcademicYearFactory, SchoolFactory
from .csv_helpers import apply, plan, sample, school_state

Role = RoleAssignment.Role
FILES = [
    ("houses", "houses.csv"),
    ("subjects", "subjects.csv"),
    ("staff", "staff_sims.csv"),
    ("tutor_groups", "tutor_groups.csv"),
    ("pupils_csv", "pupils.csv"),
    ("teaching_groups", "teaching_groups.csv"),
    ("enrolments", "enrolments.csv"),
    ("pupil_flags", "pupil_flags.csv"),
]


@pytest.fixture
def school(db):
    school = SchoolFactory(name="Northfield School", slug="northfield")
    AcademicYearFactory(school=school)
    return school


def test_the_csv_kinds_are_listed_in_the_order_to_import_them():
    keys = [kind.key for kind in all_kinds() if kind.format == "csv"]

    assert keys == [key for key, _ in FILES]


def test_an_empty_school_imports_every_file_and_its_teacher_finds_the_classes(school, client):
    for key, file_name in FILES:
        result = apply(key, school, sample(file_name))
        assert not result.errors, (key, result.errors)
        assert result.counts()["added"] + result.counts()["changed"] > 0, key

    assert House.objects.filter(school=school).count() == 3
    assert Subject.objects.filter(school=school).count() == 3
    sian = User.objects.get(school=school, staff_code="SLL")
    zoe = User.objects.get(school=school, staff_code="ZBR")
    assert (sian.first_name, sian.last_name, zoe.last_name) == ("Siân", "Lloyd", "Brontë")
    assert RoleAssignment.objects.filter(
        user=zoe, role=Role.FORM_TUTOR, tutor_group__name="7A"
    ).exists()
    kwame = User.objects.get(school=school, staff_code="KME")
    assert set(TutorGroup.objects.get(school=school, name="8A").tutors) == {sian, kwame}
    maths_7 = TeachingGroup.objects.get(school=school, name="7x/Ma1")
    assert list(maths_7.teachers.all()) == [sian]
    assert sorted(p.first_name for p in maths_7.pupils.all()) == ["Amelia", "Dylan"]
    # Zoë is head of year 7 and sees the year's pupils.
    assert sorted(p.first_name for p in pupils_visible_to(zoe)) == ["Amelia", "Dylan"]

    client.force_login(sian)
    page = client.get(reverse("homework_new"))

    assert page.status_code == 200
    assert "7x/Ma1" in page.text and "8x/Ma1" in page.text
    assert "7x/En1" not in page.text


def test_every_file_imported_again_changes_nothing(school):
    for key, file_name in FILES:
        apply(key, school, sample(file_name))

    for key, file_name in FILES:
        again = plan(key, school, sample(file_name))
        assert (again.changes, again.errors) == ([], []), key


@pytest.mark.parametrize(
    "file_name", ["staff_arbor_bom.csv", "staff_bromcom_cp1252.csv", "staff_semicolon.csv"]
)
def test_every_encoding_imports_the_same_people(school, file_name):
    apply("houses", school, sample("houses.csv"))
    apply("subjects", school, sample("subjects.csv"))

    apply("staff", school, sample(file_name))

    assert sorted(
        User.objects.filter(school=school).values_list("first_name", "last_name", "staff_code")
    ) == [("Siân", "Lloyd", "SLL"), ("Zoë", "Brontë", "ZBR")]
    assert not plan("staff", school, sample("staff_sims.csv").split(b"\r\nKwame")[0]).changes


def imported_up_to(school, last_key):
    for key, file_name in FILES:
        if key == last_key:
            return
        apply(key, school, sample(file_name))


@pytest.mark.parametrize(
    ("key", "file_name", "expected"),
    [
        (
            "staff",
            "staff_duplicates.csv",
            [
                (
                    3,
                    "Work Email Address",
                    "The email z.bronte@northfield.example is used twice (lines 2 and 3)",
                ),
                (4, "Staff Code", "The staff code ZBR is used twice (lines 2 and 4)"),
            ],
        ),
        (
            "teaching_groups",
            "teaching_groups_unknown.csv",
            [
                (3, "Subject", "Unknown subject code Fr (import subjects first)"),
                (4, "Year", "Reception is not a year group from 7 to 13"),
                (
                    4,
                    "Teacher",
                    "No member of staff has the code or email XYZ (import the staff file "
                    "first) for class 7x/Sc1",
                ),
            ],
        ),
        (
            "enrolments",
            "enrolments_bad.csv",
            [
                (3, "UPN", "No pupil at the school has the UPN Z999999999999"),
                (
                    4,
                    "Class",
                    "Unknown group code 9x/Ma9 (no teaching group of 2026/27 has it; import "
                    "teaching groups first)",
                ),
                (5, "UPN", "Missing UPN"),
                (6, "UPN", "Amelia Ward (A123456789012) in 7x/Ma1 is used twice (lines 2 and 6)"),
            ],
        ),
        (
            "pupil_flags",
            "pupil_flags_bad.csv",
            [
                (
                    2,
                    "Pupil Premium",
                    'Pupil premium should be Yes or No (or Y/N, 1/0), not "maybe"',
                ),
                (3, "UPN", "No pupil at the school has the UPN A123456789099"),
            ],
        ),
    ],
)
def test_each_bad_sample_is_refused_line_by_line_and_nothing_is_written(
    school, key, file_name, expected
):
    imported_up_to(school, key)
    before = school_state(school)

    result = plan(key, school, sample(file_name))
    with pytest.raises(FileRejected, match="so nothing was imported"):
        apply(key, school, sample(file_name))

    assert [(e.line, e.column, e.message) for e in result.errors] == expected
    assert school_state(school) == before


@pytest.mark.parametrize(
    "key", ["houses", "subjects", "staff", "tutor_groups", "pupils_csv", "teaching_groups"]
)
def test_a_file_of_another_kind_is_refused_as_the_wrong_kind(school, key):
    with pytest.raises(FileRejected, match="Is this the right kind of file?"):
        plan(key, school, sample("wrong_kind.csv"))
