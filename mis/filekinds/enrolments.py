"""Which pupils are in which teaching group, and the pupil premium and young carer flags
the Common Transfer File does not carry, from CSV (mis/plans/enrolments.py does the
work).

Presets: "UPN" is the DfE's own name, used by every system (Bromcom's documented
templates included); the class and flag headers are the names the systems' standard
reports commonly use, not guaranteed: the admin maps any other header once."""

from mis.kinds import Column
from mis.plans.enrolments import EnrolmentsPlan, FlagsPlan

UPN = Column("upn", "UPN", required=True, help_text="The pupil's unique pupil number")


class Enrolments(EnrolmentsPlan):
    key = "enrolments"
    label = "Enrolments: pupils in teaching groups (CSV)"
    order = 70
    columns = (UPN, Column("group", "Group code", required=True, help_text="e.g. 7x/Ma1"))
    presets = {
        "SIMS": {"upn": "UPN", "group": "Class"},
        "Arbor": {"upn": "UPN", "group": "Class Name"},
        "Bromcom": {"upn": "UPN", "group": "Class"},
    }


class PupilFlags(FlagsPlan):
    key = "pupil_flags"
    label = "Pupil premium and young carers (CSV)"
    order = 80
    columns = (
        UPN,
        Column("pupil_premium", "Pupil premium", help_text="Yes/No, Y/N, True/False or 1/0"),
        Column("young_carer", "Young carer", help_text="Yes/No, Y/N, True/False or 1/0"),
    )
    presets = {
        "SIMS": {
            "upn": "UPN",
            "pupil_premium": "Pupil Premium Indicator",
            "young_carer": "Young Carer Indicator",
        },
        "Arbor": {"upn": "UPN", "pupil_premium": "Pupil Premium", "young_carer": "Young Carer"},
        "Bromcom": {
            "upn": "UPN",
            "pupil_premium": "Pupil Premium",
            "young_carer": "Young Carer",
        },
    }


KINDS = [Enrolments(), PupilFlags()]
