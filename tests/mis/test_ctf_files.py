"""The sample Common Transfer Files (tests/mis/files/ctf), previewed and applied into a
school with no pupils yet: what each adds, and that applying one twice changes nothing."""

from datetime import date

import pytest

from mis.kinds import ADD, FileRejected
from school.models import Guardian, GuardianLink, Pupil, TutorGroup

from .ctf_fixtures import apply, ctf_school_make, line_of, plan, sample, snapshot


@pytest.fixture
def school(db):
    return ctf_school_make()


def test_the_kind_is_registered_as_the_first_file_to_import():
    from mis.kinds import all_kinds, kind_named

    kind = kind_named("ctf_pupils")
    assert kind.format == "ctf"
    assert kind.label == "Pupils and contacts (Common Transfer File)"
    assert all(other.order >= kind.order for other in all_kinds())


def test_small_file_previews_three_joiners_and_writes_nothing(school):
    before = snapshot(school)

    previewed = plan(school, sample("small.xml"))

    assert previewed.errors == []
    assert [(change.action, change.key, change.label) for change in previewed.changes] == [
        (ADD, "N999123426001", "Tola Adeyemi (7A)"),
        (ADD, "C999123426002", "Sade Adeyemi (8A)"),
        (ADD, "R999123426003", "Zofia Kowalska (7B)"),
    ]
    tola = previewed.changes[0].fields
    assert ("Date of birth", "", "03/10/2014") in tola
    assert ("Year group", "", "Year 7") in tola
    assert ("FSM", "", "Yes") in tola
    assert ("First language", "", "YOR") in tola
    assert (
        "Contact added",
        "",
        "Mrs Funke Adeyemi (Mother, contact 1, parental responsibility) funke.adeyemi@example.org",
    ) in tola
    assert previewed.counts() == {
        "added": 3,
        "changed": 0,
        "left": 0,
        "unchanged": 0,
        "errors": 0,
    }
    assert snapshot(school) == before


def test_small_file_applied_adds_the_pupils_and_one_mother_for_two_sisters(school):
    applied = apply(school, sample("small.xml"))

    assert applied.counts()["added"] == 3
    tola = Pupil.objects.get(school=school, upn="N999123426001")
    assert (tola.first_name, tola.last_name, tola.date_of_birth) == (
        "Tola",
        "Adeyemi",
        date(2014, 10, 3),
    )
    assert (tola.year_group.number, tola.tutor_group.name) == (7, "7A")
    assert (tola.gender, tola.free_school_meals, tola.eal, tola.first_language) == (
        "F",
        True,
        True,
        "YOR",
    )
    assert tola.admission_number == "N999123426001"  # the file has none: the UPN
    assert tola.left_on is None
    sade = Pupil.objects.get(school=school, upn="C999123426002")
    assert (sade.eal, sade.first_language, sade.free_school_meals) == (False, "ENG", False)
    zofia = Pupil.objects.get(school=school, upn="R999123426003")
    assert (zofia.sen, zofia.eal) == (Pupil.Sen.SUPPORT, True)

    mother = Guardian.objects.get(school=school, email="funke.adeyemi@example.org")
    assert (mother.title, mother.first_name, mother.mobile) == ("Mrs", "Funke", "07700 900101")
    assert mother.address == "14 Acacia Avenue, Leeds, LS99 9ZZ"  # as her daughter's
    assert sorted(mother.links.values_list("pupil__first_name", "relationship")) == [
        ("Sade", "mother"),
        ("Tola", "mother"),
    ]
    father = Guardian.objects.get(school=school, first_name="Kunle")
    assert (father.email, father.work_phone, father.mobile) == ("", "0113 496 0102", "")
    link = GuardianLink.objects.get(guardian=father)
    assert (link.pupil, link.relationship, link.contact_priority) == (sade, "father", 2)
    piotr = Guardian.objects.get(school=school, first_name="Piotr")
    assert (piotr.mobile, piotr.home_phone) == ("07700 900103", "0113 496 0103")
    assert Guardian.objects.filter(school=school).count() == 3
    assert GuardianLink.objects.filter(pupil__school=school).count() == 4


def test_applying_the_same_file_twice_changes_nothing_the_second_time(school):
    apply(school, sample("small.xml"))
    after_first = snapshot(school)

    again = plan(school, sample("small.xml"))
    applied_again = apply(school, sample("small.xml"))

    assert again.changes == [] and again.errors == []
    assert again.counts()["unchanged"] == 3
    assert applied_again.changes == []
    assert snapshot(school) == after_first


