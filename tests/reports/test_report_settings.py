"""The school's report settings page: its senior leaders and school admins change the
flag's ratio and the smallest group shown; an error re-renders the form and saves
nothing; governors and everyone else get 404; the group split follows the settings."""

from decimal import Decimal

import pytest
from django.urls import reverse

from reports.models import ReportSettings
from school.models import RoleAssignment
from tests.conftest import staff
from tests.factories import PupilFactory
from tests.reports.fixture import TODAY, at, groups_school

pytestmark = pytest.mark.django_db
URL = reverse("reports_settings")
Role = RoleAssignment.Role


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


@pytest.fixture
def school():
    return groups_school()


def person(school, role, **extra):
    return staff(school.school, f"{role}-settings@groups.school", (role, extra))


def test_a_senior_leader_sees_the_defaults_and_saves_new_values(client, school):
    client.force_login(person(school, Role.SENIOR_LEADER))
    page = client.get(URL).content.decode()
    assert 'name="flag_ratio" value="1.5"' in page
    assert 'name="smallest_group" value="5"' in page
    response = client.post(URL, {"flag_ratio": "2.25", "smallest_group": "3"})
    assert response.status_code == 302 and response.url == URL
    saved = ReportSettings.objects.get(school=school.school)
    assert (saved.flag_ratio, saved.smallest_group) == (Decimal("2.25"), 3)
    assert "The report settings are saved." in client.get(URL).content.decode()


def test_the_split_follows_the_saved_settings(client, school):
    client.force_login(person(school, Role.SCHOOL_ADMIN))
    client.post(URL, {"flag_ratio": "2.5", "smallest_group": "3"})
    page = client.get(reverse("reports_half_term_groups") + "?period=autumn_1").content.decode()
    assert "A ratio of 2.5 or more" in page
    assert "fewer than 3" in page  # the groups with no pupil
    sen = page[page.index("SEN support", page.index('id="measure-misses"')) :]
    assert "fewer than" not in sen[: sen.index("</tr>")]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"flag_ratio": "1", "smallest_group": "5"}, "greater than or equal to 1.01"),
        ({"flag_ratio": "1.5", "smallest_group": "1"}, "greater than or equal to 2"),
        ({"flag_ratio": "", "smallest_group": "5"}, "This field is required."),
        ({"flag_ratio": "lots", "smallest_group": "5"}, "Enter a number."),
    ],
)
def test_an_error_re_renders_the_form_and_saves_nothing(client, school, data, error):
    ReportSettings.objects.create(school=school.school, flag_ratio=Decimal("1.8"))
    client.force_login(person(school, Role.SENIOR_LEADER))
    response = client.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert error in page and "The settings were not changed" in page
    saved = ReportSettings.objects.get(school=school.school)
    assert (saved.flag_ratio, saved.smallest_group) == (Decimal("1.8"), 5)


@pytest.mark.parametrize("role", [Role.GOVERNOR, Role.TEACHER, Role.SUBJECT_LEADER])
def test_governors_and_teachers_get_404_and_change_nothing(client, school, role):
    extra = {"subject": school.maths.subject} if role == Role.SUBJECT_LEADER else {}
    client.force_login(person(school, role, **extra))
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"flag_ratio": "3", "smallest_group": "9"}).status_code == 404
    assert not ReportSettings.objects.exists()


def test_a_parent_gets_404(client, world):
    client.force_login(world.parent)
    assert client.get(URL).status_code == 404


def test_the_other_schools_leader_changes_only_their_own(client, school, world):
    client.force_login(world.other_school_staff)
    assert client.get(URL + "?school=groups").status_code == 404
    client.post(URL, {"flag_ratio": "3", "smallest_group": "9"})
    assert ReportSettings.for_school(world.other_school_staff.school_id).smallest_group == 9
    assert ReportSettings.for_school(school.school.pk).smallest_group == 5


def test_a_superuser_chooses_the_school_then_changes_it(client, school, django_user_model):
    root = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    client.force_login(root)
    assert "?school=groups" in client.get(URL).content.decode()
    response = client.post(URL + "?school=groups", {"flag_ratio": "2", "smallest_group": "4"})
    assert response.url == URL + "?school=groups"
    assert ReportSettings.for_school(school.school.pk).smallest_group == 4


@pytest.mark.parametrize("more_pupils", [0, 12])
def test_the_page_runs_a_fixed_number_of_queries(
    client, school, more_pupils, django_assert_num_queries
):
    for _ in range(more_pupils):
        PupilFactory(tutor_group=school.p[0].tutor_group)
    client.force_login(person(school, Role.SENIOR_LEADER))
    # Session and user (2), the user's roles (1), the school (1), its settings (1).
    with django_assert_num_queries(5):
        assert client.get(URL).status_code == 200
