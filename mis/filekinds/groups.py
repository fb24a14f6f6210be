"""Tutor groups with their tutors, and teaching groups with their teachers, from CSV
(mis/plans/groups.py does the work).

Presets: Bromcom's documented templates call the registration group "Tutor Group" and
the year "Year Group"; SIMS's reports say "Reg Group" and "Year", Arbor's "Registration
Form" and "Year Group". The class, teacher and room headers are the names the systems'
standard reports commonly use, not guaranteed: the admin maps any other header once."""

from mis.kinds import Column
from mis.plans.groups import TeachingGroupsPlan, TutorGroupsPlan

YEAR_HELP = "7 to 13 (also read: Year 7, Y7, 07)"
STAFF_HELP = 'Staff codes or emails, separated by ";" (the whole list: others are removed)'


class TutorGroups(TutorGroupsPlan):
    key = "tutor_groups"
    label = "Tutor groups and tutors (CSV)"
    order = 40
    columns = (
        Column("name", "Tutor group", required=True, help_text="e.g. 7A"),
        Column("year_group", "Year group", required=True, help_text=YEAR_HELP),
        Column("tutors", "Tutors", help_text=STAFF_HELP),
        Column("room", "Room"),
    )
    presets = {
        "SIMS": {"name": "Reg Group", "year_group": "Year", "tutors": "Tutor", "room": "Room"},
        "Arbor": {
            "name": "Registration Form",
            "year_group": "Year Group",
            "tutors": "Form Tutor",
            "room": "Room",
        },
        "Bromcom": {
            "name": "Tutor Group",
            "year_group": "Year Group",
            "tutors": "Tutor",
            "room": "Room",
        },
    }


class TeachingGroups(TeachingGroupsPlan):
    key = "teaching_groups"
    label = "Teaching groups (CSV)"
    order = 60
    columns = (
        Column("name", "Group code", required=True, help_text="e.g. 7x/Ma1"),
        Column("subject", "Subject code", required=True, help_text="A subject's code, e.g. Ma"),
        Column("year_group", "Year group", required=True, help_text=YEAR_HELP),
        Column("teachers", "Teachers", help_text=STAFF_HELP),
    )
    presets = {
        "SIMS": {
            "name": "Class",
            "subject": "Subject",
            "year_group": "Year",
            "teachers": "Teacher",
        },
        "Arbor": {
            "name": "Class Name",
            "subject": "Subject Code",
            "year_group": "Year Group",
            "teachers": "Teachers",
        },
        "Bromcom": {
            "name": "Class",
            "subject": "Subject Code",
            "year_group": "Year Group",
            "teachers": "Teacher",
        },
    }


KINDS = [TutorGroups(), TeachingGroups()]
