"""The data protection lead's home, search and person pages: a lead (the new role, or a
school admin) at their own school; superusers choose the school; nobody else. Each page
costs a fixed number of queries, however many people match."""

import pytest
from django.urls import reverse

from school.models import RoleAssignment
from tests.conftest import staff
from tests.factories import GuardianFactory, PupilFactory, UserFactory

Role = RoleAssignment.Role


@pytest.fixture
def lead(world):
    return staff(world.school, "dpl@test.school", (Role.DATA_PROTECTION_LEAD, {}))


def test_a_data_protection_lead_finds_a_pupil_and_a_parent_and_opens_their_pages(
    client, world, lead
):
    client.force_login(lead)
    home = client.get(reverse("privacy_home"))
    assert home.status_code == 200
    assert "Data protection" in home.content.decode()

    found = client.get(reverse("privacy_people"), {"q": "okafor"}).content.decode()
    assert "Amara Okafor" in found and "Chidi Okafor" in found
    assert reverse("privacy_pupil", args=[world.pupil.pk]) in found
    assert reverse("privacy_guardian", args=[world.guardian.pk]) in found
    assert "Zed" not in found  # the other school's pupil

    assert client.get(reverse("privacy_pupil", args=[world.pupil.pk])).status_code == 200
    guardian_page = client.get(reverse("privacy_guardian", args=[world.guardian.pk]))
    assert "Amara Okafor" in guardian_page.content.decode()


def test_the_lead_finds_by_upn_and_email(client, world, lead):
    client.force_login(lead)
    found = client.get(reverse("privacy_people"), {"q": world.pupil.upn}).content.decode()
    assert "Amara Okafor" in found and "Bartek" not in found
    found = client.get(reverse("privacy_people"), {"q": "PARENT@test.school"}).content.decode()
    assert "Ngozi" in found


def test_the_data_protection_menu_and_pupil_page_link_are_for_leads_only(client, world, lead):
    client.force_login(lead)
    assert reverse("privacy_home") in client.get(reverse("home")).content.decode()
    client.force_login(world.school_admin)
    pupil_page = client.get(reverse("pupil_detail", args=[world.pupil.pk])).content.decode()
    assert reverse("privacy_pupil", args=[world.pupil.pk]) in pupil_page
    client.force_login(world.senior_leader)
    # (Every page's footer links to the privacy notice, under /privacy/ too.)
    assert f'href="{reverse("privacy_home")}"' not in client.get(reverse("home")).content.decode()
    pupil_page = client.get(reverse("pupil_detail", args=[world.pupil.pk])).content.decode()
    assert reverse("privacy_pupil", args=[world.pupil.pk]) not in pupil_page


def test_a_lead_of_another_school_gets_404_for_our_people(client, world):
    other_lead = staff(world.other_school, "dpl@other.school", (Role.DATA_PROTECTION_LEAD, {}))
    client.force_login(other_lead)
    assert client.get(reverse("privacy_pupil", args=[world.pupil.pk])).status_code == 404
    assert client.get(reverse("privacy_guardian", args=[world.guardian.pk])).status_code == 404
    assert client.get(reverse("privacy_home") + "?school=test").status_code == 404
    found = client.get(reverse("privacy_people"), {"q": "Okafor"}).content.decode()
    assert "Amara" not in found


def test_a_superuser_chooses_the_school(client, world):
    client.force_login(UserFactory(email="root@example.org", is_superuser=True, is_staff=True))
    choose = client.get(reverse("privacy_home")).content.decode()
    assert "Test Academy" in choose and "Other Academy" in choose
    found = client.get(reverse("privacy_people"), {"q": "Okafor", "school": "test"})
    assert "Amara Okafor" in found.content.decode()
    assert client.get(reverse("privacy_pupil", args=[world.pupil.pk])).status_code == 200


@pytest.mark.parametrize("extra", [0, 60])
def test_the_search_costs_the_same_however_many_match(
    client, world, lead, extra, django_assert_max_num_queries
):
    for n in range(extra):
        PupilFactory(tutor_group=world.tg_7a, first_name=f"Kit{n}", last_name="Okafor")
        GuardianFactory(school=world.school, first_name=f"Jo{n}", last_name="Okafor")
    client.force_login(lead)
    # session, user, roles, the school; pupils: count, page; guardians: count, page.
    with django_assert_max_num_queries(8):
        response = client.get(reverse("privacy_people"), {"q": "Okafor"})
    assert response.status_code == 200


def test_the_home_leads_to_each_duty(client, world, lead):
    client.force_login(lead)
    home = client.get(reverse("privacy_home")).content.decode()
    for name in [
        "privacy_exports",
        "privacy_retention",
        "privacy_access_log",
        "privacy_access_log_unusual",
        "privacy_erasure",
        "privacy_notice_edit",
    ]:
        assert reverse(name) in home, name


def test_the_home_costs_a_fixed_number_of_queries(
    client, world, lead, django_assert_max_num_queries
):
    client.force_login(lead)
    # session, user, roles, the school.
    with django_assert_max_num_queries(4):
        assert client.get(reverse("privacy_home")).status_code == 200


def test_a_search_with_a_nul_byte_or_too_long_is_refused_in_words(client, world, lead):
    client.force_login(lead)
    response = client.get(reverse("privacy_people"), {"q": "Oka\x00for"})
    assert response.status_code == 200
    assert "Search with letters and numbers only." in response.content.decode()
    response = client.get(reverse("privacy_people"), {"q": "x" * 500})
    assert "Search with at most" in response.content.decode()
