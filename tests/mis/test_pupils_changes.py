"""A later file of the whole roll against the pupils an earlier one imported: leavers,
joiners, class and year changes, rejoiners and contacts, all within the one school."""

import copy
import datetime

import pytest

from mis.kinds import ADD, CHANGE, LEAVE, FileRejected
from school.models import Guardian, GuardianLink, Pupil, TutorGroup
from tests.factories import GuardianFactory, PupilFactory, TutorGroupFactory, YearGroupFactory

from .ctf_builder import ctf_pupils, ctf_xml, upn_make
from .ctf_fixtures import TODAY, apply, ctf_school_make, plan, snapshot


@pytest.fixture
def school(db):
    return ctf_school_make()


@pytest.fixture
def roll(school):
    """Twenty pupils imported; the list a test changes for the next file."""
    pupils = ctf_pupils(20)
    apply(school, ctf_xml(pupils))
    return copy.deepcopy(pupils)


def by_key(previewed):
    return {change.key: change for change in previewed.changes}


def test_a_leaver_a_joiner_and_a_class_change_do_exactly_that(school, roll):
    mover = roll[5]
    leaver = roll.pop(3)
    joiner = copy.deepcopy(roll[0])
    joiner.update(upn=upn_make("9991234", 500), forename="Noor", reg_group="7E", contacts=[])
    roll.append(joiner)
    assert mover["reg_group"] == "7B"
    mover["reg_group"] = "7A"
    leaver_row = Pupil.objects.get(school=school, upn=leaver["upn"])
    links_before = leaver_row.guardian_links.count()

    previewed = plan(school, ctf_xml(roll))
    applied = apply(school, ctf_xml(roll))

    assert previewed.errors == []
    assert previewed.counts() == {
        "added": 1,
        "changed": 1,
        "left": 1,
        "unchanged": 18,
        "errors": 0,
    }
    changes = by_key(previewed)
    assert changes[leaver["upn"]].action == LEAVE
    assert changes[leaver["upn"]].fields == [("Left on", "", "14/09/2026")]
    assert changes[joiner["upn"]].action == ADD
    assert changes[mover["upn"]].action == CHANGE
    assert changes[mover["upn"]].fields == [("Tutor group", "7B", "7A")]
    assert applied.counts() == previewed.counts()
    leaver_row.refresh_from_db()
    assert leaver_row.left_on == TODAY  # marked as left, never deleted
    assert leaver_row.guardian_links.count() == links_before
    assert Pupil.objects.get(school=school, upn=joiner["upn"]).tutor_group.name == "7E"
    assert Pupil.objects.get(school=school, upn=mover["upn"]).tutor_group.name == "7A"
    assert Pupil.objects.filter(school=school).on_roll(TODAY).count() == 20
    assert Pupil.objects.filter(school=school).count() == 21

    again = plan(school, ctf_xml(roll))
    assert (again.changes, again.counts()["unchanged"]) == ([], 20)


def test_a_pupil_who_left_and_is_in_the_file_again_rejoins(school, roll):
    apply(school, ctf_xml(roll[1:]))
    left = Pupil.objects.get(school=school, upn=roll[0]["upn"])
    assert left.left_on == TODAY

    previewed = plan(school, ctf_xml(roll))
    apply(school, ctf_xml(roll))

    (change,) = previewed.changes
    assert (change.action, change.key, change.fields) == (
        CHANGE,
        roll[0]["upn"],
        [("Left on", "14/09/2026", "")],
    )
    left.refresh_from_db()
    assert left.left_on is None


def test_moving_up_a_year_changes_the_year_and_tutor_group(school, roll):
    pupil = roll[0]
    assert (pupil["year"], pupil["reg_group"]) == ("7", "7A")
    pupil.update(year="8", reg_group="8A")

    previewed = plan(school, ctf_xml(roll))
    apply(school, ctf_xml(roll))

    assert by_key(previewed)[pupil["upn"]].fields == [
        ("Year group", "Year 7", "Year 8"),
        ("Tutor group", "7A", "8A"),
    ]
    row = Pupil.objects.get(school=school, upn=pupil["upn"])
    assert (row.year_group.number, row.tutor_group.name) == (8, "8A")


def test_a_tutor_group_of_another_year_is_a_row_error(school, roll):
    roll[0]["year"] = "8"  # still in 7A
    before = snapshot(school)

    previewed = plan(school, ctf_xml(roll))

    assert [(error.column, error.message) for error in previewed.errors] == [
        ("RegGroup", "Tutor group 7A is in Year 7, not Year 8")
    ]
    with pytest.raises(FileRejected, match="The file has 1 error: nothing was imported."):
        apply(school, ctf_xml(roll))
    assert snapshot(school) == before


def test_a_joiner_needs_a_tutor_group(school, roll):
    joiner = copy.deepcopy(roll[0])
    joiner.update(upn=upn_make("9991234", 600), reg_group="")

    previewed = plan(school, ctf_xml([*roll, joiner]))

    assert [(error.column, error.message) for error in previewed.errors] == [
        ("RegGroup", "Missing tutor group")
    ]


