"""A module marked `shared_world` (tests/conftest.py) builds its world once, yet every test
still starts from a fresh, unchanged world. Each test here first checks that nothing an
earlier test of the module did is left over (rows, the objects' attributes and the roles
cached on them, uploaded files), then changes all of those; the turns run one after the
other, and the worlds the module needs change from test to test (with homework, the world
alone, none), so that each is undone and built again."""

from pathlib import Path

import pytest

from homework.models import Homework
from school import access
from school.models import Pupil, RoleAssignment, School

pytestmark = pytest.mark.shared_world

TURNS = range(4)


def _homework_world_is_as_built(w):
    assert School.objects.get(pk=w.school.pk).name == "Test Academy"
    assert Pupil.objects.get(pk=w.pupil.pk).first_name == "Amara"
    assert Homework.objects.filter(school=w.school).count() == 4
    assert w.pupil.first_name == "Amara"
    assert not hasattr(w, "left_behind")
    assert [a.role for a in access.roles_of(w.other_teacher)] == [RoleAssignment.Role.TEACHER]
    assert Path(w.maths_attachment.file.path).read_bytes() == b"%PDF-1.4 fractions"


def _change_everything(w):
    School.objects.filter(pk=w.school.pk).update(name="Changed Academy")
    w.pupil.first_name = "Changed"
    w.pupil.save()
    w.left_behind = True
    RoleAssignment.objects.create(
        school=w.school, user=w.other_teacher, role=RoleAssignment.Role.SENIOR_LEADER
    )
    w.other_teacher._role_assignments = None
    assert len(access.roles_of(w.other_teacher)) == 2  # cached on the object now
    Path(w.maths_attachment.file.path).write_bytes(b"changed")


@pytest.mark.parametrize("turn", TURNS)
def test_each_test_gets_the_homework_world_as_built(homework_world, turn):
    _homework_world_is_as_built(homework_world)
    _change_everything(homework_world)


@pytest.mark.parametrize("turn", TURNS)
def test_a_test_of_the_world_alone_sees_no_homework(world, turn):
    assert not Homework.objects.exists()
    assert not hasattr(world, "maths_homework")
    assert Pupil.objects.get(pk=world.pupil.pk).first_name == "Amara"
    assert world.pupil.first_name == "Amara"
    world.pupil.first_name = "Changed"
    world.pupil.save()


@pytest.mark.parametrize("turn", TURNS)
def test_a_test_without_a_world_finds_the_database_empty(db, turn):
    assert not School.objects.exists()
    School.objects.create(name="Left Behind Academy", slug="left-behind")


@pytest.mark.parametrize("turn", TURNS)
def test_the_homework_world_is_built_again_after_a_test_without_one(homework_world, turn):
    assert not School.objects.filter(slug="left-behind").exists()
    _homework_world_is_as_built(homework_world)
    _change_everything(homework_world)
