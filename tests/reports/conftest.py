"""The reports' shared fixtures: the hand-built school with known answers
(tests/reports/fixture.py) and a senior leader of it. A test module may override
`known` (e.g. to add last year's history); `leader` follows it."""

import pytest

from school.models import RoleAssignment
from tests.conftest import staff
from tests.reports.fixture import known_school


@pytest.fixture
def known():
    return known_school()


@pytest.fixture
def leader(known):
    return staff(known.school, "slt@known.school", (RoleAssignment.Role.SENIOR_LEADER, {}))
