"""Each persona sees exactly its own part of the school, and nothing of another school."""

import pytest

from school import access

PUPILS_SEEN_BY = {
    "teacher": {"pupil", "classmate"},  # their class 7x/Ma1 and tutees in 7A
    "other_teacher": {"pupil", "year8_pupil", "year8_other"},  # 7x/En1 and 8x/Ma1
    "head_of_year": {"pupil", "classmate"},  # year 7
    "head_of_house": {"pupil", "year8_pupil"},  # Brunel house
    "subject_leader": {"pupil", "classmate", "year8_pupil", "year8_other"},  # all maths
    "senior_leader": {"pupil", "classmate", "year8_pupil", "year8_other"},
    "school_admin": {"pupil", "classmate", "year8_pupil", "year8_other"},
    "lsa": set(),
    "pupil_user": {"pupil"},
    "parent": {"pupil", "year8_pupil"},
    "other_parent": {"classmate"},
    "other_school_staff": {"other_school_pupil"},
    "other_school_teacher": {"other_school_pupil"},
}

PUPIL_NAMES = ["pupil", "classmate", "year8_pupil", "year8_other", "other_school_pupil"]


def persona(world, name):
    if name == "pupil_user":
        return world.pupil.user
    return getattr(world, name)


@pytest.mark.parametrize(("who", "expected"), PUPILS_SEEN_BY.items())
def test_each_persona_sees_exactly_their_pupils(world, who, expected):
    seen = set(access.pupils_visible_to(persona(world, who)).values_list("pk", flat=True))
    assert seen == {getattr(world, name).pk for name in expected}


TEACHING_GROUPS_SEEN_BY = {
    "teacher": {"maths_7"},
    "other_teacher": {"english_7", "maths_8"},
    "head_of_year": {"maths_7", "english_7"},
    "head_of_house": set(),
    "subject_leader": {"maths_7", "maths_8"},
    "senior_leader": {"maths_7", "english_7", "maths_8"},
    "lsa": set(),
    "pupil_user": set(),
    "parent": set(),
    "other_school_staff": set(),
}


@pytest.mark.parametrize(("who", "expected"), TEACHING_GROUPS_SEEN_BY.items())
def test_class_lists_are_open_only_to_their_staff(world, who, expected):
    seen = set(access.teaching_groups_visible_to(persona(world, who)).values_list("pk", flat=True))
    assert seen == {getattr(world, name).pk for name in expected}


TUTOR_GROUPS_SEEN_BY = {
    "teacher": {"tg_7a"},
    "other_teacher": set(),
    "head_of_year": {"tg_7a", "tg_7b"},
    "senior_leader": {"tg_7a", "tg_7b", "tg_8a"},
    "pupil_user": set(),
    "parent": set(),
    "other_school_staff": {"other_tutor_group"},
}


@pytest.mark.parametrize(("who", "expected"), TUTOR_GROUPS_SEEN_BY.items())
def test_tutor_groups_are_open_to_tutors_heads_of_year_and_leaders(world, who, expected):
    seen = set(access.tutor_groups_visible_to(persona(world, who)).values_list("pk", flat=True))
    assert seen == {getattr(world, name).pk for name in expected}


def test_year_groups_and_houses_follow_the_head_roles(world):
    assert list(access.year_groups_visible_to(world.head_of_year)) == [world.y7]
    assert list(access.year_groups_visible_to(world.teacher)) == []
    assert set(access.year_groups_visible_to(world.senior_leader)) == {world.y7, world.y8}
    assert list(access.houses_visible_to(world.head_of_house)) == [world.house_a]
    assert list(access.houses_visible_to(world.head_of_year)) == []
    assert not access.houses_visible_to(world.other_school_staff).filter(school=world.school)


def test_a_teacher_who_is_also_a_parent_sees_both_their_classes_and_their_own_child(world):
    from tests.factories import GuardianFactory, GuardianLinkFactory

    guardian = GuardianFactory(school=world.school, user=world.other_teacher)
    GuardianLinkFactory(guardian=guardian, pupil=world.classmate)
    seen = set(access.pupils_visible_to(world.other_teacher))
    assert seen == {world.pupil, world.year8_pupil, world.year8_other, world.classmate}


def test_removing_a_guardian_link_ends_access_at_once(world):
    assert world.pupil in access.pupils_visible_to(world.parent)
    world.guardian.links.filter(pupil=world.pupil).delete()
    assert world.pupil not in access.pupils_visible_to(world.parent)


def test_staff_lose_their_view_when_a_role_ends(world):
    world.head_of_year.role_assignments.all().delete()
    world.head_of_year._role_assignments = None
    assert not access.pupils_visible_to(world.head_of_year).exists()


def test_visibility_costs_one_query_however_many_roles(world, django_assert_num_queries):
    user = world.teacher
    with django_assert_num_queries(2):  # the person's roles, then the pupils
        list(access.pupils_visible_to(user))
