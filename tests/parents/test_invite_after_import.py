"""After an import of pupils and contacts, a school admin invites the guardians it brought
in one click, from the import's page: those of the pupils the file added or changed with
an email address, no login and no invitation waiting; the parents' own invitation (its
email, its link). A second click sends nothing. Driven through the upload, confirm and
invite requests, committing as the pages do, with the mail read from an SMTP server."""

import re
import time
from urllib.parse import urlsplit

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mis.models import ImportRun
from parents.models import Invitation
from school.models import Guardian, RoleAssignment
from tests.conftest import staff
from tests.factories import SchoolFactory, UserFactory
from tests.mis.ctf_builder import ctf_pupils, ctf_xml
from tests.mis.ctf_fixtures import ctf_school_make
from tests.smtp_sink import body_text

Role = RoleAssignment.Role
Status = ImportRun.Status


def pupils():
    """Four pupils and five guardians: the first two pupils share their mother, the last
    pupil's only contact has no email address."""
    made = ctf_pupils(4)
    made[3]["contacts"][0]["email"] = ""
    return made


def emails_of(pupil) -> list[str]:
    return [contact["email"] for contact in pupil["contacts"] if contact["email"]]


@pytest.fixture
def school(transactional_db):
    school = ctf_school_make()
    school.admin = staff(school, "admin@made-up.example", (Role.SCHOOL_ADMIN, {}))
    school.leader = staff(school, "slt@made-up.example", (Role.SENIOR_LEADER, {}))
    school.teacher = staff(school, "teacher@made-up.example", (Role.TEACHER, {}))
    return school


