"""Common Transfer Files made up for tests and the import benchmark: no real pupil data.

`ctf_pupils(n)` gives n pupils (as dicts a test may change: drop one for a leaver, add one
for a joiner, move one to another tutor group) with one or two contacts each, the same
every time; `ctf_xml(pupils)` writes them as a CTF from a school to itself (its whole
roll). `ctf_build(n)` does both: 1,342 pupils have 2,013 contacts, as the benchmark wants.

Names come from short lists, emails are at example.org, phone numbers in the ranges Ofcom
keeps for drama (07700 900xxx, 0113 496 0xxx)."""

import random
from datetime import date
from xml.sax.saxutils import escape

LAESTAB = "9991234"  # no real school: LA 999 does not exist
FORENAMES = [
    "Amara", "Bartek", "Chidi", "Dana", "Elif", "Farah", "George", "Hana", "Isaac", "Jade",
    "Kofi", "Leah", "Mateusz", "Nia", "Oscar", "Priya", "Qasim", "Rosa", "Sami", "Tara",
    "Umar", "Vera", "Wiktor", "Xena", "Yusuf", "Zara",
]  # fmt: skip
SURNAMES = [
    "Okafor", "Nowak", "Reid", "Patel", "Khan", "Smith", "Jones", "Evans", "Hughes", "Ali",
    "Begum", "Kowalski", "Mensah", "Taylor", "Walker", "Wright", "Green", "Hall", "Lewis",
    "Young", "Hussain", "Clarke", "Murphy", "Price", "Shah", "Wood",
]  # fmt: skip
PARENT_FORENAMES = ["Ngozi", "Anna", "Grace", "Sarah", "Tom", "David", "Imran", "Piotr", "Ruth"]
LANGUAGES = ["ENG"] * 8 + ["POL", "URD", "PAN", "SOM"]
TUTOR_LETTERS = "ABCDEFGH"
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_make(laestab: str, serial: int) -> str:
    """A UPN as the DfE forms them: a check letter, the LA and establishment numbers, the
    year it was issued (two digits) and a serial number (three)."""
    digits = f"{laestab}26{serial % 1000:03d}"
    if serial >= 1000:  # more than a thousand pupils: other years of issue
        digits = f"{laestab}{26 - serial // 1000:02d}{serial % 1000:03d}"
    total = sum(int(digit) * weight for weight, digit in enumerate(digits, start=2))
    return CHECK_LETTERS[total % 23] + digits


def ctf_pupils(count: int, *, laestab: str = LAESTAB, years=(7, 8, 9, 10, 11), seed: int = 12):
    """`count` pupils spread over `years`, eight tutor groups a year (7A-7H...)."""
    rng = random.Random(seed)
    pupils = []
    for index in range(count):
        year = years[index % len(years)]
        surname = SURNAMES[rng.randrange(len(SURNAMES))]
        pupil = {
            "upn": upn_make(laestab, index),
            "forename": FORENAMES[rng.randrange(len(FORENAMES))],
            "surname": surname,
            "dob": date(2026 - year - 5, 1 + rng.randrange(12), 1 + rng.randrange(28)),
            "gender": "FM"[rng.randrange(2)],
            "year": str(year),
            "reg_group": f"{year}{TUTOR_LETTERS[(index // len(years)) % len(TUTOR_LETTERS)]}",
            "fsm": rng.random() < 0.25,
            "sen": "K" if rng.random() < 0.12 else "E" if rng.random() < 0.03 else "",
            "language": LANGUAGES[rng.randrange(len(LANGUAGES))],
            "in_care": rng.random() < 0.02,
            "house": 1 + rng.randrange(200),
            "contacts": [],
        }
        pupil["contacts"].append(_contact(rng, index, 1, "PAM", surname))
        if index % 2 == 0:
            pupil["contacts"].append(_contact(rng, index, 2, "PAF", surname))
        pupils.append(pupil)
    # Every tenth pupil is a younger sibling of the one before: the same mother.
    for index in range(1, count, 10):
        older, younger = pupils[index - 1], pupils[index]
        younger["surname"] = older["surname"]
        younger["house"] = older["house"]  # and the same address
        younger["contacts"][0] = dict(older["contacts"][0])
    return pupils


def _contact(rng, index: int, order: int, relationship: str, surname: str) -> dict:
    forename = PARENT_FORENAMES[rng.randrange(len(PARENT_FORENAMES))]
    return {
        "order": order,
        "title": "Mrs" if relationship == "PAM" else "Mr",
        "forename": forename,
        "surname": surname,
        "relationship": relationship,
        "responsibility": True,
        "email": f"{forename}.{surname}.{index}.{order}@example.org".lower(),
        "phones": [("M", f"07700 9{(index * 2 + order) % 100000:05d}")]
        + ([("H", f"0113 496 {index % 10000:04d}")] if order == 1 else []),
        "address_as_pupil": True,
    }


