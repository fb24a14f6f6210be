"""Pupils and their contacts from a CSV, for schools that prefer it to the Common
Transfer File: the rows become mis/plans/pupils.py's records, whose plan both kinds share
(matching by UPN, leavers, joiners, tutor group changes, guardians).

The file's shape: one row per pupil and contact. A pupil with two contacts has two rows
with the same UPN, their pupil columns alike (the first row's count; a later row that
says otherwise is an error); a pupil with no contact has one row whose contact columns
are blank. Without contact columns at all, the pupils' contacts are left alone; with
them, each pupil's rows are the whole list of their contacts.

The file is the whole roll: pupils on roll who are not in it are marked as left.

Values: dates as dd/mm/yyyy (or yyyy-mm-dd); year 7-13 ("Year 7", "Y7" too); gender
F/M/X (or Female, Male, Other; blank for not recorded); yes/no columns as Y/N, Yes/No,
True/False, 1/0 (blank is no); SEN as N/blank (none), K or "SEN support", E or "EHC
plan"; relationship as a word (Mother, Father, Step-parent, Grandparent, Carer, Foster
carer, Other) or the CTF's code (PAR, MUM, DAD, STP, GRP, CAR, FOS, OTH ...)."""

from datetime import date, datetime

from mis.kinds import FileKind, FileRejected, Plan, Progress, RowError
from mis.plans.pupil_records import ContactRecord, PupilRecord, PupilsFile
from mis.plans.pupils import pupils_apply, pupils_plan
from mis.readers.csv import CsvTable, csv_read
from school.models import GuardianLink, Pupil

from .csv_common import year_number, yes_no

Relationship = GuardianLink.Relationship
PUPIL_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "year",
    "tutor_group",
    "admission_number",
    "gender",
    "free_school_meals",
    "sen",
    "eal",
    "first_language",
    "looked_after",
)
CONTACT_FIELDS = (
    "contact_title",
    "contact_first_name",
    "contact_last_name",
    "contact_relationship",
    "contact_responsibility",
    "contact_priority",
    "contact_email",
    "contact_mobile",
    "contact_home_phone",
    "contact_work_phone",
    "contact_address",
)
GENDERS = {"f": "F", "female": "F", "m": "M", "male": "M", "x": "X", "other": "X", "": ""}
SEN = {
    "": "",
    "n": "",
    "none": "",
    "no": "",
    "k": Pupil.Sen.SUPPORT,
    "sen support": Pupil.Sen.SUPPORT,
    "support": Pupil.Sen.SUPPORT,
    "e": Pupil.Sen.EHCP,
    "ehc plan": Pupil.Sen.EHCP,
    "ehcp": Pupil.Sen.EHCP,
    "s": Pupil.Sen.EHCP,
}
RELATIONSHIPS = {
    **{str(label).casefold(): value for value, label in Relationship.choices},
    "mum": Relationship.MOTHER,
    "dad": Relationship.FATHER,
    "par": Relationship.OTHER,
    "parent": Relationship.OTHER,
    "stp": Relationship.STEP_PARENT,
    "step parent": Relationship.STEP_PARENT,
    "stepmother": Relationship.STEP_PARENT,
    "stepfather": Relationship.STEP_PARENT,
    "grp": Relationship.GRANDPARENT,
    "car": Relationship.CARER,
    "fos": Relationship.FOSTER_CARER,
    "foster parent": Relationship.FOSTER_CARER,
    "oth": Relationship.OTHER,
    "other": Relationship.OTHER,
    "ofm": Relationship.OTHER,
    "rel": Relationship.OTHER,
    "": Relationship.OTHER,
}


