"""A school that exists only by its name (and its academic year) imports the sample CSVs
in the order the upload page lists them, and then works for those people: the teacher
finds the imported classes on the homework form; importing every file again changes
nothing."""

import pytest
from django.urls import reverse

from mis.kinds import all_kinds
from school.access import pupils_visible_to
from school.models import House, RoleAssignment, Subject, TeachingGroup, TutorGroup, User

from ..factories import AcademicYearFactory, SchoolFactory
from .csv_helpers import apply, plan, sample

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