def test_every_field_the_import_reads_lands_where_it_belongs(school):
    content = sample("every_field.xml")

    previewed = plan(school, content)
    apply(school, content)

    assert previewed.errors == []
    (change,) = previewed.changes
    assert change.label == "Mia Oduya (9C)"
    assert ("Tutor group", "", "9C (new tutor group)") in change.fields
    pupil = Pupil.objects.get(school=school)
    assert pupil.upn == "M999123426010"  # read in capitals
    assert (pupil.first_name, pupil.last_name) == ("Mia", "Oduya")  # the preferred names
    assert pupil.date_of_birth == date(2012, 6, 30)
    assert pupil.admission_number == "004217"
    assert (pupil.year_group.number, pupil.tutor_group.name) == (9, "9C")
    assert TutorGroup.objects.get(school=school, name="9C").year_group.number == 9
    assert pupil.gender == "F"
    assert pupil.free_school_meals is True  # the second spell of FSM is still running
    assert pupil.sen == Pupil.Sen.EHCP  # the plan that followed SEN support
    assert (pupil.first_language, pupil.eal) == ("POR", True)  # the first, not main, language
    assert pupil.looked_after is True
    links = list(pupil.guardian_links.select_related("guardian").order_by("contact_priority"))
    assert [
        (
            link.contact_priority,
            link.relationship,
            link.parental_responsibility,
            link.guardian.title,
            link.guardian.first_name,
            link.guardian.last_name,
        )
        for link in links
    ] == [
        (1, "carer", True, "Mrs", "Ana", "Fernandes"),
        (2, "foster_carer", False, "Ms", "Grace", "Oduya"),
        (3, "grandparent", False, "Mr", "Samuel", "Oduya"),
    ]
    ana, grace, samuel = (link.guardian for link in links)
    assert ana.address == (
        "Flat 2, Rose Court, Mill Lane, Headingley, Leeds, West Yorkshire, LS99 1AA"
    )
    assert (ana.mobile, ana.email, ana.notification_channel) == ("07700 900202", "", "sms")
    assert grace.email == "grace.oduya@example.org"  # stored in lower case
    assert (grace.home_phone, grace.work_phone, grace.mobile) == (
        "0113 496 0201",
        "0113 496 0202",
        "07700 900201",
    )
    assert grace.address == "7 Station Road, Horsforth, Leeds, West Yorkshire, LS99 2BB"
    assert (samuel.email, samuel.mobile, samuel.address) == ("", "", "")


@pytest.mark.parametrize(
    ("name", "text", "column", "message"),
    [
        ("missing_upn.xml", "<Pupil>", "UPN", "Missing UPN"),
        ("future_dob.xml", "<DOB>", "DOB", "Date of birth 12/03/2031 is in the future"),
        ("unknown_year.xml", "<NCyearActual>R", "NCyearActual", "Unknown year group R"),
        (
            "duplicate_upn.xml",
            "<UPN>N999123426001",
            "UPN",
            "The UPN N999123426001 is used twice (lines 21 and 43)",
        ),
    ],
)
def test_a_bad_row_is_shown_with_its_line_and_column_and_nothing_is_applied(
    school, name, text, column, message
):
    content = sample(name)
    before = snapshot(school)

    previewed = plan(school, content)

    occurrence = 2 if name == "duplicate_upn.xml" else 1
    line = line_of(content, text, occurrence)
    assert message in [error.message for error in previewed.errors]
    (error,) = [error for error in previewed.errors if error.message == message]
    assert (error.line, error.column) == (line, column)
    with pytest.raises(FileRejected) as refused:
        apply(school, content)
    assert "nothing was imported" in refused.value.message
    assert snapshot(school) == before


def test_applying_reports_its_progress_up_to_every_pupil(school):
    steps = []

    apply(school, sample("small.xml"), progress=lambda done, total: steps.append((done, total)))

    assert steps[0] == (0, 3)
    assert steps[-1] == (3, 3)
    assert all(done <= total for done, total in steps)


def test_values_the_file_cannot_hold_are_row_errors_each_said_once(school):
    content = (
        sample("small.xml")
        .replace(b"<DOB>2014-10-03</DOB>", b"<DOB>03/10/2014</DOB>")
        .replace(b"<SENprovision>K</SENprovision>", b"<SENprovision>Q</SENprovision>")
        .replace(b"<Order>2</Order>", b"<Order>second</Order>")
    )

    previewed = plan(school, content)

    assert [(error.line, error.column, error.message) for error in previewed.errors] == [
        (
            line_of(content, "<DOB>03/10/2014"),
            "DOB",
            "Date of birth '03/10/2014' is not a date (YYYY-MM-DD)",
        ),
        (line_of(content, "<Order>second"), "Order", "Contact order 'second' is not a number"),
        (line_of(content, "<SENprovision>Q"), "SENprovision", "Unknown SEN provision 'Q'"),
    ]


def test_a_file_without_contacts_leaves_the_pupils_contacts_alone(school):
    apply(school, sample("small.xml"))
    links = snapshot(school)["links"]
    content = sample("small.xml")
    start, end = content.index(b"<Contacts>"), content.index(b"</Contacts>") + len("</Contacts>")
    without_tolas_contacts = content[:start] + content[end:]

    assert plan(school, without_tolas_contacts).changes == []
    apply(school, without_tolas_contacts)
    assert snapshot(school)["links"] == links
