"""The school's staff, from CSV (mis/plans/staff.py does the work; mis/plans/roles.py
documents the roles cell).

Presets: the headers the three systems' staff reports commonly use, not guaranteed
(none documents a fixed staff export); the admin maps any other header once."""

from mis.kinds import Column
from mis.plans.staff import StaffPlan


class Staff(StaffPlan):
    key = "staff"
    label = "Staff (CSV)"
    order = 30
    columns = (
        Column("first_name", "First name", required=True),
        Column("last_name", "Last name", required=True),
        Column(
            "email",
            "Email",
            required=True,
            help_text="The address they sign in with (a new member of staff needs one)",
        ),
        Column("staff_code", "Staff code", help_text="The MIS's short code, e.g. JSM"),
        Column(
            "roles",
            "Roles",
            help_text='Separated by ";": Teacher; School admin; Senior leader; LSA; '
            "Data protection lead; Head of year 9; Head of house Brunel; Subject leader Ma",
        ),
    )
    presets = {
        "SIMS": {
            "first_name": "Forename",
            "last_name": "Surname",
            "email": "Work Email Address",
            "staff_code": "Staff Code",
            "roles": "Roles",
        },
        "Arbor": {
            "first_name": "First Name",
            "last_name": "Last Name",
            "email": "Work Email",
            "staff_code": "Staff Code",
            "roles": "Roles",
        },
        "Bromcom": {
            "first_name": "Legal First Name",
            "last_name": "Legal Last Name",
            "email": "Email",
            "staff_code": "Staff Code",
            "roles": "Roles",
        },
    }


KINDS = [Staff()]
