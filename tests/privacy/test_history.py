"""Every change of a pupil's flags or details and of a guardian's details through the
product keeps who changed what and when (PersonChange): the admin's pupil and guardian
pages and their links, the CTF import of pupils and contacts, the pupil flags CSV. The
data protection lead reads the latest on the person's page and every change as CSV."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mis.filekinds.pupils import CtfPupils
from school.models import Guardian, GuardianLink, PersonChange, Pupil
from tests.factories import GuardianFactory
from tests.mis.csv_helpers import apply as csv_apply
from tests.mis.csv_helpers import csv_text
from tests.mis.ctf_builder import ctf_xml
from tests.mis.ctf_fixtures import TODAY
from tests.mis.test_pupils_history import world_roll
from tests.school.admin_cast import form_data

Source = PersonChange.Source


def rows_of(**person) -> set[tuple]:
    return set(
        PersonChange.objects.filter(**person).values_list(
            "field", "old_value", "new_value", "changed_by__email", "source"
        )
    )


def admin_url(name, *args):
    return reverse(f"admin:school_{name}", args=args)


def test_the_admin_keeps_each_changed_flag_of_a_pupil_with_who_and_how(client, world):
    pupil = world.pupil
    client.force_login(world.school_admin)
    page = client.get(admin_url("pupil_change", pupil.pk))
    data = form_data(page)
    data.pop("eal")  # unticked
    data["sen"] = Pupil.Sen.EHCP
    data["first_name"] = "Amarachi"

    response = client.post(admin_url("pupil_change", pupil.pk), data)

    assert response.status_code == 302
    assert rows_of(pupil=pupil) == {
        ("EAL", "Yes", "No", "admin@test.school", Source.SETUP),
        ("SEN", "None", "EHC plan", "admin@test.school", Source.SETUP),
        ("First name", "Amara", "Amarachi", "admin@test.school", Source.SETUP),
    }
    # Saving again unchanged keeps nothing more.
    client.post(
        admin_url("pupil_change", pupil.pk), form_data(client.get(page.request["PATH_INFO"]))
    )
    assert PersonChange.objects.filter(pupil=pupil).count() == 3


def test_the_admin_keeps_a_guardians_new_details_and_a_removed_child_on_both_records(client, world):
    guardian = world.guardian
    client.force_login(world.school_admin)
    page = client.get(admin_url("guardian_change", guardian.pk))
    data = form_data(page)
    data["mobile"] = "07700 900999"
    data["preferred_language"] = "pl"
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    links = page.context["inline_admin_formsets"][0].formset.forms
    removed = next(i for i, f in enumerate(links) if f.instance.pupil_id == world.year8_pupil.pk)
    data[f"{prefix}-{removed}-DELETE"] = "on"

    response = client.post(admin_url("guardian_change", guardian.pk), data)

    assert response.status_code == 302
    assert not GuardianLink.objects.filter(guardian=guardian, pupil=world.year8_pupil).exists()
    assert rows_of(guardian=guardian) == {
        ("Mobile", "07700 900123", "07700 900999", "admin@test.school", Source.SETUP),
        ("Preferred language", "English", "Polski", "admin@test.school", Source.SETUP),
        (
            "Child",
            f"{world.year8_pupil.full_name} (Mother, contact 1, parental responsibility)",
            "",
            "admin@test.school",
            Source.SETUP,
        ),
    }
    assert rows_of(pupil=world.year8_pupil) == {
        (
            "Parent or carer",
            "Ngozi Okafor (Mother, contact 1, parental responsibility)",
            "",
            "admin@test.school",
            Source.SETUP,
        )
    }


def test_a_ctf_import_keeps_the_changed_flags_contacts_and_details_as_the_admins(
    homework_world,
):
    world = homework_world
    world.school.dfe_number = "9991234"
    world.school.save()
    roll = world_roll(world)
    roll[0]["fsm"] = not world.pupil.free_school_meals
    roll[0]["contacts"][0]["phones"] = [("M", "07700 900555")]
    roll[0]["contacts"][0]["relationship"] = "PAF"  # father
    added = {
        "order": 2,
        "title": "",
        "forename": "Chidi",
        "surname": "Okafor",
        "relationship": "PAF",
        "responsibility": True,
        "email": "chidi@example.org",
        "phones": [],
    }
    roll[0]["contacts"].append(added)
    leaver = roll.pop(3)
    assert leaver["upn"] == world.year8_other.upn

    CtfPupils().apply(
        school=world.school,
        content=ctf_xml(roll),
        mapping={},
        today=TODAY,
        actor=world.school_admin,
        progress=lambda done, total: None,
    )

    who, how = "admin@test.school", Source.IMPORT
    fsm = ("FSM", "No", "Yes") if roll[0]["fsm"] else ("FSM", "Yes", "No")
    pupil_rows = rows_of(pupil=world.pupil)
    assert (*fsm, who, how) in pupil_rows
    assert (
        "Parent or carer",
        "Ngozi Okafor (Mother, contact 1, parental responsibility)",
        "Ngozi Okafor (Father, contact 1, parental responsibility)",
        who,
        how,
    ) in pupil_rows
    assert (
        "Parent or carer",
        "",
        "Chidi Okafor (Father, contact 2, parental responsibility)",
        who,
        how,
    ) in pupil_rows
    assert ("Mobile", "07700 900123", "07700 900555", who, how) in rows_of(guardian=world.guardian)
    chidi = Guardian.objects.get(school=world.school, email="chidi@example.org")
    assert rows_of(guardian=chidi) == {
        ("Child", "", "Amara Okafor (Father, contact 2, parental responsibility)", who, how)
    }
    assert rows_of(pupil=world.year8_other) == {("Left on", "", f"{TODAY:%d/%m/%Y}", who, how)}
    # Pupils the file did not change have no history.
    assert not PersonChange.objects.filter(pupil=world.classmate).exists()


def test_the_pupil_flags_csv_keeps_each_changed_flag(world):
    pupil, classmate = world.pupil, world.classmate
    content = csv_text(
        "UPN,Pupil Premium,Young Carer", f"{pupil.upn},Y,No", f"{classmate.upn},no,TRUE"
    )

    csv_apply("pupil_flags", world.school, content, actor=world.school_admin)

    who = "admin@test.school"
    assert rows_of(pupil=pupil) == {("Pupil premium", "No", "Yes", who, Source.IMPORT)}
    assert rows_of(pupil=classmate) == {("Young carer", "No", "Yes", who, Source.IMPORT)}


@pytest.fixture
def changed(world):
    """The pupil's record changed 25 times by the admin."""
    for n in range(25):
        PersonChange.objects.create(
            school=world.school,
            pupil=world.pupil,
            field="Travel note",
            old_value=f"bus {n}",
            new_value=f"bus {n + 1}",
            changed_by=world.school_admin,
            changed_at=f"2026-10-{n + 1:02d}T09:00:00Z",
            source=Source.SETUP,
        )


