"""Erasing a guardian's record: from the lead's guardian page, through a page that says
what goes, what stays and why (a reason is required), in one transaction. Their names
and contact details, links, invitations, codes, choices and waiting notifications go;
their login ends unless it serves another record or a role; the school's records stay,
naming the erased record; the history keeps which fields changed, not what they were."""

from datetime import timedelta

import pytest
from axes.models import AccessLog
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification, Preference
from parents.models import Invitation, LinkCode, Message, Thread
from privacy.erasure.services import ERASED_VALUE, ErasureError, guardian_erase
from school.models import Guardian, GuardianLink, PersonChange, RoleAssignment, User
from tests.factories import PASSWORD, GuardianFactory, GuardianLinkFactory, PupilFactory

Source = PersonChange.Source


@pytest.fixture
def family(world):
    """The parent's record with what the apps above hold about it."""
    guardian, now = world.guardian, timezone.now()
    later = now + timedelta(days=7)
    Invitation.objects.create(
        school=world.school,
        guardian=guardian,
        email=guardian.email or "ngozi@example.org",
        token_hash="a" * 64,
        created_at=now,
        expires_at=later,
    )
    LinkCode.objects.create(
        school=world.school, guardian=guardian, code_hash="b" * 64, created_at=now, expires_at=later
    )
    Preference.objects.create(school=world.school, guardian=guardian, kind="detention_booked")
    sent = Notification.objects.create(
        school=world.school,
        guardian=guardian,
        pupil=world.pupil,
        kind="detention_booked",
        status=Notification.Status.SENT,
    )
    waiting = Notification.objects.create(
        school=world.school, guardian=guardian, pupil=world.pupil, kind="detention_booked"
    )
    thread = Thread.objects.create(
        school=world.school,
        pupil=world.pupil,
        guardian=guardian,
        staff=world.teacher,
        subject="Homework",
        created_at=now,
        last_message_at=now,
    )
    Message.objects.create(
        school=world.school,
        thread=thread,
        author=world.parent,
        from_guardian=True,
        body="Thank you",
        sent_at=now,
    )
    PersonChange.objects.create(
        school=world.school,
        guardian=guardian,
        field="Mobile",
        old_value="07700 900000",
        new_value=guardian.mobile,
        changed_by=world.school_admin,
        changed_at=now - timedelta(days=30),
        source=Source.SETUP,
    )
    return {"sent": sent, "waiting": waiting, "thread": thread}


def log_in(client, email):
    return client.post(reverse("login"), {"username": email, "password": PASSWORD})


def erase(client, world, guardian, reason="Removed from the pupil's contacts by the MIS"):
    client.force_login(world.school_admin)
    return client.post(reverse("privacy_guardian_erase", args=[guardian.pk]), {"reason": reason})


def test_the_confirmation_page_says_what_goes_what_stays_and_why(client, world, family):
    client.force_login(world.school_admin)
    guardian_page = client.get(reverse("privacy_guardian", args=[world.guardian.pk]))
    erase_url = reverse("privacy_guardian_erase", args=[world.guardian.pk])
    assert erase_url in guardian_page.content.decode()
    assert reverse("privacy_erasure") in guardian_page.content.decode()

    page = client.get(erase_url).content.decode()

    assert "What is erased" in page and "What stays, and why" in page
    assert "Amara Okafor" in page  # the child whose link goes
    assert "invitations to set up a login" in page  # parents' step
    assert "Notifications already sent" in page  # notifications' step keeps
    assert "Home-school agreements they signed" in page
    assert Guardian.objects.get(pk=world.guardian.pk).erased_at is None  # GET erases nothing


def test_erasing_needs_a_reason_and_keeps_everything_without_one(client, world, family):
    response = erase(client, world, world.guardian, reason="   ")

    assert response.status_code == 400
    assert "Say why the record is erased." in response.content.decode()
    guardian = Guardian.objects.get(pk=world.guardian.pk)
    assert guardian.erased_at is None and guardian.first_name == "Ngozi"
    assert Invitation.objects.filter(guardian=guardian).exists()


