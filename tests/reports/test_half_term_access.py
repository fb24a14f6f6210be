"""Who reads the half-term report: the school's senior leaders, school admins and
governors; a governor holds a role but is not staff, so every other page answers them
404 and their menu holds only the home page and the report."""

import pytest
from django.urls import reverse

from school.models import RoleAssignment
from tests.conftest import staff
from tests.school.test_navigation import menu_of
from tests.test_permissions import PAGES

pytestmark = pytest.mark.shared_world

Role = RoleAssignment.Role
GOVERNOR_PAGES = {"home", "reports_half_term", "reports_half_term_groups"}
GOVERNOR_PAGES |= {"reports_half_term_compared"}  # and the report compared with last year


def governor_of(school):
    return staff(school, f"governor@{school.slug}.school", (Role.GOVERNOR, {}))


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_governor_opens_only_home_and_the_report(client, homework_world, page):
    client.force_login(governor_of(homework_world.school))
    response = client.get(PAGES[page][0](homework_world))
    assert response.status_code == (200 if page in GOVERNOR_PAGES else 404)


def test_a_governor_changes_their_own_password(client, world):
    client.force_login(governor_of(world.school))
    assert client.get(reverse("password_change")).status_code == 200


def test_a_governors_menu_is_home_and_the_report(client, world):
    assert menu_of(client, governor_of(world.school)) == [
        ("Home", reverse("home")),
        ("Half-term report", reverse("reports_half_term")),
    ]


def test_a_governor_sees_their_schools_report_and_not_the_other(client, world):
    client.force_login(governor_of(world.school))
    response = client.get(reverse("reports_half_term"))
    assert world.school.name in response.content.decode()
    assert client.get(reverse("reports_half_term") + "?school=other").status_code == 404


@pytest.mark.parametrize("who", ["teacher", "head_of_year", "lsa", "parent", "pupil"])
def test_teachers_heads_of_year_parents_and_pupils_get_404(client, world, who):
    user = world.pupil.user if who == "pupil" else getattr(world, who)
    client.force_login(user)
    assert client.get(reverse("reports_half_term")).status_code == 404


def test_the_other_schools_leader_sees_their_own_school_only(client, world):
    client.force_login(world.other_school_staff)
    page = client.get(reverse("reports_half_term")).content.decode()
    assert "Other Academy" in page
    assert "Test Academy" not in page
    assert client.get(reverse("reports_half_term") + "?school=test").status_code == 404


def test_a_superuser_chooses_the_school_then_reads_it(client, world, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    client.force_login(admin)
    choose = client.get(reverse("reports_half_term")).content.decode()
    assert "?school=test" in choose and "?school=other" in choose
    page = client.get(reverse("reports_half_term") + "?school=test").content.decode()
    assert "Test Academy" in page
    assert 'name="school" value="test"' in page
