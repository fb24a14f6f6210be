"""What a reader makes of a file of pupils (the records the pupils plan compares), and
how the plan names and shows their fields. Shared by the CTF and the CSV pupils kinds."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from mis.kinds import RowError
from school.models import GuardianLink, Pupil


@dataclass
class ContactRecord:
    """One of a pupil's contacts as the file gives them.

    `line` is where the contact starts in the file (for messages). `relationship` is a
    `GuardianLink.Relationship` value (the reader maps its file's codes). `order` is the
    contact's priority (1 is called first). Empty text means the file has no value: an
    empty email or phone never clears one the school already holds."""

    line: int | None
    order: int
    first_name: str
    last_name: str
    title: str = ""
    relationship: str = GuardianLink.Relationship.OTHER
    parental_responsibility: bool = True
    email: str = ""
    mobile: str = ""
    home_phone: str = ""
    work_phone: str = ""
    address: str = ""  # lines joined with ", " (or newlines), postcode last


@dataclass
class PupilRecord:
    """One pupil as the file gives them.

    Required: `upn`, `first_name`, `last_name`, `date_of_birth`, `year` (the NC year, 7-13)
    for every pupil, and `tutor_group` (its name) for a joiner; a missing one is a row
    error. `None` in an optional field means the file does not say: the pupil's value is
    left as it is. `contacts=None` leaves the pupil's contacts alone; a list (even an
    empty one) is the whole list of the pupil's contacts.

    `line` is where the pupil starts in the file; `lines` may give the line of single
    fields (field name -> line) where the reader knows it, for sharper messages."""

    line: int | None
    upn: str
    first_name: str
    last_name: str
    date_of_birth: date | None
    year: int | None
    tutor_group: str = ""
    admission_number: str = ""  # "" for a joiner: the UPN is used
    gender: str | None = None  # "" not recorded, "F", "M", "X"
    free_school_meals: bool | None = None
    sen: str | None = None  # a Pupil.Sen value: "", "support", "ehcp"
    eal: bool | None = None
    first_language: str | None = None  # the DfE code, e.g. ENG, POL
    looked_after: bool | None = None
    contacts: list[ContactRecord] | None = None
    lines: dict[str, int] = dataclasses.field(default_factory=dict)
    # Fields whose value the reader could not read and has reported as a RowError: the
    # plan neither reports them again as missing nor writes the pupil.
    unread: set[str] = dataclasses.field(default_factory=set)


@dataclass
class PupilsFile:
    """What a reader found in a file of pupils: the records, whether the file is the whole
    roll (`full`: pupils missing from it have left) and the values it could not read
    (each a `RowError`: the plan reports them with its own)."""

    pupils: list[PupilRecord]
    full: bool
    errors: list[RowError] = dataclasses.field(default_factory=list)


# The plan's own names for the fields, used in Change.fields and, unless the kind gives
# its file's names (`columns`), in RowError.column.
LABELS = {
    "upn": "UPN",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "year_group": "Year group",
    "tutor_group": "Tutor group",
    "admission_number": "Admission number",
    "gender": "Gender",
    "free_school_meals": "FSM",
    "sen": "SEN",
    "eal": "EAL",
    "first_language": "First language",
    "looked_after": "Looked after",
    "left_on": "Left on",
    "year": "Year group",
    "contact_title": "Contact's title",
    "contact_first_name": "Contact's first name",
    "contact_last_name": "Contact's surname",
    "contact_email": "Contact's email",
    "contact_mobile": "Contact's mobile",
    "contact_home_phone": "Contact's home phone",
    "contact_work_phone": "Contact's work phone",
}
FLAG_FIELDS = ("free_school_meals", "sen", "eal", "first_language", "looked_after")
GUARDIAN_FIELDS = {
    "title": "title",
    "first_name": "first name",
    "last_name": "last name",
    "email": "email",
    "mobile": "mobile",
    "home_phone": "home phone",
    "work_phone": "work phone",
    "address": "address",
}
# Details an empty value in the file never clears (the school may hold them from elsewhere).
KEPT_WHEN_EMPTY = ("email", "mobile", "home_phone", "work_phone", "address")


def shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def shown_field(name: str, value) -> str:
    if name == "sen":
        return str(Pupil.Sen(value).label) if value else "None"
    if name == "gender":
        return str(Pupil.Gender(value).label) if value else ""
    return shown(value)


def text_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def contact_text(name: str, relationship: str, responsibility: bool, priority: int) -> str:
    label = GuardianLink.Relationship(relationship).label
    parts = [str(label), f"contact {priority}"]
    if responsibility:
        parts.append("parental responsibility")
    return f"{name} ({', '.join(parts)})"