def test_erasing_a_parent_empties_their_record_everywhere_it_is_safe_and_keeps_the_schools(
    client, world, family
):
    guardian = world.guardian
    children = {world.pupil.pk, world.year8_pupil.pk}

    response = erase(client, world, guardian)

    assert response.status_code == 302
    assert response["Location"] == reverse("privacy_guardian", args=[guardian.pk])
    guardian.refresh_from_db()
    assert (guardian.first_name, guardian.last_name, guardian.title) == (
        "Erased",
        "parent or carer",
        "",
    )
    assert (guardian.email, guardian.mobile, guardian.home_phone, guardian.address) == (
        "",
        "",
        "",
        "",
    )
    assert guardian.erased_at is not None and guardian.user is None
    assert not GuardianLink.objects.filter(guardian=guardian).exists()
    assert not Invitation.objects.filter(guardian=guardian).exists()
    assert not LinkCode.objects.filter(guardian=guardian).exists()
    assert not Preference.objects.filter(guardian=guardian).exists()
    # The waiting notification is never sent; the sent one stays as the school's record.
    statuses = dict(Notification.objects.filter(guardian=guardian).values_list("pk", "status"))
    assert statuses == {
        family["sent"].pk: Notification.Status.SENT,
        family["waiting"].pk: Notification.Status.DISCARDED,
    }
    # The thread and the parent's message stay, with the record they belong to.
    assert Thread.objects.get(pk=family["thread"].pk).guardian_id == guardian.pk
    assert Message.objects.filter(thread=family["thread"]).count() == 1
    # The history: which fields went, by whom, why; not what they were.
    erased = PersonChange.objects.filter(guardian=guardian, source=Source.ERASURE)
    rows = {row.field: row for row in erased}
    assert {"First name", "Last name", "Email", "Mobile", "Login", "Record erased"} <= set(rows)
    assert rows["First name"].old_value == ERASED_VALUE
    assert rows["First name"].new_value == "Erased"
    assert rows["Record erased"].new_value == "Removed from the pupil's contacts by the MIS"
    assert rows["Mobile"].changed_by == world.school_admin
    earlier = PersonChange.objects.get(guardian=guardian, source=Source.SETUP)
    assert (earlier.old_value, earlier.new_value) == (ERASED_VALUE, ERASED_VALUE)
    # The children's records say a parent or carer was removed, without the name.
    removed = PersonChange.objects.filter(pupil_id__in=children, source=Source.ERASURE)
    assert {row.pupil_id for row in removed} == children
    assert all("Ngozi" not in row.old_value for row in removed)
    assert all(row.old_value.startswith("Erased parent or carer") for row in removed)
    everything = " ".join(
        PersonChange.objects.filter(school=world.school).values_list("old_value", flat=True)
    ) + " ".join(
        PersonChange.objects.filter(school=world.school).values_list("new_value", flat=True)
    )
    assert "Ngozi" not in everything and "parent@test.school" not in everything


def test_the_parents_login_ends_and_an_open_session_is_logged_out(client, world, family):
    parent = world.parent
    parent_client = type(client)()
    log_in(parent_client, "parent@test.school")
    assert parent_client.get(reverse("home")).status_code == 200
    assert AccessLog.objects.filter(username="parent@test.school").exists()

    erase(client, world, world.guardian)

    parent.refresh_from_db()
    assert not parent.is_active and not parent.has_usable_password()
    assert parent.email.endswith("@erased.invalid")
    assert not User.objects.filter(email__iexact="parent@test.school").exists()
    assert not AccessLog.objects.filter(username="parent@test.school").exists()
    client.logout()
    assert SESSION_KEY not in log_in(client, "parent@test.school").wsgi_request.session
    # The session they had open is theirs no more: the next request is anonymous.
    response = parent_client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not response.wsgi_request.user.is_authenticated


