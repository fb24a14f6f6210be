"""The school's houses and subjects, from CSV (mis/plans/structure.py does the work).

Presets: Bromcom's documented import templates name the house column "House"; the
other headers are the names the three systems' standard reports commonly use, not
guaranteed: the admin maps any other header once."""

from mis.kinds import Column
from mis.plans.structure import HousesPlan, SubjectsPlan


class Houses(HousesPlan):
    key = "houses"
    label = "Houses (CSV)"
    order = 10
    columns = (Column("name", "House", required=True, help_text="The house's name, e.g. Brunel"),)
    presets = {
        "SIMS": {"name": "House"},
        "Arbor": {"name": "House"},
        "Bromcom": {"name": "House"},
    }


class Subjects(SubjectsPlan):
    key = "subjects"
    label = "Subjects (CSV)"
    order = 20
    columns = (
        Column("code", "Subject code", required=True, help_text="The MIS's short code, e.g. Ma"),
        Column("name", "Subject name", required=True, help_text="e.g. Mathematics"),
    )
    presets = {
        "SIMS": {"code": "Code", "name": "Subject"},
        "Arbor": {"code": "Subject Code", "name": "Subject Name"},
        "Bromcom": {"code": "Subject Code", "name": "Subject Name"},
    }


KINDS = [Houses(), Subjects()]
