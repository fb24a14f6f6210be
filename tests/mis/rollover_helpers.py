"""The next year the rollover tests start: 2027/28 after the world's 2026/27."""

import datetime

from mis.rollover.services import Choices, DayOff, NewYear, rollover_apply, rollover_plan
from school.models import HalfTerm, NonSchoolDay

D = datetime.date
NEW_START = D(2027, 9, 1)
HALF_TERMS = [
    (HalfTerm.Name.AUTUMN_1, D(2027, 9, 1), D(2027, 10, 22)),
    (HalfTerm.Name.AUTUMN_2, D(2027, 11, 1), D(2027, 12, 17)),
    (HalfTerm.Name.SPRING_1, D(2028, 1, 4), D(2028, 2, 11)),
    (HalfTerm.Name.SPRING_2, D(2028, 2, 21), D(2028, 3, 31)),
    (HalfTerm.Name.SUMMER_1, D(2028, 4, 18), D(2028, 5, 26)),
    (HalfTerm.Name.SUMMER_2, D(2028, 6, 5), D(2028, 7, 20)),
]


def next_year(**changes) -> NewYear:
    values = {
        "name": "2027/28",
        "start_date": NEW_START,
        "end_date": D(2028, 8, 31),
        "half_terms": list(HALF_TERMS),
        "days_off": [
            DayOff(D(2027, 9, 1), NonSchoolDay.Kind.INSET, "INSET day"),
            DayOff(D(2028, 5, 1), NonSchoolDay.Kind.BANK_HOLIDAY, "Early May bank holiday"),
        ],
    }
    values.update(changes)
    return NewYear(**values)


def plan(world, **choices):
    return rollover_plan(
        school=world.school,
        from_year=world.academic_year,
        new_year=next_year(),
        choices=Choices(**choices),
    )


def apply(world, *, now=None, **choices):
    return rollover_apply(
        school=world.school,
        from_year=world.academic_year,
        new_year=next_year(),
        choices=Choices(**choices),
        actor=world.school_admin,
        now=now,
    )
