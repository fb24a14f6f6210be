"""The step before a school's sign-in page: the login page cannot know the person's
school, so they type their school email address and are offered the service(s) of the
school whose domains it is at (as links: the page's CSP keeps forms on this site). A
school's website may link straight to its buttons with ?school=<slug>."""

import pytest
from django.urls import reverse

from sso.models import IdentityProvider

from .conftest import provider_for

STEP = reverse("sso_school_account")


@pytest.fixture
def provider(world, idp_a):
    return provider_for(world.school, idp_a, domains=["test.school"])


def test_the_login_page_leads_to_the_school_account_step(client):
    response = client.get(reverse("login") + "?next=/planner/")

    assert f'href="{STEP}?next=/planner/"' in response.content.decode()


def test_an_email_at_the_schools_domain_is_offered_its_service(client, provider):
    response = client.post(STEP, {"email": "Pupil@Test.School", "next": "/planner/"})

    assert response.status_code == 200
    start = reverse("sso_start", args=[provider.pk])
    assert response.context["choices"] == [
        (provider, f"{start}?login_hint=pupil%40test.school&next=%2Fplanner%2F")
    ]
    assert "Sign in with Microsoft" in response.content.decode()


def test_an_email_no_school_signs_in_with_is_told_so(client, provider):
    response = client.post(STEP, {"email": "someone@gmail.com"})

    assert response.status_code == 200
    assert "No school here signs in with an account at @gmail.com" in response.content.decode()
    assert response.context["choices"] == []


def test_a_switched_off_service_is_not_offered(client, provider):
    IdentityProvider.objects.filter(pk=provider.pk).update(enabled=False)

    response = client.post(STEP, {"email": "pupil@test.school"})

    assert response.context["choices"] == []
    assert client.get(reverse("sso_start", args=[provider.pk])).status_code == 404


def test_an_unsafe_next_address_is_dropped(client, provider):
    response = client.post(STEP, {"email": "pupil@test.school", "next": "https://evil.example/"})

    assert "evil" not in response.context["choices"][0][1]


def test_a_schools_own_link_shows_its_buttons(client, world, provider):
    response = client.get(STEP, {"school": world.school.slug})

    assert response.status_code == 200
    assert [choice[0] for choice in response.context["choices"]] == [provider]
    assert client.get(STEP, {"school": "no-such-school"}).status_code == 404


@pytest.mark.parametrize("schools", [1, 4])
def test_the_step_costs_the_same_however_many_schools_sign_in(
    client, world, idp_a, schools, django_assert_num_queries
):
    from tests.factories import SchoolFactory

    provider_for(world.school, idp_a, domains=["test.school"])
    for n in range(schools - 1):
        provider_for(SchoolFactory(slug=f"trust-{n}"), idp_a, domains=[f"trust{n}.school"])
    # the services at the address's domain, with their schools
    with django_assert_num_queries(1):
        response = client.post(STEP, {"email": "pupil@test.school"})
    assert len(response.context["choices"]) == 1
