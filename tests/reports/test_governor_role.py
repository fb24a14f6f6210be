"""The governor role: the staff file's roles column names it, and holding it makes no one
a member of staff (school/access.py)."""

import pytest
from django.urls import reverse

from mis.plans.roles import RoleKey, RoleReader
from school import access
from school.models import RoleAssignment
from tests.conftest import staff

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def test_the_staff_files_roles_column_takes_governor(world):
    keys, errors = RoleReader(world.school).read("Governor")
    assert keys == {RoleKey(Role.GOVERNOR)}
    assert errors == []


def test_a_governor_is_not_staff_and_sees_no_pupil_or_group(world):
    governor = staff(world.school, "gov@test.school", (Role.GOVERNOR, {}))
    assert not access.is_staff_member(governor)
    assert not access.is_school_wide(governor)
    assert not access.pupils_visible_to(governor).exists()
    assert not access.teaching_groups_visible_to(governor).exists()
    assert not access.tutor_groups_visible_to(governor).exists()
    assert not access.year_groups_visible_to(governor).exists()
    assert not access.houses_visible_to(governor).exists()


def test_a_governor_who_also_teaches_is_staff_for_their_teaching(world):
    RoleAssignment.objects.create(user=world.teacher, school=world.school, role=Role.GOVERNOR)
    assert access.is_staff_member(world.teacher)
    assert access.pupils_visible_to(world.teacher).filter(pk=world.pupil.pk).exists()


def test_a_governors_home_leads_to_the_report(client, world):
    governor = staff(world.school, "gov2@test.school", (Role.GOVERNOR, {}))
    client.force_login(governor)
    home = client.get(reverse("home")).content.decode()
    assert f'<a href="{reverse("reports_half_term")}">Half-term report</a>' in home
    assert "Nothing is linked to your account yet" not in home
    client.force_login(world.teacher)
    assert "Your pages" not in client.get(reverse("home")).content.decode()
