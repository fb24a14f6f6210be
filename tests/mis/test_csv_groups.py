"""Tutor groups with their tutors and teaching groups with their teachers: added (with
the year group they need), changed field by field, unchanged, the same file twice, bad
rows refused with nothing written, and another school's groups of the same name
untouched."""

import datetime

import pytest
from django.utils import timezone

from mis.kinds import FileRejected
from school.models import AcademicYear, RoleAssignment, TeachingGroup, TutorGroup

from .csv_helpers import apply, changes, csv_text, errors, plan, school_state

pytestmark = pytest.mark.shared_world
Role = RoleAssignment.Role
TUTORS = "Reg Group,Year,Tutor,Room"
CLASSES = "Class,Subject,Year,Teacher"


def tutors_of(group):
    return sorted(
        a.user.email for a in RoleAssignment.objects.filter(role=Role.FORM_TUTOR, tutor_group=group)
    )


def test_a_new_tutor_group_is_made_in_its_year_with_its_tutors(world):
    content = csv_text(TUTORS, "9A,Year 9,other.teacher@test.school; hoy@test.school,R9")

    result = apply("tutor_groups", world.school, content)

    other, hoy = world.other_teacher, world.head_of_year
    assert changes(result) == {
        "9A": {
            "action": "add",
            "label": "9A",
            "fields": {
                "Year group": ("", "Year 9"),
                "Room": ("", "R9"),
                "Tutors": ("", ", ".join(sorted([other.get_full_name(), hoy.get_full_name()]))),
            },
        }
    }
    group = TutorGroup.objects.get(school=world.school, name="9A")
    assert (group.year_group.number, group.room) == (9, "R9")
    assert tutors_of(group) == ["hoy@test.school", "other.teacher@test.school"]
    assert not plan("tutor_groups", world.school, content).changes


def test_tutors_and_room_change_and_the_groups_not_named_stay(world):
    content = csv_text(TUTORS, "7A,7,other.teacher@test.school,S12", "7B,7,,", "8A,8,,")

    result = apply("tutor_groups", world.school, content)

    assert changes(result) == {
        "7A": {
            "action": "change",
            "label": "7A",
            "fields": {
                "Room": ("", "S12"),
                "Tutors": ("Tess Teacher", world.other_teacher.get_full_name()),
            },
        }
    }
    assert result.counts()["unchanged"] == 2
    assert tutors_of(world.tg_7a) == ["other.teacher@test.school"]
    world.tg_7a.refresh_from_db()
    assert world.tg_7a.room == "S12"


def test_without_a_tutors_column_the_tutors_are_left_alone(world):
    result = apply("tutor_groups", world.school, csv_text("Reg Group,Year", "7A,7"))

    assert not result.changes
    assert tutors_of(world.tg_7a) == ["teacher@test.school"]


def test_a_blank_tutors_cell_removes_the_tutors(world):
    result = apply("tutor_groups", world.school, csv_text(TUTORS, "7A,7,,"))

    assert changes(result)["7A"]["fields"] == {"Tutors": ("Tess Teacher", "")}
    assert tutors_of(world.tg_7a) == []


def test_bad_tutor_group_rows_are_refused_and_nothing_is_written(world):
    world.lsa.is_active = False
    world.lsa.save()
    content = csv_text(
        TUTORS,
        "7A,8,teacher@test.school,",
        "9B,,,",
        "9C,Reception,,",
        "9D,9,XYZ,",
        "9E,9,lsa@test.school,",
        "9d,9,,",
        "Form-with-a-long-name,9,,",
    )
    before = school_state(world.school)

    result = plan("tutor_groups", world.school, content)
    with pytest.raises(FileRejected):
        apply("tutor_groups", world.school, content)

    lsa = world.lsa.get_full_name()
    assert errors(result) == [
        (
            2,
            "Year",
            "7A has 1 pupil in Year 7: a tutor group moves up with the new academic year, "
            "not by import",
        ),
        (3, "Year", "Missing year group"),
        (4, "Year", "Reception is not a year group from 7 to 13"),
        (
            5,
            "Tutor",
            "No member of staff has the code or email XYZ (import the staff file first) "
            "for tutor group 9D",
        ),
        (6, "Tutor", f"{lsa} has left (their login is off)"),
        (7, "Reg Group", "The tutor group 9d is used twice (lines 5 and 7)"),
        (8, "Reg Group", "Form-with-a-long-name is longer than 20 characters"),
    ]
    assert school_state(world.school) == before


def test_another_schools_tutor_group_of_the_same_name_is_untouched(world):
    before = school_state(world.other_school)

    apply("tutor_groups", world.school, csv_text(TUTORS, "7A,7,,Lab 1"))

    assert school_state(world.other_school) == before
    assert tutors_of(world.other_tutor_group) == ["teacher@other.school"]