def test_a_year_group_the_school_has_not_entered_is_added_with_its_tutor_group(school, roll):
    sixth_former = copy.deepcopy(roll[0])
    sixth_former.update(upn=upn_make("9991234", 601), year="12", reg_group="12A")

    apply(school, ctf_xml([*roll, sixth_former]))

    pupil = Pupil.objects.get(school=school, upn=upn_make("9991234", 601))
    assert pupil.year_group.number == 12
    assert pupil.tutor_group.name == "12A"
    assert pupil.tutor_group.year_group == pupil.year_group
    assert plan(school, ctf_xml([*roll, sixth_former])).changes == []


def test_a_pupil_whose_tutor_group_the_file_does_not_give_keeps_theirs(school, roll):
    roll[0]["reg_group"] = ""

    assert plan(school, ctf_xml(roll)).changes == []


def test_new_tutor_groups_are_made_in_the_pupils_year_group(school):
    pupils = ctf_pupils(10)

    apply(school, ctf_xml(pupils))

    assert sorted(
        TutorGroup.objects.filter(school=school).values_list("name", "year_group__number")
    ) == [
        ("10A", 10),
        ("10B", 10),
        ("11A", 11),
        ("11B", 11),
        ("7A", 7),
        ("7B", 7),
        ("8A", 8),
        ("8B", 8),
        ("9A", 9),
        ("9B", 9),
    ]


def test_changed_details_are_shown_field_by_field_and_updated_in_place(school, roll):
    pupil = roll[2]
    row = Pupil.objects.get(school=school, upn=pupil["upn"])
    pupil.update(surname="Okonkwo-Reid", fsm=not pupil["fsm"], sen="E", language="POL")

    previewed = plan(school, ctf_xml(roll))
    apply(school, ctf_xml(roll))

    fields = {name: (old, new) for name, old, new in by_key(previewed)[pupil["upn"]].fields}
    assert fields["Last name"] == (row.last_name, "Okonkwo-Reid")
    assert fields["FSM"] == (
        "Yes" if row.free_school_meals else "No",
        "No" if row.free_school_meals else "Yes",
    )
    assert fields["SEN"][1] == "EHC plan"
    assert fields["First language"] == (row.first_language, "POL")
    updated = Pupil.objects.get(pk=row.pk)  # the same row: history stays attached
    assert (updated.last_name, updated.sen, updated.first_language, updated.eal) == (
        "Okonkwo-Reid",
        Pupil.Sen.EHCP,
        "POL",
        True,
    )


def test_contacts_follow_the_file_and_a_guardian_no_longer_listed_is_kept(school, roll):
    pupil = roll[2]  # mother and father, no brother or sister
    mother, father = pupil["contacts"]
    mother["phones"] = [("M", "07700 900999")]
    mother["relationship"] = "STM"
    mother["responsibility"] = False
    pupil["contacts"] = [
        mother,
        {
            "order": 2,
            "title": "Mrs",
            "forename": "Rosalind",
            "surname": "Ellis",
            "relationship": "GRM",
            "responsibility": False,
            "email": "",
            "phones": [("H", "0113 496 0999")],
            "address_as_pupil": False,
        },
    ]
    father_row = Guardian.objects.get(school=school, email=father["email"])
    mother_row = Guardian.objects.get(school=school, email=mother["email"])

    previewed = plan(school, ctf_xml(roll))
    apply(school, ctf_xml(roll))

    (change,) = previewed.changes
    name = mother_row.full_name
    assert change.fields == [
        (f"{name}: mobile", mother_row.mobile, "07700 900999"),
        (
            "Contact",
            f"{name} (Mother, contact 1, parental responsibility)",
            f"{name} (Step-parent, contact 1)",
        ),
        ("Contact added", "", "Mrs Rosalind Ellis (Grandparent, contact 2)"),
        (
            "Contact removed",
            f"{father_row.full_name} (Father, contact 2, parental responsibility)",
            "",
        ),
    ]
    mother_row.refresh_from_db()
    assert mother_row.mobile == "07700 900999"
    link = GuardianLink.objects.get(guardian=mother_row, pupil__upn=pupil["upn"])
    assert (link.relationship, link.parental_responsibility) == ("step_parent", False)
    assert Guardian.objects.filter(pk=father_row.pk).exists()  # the row stays
    assert not GuardianLink.objects.filter(guardian=father_row).exists()
    ruth = Guardian.objects.get(school=school, first_name="Rosalind")
    assert (ruth.home_phone, ruth.email) == ("0113 496 0999", "")
    assert plan(school, ctf_xml(roll)).changes == []


