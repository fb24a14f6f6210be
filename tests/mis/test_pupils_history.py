"""An import changes pupils in place: a pupil who moves tutor group keeps the homework set
for them, their classes and their guardians' logins; one who leaves keeps their records.
The import's reads and writes cost the same number of queries for any number of pupils."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from school.models import Guardian, Pupil

from .ctf_builder import ctf_pupils, ctf_xml
from .ctf_fixtures import TODAY, apply, ctf_school_make, plan


def world_roll(world) -> list[dict]:
    """The world school's four pupils as its MIS would export them, with their guardians."""
    pupils = []
    for pupil in (world.pupil, world.classmate, world.year8_pupil, world.year8_other):
        contacts = [
            {
                "order": link.contact_priority,
                "title": link.guardian.title,
                "forename": link.guardian.first_name,
                "surname": link.guardian.last_name,
                "relationship": "PAM",
                "responsibility": link.parental_responsibility,
                "email": link.guardian.email,
                "phones": [("M", link.guardian.mobile)],
            }
            for link in pupil.guardian_links.select_related("guardian")
        ]
        pupils.append(
            {
                "upn": pupil.upn,
                "forename": pupil.first_name,
                "surname": pupil.last_name,
                "dob": pupil.date_of_birth,
                "gender": pupil.gender,
                "year": str(pupil.year_group.number),
                "reg_group": pupil.tutor_group.name,
                "fsm": pupil.free_school_meals,
                "sen": {"support": "K", "ehcp": "E"}.get(pupil.sen, ""),
                "language": pupil.first_language,
                "in_care": pupil.looked_after,
                "contacts": contacts,
            }
        )
    return pupils


@pytest.fixture
def world_school(world):
    world.school.dfe_number = "9991234"
    world.school.save()
    return world.school


def test_a_pupil_who_moves_tutor_group_keeps_their_homework_classes_and_guardians(
    homework_world, world_school
):
    world = homework_world
    roll = world_roll(world)
    roll[0]["reg_group"] = "7B"
    assignments = set(world.pupil.assignments.values_list("id", flat=True))
    classes = set(world.pupil.teaching_groups.values_list("id", flat=True))
    assert assignments and classes

    previewed = plan(world_school, ctf_xml(roll))
    apply(world_school, ctf_xml(roll))

    assert [(change.key, change.fields) for change in previewed.changes] == [
        (world.pupil.upn, [("Tutor group", "7A", "7B")])
    ]
    pupil = Pupil.objects.get(pk=world.pupil.pk)
    assert pupil.tutor_group == world.tg_7b
    assert set(pupil.assignments.values_list("id", flat=True)) == assignments
    assert set(pupil.teaching_groups.values_list("id", flat=True)) == classes
    guardian = Guardian.objects.get(pk=world.guardian.pk)
    assert guardian.user == world.parent  # the parent's login still reaches the child
    assert set(guardian.pupils.all()) == {world.pupil, world.year8_pupil}


def test_a_leaver_keeps_their_homework_and_guardians(homework_world, world_school):
    world = homework_world
    roll = world_roll(world)
    assignments = set(world.year8_pupil.assignments.values_list("id", flat=True))
    leaving = roll.pop(2)
    assert leaving["upn"] == world.year8_pupil.upn

    apply(world_school, ctf_xml(roll))

    pupil = Pupil.objects.get(pk=world.year8_pupil.pk)
    assert pupil.left_on == TODAY
    assert set(pupil.assignments.values_list("id", flat=True)) == assignments
    assert pupil.guardians.get() == world.guardian
    assert Pupil.objects.get(pk=world.other_school_pupil.pk).left_on is None


def queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


@pytest.mark.parametrize("count", [10, 60])
def test_the_import_costs_the_same_queries_for_any_number_of_pupils(db, count):
    school = ctf_school_make()
    pupils = ctf_pupils(count)
    first = ctf_xml(pupils)
    for pupil in pupils[::2]:
        pupil["reg_group"] = pupil["reg_group"][:-1] + "Z"  # new tutor groups
        pupil["contacts"][0]["phones"] = [("M", "07700 900000")]
        pupil["contacts"][-1]["relationship"] = "CAR"
    later = ctf_xml(pupils[:-3])  # and three leavers

    # Reading: year groups, tutor groups, the academic year (new tutor groups belong to
    # it), pupils, guardians and links.
    assert queries(lambda: plan(school, first)) == 6
    # The same reads (the pupils locked), then the inserts of tutor groups, pupils,
    # guardians and links, inside a savepoint and its release.
    assert queries(lambda: apply(school, first)) == 12
    # The reads, then the new tutor groups, the pupils' and guardians' updates, the
    # leavers and the links' updates (one query each, in batches of 500), in a savepoint;
    # and the one insert of the pupils' and guardians' change history (school/history.py).
    assert queries(lambda: apply(school, later)) == 14