def date_read(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class _Reader:
    """Turns the table's rows into PupilRecords, noting values it cannot read."""

    def __init__(self, table: CsvTable):
        self.table = table
        self.errors: list[RowError] = []
        self.with_contacts = any(table.has(name) for name in CONTACT_FIELDS)

    def records(self) -> list[PupilRecord]:
        records: dict[str, PupilRecord] = {}
        firsts: dict[str, object] = {}
        for row in self.table.rows:
            upn = row.get("upn").upper()
            if not upn:
                self.errors.append(row.error("upn", "Missing UPN"))
                continue
            record = records.get(upn)
            if record is None:
                record = records[upn] = self.pupil(row, upn)
                firsts[upn] = row
            else:
                first = firsts[upn]
                for name in PUPIL_FIELDS:
                    if self.table.has(name) and row.get(name) != first.get(name):
                        self.errors.append(
                            row.error(
                                name,
                                f"Says {row.get(name) or 'nothing'} for {upn}, and line "
                                f"{first.line} says {first.get(name) or 'nothing'}",
                            )
                        )
            contact = self.contact(row, upn, len(record.contacts or []) + 1)
            if contact is not None:
                record.contacts.append(contact)
        return list(records.values())

    def pupil(self, row, upn) -> PupilRecord:
        def flag(name):
            if not self.table.has(name):
                return None
            value = yes_no(row.get(name))
            if value is None:
                self.errors.append(row.error(name, f'Should be Yes or No, not "{row.get(name)}"'))
            return value

        born = None
        if row.get("date_of_birth"):
            born = date_read(row.get("date_of_birth"))
            if born is None:
                self.errors.append(
                    row.error(
                        "date_of_birth",
                        f"{row.get('date_of_birth')} is not a date (write it as dd/mm/yyyy)",
                    )
                )
        year = year_number(row.get("year")) if row.get("year") else None
        if row.get("year") and year is None:
            self.errors.append(row.error("year", f"{row.get('year')} is not a year from 7 to 13"))
        gender = sen = None
        if self.table.has("gender"):
            gender = GENDERS.get(row.get("gender").casefold())
            if gender is None:
                self.errors.append(row.error("gender", f"Unknown gender {row.get('gender')}"))
        if self.table.has("sen"):
            sen = SEN.get(row.get("sen").casefold())
            if sen is None:
                self.errors.append(
                    row.error("sen", f"Unknown SEN provision {row.get('sen')} (N, K or E)")
                )
        language = row.get("first_language").upper() if self.table.has("first_language") else None
        return PupilRecord(
            line=row.line,
            upn=upn,
            first_name=row.get("first_name"),
            last_name=row.get("last_name"),
            date_of_birth=born,
            year=year,
            tutor_group=row.get("tutor_group"),
            admission_number=row.get("admission_number"),
            gender=gender,
            free_school_meals=flag("free_school_meals"),
            sen=sen,
            eal=flag("eal"),
            first_language=language,
            looked_after=flag("looked_after"),
            contacts=[] if self.with_contacts else None,
            lines=dict.fromkeys(PUPIL_FIELDS, row.line),
        )

    def contact(self, row, upn, order) -> ContactRecord | None:
        if not self.with_contacts or not any(row.get(name) for name in CONTACT_FIELDS):
            return None
        relationship = RELATIONSHIPS.get(row.get("contact_relationship").casefold())
        if relationship is None:
            self.errors.append(
                row.error(
                    "contact_relationship",
                    f"Unknown relationship {row.get('contact_relationship')} (e.g. Mother, "
                    "Father, Carer, Other)",
                )
            )
        responsibility = yes_no(row.get("contact_responsibility") or "yes")
        if responsibility is None:
            self.errors.append(
                row.error("contact_responsibility", "Parental responsibility should be Yes or No")
            )
        priority = order
        if row.get("contact_priority"):
            if row.get("contact_priority").isdigit() and 0 < int(row.get("contact_priority")) < 100:
                priority = int(row.get("contact_priority"))
            else:
                self.errors.append(
                    row.error("contact_priority", "The priority should be a number (1 first)")
                )
        return ContactRecord(
            line=row.line,
            order=priority,
            first_name=row.get("contact_first_name"),
            last_name=row.get("contact_last_name"),
            title=row.get("contact_title"),
            relationship=relationship or Relationship.OTHER,
            parental_responsibility=responsibility is not False,
            email=row.get("contact_email"),
            mobile=row.get("contact_mobile"),
            home_phone=row.get("contact_home_phone"),
            work_phone=row.get("contact_work_phone"),
            address=row.get("contact_address"),
        )


def pupils_file_read(table: CsvTable) -> PupilsFile:
    reader = _Reader(table)
    records = reader.records()
    # A refused row may be a pupil on roll: leavers only from a file read whole.
    return PupilsFile(pupils=records, full=table.complete, errors=[*table.errors, *reader.errors])


class PupilsCsvPlan(FileKind):
    """Hands the file to the shared pupils plan (which also checks the records)."""

    format = "csv"

    def _read(self, content, mapping) -> tuple[PupilsFile, dict]:
        table = csv_read(kind=self, content=content, mapping=mapping or {})
        if not table.rows and not table.errors:
            raise FileRejected("The file has its column headers but no pupils.")
        return pupils_file_read(table), table.headers

    def plan(self, *, school, content, mapping, today, actor=None) -> Plan:
        pupils_file, headers = self._read(content, mapping)
        result = pupils_plan(school=school, pupils_file=pupils_file, today=today, columns=headers)
        # A value this reader could not read is None to the plan, which would also call it
        # missing: the reader's message says more.
        mine = set(pupils_file.errors)
        spots = {(error.line, error.column) for error in mine}
        result.errors = [
            error
            for error in result.errors
            if error in mine or (error.line, error.column) not in spots
        ]
        return result

    def apply(self, *, school, content, mapping, today, actor, progress: Progress) -> Plan:
        pupils_file, headers = self._read(content, mapping)
        return pupils_apply(
            school=school,
            pupils_file=pupils_file,
            today=today,
            columns=headers,
            progress=progress,
            actor=actor,
        )