def test_a_contact_without_email_is_found_again_by_name_among_the_pupils_contacts(school):
    pupils = ctf_pupils(1)
    for contact in pupils[0]["contacts"]:
        contact["email"] = ""
    apply(school, ctf_xml(pupils))
    pupils[0]["contacts"][0]["phones"] = [("M", "07700 900555")]

    previewed = plan(school, ctf_xml(pupils))
    apply(school, ctf_xml(pupils))

    (change,) = previewed.changes
    assert [field[0] for field in change.fields] == [
        f"{Guardian.objects.get(mobile='07700 900555').full_name}: mobile"
    ]
    assert Guardian.objects.filter(school=school).count() == 2


def test_a_mother_of_two_pupils_stays_linked_to_the_one_still_listing_her(school, roll):
    older, younger = roll[0], roll[1]
    assert younger["contacts"][0]["email"] == older["contacts"][0]["email"]
    mother = Guardian.objects.get(school=school, email=older["contacts"][0]["email"])
    assert mother.links.count() == 2
    younger["contacts"] = []

    apply(school, ctf_xml(roll))

    assert list(mother.links.values_list("pupil__upn", flat=True)) == [older["upn"]]


def test_the_same_email_for_two_different_people_is_a_row_error(school, roll):
    roll[4]["contacts"][0]["email"] = roll[2]["contacts"][0]["email"]
    roll[4]["contacts"][0]["forename"] = "Someone"

    previewed = plan(school, ctf_xml(roll))

    (error,) = previewed.errors
    assert error.column == "Contact/Email"
    assert error.message.startswith(f"The email {roll[2]['contacts'][0]['email']} is used twice")


def test_a_contact_without_a_surname_or_with_a_bad_email_is_a_row_error(school, roll):
    roll[0]["contacts"][0]["surname"] = ""
    roll[1]["contacts"][0]["email"] = "not-an-address"

    previewed = plan(school, ctf_xml(roll))

    assert [(error.column, error.message) for error in previewed.errors] == [
        ("Contact/Surname", "Missing contact's surname"),
        ("Contact/Email", "The email not-an-address is not an email address"),
    ]


def test_another_schools_pupil_and_guardian_with_the_same_upn_and_email_are_untouched(school):
    other = YearGroupFactory(number=7)
    other_group = TutorGroupFactory(school=other.school, year_group=other, name="7A")
    pupils = ctf_pupils(2)
    twin = PupilFactory(tutor_group=other_group, upn=pupils[0]["upn"], first_name="Other")
    stranger = GuardianFactory(school=other.school, email=pupils[0]["contacts"][0]["email"])

    apply(school, ctf_xml(pupils))
    apply(school, ctf_xml(pupils[1:]))  # the first pupil leaves this school

    twin.refresh_from_db()
    assert (twin.first_name, twin.left_on, twin.school_id) == ("Other", None, other.school_id)
    stranger.refresh_from_db()
    assert not stranger.links.exists()
    ours = Pupil.objects.get(school=school, upn=pupils[0]["upn"])
    assert ours.left_on == TODAY
    assert ours.guardians.get(email=stranger.email).school_id == school.id


def test_an_email_in_other_capitals_or_missing_from_the_file_is_not_a_change(school, roll):
    contact = roll[2]["contacts"][0]
    guardian = Guardian.objects.get(school=school, email=contact["email"])
    guardian.email = contact["email"].upper()  # as someone typed it
    guardian.save()
    roll[4]["contacts"][0]["email"] = ""  # the MIS lost it; the school still has it
    kept = Guardian.objects.get(
        school=school, links__pupil__upn=roll[4]["upn"], links__contact_priority=1
    )

    assert plan(school, ctf_xml(roll)).changes == []
    apply(school, ctf_xml(roll))
    kept.refresh_from_db()
    assert kept.email != ""


def test_the_pupils_sex_is_read_where_newer_files_name_it_so(school):
    content = ctf_xml(ctf_pupils(1)).replace(b"<Gender>", b"<Sex>").replace(b"</Gender>", b"</Sex>")

    apply(school, content)

    assert Pupil.objects.get(school=school).gender in ("F", "M")


def test_a_tutor_group_a_new_year_archived_is_not_placed_in_again(school):
    pupils = ctf_pupils(3)
    archived = TutorGroup.objects.get(school=school, name=pupils[0]["reg_group"])
    archived.archived_on = TODAY
    archived.save()

    apply(school, ctf_xml(pupils))

    pupil = Pupil.objects.get(school=school, upn=pupils[0]["upn"])
    assert pupil.tutor_group != archived
    assert pupil.tutor_group.name == archived.name
    assert pupil.tutor_group.archived_on is None


def test_a_leaving_date_still_to_come_stands_whether_the_file_lists_the_pupil_or_not(school, roll):
    leaving_day = TODAY + datetime.timedelta(days=20)
    listed, unlisted = roll[0]["upn"], roll[1]["upn"]
    Pupil.objects.filter(school=school, upn__in=[listed, unlisted]).update(left_on=leaving_day)

    apply(school, ctf_xml([pupil for pupil in roll if pupil["upn"] != unlisted]))

    assert set(
        Pupil.objects.filter(school=school, upn__in=[listed, unlisted]).values_list(
            "left_on", flat=True
        )
    ) == {leaving_day}
