"""The admin tests' cast (tests/school/admin_cast.py): two schools of one trust, a
superuser, and staff who reach the admin without the school admin role."""

import pytest

from school.models import RoleAssignment, User
from tests.school.admin_cast import build_school


@pytest.fixture
def north(db):
    return build_school("North")


@pytest.fixture
def south(db):
    return build_school("South")


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@trust.example")


@pytest.fixture
def roleless_staff(north):
    """Can reach the admin (is_staff) but holds no school admin role."""
    user = User.objects.create_user(email="clerk@north.example", school=north.school, is_staff=True)
    RoleAssignment.objects.create(school=north.school, user=user, role=RoleAssignment.Role.TEACHER)
    return user
