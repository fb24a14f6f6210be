"""Who changed the school's sign-in services or its password switch, and when: written by
the setup pages, shown on the setup page newest first (the last 20), naming what changed
and never a secret; a refused form writes nothing; one school's history is not another's."""

import html

import pytest
from django.urls import reverse

from sso.models import IdentityProvider, SetupChange
from sso.setup import HISTORY_SHOWN, change_record

from .conftest import provider_for
from .test_setup_pages import form_data

SETUP = reverse("sso_setup")
ADD = reverse("sso_provider_add")
POLICY = reverse("sso_policy")


def history_of(school):
    return list(SetupChange.objects.filter(school=school).order_by("changed_at", "pk"))


def test_adding_and_changing_a_service_is_recorded_with_who_and_never_the_secret(
    client, world, idp_a
):
    client.force_login(world.school_admin)
    assert client.post(ADD, form_data(idp_a)).status_code == 302
    provider = IdentityProvider.objects.get(school=world.school)
    edit = reverse("sso_provider_edit", args=[provider.pk])
    assert (
        client.post(
            edit, form_data(idp_a, label="Office 365", client_secret="a-new-secret-value")
        ).status_code
        == 302
    )

    added, changed = history_of(world.school)
    assert added.changed_by == world.school_admin
    assert added.what.startswith("Added the sign-in service Microsoft:")
    assert "Email domains: test.school, pupils.test.school" in added.what
    assert changed.changed_by == world.school_admin
    assert changed.what == (
        "Changed the sign-in service Office 365: Label: Microsoft → Office 365; "
        "Client secret: replaced"
    )
    for change in (added, changed):
        assert idp_a.client_secret not in change.what
        assert "a-new-secret-value" not in change.what
    page = html.unescape(client.get(SETUP).content.decode())
    assert page.index("Label: Microsoft → Office 365") < page.index("Added the sign-in service")
    assert "a-new-secret-value" not in page


def test_the_password_switch_is_recorded_each_way(client, world, idp_a):
    provider_for(world.school, idp_a, domains=["test.school"])
    SetupChange.objects.all().delete()
    client.force_login(world.school_admin)

    client.post(POLICY, {"password_login_off": "on", "break_glass_admin": world.school_admin.pk})
    client.post(POLICY, {"break_glass_admin": world.school_admin.pk})

    off, on = history_of(world.school)
    assert off.what == (
        "Password login: Staff and pupils sign in only with the school account: No → Yes; "
        f"Break glass admin: (none) → {world.school_admin}"
    )
    assert on.what == (
        "Password login: Staff and pupils sign in only with the school account: Yes → No"
    )
    assert {off.changed_by, on.changed_by} == {world.school_admin}


def test_a_refused_form_or_a_save_changing_nothing_records_nothing(client, world, idp_a):
    client.force_login(world.school_admin)
    refused = client.post(POLICY, {"password_login_off": "on", "break_glass_admin": ""})
    assert refused.status_code == 400
    assert not SetupChange.objects.exists()

    provider = provider_for(world.school, idp_a, domains=["test.school", "pupils.test.school"])
    before = SetupChange.objects.count()
    edit = reverse("sso_provider_edit", args=[provider.pk])
    assert client.post(edit, form_data(idp_a, client_secret="")).status_code == 302
    assert SetupChange.objects.count() == before


def test_the_page_shows_the_last_twenty_of_this_school_only(client, world):
    for n in range(HISTORY_SHOWN + 1):
        change_record(school=world.school, by=world.school_admin, what=f"Change number {n:02d}")
    change_record(school=world.other_school_staff.school, by=None, what="The other school's change")
    client.force_login(world.school_admin)

    response = client.get(SETUP)

    history = response.context["history"]
    assert [change.what for change in history][:2] == ["Change number 20", "Change number 19"]
    assert len(history) == HISTORY_SHOWN
    text = response.content.decode()
    assert "Change number 00" not in text
    assert "The other school" not in text


@pytest.mark.parametrize("extra", [0, 30])
def test_the_setup_page_costs_the_same_however_long_the_history(
    client, world, extra, django_assert_num_queries
):
    for n in range(extra):
        change_record(school=world.school, by=world.school_admin, what=f"Change {n}")
    client.force_login(world.school_admin)
    # session, user, roles, the school; the services; the policy; the linked count; the
    # break-glass admin's choices; the history with who
    with django_assert_num_queries(9):
        response = client.get(SETUP)
    assert response.status_code == 200
    assert len(response.context["history"]) == min(extra, HISTORY_SHOWN)
