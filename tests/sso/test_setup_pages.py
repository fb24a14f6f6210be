"""The school admin's sign-in setup: adding a service (checked against the real provider's
discovery document), the form's refusals that save nothing, the secret kept encrypted,
the password switch and its break-glass admin, who has linked, and unlinking; each page
at a fixed number of queries."""

import pytest
from django.urls import reverse

from sso.models import IdentityLink, IdentityProvider, SignInPolicy
from sso.secrets import secret_decrypt

from .conftest import provider_for
from .idp import free_port

SETUP = reverse("sso_setup")
ADD = reverse("sso_provider_add")
PEOPLE = reverse("sso_people")


def form_data(idp, **changes):
    return {
        "kind": "microsoft",
        "label": "Microsoft",
        "issuer": idp.issuer,
        "client_id": idp.client_id,
        "client_secret": idp.client_secret,
        "domains": "Test.School, @pupils.test.school\n",
        "for_staff": "on",
        "for_pupils": "on",
        "enabled": "on",
    } | changes


def link(world, provider, user, subject):
    return IdentityLink.objects.create(
        school=provider.school,
        provider=provider,
        user=user,
        issuer=provider.issuer,
        subject=subject,
        email=user.email,
    )


def test_an_admin_adds_a_service_read_from_its_discovery_document(client, world, idp_a):
    client.force_login(world.school_admin)

    response = client.post(ADD, form_data(idp_a))

    assert response.status_code == 302
    provider = IdentityProvider.objects.get(school=world.school)
    assert provider.email_domains == ["test.school", "pupils.test.school"]
    assert provider.authorization_endpoint == f"{idp_a.issuer}/auth"
    assert provider.token_endpoint == f"{idp_a.issuer}/token"
    assert provider.jwks_uri == f"{idp_a.issuer}/jwks"
    assert idp_a.client_secret not in provider.client_secret_encrypted
    assert secret_decrypt(provider.client_secret_encrypted) == idp_a.client_secret
    assert (provider.for_staff, provider.for_pupils, provider.for_parents) == (True, True, False)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"issuer": "http://login.example.org"}, "The issuer must be an https address"),
        ({"domains": "test.school, not a domain"}, "These are not email domains: not, a, domain"),
        ({"domains": " , "}, "Name at least one email domain"),
        ({"client_secret": ""}, "This field is required"),
        ({"issuer": "http://127.0.0.1:{free}"}, "could not be checked"),
        ({"issuer": "{issuer}/"}, "copy the issuer exactly"),
    ],
)
def test_a_bad_service_is_refused_and_nothing_is_saved(client, world, idp_a, changes, message):
    client.force_login(world.school_admin)
    values = {
        key: value.format(free=free_port(), issuer=idp_a.issuer) for key, value in changes.items()
    }

    response = client.post(ADD, form_data(idp_a, **values))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IdentityProvider.objects.exists()


def test_a_second_service_of_the_same_kind_is_refused(client, world, idp_a):
    provider_for(world.school, idp_a, domains=["test.school"])
    client.force_login(world.school_admin)

    response = client.post(ADD, form_data(idp_a))

    assert response.status_code == 400
    assert "already has a Microsoft sign-in" in response.content.decode()
    assert IdentityProvider.objects.count() == 1


def test_changing_a_service_without_a_secret_keeps_the_saved_one(client, world, idp_a):
    provider = provider_for(world.school, idp_a, domains=["test.school"])
    client.force_login(world.school_admin)
    url = reverse("sso_provider_edit", args=[provider.pk])
    assert idp_a.client_secret not in client.get(url).content.decode()

    response = client.post(url, form_data(idp_a, client_secret="", label="Office 365"))

    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.label == "Office 365"
    assert secret_decrypt(provider.client_secret_encrypted) == idp_a.client_secret


def test_another_schools_service_answers_404(client, world, idp_a):
    provider = provider_for(world.school, idp_a, domains=["test.school"])
    client.force_login(world.other_school_staff)

    response = client.post(reverse("sso_provider_edit", args=[provider.pk]), form_data(idp_a))

    assert response.status_code == 404
    provider.refresh_from_db()
    assert provider.school == world.school