def test_a_new_teaching_group_joins_the_current_academic_year(world):
    content = csv_text(CLASSES, "9x/Ma1,Ma,9,teacher@test.school")

    result = apply("teaching_groups", world.school, content)

    assert changes(result)["9x/Ma1"] == {
        "action": "add",
        "label": "9x/Ma1",
        "fields": {
            "Subject": ("", "Maths"),
            "Year group": ("", "Year 9"),
            "Teachers": ("", "Tess Teacher"),
        },
    }
    group = TeachingGroup.objects.get(school=world.school, name="9x/Ma1")
    assert group.academic_year == world.academic_year
    assert list(group.teachers.all()) == [world.teacher]
    assert not plan("teaching_groups", world.school, content).changes


def test_a_teaching_groups_subject_year_and_teachers_follow_the_file(world):
    content = csv_text(
        CLASSES,
        "7x/Ma1,En,8,other.teacher@test.school; teacher@test.school",
        "7x/En1,En,7,other.teacher@test.school",
    )

    result = apply("teaching_groups", world.school, content)

    other = world.other_teacher.get_full_name()
    assert changes(result) == {
        "7x/Ma1": {
            "action": "change",
            "label": "7x/Ma1",
            "fields": {
                "Subject": ("Maths", "English"),
                "Year group": ("Year 7", "Year 8"),
                "Teachers": ("Tess Teacher", ", ".join(sorted([other, "Tess Teacher"]))),
            },
        }
    }
    assert result.counts()["unchanged"] == 1
    world.maths_7.refresh_from_db()
    assert (world.maths_7.subject, world.maths_7.year_group.number) == (world.english, 8)
    assert set(world.maths_7.teachers.all()) == {world.teacher, world.other_teacher}
    # The pupils and the homework of the class stay with it.
    assert set(world.maths_7.pupils.all()) == {world.pupil, world.classmate}


def test_bad_teaching_group_rows_are_refused(world):
    content = csv_text(CLASSES, "7x/Fr1,Fr,7,", "7x/Sc1,,Reception,XYZ", ",Ma,7,")
    before = school_state(world.school)

    result = plan("teaching_groups", world.school, content)
    with pytest.raises(FileRejected):
        apply("teaching_groups", world.school, content)

    assert errors(result) == [
        (2, "Subject", "Unknown subject code Fr (import subjects first)"),
        (3, "Subject", "Missing subject code"),
        (3, "Year", "Reception is not a year group from 7 to 13"),
        (
            3,
            "Teacher",
            "No member of staff has the code or email XYZ (import the staff file first) "
            "for class 7x/Sc1",
        ),
        (4, "Class", "Missing group code"),
    ]
    assert school_state(world.school) == before


def test_without_an_academic_year_teaching_groups_are_refused_with_what_to_do(world):
    long_after = datetime.date(2029, 1, 8)

    with pytest.raises(FileRejected) as refused:
        plan("teaching_groups", world.school, csv_text(CLASSES, "7x/Ma1,Ma,7,"), today=long_after)

    assert refused.value.message.startswith(
        "The school has no academic year for 08/01/2029, and teaching groups and enrolments "
        "belong to one. Add the academic year"
    )


@pytest.mark.parametrize("size", [3, 60])
def test_teaching_groups_are_written_in_a_few_queries_whatever_their_number(
    world, django_assert_max_num_queries, size
):
    teacher = world.teacher.email
    rows = [f"7x/Hi{n},Ma,7,{teacher}" for n in range(size)]
    apply("teaching_groups", world.school, csv_text(CLASSES, *rows))
    # Every group changes: another subject, the other teacher instead.
    other = world.other_teacher.email
    rows = [f"7x/Hi{n},Ma,8,{other}" for n in range(size)]

    # The reads (the year, groups, teachers, staff, subjects, year groups), the year
    # groups it needs, then one update, one delete and one insert of teachers, in a savepoint.
    with django_assert_max_num_queries(18):
        apply("teaching_groups", world.school, csv_text(CLASSES, *rows))

    groups = TeachingGroup.objects.filter(school=world.school, name__startswith="7x/Hi")
    assert groups.count() == size
    assert set(groups.values_list("year_group__number", flat=True)) == {8}
    assert set(groups.values_list("teachers__email", flat=True)) == {other}


def test_in_the_summer_after_the_new_year_is_started_classes_go_to_the_new_year(world):
    """Once the school has started the next year (its classes archived), a teaching groups
    file in the summer gap forms the new year's classes and leaves last year's as they were."""
    old_year = world.maths_7.academic_year
    august = old_year.end_date - datetime.timedelta(days=5)
    new_year = AcademicYear.objects.create(
        school=world.school,
        name="2027/28",
        start_date=old_year.end_date + datetime.timedelta(days=1),
        end_date=old_year.end_date + datetime.timedelta(days=366),
    )
    AcademicYear.objects.filter(pk=old_year.pk).update(rolled_over_at=timezone.now())
    TeachingGroup.objects.filter(academic_year=old_year).update(archived_on=august)
    before = set(world.maths_7.teachers.all())
    name = world.maths_7.name

    apply(
        "teaching_groups",
        world.school,
        csv_text(CLASSES, f"{name},Ma,7,{world.other_teacher.email}"),
        today=august,
    )

    new = TeachingGroup.objects.get(school=world.school, academic_year=new_year, name=name)
    assert list(new.teachers.all()) == [world.other_teacher] and new.archived_on is None
    assert set(world.maths_7.teachers.all()) == before  # last year's class as it was
