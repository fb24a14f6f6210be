"""The demo school's structure: year groups, houses and subjects, then the plans of its
tutor groups and teaching groups (rows come later, with the pupils)."""

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import House, Subject, YearGroup
from .draws import weighted_sample
from .shape import (
    HOUSES,
    KS5_SUBJECTS,
    MAX_GROUP_SIZE,
    SET_SUBJECTS,
    SUBJECTS,
    YEAR_WEIGHTS,
)

if TYPE_CHECKING:
    from .staff import Staff


@dataclass(eq=False)
class Group:
    year: int
    code: str
    number: int
    members: list
    teacher: "Staff | None" = None

    @property
    def name(self):
        return f"{self.year}x/{self.code}{self.number}"


def structure_create(school):
    """Year groups, houses and subjects; returns them keyed as the plans refer to them."""
    years = {
        row.number: row
        for row in YearGroup.objects.bulk_create(
            [YearGroup(school=school, number=number) for number in YEAR_WEIGHTS]
        )
    }
    houses = House.objects.bulk_create([House(school=school, name=house) for house in HOUSES])
    subjects = {
        row.code: row
        for row in Subject.objects.bulk_create(
            [Subject(school=school, name=subject, code=code) for subject, code in SUBJECTS]
        )
    }
    return years, houses, subjects


def forms_plan(rng, children, demo):
    """Tutor groups of at most 28 per year, named 7A, 7B...; sets `child.form`."""
    forms = []
    rooms = [f"{block}{n}" for block in "ABCEHMS" for n in range(1, 25)]
    rng.shuffle(rooms)
    for year in YEAR_WEIGHTS:
        pupils = [child for child in children if child.year == year]
        rng.shuffle(pupils)
        if demo and year == 7:
            pupils.sort(key=lambda child: child.persona != "pupil")
        count = math.ceil(len(pupils) / MAX_GROUP_SIZE)
        for letter, chunk in zip("ABCDEFGHJKLMNPRSTUVW", _split(pupils, count), strict=False):
            for child in chunk:
                child.form = len(forms)
            forms.append((f"{year}{letter}", year, rooms[len(forms) % len(rooms)]))
    return forms


def _split(items, parts):
    """`items` in `parts` consecutive runs whose sizes differ by at most one."""
    base, extra = divmod(len(items), parts)
    runs, start = [], 0
    for part in range(parts):
        size = base + (1 if part < extra else 0)
        runs.append(items[start : start + size])
        start += size
    return runs


def teaching_groups_plan(rng, children):
    groups = []
    for year in YEAR_WEIGHTS:
        pupils = sorted(
            (child for child in children if child.year == year), key=lambda child: child.form
        )
        if year <= 11:
            members_by_subject = {code: pupils for _, code in SUBJECTS}
        else:
            members_by_subject = {code: [] for code in KS5_SUBJECTS}
            codes = list(KS5_SUBJECTS)
            for child in pupils:
                for code in weighted_sample(rng, codes, 3, weight=KS5_SUBJECTS.get):
                    members_by_subject[code].append(child)
        for code, members in members_by_subject.items():
            if not members:
                continue
            if code in SET_SUBJECTS:
                members = rng.sample(members, len(members))
            count = math.ceil(len(members) / MAX_GROUP_SIZE)
            for number, chunk in enumerate(_split(members, count), start=1):
                groups.append(Group(year=year, code=code, number=number, members=list(chunk)))
    return groups
