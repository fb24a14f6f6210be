"""Pupils and contacts from CSV (one row per pupil and contact) through the plan the CTF
shares: joiners with their contacts, the same file twice, a leaver, a joiner and a
class change, values the reader cannot read, and another school's pupils untouched."""

import pytest

from mis.kinds import FileRejected
from school.models import Guardian, GuardianLink, Pupil

from ..factories import PupilFactory, SchoolFactory, TutorGroupFactory, YearGroupFactory
from .csv_helpers import TODAY, apply, csv_text, errors, plan, sample, school_state

HEADER = (
    "UPN,Legal Forename,Legal Surname,DOB,Year,Reg Group,Adno,Gender,Contact Forename,"
    "Contact Surname,Relationship,Parental Responsibility,Priority,Contact Email,Contact Mobile"
)
AMELIA = "A123456789012,Amelia,Ward,14/02/2015,7,7A,001001,F"
DYLAN = "A123456789013,Dylan,Evans,03/09/2014,7,7B,001002,M"
HAMZA = "A123456789014,Hamza,Iqbal,22/11/2013,8,8A,001003,M"


@pytest.fixture
def school(db):
    school = SchoolFactory(name="Northfield School", slug="northfield")
    for number in (7, 8):
        YearGroupFactory(school=school, number=number)
    return school


def contacts_of(pupil):
    return [
        (
            link.guardian.first_name,
            link.guardian.last_name,
            link.relationship,
            link.parental_responsibility,
            link.contact_priority,
            link.guardian.email,
        )
        for link in GuardianLink.objects.filter(pupil=pupil).select_related("guardian")
    ]


def test_joiners_arrive_with_their_contacts_and_the_same_file_twice_changes_nothing(school):
    content = sample("pupils.csv")

    result = apply("pupils_csv", school, content)

    assert result.counts()["added"] == 3 and not result.errors
    amelia = Pupil.objects.get(school=school, upn="A123456789012")
    assert (amelia.first_name, amelia.tutor_group.name, amelia.year_group.number) == (
        "Amelia",
        "7A",
        7,
    )
    assert (amelia.date_of_birth.isoformat(), amelia.gender, amelia.admission_number) == (
        "2015-02-14",
        "F",
        "001001",
    )
    assert contacts_of(amelia) == [
        ("Rachel", "Ward", "mother", True, 1, "rachel.ward@example.org"),
        ("Owen", "Ward", "father", True, 2, ""),
    ]
    dylan = Pupil.objects.get(school=school, upn="A123456789013")
    assert contacts_of(dylan) == [
        ("Carys", "Evans", "grandparent", False, 1, "carys.evans@example.org")
    ]
    assert contacts_of(Pupil.objects.get(school=school, upn="A123456789014")) == []
    again = plan("pupils_csv", school, content)
    assert again.changes == [] and again.counts()["unchanged"] == 3


def test_a_second_file_with_a_leaver_a_joiner_and_a_class_change_does_just_that(school):
    apply("pupils_csv", school, sample("pupils.csv"))
    moved = AMELIA.replace(",7A,", ",7B,")
    content = csv_text(
        HEADER,
        f"{moved},Rachel,Ward,Mother,Yes,1,rachel.ward@example.org,07700 900001",
        f"{moved},Owen,Ward,Father,Yes,2,,07700 900002",
        f"{HAMZA},,,,,,,",
        "A123456789015,Maja,Nowak,01/03/2015,7,7A,001004,F,Ewa,Nowak,Mother,Y,1,ewa@example.org,",
    )

    result = apply("pupils_csv", school, content)

    assert sorted((c.action, c.key) for c in result.changes) == [
        ("add", "A123456789015"),
        ("change", "A123456789012"),
        ("leave", "A123456789013"),
    ]
    assert Pupil.objects.get(school=school, upn="A123456789012").tutor_group.name == "7B"
    assert Pupil.objects.get(school=school, upn="A123456789013").left_on == TODAY
    assert Pupil.objects.get(school=school, upn="A123456789015").first_name == "Maja"
    assert not plan("pupils_csv", school, content).changes


def test_without_contact_columns_the_contacts_are_left_alone(school):
    apply("pupils_csv", school, sample("pupils.csv"))
    content = csv_text(
        "UPN,Legal Forename,Legal Surname,DOB,Year,Reg Group",
        "A123456789012,Amelia,Ward,14/02/2015,7,7A",
        "A123456789013,Dylan,Evans,03/09/2014,7,7B",
        "A123456789014,Hamza,Iqbal,22/11/2013,8,8A",
    )

    result = apply("pupils_csv", school, content)

    assert result.changes == []
    assert len(contacts_of(Pupil.objects.get(school=school, upn="A123456789012"))) == 2


def test_values_the_file_cannot_carry_are_row_errors_and_nothing_is_written(school):
    content = csv_text(
        HEADER,
        "A123456789012,Amelia,Ward,31/02/2015,Reception,7A,001001,Q,Rachel,Ward,Aunt,Maybe,first,,",
        "A123456789013,Dylan,Evans,03/09/2014,7,7B,001002,M,Carys,Evans,Grandparent,No,1,,",
        "A123456789013,Dylan,Evens,03/09/2014,7,7B,001002,M,Huw,Evans,Father,Yes,2,,",
        ",Nobody,Here,01/01/2015,7,7A,001009,F,,,,,,,",
    )
    before = school_state(school)

    result = plan("pupils_csv", school, content)
    with pytest.raises(FileRejected):
        apply("pupils_csv", school, content)

    # (the shared plan lists a line's errors by column)
    assert sorted(errors(result)) == [
        (2, "DOB", "31/02/2015 is not a date (write it as dd/mm/yyyy)"),
        (2, "Gender", "Unknown gender Q"),
        (2, "Parental Responsibility", "Parental responsibility should be Yes or No"),
        (2, "Priority", "The priority should be a number (1 first)"),
        (2, "Relationship", "Unknown relationship Aunt (e.g. Mother, Father, Carer, Other)"),
        (2, "Year", "Reception is not a year from 7 to 13"),
        (4, "Legal Surname", "Says Evens for A123456789013, and line 3 says Evans"),
        (5, "UPN", "Missing UPN"),
    ]
    assert school_state(school) == before


def test_a_file_with_headers_and_no_pupils_never_takes_the_roll_as_left(school):
    apply("pupils_csv", school, sample("pupils.csv"))

    with pytest.raises(FileRejected, match="no pupils"):
        plan("pupils_csv", school, csv_text(HEADER))


def test_another_schools_pupil_with_the_same_upn_is_untouched(school):
    other_school = SchoolFactory(name="Elsewhere", slug="elsewhere")
    twin = PupilFactory(
        tutor_group=TutorGroupFactory(
            year_group=YearGroupFactory(school=other_school, number=7), name="7A"
        ),
        upn="A123456789012",
        first_name="Other",
    )
    before = school_state(other_school)

    apply("pupils_csv", school, sample("pupils.csv"))
    apply("pupils_csv", school, csv_text(HEADER, f"{HAMZA},,,,,,,"))

    assert school_state(other_school) == before
    twin.refresh_from_db()
    assert twin.first_name == "Other" and twin.left_on is None
    assert not Guardian.objects.filter(school=other_school).exists()
