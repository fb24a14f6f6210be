"""Pupils and their contacts from CSV, for schools that prefer it to the Common Transfer
File (mis/plans/pupils_csv.py reads the rows and documents the file's shape; the plan is
the CTF's, mis/plans/pupils.py).

Presets: Bromcom's documented import templates name the pupil columns "UPN", "First
Name", "Last Name", "Admission Number", "Gender", "Year Group" and "Tutor Group"; the
other headers are the names the systems' standard reports commonly use (SIMS: "Legal
Forename", "Reg Group", "Adno"; Arbor: "Registration Form"), not guaranteed: the admin
maps any other header once."""

from mis.kinds import Column
from mis.plans.pupils_csv import PupilsCsvPlan

YES_NO = "Yes/No, Y/N, True/False or 1/0"
CONTACT_COLUMNS = (
    Column("contact_title", "Contact title"),
    Column("contact_first_name", "Contact first name"),
    Column("contact_last_name", "Contact surname"),
    Column("contact_relationship", "Contact relationship", help_text="e.g. Mother, Carer"),
    Column("contact_responsibility", "Parental responsibility", help_text=YES_NO),
    Column("contact_priority", "Contact priority", help_text="1 is called first"),
    Column("contact_email", "Contact email"),
    Column("contact_mobile", "Contact mobile"),
    Column("contact_home_phone", "Contact home phone"),
    Column("contact_work_phone", "Contact work phone"),
    Column("contact_address", "Contact address"),
)
CONTACTS = {
    "contact_title": "Contact Title",
    "contact_first_name": "Contact Forename",
    "contact_last_name": "Contact Surname",
    "contact_relationship": "Relationship",
    "contact_responsibility": "Parental Responsibility",
    "contact_priority": "Priority",
    "contact_email": "Contact Email",
    "contact_mobile": "Contact Mobile",
    "contact_home_phone": "Contact Home Telephone",
    "contact_work_phone": "Contact Work Telephone",
    "contact_address": "Contact Address",
}


class PupilsCsv(PupilsCsvPlan):
    key = "pupils_csv"
    label = "Pupils and contacts (CSV)"
    order = 50
    columns = (
        Column("upn", "UPN", required=True),
        Column("first_name", "First name", required=True),
        Column("last_name", "Last name", required=True),
        Column("date_of_birth", "Date of birth", required=True, help_text="dd/mm/yyyy"),
        Column("year", "Year group", required=True, help_text="7 to 13"),
        Column("tutor_group", "Tutor group", required=True, help_text="e.g. 7A"),
        Column("admission_number", "Admission number"),
        Column("gender", "Gender", help_text="F, M or X"),
        Column("free_school_meals", "FSM", help_text=YES_NO),
        Column("sen", "SEN", help_text="N (none), K (SEN support) or E (EHC plan)"),
        Column("eal", "EAL", help_text=YES_NO),
        Column("first_language", "First language", help_text="The DfE code, e.g. ENG"),
        Column("looked_after", "Looked after", help_text=YES_NO),
        *CONTACT_COLUMNS,
    )
    presets = {
        "SIMS": {
            "upn": "UPN",
            "first_name": "Legal Forename",
            "last_name": "Legal Surname",
            "date_of_birth": "DOB",
            "year": "Year",
            "tutor_group": "Reg Group",
            "admission_number": "Adno",
            "gender": "Gender",
            "free_school_meals": "FSM Eligible",
            "sen": "SEN Status",
            "eal": "EAL",
            "first_language": "First Language",
            "looked_after": "In Care",
            **CONTACTS,
        },
        "Arbor": {
            "upn": "UPN",
            "first_name": "Legal First Name",
            "last_name": "Legal Last Name",
            "date_of_birth": "Date of Birth",
            "year": "Year",
            "tutor_group": "Registration Form",
            "admission_number": "Admission No",
            "gender": "Gender",
            "free_school_meals": "FSM",
            "sen": "SEN Status",
            "eal": "EAL",
            "first_language": "First Language",
            "looked_after": "Looked After",
            **CONTACTS,
        },
        "Bromcom": {
            "upn": "UPN",
            "first_name": "First Name",
            "last_name": "Last Name",
            "date_of_birth": "Date of Birth",
            "year": "Year Group",
            "tutor_group": "Tutor Group",
            "admission_number": "Admission Number",
            "gender": "Gender",
            "free_school_meals": "FSM",
            "sen": "SEN Status",
            "eal": "EAL",
            "first_language": "First Language",
            "looked_after": "Looked After",
            **CONTACTS,
        },
    }


KINDS = [PupilsCsv()]