def test_password_login_goes_off_only_with_a_service_and_a_break_glass_admin(client, world, idp_a):
    client.force_login(world.school_admin)
    url = reverse("sso_policy")

    no_service = client.post(url, {"password_login_off": "on", "break_glass_admin": ""})
    assert no_service.status_code == 400
    text = no_service.content.decode()
    assert "Set up a sign-in service first" in text
    assert "Name a school admin who keeps their password" in text
    assert not SignInPolicy.objects.exists()

    provider_for(world.school, idp_a, domains=["test.school"])
    not_an_admin = client.post(
        url, {"password_login_off": "on", "break_glass_admin": world.teacher.pk}
    )
    assert not_an_admin.status_code == 400
    assert not SignInPolicy.objects.exists()

    response = client.post(
        url, {"password_login_off": "on", "break_glass_admin": world.school_admin.pk}
    )
    assert response.status_code == 302
    policy = SignInPolicy.objects.get(school=world.school)
    assert policy.password_login_off
    assert policy.break_glass_admin == world.school_admin


def test_the_people_page_shows_who_has_linked_and_unlinks(client, world, idp_a):
    provider = provider_for(world.school, idp_a, domains=["test.school"])
    teachers_link = link(world, provider, world.teacher, "t-sub")
    client.force_login(world.school_admin)

    everyone = client.get(PEOPLE).content.decode()
    linked = client.get(PEOPLE, {"show": "linked"}).content.decode()
    unlinked = client.get(PEOPLE, {"show": "unlinked"}).content.decode()

    assert ">teacher@test.school<" in everyone and ">pupil@test.school<" in everyone
    assert ">teacher@test.school<" in linked and ">pupil@test.school<" not in linked
    assert ">teacher@test.school<" not in unlinked and ">pupil@test.school<" in unlinked
    assert ">parent@test.school<" not in everyone  # parents keep passwords: not listed
    assert ">teacher@other.school<" not in everyone

    response = client.post(reverse("sso_unlink", args=[teachers_link.pk]))

    assert response.status_code == 302
    assert not IdentityLink.objects.exists()
    assert "is unlinked from Microsoft" in client.get(response["Location"]).content.decode()


def test_another_school_cannot_unlink_our_people(client, world, idp_a):
    provider = provider_for(world.school, idp_a, domains=["test.school"])
    teachers_link = link(world, provider, world.teacher, "t-sub")
    client.force_login(world.other_school_staff)

    response = client.post(reverse("sso_unlink", args=[teachers_link.pk]))

    assert response.status_code == 404
    assert IdentityLink.objects.filter(pk=teachers_link.pk).exists()


def _more_pupils_linked(world, provider, extra):
    from tests.factories import PupilFactory, UserFactory

    for n in range(extra):
        user = UserFactory(email=f"extra{n}@test.school", school=world.school)
        PupilFactory(tutor_group=world.tg_7a, user=user)
        link(world, provider, user, f"extra-{n}")


@pytest.mark.parametrize("extra", [0, 25])
def test_the_people_page_costs_the_same_however_many_people(
    client, world, idp_a, extra, django_assert_num_queries
):
    provider = provider_for(world.school, idp_a, domains=["test.school"])
    _more_pupils_linked(world, provider, extra)
    client.force_login(world.school_admin)
    # session, user, roles, the school; the people: count, page; their links
    with django_assert_num_queries(7):
        response = client.get(PEOPLE)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 10 + extra


@pytest.mark.parametrize("extra", [0, 25])
def test_the_setup_page_costs_the_same_however_many_links(
    client, world, idp_a, extra, django_assert_num_queries
):
    provider = provider_for(world.school, idp_a, domains=["test.school"])
    _more_pupils_linked(world, provider, extra)
    client.force_login(world.school_admin)
    # session, user, roles, the school; the services; the policy; the linked count; the
    # break-glass admin's choices; the history of changes
    with django_assert_num_queries(9):
        response = client.get(SETUP)
    assert response.status_code == 200
    assert response.context["linked_count"] == extra


def test_a_superuser_chooses_the_school_and_stays_at_it(client, world, idp_a, django_user_model):
    provider = provider_for(world.school, idp_a, domains=["test.school"])
    root = django_user_model.objects.create_superuser("root@example.org", "pw")
    client.force_login(root)

    chooser = client.get(SETUP)
    assert "Test Academy" in chooser.content.decode()
    assert f'href="{SETUP}?school=test"' in chooser.content.decode()

    page = client.get(SETUP, {"school": "test"})
    edit = reverse("sso_provider_edit", args=[provider.pk])
    assert f'href="{edit}?school=test"' in page.content.decode()
    assert client.get(ADD).status_code == 404  # a service needs its school named


def test_only_school_admins_see_sign_in_in_the_menu(client, world):
    client.force_login(world.school_admin)
    assert f'href="{SETUP}"' in client.get(reverse("home")).content.decode()
    client.force_login(world.teacher)
    assert f'href="{SETUP}"' not in client.get(reverse("home")).content.decode()
