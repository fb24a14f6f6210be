"""Enrolments (the whole list of each group the file names) and the pupil premium and
young carer flags: joining and leaving groups, the same file twice, unknown UPNs and
group codes, duplicates, leavers, a few queries whatever the size of the file, and
another school's pupils with the same UPN untouched."""

import datetime

import pytest

from mis.kinds import FileRejected
from school.models import Pupil, TeachingGroup

from ..factories import PupilFactory, TeachingGroupFactory
from .csv_helpers import apply, changes, csv_text, errors, plan, sample, school_state

pytestmark = pytest.mark.shared_world


def test_pupils_join_and_leave_the_groups_named_and_other_groups_stay(world):
    pupil, classmate = world.pupil, world.classmate
    content = csv_text(
        "UPN,Class",
        f"{pupil.upn},7x/Ma1",  # already there
        f"{world.year8_pupil.upn},7x/Ma1",  # joins; the classmate is no longer listed
        f"{classmate.upn},7x/En1",  # joins beside the pupil, who is not listed: leaves
    )

    result = apply("enrolments", world.school, content)

    assert changes(result) == {
        "7x/En1": {
            "action": "change",
            "label": "7x/En1",
            "fields": {
                "Pupils joining (1)": ("", classmate.full_name),
                "Pupils leaving the group (1)": (pupil.full_name, ""),
            },
        },
        "7x/Ma1": {
            "action": "change",
            "label": "7x/Ma1",
            "fields": {
                "Pupils joining (1)": ("", world.year8_pupil.full_name),
                "Pupils leaving the group (1)": (classmate.full_name, ""),
            },
        },
    }
    assert set(world.maths_7.pupils.all()) == {pupil, world.year8_pupil}
    assert set(world.english_7.pupils.all()) == {classmate}
    assert set(world.maths_8.pupils.all()) == {world.year8_pupil, world.year8_other}
    assert not plan("enrolments", world.school, content).changes


def test_a_pupil_who_has_left_the_school_stays_in_the_group_history(world):
    world.classmate.left_on = datetime.date(2026, 11, 30)
    world.classmate.save()
    content = csv_text("UPN,Class", f"{world.pupil.upn},7x/Ma1")

    result = apply("enrolments", world.school, content)

    assert result.changes == [] and result.counts()["unchanged"] == 1
    assert set(world.maths_7.pupils.all()) == {world.pupil, world.classmate}


def test_unknown_upns_and_groups_duplicates_and_leavers_are_refused(world):
    world.classmate.left_on = datetime.date(2026, 11, 30)
    world.classmate.save()
    pupil = world.pupil
    content = csv_text(
        "UPN,Class",
        f"{pupil.upn},7x/Ma1",
        "Z999999999999,7x/Ma1",
        f"{pupil.upn},9x/Ma9",
        ",7x/En1",
        f"{pupil.upn.lower()},7X/MA1",
        f"{world.classmate.upn},7x/Ma1",
        f"{world.other_school_pupil.upn},7x/Ma1",
    )
    before = school_state(world.school)

    result = plan("enrolments", world.school, content)
    with pytest.raises(FileRejected, match="The file has 6 errors"):
        apply("enrolments", world.school, content)

    assert errors(result) == [
        (3, "UPN", "No pupil at the school has the UPN Z999999999999"),
        (
            4,
            "Class",
            "Unknown group code 9x/Ma9 (no teaching group of 2026/27 has it; import teaching "
            "groups first)",
        ),
        (5, "UPN", "Missing UPN"),
        (6, "UPN", f"{pupil.full_name} ({pupil.upn}) in 7x/Ma1 is used twice (lines 2 and 6)"),
        (
            7,
            "UPN",
            f"{world.classmate.full_name} ({world.classmate.upn}) left on 30/11/2026",
        ),
        (8, "UPN", f"No pupil at the school has the UPN {world.other_school_pupil.upn}"),
    ]
    assert school_state(world.school) == before


def test_the_sample_file_with_bad_rows_names_each_of_them(world):
    result = plan("enrolments", world.school, sample("enrolments_bad.csv"))

    assert [(line, column) for line, column, _ in errors(result)] == [
        (2, "UPN"),
        (3, "UPN"),
        (4, "UPN"),
        (4, "Class"),
        (5, "UPN"),
        (6, "UPN"),  # the sample's pupils are not the world's
    ]