def ctf_xml(pupils, *, source: str = LAESTAB, dest: str | None = None) -> bytes:
    """The CTF of `pupils` (dicts as `ctf_pupils` makes them) sent from the school
    `source` to `dest` (the same school unless given), both LAESTAB numbers."""
    dest = source if dest is None else dest
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<CTfile>",
        "  <Header>",
        "    <DocumentName>Common Transfer File</DocumentName>",
        "    <CTFversion>25.0</CTFversion>",
        "    <DateTime>2026-09-14T06:30:00</DateTime>",
        "    <DocumentQualifier>full</DocumentQualifier>",
        "    <SupplierID>TEST</SupplierID>",
        "    <SourceSchool>",
        f"      <LEA>{source[:3]}</LEA>",
        f"      <Estab>{source[3:]}</Estab>",
        "      <SchoolName>Made-up Academy</SchoolName>",
        "      <AcademicYear>2026</AcademicYear>",
        "    </SourceSchool>",
        "    <DestSchool>",
        f"      <LEA>{dest[:3]}</LEA>",
        f"      <Estab>{dest[3:]}</Estab>",
        "    </DestSchool>",
        "  </Header>",
        "  <CTFpupilData>",
    ]
    for pupil in pupils:
        out += _pupil_xml(pupil)
    out += ["  </CTFpupilData>", "</CTfile>", ""]
    return "\n".join(out).encode()


def _element(name: str, value, indent: int) -> str:
    return f"{' ' * indent}<{name}>{escape(str(value))}</{name}>"


def _pupil_xml(pupil: dict) -> list[str]:
    out = ["    <Pupil>"]
    for name, key in (("UPN", "upn"), ("Surname", "surname"), ("Forename", "forename")):
        if pupil.get(key) is not None:
            out.append(_element(name, pupil[key], 6))
    if pupil.get("dob") is not None:
        out.append(_element("DOB", pupil["dob"], 6))
    out.append(_element("Gender", pupil.get("gender", ""), 6))
    out.append("      <BasicDetails>")
    if pupil.get("year") is not None:
        out.append(_element("NCyearActual", pupil["year"], 8))
    out.append(_element("EnrolStatus", "C", 8))
    if pupil.get("reg_group"):
        out.append(_element("RegGroup", pupil["reg_group"], 8))
    if pupil.get("language"):
        out += [
            "        <Languages>",
            "          <Type>",
            _element("LanguageType", "F", 12),
            _element("Language", pupil["language"], 12),
            "          </Type>",
            "        </Languages>",
        ]
    out.append("      </BasicDetails>")
    if pupil.get("fsm"):
        out += [
            "      <FSMhistory>",
            "        <FSMinstance>",
            _element("FSMstartDate", "2024-09-01", 10),
            _element("UKcountry", "ENG", 10),
            "        </FSMinstance>",
            "      </FSMhistory>",
        ]
    if pupil.get("in_care"):
        out += [
            "      <LookedAfter>",
            _element("InCare", "true", 8),
            _element("CareAuthority", "999", 8),
            "      </LookedAfter>",
        ]
    if pupil.get("sen"):
        out += [
            "      <SENhistory>",
            "        <SEN>",
            _element("StartDate", "2024-09-01", 10),
            _element("SENprovision", pupil["sen"], 10),
            "        </SEN>",
            "      </SENhistory>",
        ]
    out += [
        "      <Address>",
        "        <BS7666Address>",
        _element("PAON", pupil.get("house", 1), 10),
        _element("Street", "Acacia Avenue", 10),
        _element("Town", "Leeds", 10),
        "        </BS7666Address>",
        _element("PostCode", "LS99 9ZZ", 8),
        "      </Address>",
    ]
    if pupil.get("contacts") is not None:
        out.append("      <Contacts>")
        for contact in pupil["contacts"]:
            out += _contact_xml(contact)
        out.append("      </Contacts>")
    out.append("    </Pupil>")
    return out


def _contact_xml(contact: dict) -> list[str]:
    out = ["        <Contact>", _element("Order", contact["order"], 10)]
    for name, key in (("Title", "title"), ("Surname", "surname"), ("Forename", "forename")):
        if contact.get(key):
            out.append(_element(name, contact[key], 10))
    out.append(_element("Relationship", contact["relationship"], 10))
    out.append(_element("Responsibility", str(contact["responsibility"]).lower(), 10))
    if contact.get("address_as_pupil"):
        out += [
            "          <Address>",
            _element("AddressAsPupil", "true", 12),
            "          </Address>",
        ]
    if contact.get("phones"):
        out.append("          <Phones>")
        for kind, number in contact["phones"]:
            out += [
                "            <Phone>",
                _element("TelephoneType", kind, 14),
                _element("PhoneNo", number, 14),
                "            </Phone>",
            ]
        out.append("          </Phones>")
    if contact.get("email"):
        out.append(_element("Email", contact["email"], 10))
    out.append("        </Contact>")
    return out


def ctf_build(count: int, *, laestab: str = LAESTAB, seed: int = 12) -> bytes:
    """The CTF of `count` made-up pupils of the school `laestab` (its whole roll)."""
    return ctf_xml(ctf_pupils(count, laestab=laestab, seed=seed), source=laestab)
