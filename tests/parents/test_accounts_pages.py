"""The parent accounts page for school admins and senior leaders: the guardians with
parental responsibility, whether each has a login or an invitation waiting, filters by
year, tutor group and status, CSV, inviting a whole tutor group or year in one request,
who may use it, and its query budget."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parents.models import Invitation
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory
from tests.test_permissions import PERSONAS, persona

from .permission_rows_accounts import POST_ONLY
from .test_accounts_invitations import invite, new_guardian

LIST = reverse("parents_accounts")
INVITE_ALL = reverse("parents_accounts_invite_all")


def rows(response):
    return {guardian.pk: guardian for guardian in response.context["guardians"]}


def test_the_list_shows_guardians_with_parental_responsibility_and_their_account_status(
    client, world, django_capture_on_commit_callbacks
):
    invited = new_guardian(world, first_name="Ivy", last_name="Invited", email="ivy@example.org")
    invite(client, world.school_admin, invited, django_capture_on_commit_callbacks)
    no_email = new_guardian(world, first_name="Nia", last_name="Noemail", email="")
    fresh = new_guardian(world, world.classmate, first_name="Fay", last_name="Fresh")
    no_responsibility = GuardianFactory(school=world.school, last_name="Aunty")
    GuardianLinkFactory(
        guardian=no_responsibility, pupil=world.pupil, parental_responsibility=False
    )

    client.force_login(world.school_admin)
    response = client.get(LIST)
    assert response.status_code == 200
    shown = rows(response)
    assert set(shown) == {
        world.guardian.pk,
        world.other_guardian.pk,
        invited.pk,
        no_email.pk,
        fresh.pk,
    }
    assert shown[invited.pk].invited_until == Invitation.objects.get().expires_at
    assert shown[fresh.pk].invited_until is None
    assert [link.pupil for link in shown[world.guardian.pk].children] == [
        world.pupil,
        world.year8_pupil,
    ]
    text = response.content.decode()
    assert "Has a login" in text and "Invite again" in text
    assert "Cannot be invited" in text and "no email address on the school" in text
    assert "Aunty" not in text
    # Nobody at the other school, and only ours on its admin's page.
    client.force_login(world.other_school_staff)
    assert rows(client.get(LIST)) == {}


def test_the_filters_narrow_by_year_tutor_group_and_status(client, world):
    in_7b = new_guardian(world, world.classmate, email="7b@example.org")
    in_8a = new_guardian(world, world.year8_other, email="8a@example.org")
    client.force_login(world.senior_leader)

    response = client.get(LIST, {"tutor_group": world.tg_7b.pk})
    assert set(rows(response)) == {world.other_guardian.pk, in_7b.pk}
    text = " ".join(response.content.decode().split())
    assert "Invite all without a login in tutor group 7B" in text
    assert f'name="tutor_group" value="{world.tg_7b.pk}"' in text
    by_year = rows(client.get(LIST, {"year": world.y8.pk}))
    assert set(by_year) == {world.guardian.pk, in_8a.pk}  # Chidi is in year 8
    no_login = rows(client.get(LIST, {"year": world.y8.pk, "status": "no_login"}))
    assert set(no_login) == {in_8a.pk}


def test_a_filter_for_another_schools_group_is_refused_with_a_message(client, world):
    client.force_login(world.school_admin)
    response = client.get(LIST, {"tutor_group": world.other_tutor_group.pk})
    assert response.status_code == 400
    assert "Choose a tutor group from the list." in response.content.decode()


def test_the_csv_lists_the_filtered_guardians(client, world):
    new_guardian(world, world.classmate, first_name="Fay", last_name="Fresh", email="")
    client.force_login(world.school_admin)
    response = client.get(LIST, {"tutor_group": world.tg_7b.pk, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == ["Surname", "First name", "Email", "Children", "Account"]
    fresh = next(row for row in table if row[0] == "Fresh")
    assert fresh[3] == "Bartek Nowak (7B)"
    assert fresh[4] == "Cannot be invited: no email address on the school's records"
    assert len(table) == 3


def test_invite_all_invites_everyone_without_a_login_in_the_group_in_one_request(
    client, world, django_capture_on_commit_callbacks
):
    first = new_guardian(world, world.classmate, email="one@example.org")
    second = new_guardian(world, world.classmate, email="two@example.org")
    no_email = new_guardian(world, world.classmate, email="")
    waiting = new_guardian(world, world.classmate, email="waiting@example.org")
    invite(client, world.school_admin, waiting, django_capture_on_commit_callbacks)
    elsewhere = new_guardian(world, world.pupil, email="7a@example.org")
    mail.outbox.clear()

    back = LIST + f"?tutor_group={world.tg_7b.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE_ALL, {"tutor_group": world.tg_7b.pk, "back": back})
    assert response.status_code == 302 and response["Location"] == back
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.org", "two@example.org"]
    assert set(Invitation.objects.values_list("guardian_id", flat=True)) == {
        first.pk,
        second.pk,
        waiting.pk,
    }
    assert Invitation.objects.filter(guardian=waiting).count() == 1, "not sent twice"
    assert not Invitation.objects.filter(guardian__in=[no_email, elsewhere]).exists()
    said = [str(m) for m in response.wsgi_request._messages]
    assert any("(2 in all)" in m for m in said)
    assert "Not invited (already invited): 1." in said
    assert "Not invited (no email address on the school's records): 1." in said


def test_invite_all_needs_a_year_or_tutor_group(client, world, django_capture_on_commit_callbacks):
    new_guardian(world)
    client.force_login(world.school_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE_ALL, {})
    assert response.status_code == 302
    assert not Invitation.objects.exists() and mail.outbox == []
    page = client.get(response["Location"]).content.decode()
    assert "Nobody was invited: Choose a year or a tutor group" in page


def test_invite_all_for_another_schools_group_invites_nobody(
    client, world, django_capture_on_commit_callbacks
):
    new_guardian(world)
    client.force_login(world.other_school_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(INVITE_ALL, {"tutor_group": world.tg_7a.pk})
    assert not Invitation.objects.exists() and mail.outbox == []


def test_the_back_address_must_be_the_list(client, world, django_capture_on_commit_callbacks):
    guardian = new_guardian(world)
    client.force_login(world.school_admin)
    url = reverse("parents_guardian_invite", args=[guardian.pk])
    response = client.post(url, {"back": "https://evil.example/"})
    assert response["Location"] == LIST


@pytest.mark.parametrize("page", POST_ONLY)
@pytest.mark.parametrize("who", PERSONAS)
def test_get_on_a_post_address_answers_405_to_its_users_and_404_to_others(client, world, page, who):
    build_url, allowed = POST_ONLY[page]
    client.force_login(persona(world, who))
    response = client.get(build_url(world))
    assert response.status_code == (405 if who in allowed else 404)


@pytest.mark.parametrize("who", ["teacher", "head_of_year", "parent", "pupil_user", "lsa"])
def test_only_admins_and_senior_leaders_may_invite_or_issue_codes(
    client, world, who, django_capture_on_commit_callbacks
):
    guardian = new_guardian(world)
    client.force_login(persona(world, who))
    for url in (
        reverse("parents_guardian_invite", args=[guardian.pk]),
        reverse("parents_guardian_link_code", args=[guardian.pk]),
    ):
        assert client.post(url).status_code == 404
    assert client.post(INVITE_ALL, {"tutor_group": world.tg_7a.pk}).status_code == 404
    assert not Invitation.objects.exists() and mail.outbox == []


def _families(world, count):
    """Two guardians per child: the first invited, the second without an email address
    for every third child."""
    now = timezone.now()
    for n in range(count):
        child = PupilFactory(tutor_group=world.tg_7b)
        invited = GuardianFactory(school=world.school)
        GuardianLinkFactory(guardian=invited, pupil=child)
        Invitation.objects.create(
            school=world.school,
            guardian=invited,
            email=invited.email,
            token_hash=f"{n:064d}",
            created_at=now,
            expires_at=now + datetime.timedelta(days=14),
        )
        other = GuardianFactory(school=world.school, **({"email": ""} if n % 3 == 0 else {}))
        GuardianLinkFactory(guardian=other, pupil=child)


@pytest.mark.parametrize("families", [1, 20])
def test_the_list_costs_the_same_queries_for_one_family_or_many(
    client, world, django_assert_num_queries, families
):
    _families(world, families)
    client.force_login(world.school_admin)
    # session, user, roles, year choices, tutor group choices, the chosen tutor group,
    # the count, the page of guardians (with their pending invitation), their children.
    with django_assert_num_queries(9):
        response = client.get(LIST, {"tutor_group": world.tg_7b.pk})
    assert len(response.context["guardians"]) == 2 * families + 1