def imported(client, school, content: bytes) -> ImportRun:
    """The admin uploads the CTF and confirms its preview; the run is applied."""
    client.force_login(school.admin)
    upload = SimpleUploadedFile("pupils.xml", content, content_type="text/xml")
    response = client.post(reverse("mis_import_upload"), {"kind": "ctf_pupils", "file": upload})
    assert response.status_code == 302, response.content.decode()
    run = ImportRun.objects.filter(school=school).latest("pk")
    assert run.status == Status.READY, run.message
    client.post(reverse("mis_import_apply", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.APPLIED, run.message
    return run


def invite(client, run):
    """Posts the button; the response, and the messages the page it leads to shows."""
    response = client.post(reverse("parents_import_invite", args=[run.pk]))
    shown = []
    if response.status_code == 302:
        shown = [
            str(message) for message in get_messages(client.get(response["Location"]).wsgi_request)
        ]
    return response, shown


def test_an_admin_invites_the_guardians_an_import_brought_once(client, school, smtp_sink):
    made = pupils()
    run = imported(client, school, ctf_xml(made))
    father_2 = Guardian.objects.get(school=school, email=made[2]["contacts"][1]["email"])
    father_2.user = UserFactory(email=father_2.email, school=None)
    father_2.save()
    expected = sorted(set(emails_of(made[0]) + emails_of(made[1]) + [emails_of(made[2])[0]]))
    assert len(expected) == 3  # the shared mother once; the father with a login left out

    page = client.get(reverse("mis_import_run", args=[run.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Invite the new guardians" in text
    assert "Invite 3 guardians" in text

    response, shown = invite(client, run)
    assert response.status_code == 302
    assert response["Location"] == reverse("mis_import_run", args=[run.pk])
    assert shown == [
        "Invitation sent to 3 guardians of the pupils this import added or changed. Each "
        "gets an email with a link to set up their login."
    ]
    assert sorted(Invitation.objects.values_list("email", flat=True)) == expected
    assert set(Invitation.objects.values_list("created_by", flat=True)) == {school.admin.pk}
    links = {}
    for email in expected:
        message = smtp_sink.wait_for(lambda m, email=email: m["To"] == email)
        (links[email],) = re.findall(r"http://\S+/parents/invitations/\S+/", body_text(message))

    response, shown = invite(client, run)
    assert response.status_code == 302
    assert shown == [
        "Nobody new to invite: every guardian of these pupils with an email address already "
        "has a login or an invitation waiting."
    ]
    assert Invitation.objects.count() == 3
    time.sleep(0.5)  # anything sent by the second click would have arrived by now
    assert len(smtp_sink.messages) == 3
    again = client.get(reverse("mis_import_run", args=[run.pk])).content.decode()
    assert "already has a login or an invitation waiting" in again
    assert "Invite 3 guardians" not in again

    # The shared mother follows her link, chooses a password and sees both children.
    mother = made[0]["contacts"][0]["email"]
    client.logout()
    link = urlsplit(links[mother]).path
    response = client.post(link, {"password1": "Crane-Lantern-47", "password2": "Crane-Lantern-47"})
    assert response.status_code == 302
    guardian = Guardian.objects.get(school=school, email=mother)
    assert guardian.user is not None and guardian.user.email == mother
    overview = client.get(response["Location"], follow=True).content.decode()
    for child in made[:2]:
        assert child["forename"] in overview


def test_only_the_guardians_of_pupils_the_import_added_or_changed_are_invited(
    client, school, smtp_sink
):
    made = pupils()
    imported(client, school, ctf_xml(made))
    made[3]["contacts"].append(
        {**made[2]["contacts"][1], "order": 2, "forename": "Ruth", "email": "ruth@example.org"}
    )
    second = imported(client, school, ctf_xml(made))
    assert second.counts["changed"] == 1 and second.counts["unchanged"] == 3

    response, shown = invite(client, second)

    assert shown[0].startswith("Invitation sent to 1 guardian of the pupils")
    assert list(Invitation.objects.values_list("email", flat=True)) == ["ruth@example.org"]
    smtp_sink.wait_for(lambda m: m["To"] == "ruth@example.org")


@pytest.mark.parametrize("who", ["leader", "teacher", "other_admin", "superuser"])
def test_only_the_schools_admins_may_invite_an_imports_guardians(client, school, who, smtp_sink):
    run = imported(client, school, ctf_xml(pupils()))
    other = SchoolFactory(slug="other")
    people = {
        "leader": school.leader,
        "teacher": school.teacher,
        "other_admin": staff(other, "admin@other.example", (Role.SCHOOL_ADMIN, {})),
        "superuser": UserFactory(email="root@example.org", is_superuser=True, school=None),
    }
    client.force_login(people[who])

    response, _ = invite(client, run)

    assert response.status_code == 404
    assert not Invitation.objects.exists()
    if who != "superuser":
        assert client.get(reverse("mis_import_run", args=[run.pk])).status_code == 404


def test_the_button_answers_post_only(client, school):
    run = imported(client, school, ctf_xml(pupils()))
    assert client.get(reverse("parents_import_invite", args=[run.pk])).status_code == 405
    assert not Invitation.objects.exists()


def test_the_page_offers_no_invitations_for_a_file_not_applied_or_without_contacts(client, school):
    client.force_login(school.admin)
    ready = ImportRun.objects.create(
        school=school,
        kind="ctf_pupils",
        file_name="pupils.xml",
        status=Status.READY,
        counts={"added": 1},
        changes=[{"action": "add", "key": "A123456789012", "label": "A pupil", "fields": []}],
    )
    staff_file = ImportRun.objects.create(
        school=school, kind="staff", file_name="staff.csv", status=Status.APPLIED
    )
    for run in (ready, staff_file):
        page = client.get(reverse("mis_import_run", args=[run.pk]))
        assert page.status_code == 200
        assert "Invite the new guardians" not in page.content.decode()
        response, _ = invite(client, run)
        assert response.status_code == 302
    assert not Invitation.objects.exists()


def test_the_run_page_with_the_invitation_costs_the_same_queries_for_more_pupils(
    client, school, django_assert_max_num_queries
):
    small = imported(client, school, ctf_xml(ctf_pupils(3)))
    big = imported(client, school, ctf_xml(ctf_pupils(60, seed=7)))
    client.force_login(school.admin)
    for run in (small, big):
        with django_assert_max_num_queries(12):
            page = client.get(reverse("mis_import_run", args=[run.pk]))
        assert "Invite the new guardians" in page.content.decode()
