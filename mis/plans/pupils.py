"""Pupils and their contacts from a file of the whole roll (a Common Transfer File, or the
CSV pupils kind): what the file adds, changes and who has left, then the writes.

A reader turns its file into `PupilRecord`s (each with its `ContactRecord`s) and the
problems it met reading values (`RowError`s); `pupils_plan` compares them with the
school's rows and `pupils_apply` writes them. Both kinds share these rules:

- Pupils are matched by UPN within the school; a pupil of another school with the same
  UPN is never looked at.
- A joiner needs a year group (7-13) the school has; a tutor group named in the file that
  the school does not have is created in the pupil's year group (shown on the pupil's
  change). A pupil who moves tutor group or year keeps everything already set for them:
  only the pupil's row changes.
- A full file marks every pupil on roll but missing from it as left (`left_on` = today,
  never deleted); a pupil in the file who had left rejoins (`left_on` cleared).
- A value the file does not carry is `None` in the record and left as it is.
- Contacts: a guardian is matched within the school by email (any case), else by name
  among the pupil's existing contacts, else created. The pupil's links follow the file
  (relationship, parental responsibility, priority); a link to someone no longer listed
  is removed, the guardian's row stays (it may have other children, messages or a login).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from mis.kinds import RowError
from school.models import GuardianLink


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
    lines: dict[str, int] = field(default_factory=dict)


@dataclass
class PupilsFile:
    """What a reader found in a file of pupils: the records, whether the file is the whole
    roll (`full`: pupils missing from it have left) and the values it could not read
    (each a `RowError`: the plan reports them with its own)."""

    pupils: list[PupilRecord]
    full: bool
    errors: list[RowError] = field(default_factory=list)