def test_the_lead_reads_the_latest_changes_newest_first_and_every_change_as_csv(
    client, world, changed
):
    client.force_login(world.school_admin)
    page = client.get(reverse("privacy_pupil", args=[world.pupil.pk])).content.decode()
    assert "Changes to this record" in page
    assert page.index("bus 25") < page.index("bus 23")  # newest first
    assert "bus 5<" in page and "bus 4<" not in page  # the latest 20
    assert "The latest 20 changes are shown." in page
    csv_url = reverse("privacy_pupil_changes", args=[world.pupil.pk])
    assert csv_url in page

    response = client.get(csv_url)
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["When", "Field", "Was", "Became", "Changed by", "How"]
    assert len(rows) == 26
    admin = world.school_admin
    assert rows[1][1:] == [
        "Travel note",
        "bus 24",
        "bus 25",
        admin.get_full_name() or admin.email,
        "School setup",
    ]


def test_another_schools_lead_gets_404_for_the_history(client, world, changed):
    client.force_login(world.other_school_staff)
    assert client.get(reverse("privacy_pupil_changes", args=[world.pupil.pk])).status_code == 404
    response = client.get(reverse("privacy_guardian_changes", args=[world.guardian.pk]))
    assert response.status_code == 404


def history_of(world, count):
    PersonChange.objects.bulk_create(
        PersonChange(
            school=world.school,
            guardian=world.guardian,
            field="Mobile",
            old_value=str(n),
            new_value=str(n + 1),
            changed_by=world.school_admin if n % 2 else None,
            changed_at=f"2026-10-01T09:{n:02d}:00Z",
            source=Source.SETUP,
        )
        for n in range(count)
    )


def page_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as page:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in page.captured_queries]


def test_the_history_panel_costs_one_query_however_many_changes(client, world):
    client.force_login(world.school_admin)
    url = reverse("privacy_guardian", args=[world.guardian.pk])
    history_of(world, 3)
    few = page_queries(client, url)
    history_of(world, 40)
    many = page_queries(client, url)
    # The history panel: one query, the latest changes with who made them.
    assert len([sql for sql in many if "school_personchange" in sql]) == 1
    assert len(few) == len(many)


@pytest.mark.parametrize("extra", [0, 60])
def test_the_history_csv_costs_the_same_however_many_changes(
    client, world, extra, django_assert_max_num_queries
):
    history_of(world, extra)
    client.force_login(world.school_admin)
    # session, user, roles (is a lead), the guardian, the changes with who made them.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("privacy_guardian_changes", args=[world.guardian.pk]))
    assert len(response.content.decode().splitlines()) == extra + 1


def test_a_parent_choosing_their_language_is_kept_as_the_familys_change(client, world):
    client.force_login(world.parent)

    client.post(reverse("set_language"), {"language": "pl", "next": "/parents/"})

    assert rows_of(guardian=world.guardian) == {
        ("Preferred language", "English", "Polski", "parent@test.school", Source.FAMILY)
    }
    client.post(reverse("set_language"), {"language": "pl", "next": "/parents/"})
    assert PersonChange.objects.filter(guardian=world.guardian).count() == 1


def test_a_parent_choosing_how_to_hear_is_kept_in_english_as_the_familys_change(client, world):
    from notifications import registry

    world.guardian.preferred_language = "pl"
    world.guardian.save()
    kinds = list(registry.choosable_kinds())
    prefix = f"g{world.guardian.pk}-"
    data = {prefix + kind.code: "immediately" for kind in kinds}
    data[prefix + kinds[0].code] = "off"
    client.force_login(world.parent)

    response = client.post(reverse("notification_preferences_save", args=[world.guardian.pk]), data)

    assert response.status_code == 302
    assert rows_of(guardian=world.guardian) == {
        (
            f"Notices: {kinds[0].label._args[0]}",
            "Straight away",
            "Not at all",
            "parent@test.school",
            Source.FAMILY,
        )
    }


def test_a_parent_accepting_an_invitation_is_kept_as_their_login_joining_the_record(world):
    from parents import accounts
    from parents.models import Invitation

    guardian = GuardianFactory(school=world.school, first_name="Grace", email="grace@example.org")
    accounts.invitations_send(
        actor=world.school_admin, guardians=[guardian], site="http://testserver"
    )

    user = accounts.invitation_accept(
        invitation=Invitation.objects.get(guardian=guardian), password="a-long-passphrase-42"
    )

    assert rows_of(guardian=guardian) == {
        ("User", "", str(user), "grace@example.org", Source.FAMILY)
    }