def test_a_login_that_serves_a_record_at_another_school_stays(client, world):
    parent = world.parent
    parent.set_password(PASSWORD)
    parent.save()
    other_record = GuardianFactory(school=world.other_school, user=parent, first_name="Ngozi")
    GuardianLinkFactory(guardian=other_record, pupil=world.other_school_pupil)

    erase(client, world, world.guardian)

    parent.refresh_from_db()
    assert parent.is_active and parent.email == "parent@test.school"
    client.logout()
    assert log_in(client, "parent@test.school").wsgi_request.session[SESSION_KEY] == str(parent.pk)
    assert list(parent.guardian_records.all()) == [other_record]
    other_record.refresh_from_db()
    assert other_record.erased_at is None and other_record.first_name == "Ngozi"


def test_a_staff_members_login_stays_when_their_parent_record_is_erased(world):
    teacher = world.teacher
    guardian = GuardianFactory(school=world.school, user=teacher)
    GuardianLinkFactory(guardian=guardian, pupil=world.classmate)
    assert RoleAssignment.objects.filter(user=teacher).exists()

    erasure = guardian_erase(guardian=guardian, actor=world.school_admin, reason="Asked to")

    teacher.refresh_from_db()
    assert teacher.is_active and erasure.login_kept and not erasure.login_ended


def test_a_record_is_erased_once(world):
    guardian_erase(guardian=world.guardian, actor=world.school_admin, reason="Asked to")
    with pytest.raises(ErasureError):
        guardian_erase(guardian=world.guardian, actor=world.school_admin, reason="Again")


def test_another_schools_lead_cannot_erase_our_parent(client, world, family):
    client.force_login(world.other_school_staff)
    url = reverse("privacy_guardian_erase", args=[world.guardian.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "Not theirs"}).status_code == 404
    assert Guardian.objects.get(pk=world.guardian.pk).erased_at is None


def test_the_erasure_list_shows_parents_no_child_is_linked_to(client, world):
    removed = GuardianFactory(school=world.school, first_name="Removed", last_name="Parent")
    GuardianFactory(school=world.other_school, first_name="Elsewhere", last_name="Parent")
    erased = GuardianFactory(school=world.school, first_name="Gone", last_name="Before")
    guardian_erase(guardian=erased, actor=world.school_admin, reason="Asked to")
    client.force_login(world.school_admin)

    page = client.get(reverse("privacy_erasure")).content.decode()

    assert "Removed Parent" in page
    assert reverse("privacy_guardian", args=[removed.pk]) in page
    assert "Ngozi" not in page  # linked to children
    assert "Elsewhere" not in page and "Erased parent" not in page


@pytest.mark.parametrize("extra", [0, 60])
def test_the_erasure_list_costs_the_same_however_many_parents(
    client, world, extra, django_assert_max_num_queries
):
    GuardianFactory.create_batch(extra, school=world.school)
    client.force_login(world.school_admin)
    # session, user, roles, the school; the unlinked parents: count, page.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("privacy_erasure")).status_code == 200


@pytest.mark.parametrize("children", [1, 8])
def test_the_confirmation_page_and_the_erasure_cost_the_same_however_many_children(
    client, world, children, django_assert_max_num_queries
):
    guardian = GuardianFactory(school=world.school)
    for _n in range(children):
        GuardianLinkFactory(guardian=guardian, pupil=PupilFactory(tutor_group=world.tg_7a))
    client.force_login(world.school_admin)
    url = reverse("privacy_guardian_erase", args=[guardian.pk])
    # session, user, roles, the guardian with their school, their children.
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    # The same reads; in a savepoint: the guardian locked, their links, the history's scrub
    # (their own rows' two updates, their children's one), the links' delete, the record's
    # update, the history's insert, each app's step (parents 2, notifications 2,
    # consultations 1); then the message. (A record with a login adds its checks and update.)
    with django_assert_max_num_queries(19):
        assert client.post(url, {"reason": "Asked to be forgotten"}).status_code == 302
