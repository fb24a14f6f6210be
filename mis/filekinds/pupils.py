"""The Common Transfer File of the school's pupils and their contacts (the CSV pupils kind,
mis/filekinds/pupils_csv.py, shares the plan in mis/plans/pupils.py)."""

from datetime import date

from mis.kinds import FileKind, Plan, Progress
from mis.plans.pupils import pupils_apply, pupils_plan
from mis.readers.ctf import ctf_read
from school.models import School, User

# Each field as the CTF names it, for the messages about bad rows.
CTF_COLUMNS = {
    "upn": "UPN",
    "first_name": "Forename",
    "last_name": "Surname",
    "date_of_birth": "DOB",
    "year": "NCyearActual",
    "tutor_group": "RegGroup",
    "admission_number": "AdmissionNo",
    "contact_title": "Contact/Title",
    "contact_first_name": "Contact/Forename",
    "contact_last_name": "Contact/Surname",
    "contact_email": "Contact/Email",
    "contact_mobile": "Contact/Phones",
    "contact_home_phone": "Contact/Phones",
    "contact_work_phone": "Contact/Phones",
}


class CtfPupils(FileKind):
    key = "ctf_pupils"
    label = "Pupils and contacts (Common Transfer File)"
    format = "ctf"
    order = 10

    def plan(
        self,
        *,
        school: School,
        content: bytes,
        mapping: dict,
        today: date,
        actor: User | None = None,
    ) -> Plan:
        pupils_file = ctf_read(content=content, dfe_number=school.dfe_number, today=today)
        return pupils_plan(school=school, pupils_file=pupils_file, today=today, columns=CTF_COLUMNS)

    def apply(
        self,
        *,
        school: School,
        content: bytes,
        mapping: dict,
        today: date,
        actor: User | None,
        progress: Progress,
    ) -> Plan:
        pupils_file = ctf_read(content=content, dfe_number=school.dfe_number, today=today)
        return pupils_apply(
            school=school,
            pupils_file=pupils_file,
            today=today,
            columns=CTF_COLUMNS,
            progress=progress,
            actor=actor,
        )


KINDS = [CtfPupils()]