def test_another_schools_pupil_with_the_same_upn_is_not_enrolled(world):
    twin = PupilFactory(tutor_group=world.other_tutor_group, upn=world.year8_pupil.upn)
    content = csv_text("UPN,Class", f"{twin.upn},7x/En1", f"{world.pupil.upn},7x/En1")

    apply("enrolments", world.school, content)

    assert set(world.english_7.pupils.all()) == {world.pupil, world.year8_pupil}
    assert not twin.teaching_groups.exists()


@pytest.mark.parametrize("size", [40, 400])
def test_a_whole_schools_enrolments_take_a_few_queries_whatever_their_number(
    world, django_assert_max_num_queries, size
):
    pupils = Pupil.objects.bulk_create(
        [
            Pupil(
                school=world.school,
                first_name=f"P{n}",
                last_name="Bulk",
                upn=f"B{n:012d}",
                admission_number=f"9{n:05d}",
                date_of_birth=datetime.date(2014, 5, 1),
                year_group=world.y7,
                tutor_group=world.tg_7a,
            )
            for n in range(size)
        ]
    )
    groups = [
        TeachingGroupFactory(
            school=world.school,
            academic_year=world.academic_year,
            year_group=world.y7,
            subject=world.maths,
            name=f"7y/Ma{n}",
        )
        for n in range(10)
    ]
    rows = [f"{p.upn},{g.name}" for p in pupils for g in groups]
    content = csv_text("UPN,Class", *rows)

    # The year, the groups, the pupils, the group's pupils now.
    with django_assert_max_num_queries(4):
        preview = plan("enrolments", world.school, content)
    # The plan again, a savepoint, the new rows in batches of 2,000, the savepoint released.
    with django_assert_max_num_queries(4 + 2 + len(rows) // 2000 + 1):
        apply("enrolments", world.school, content)

    assert preview.counts()["changed"] == 10
    assert TeachingGroup.pupils.through.objects.filter(teachinggroup__in=groups).count() == len(
        rows
    )


def test_flags_follow_the_file_and_pupils_not_in_it_are_left_alone(world):
    world.year8_other.pupil_premium = True
    world.year8_other.save()
    pupil, classmate = world.pupil, world.classmate
    content = csv_text(
        "UPN,Pupil Premium,Young Carer",
        f"{pupil.upn},Y,No",
        f"{classmate.upn},no,TRUE",
        f"{world.year8_pupil.upn},0,",
    )

    result = apply("pupil_flags", world.school, content)

    assert changes(result) == {
        pupil.upn: {
            "action": "change",
            "label": f"{pupil.full_name} ({pupil.upn})",
            "fields": {"Pupil premium": ("No", "Yes")},
        },
        classmate.upn: {
            "action": "change",
            "label": f"{classmate.full_name} ({classmate.upn})",
            "fields": {"Young carer": ("No", "Yes")},
        },
    }
    assert result.counts()["unchanged"] == 1
    flags = dict(Pupil.objects.filter(school=world.school).values_list("id", "pupil_premium"))
    assert flags[pupil.id] and not flags[classmate.id] and flags[world.year8_other.id]
    classmate.refresh_from_db()
    assert classmate.young_carer
    assert not plan("pupil_flags", world.school, content).changes


def test_one_flag_column_is_enough_and_the_other_flag_is_left_alone(world):
    world.pupil.young_carer = True
    world.pupil.save()

    apply("pupil_flags", world.school, csv_text("UPN,Pupil Premium", f"{world.pupil.upn},1"))

    world.pupil.refresh_from_db()
    assert world.pupil.pupil_premium and world.pupil.young_carer


def test_bad_flag_rows_are_refused(world):
    content = csv_text(
        "UPN,Pupil Premium,Young Carer",
        f"{world.pupil.upn},maybe,No",
        "A123456789099,Y,N",
        f"{world.pupil.upn},Y,N",
    )
    before = school_state(world.school)

    result = plan("pupil_flags", world.school, content)
    with pytest.raises(FileRejected):
        apply("pupil_flags", world.school, content)

    assert errors(result) == [
        (2, "Pupil Premium", 'Pupil premium should be Yes or No (or Y/N, 1/0), not "maybe"'),
        (3, "UPN", "No pupil at the school has the UPN A123456789099"),
        (4, "UPN", f"The UPN {world.pupil.upn} is used twice (lines 2 and 4)"),
    ]
    assert school_state(world.school) == before


def test_a_flags_file_with_neither_flag_is_the_wrong_kind(world):
    with pytest.raises(FileRejected, match="neither a pupil premium nor a young carer column"):
        plan("pupil_flags", world.school, csv_text("UPN,Class", f"{world.pupil.upn},7x/Ma1"))
