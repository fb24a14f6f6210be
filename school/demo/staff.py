"""The demo school's staff: who teaches which groups and who holds which role, planned
before any row is written."""

import math
from dataclasses import dataclass, field

from ..models import RoleAssignment, User
from .names import NAMES, gendered
from .shape import (
    DEMO_TEACHER_YEARS,
    HOUSES,
    LSA_COUNT,
    MAX_TEACHER_LOAD,
    PASTORAL_SUBJECTS,
    SENIOR_LEADER_COUNT,
    SUBJECTS,
    YEAR_WEIGHTS,
)

Role = RoleAssignment.Role


@dataclass(eq=False)
class Staff:
    first_name: str
    last_name: str
    kind: str  # "teacher", "leader" or "lsa": how generic staff emails are numbered
    subjects: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    roles: list = field(default_factory=list)  # (role, scope kind, scope key)
    persona: str = ""
    email: str = ""
    user: User | None = None


def staff_plan(rng, groups, forms, demo):
    """Who teaches what and who holds which role, before any row is written."""
    names = set()
    staff = []

    def hire(kind, subjects=()):
        member = Staff(*_staff_name(rng, names), kind=kind, subjects=list(subjects))
        staff.append(member)
        return member

    by_subject = {code: [g for g in groups if g.code == code] for _, code in SUBJECTS}

    # Heads of year and of house teach a couple of (preferably KS3) groups each.
    pastoral = []
    scopes = [(Role.HEAD_OF_YEAR, "year_group", year) for year in YEAR_WEIGHTS] + [
        (Role.HEAD_OF_HOUSE, "house", house) for house in range(len(HOUSES))
    ]
    for position, scope in enumerate(scopes):
        code = PASTORAL_SUBJECTS[position % len(PASTORAL_SUBJECTS)]
        member = hire("teacher", [code])
        member.roles.append(scope)
        free = [g for g in by_subject[code] if g.teacher is None]
        preferred = [g for g in free if g.year <= 9] or free
        for group in rng.sample(preferred, min(2, len(preferred))):
            _give(group, member)
        pastoral.append(member)

    # Each department shares its remaining groups round-robin, so everyone teaches across
    # the years; Maths always has two teachers so that the demo teacher is not its leader.
    teams = {}
    for _, code in SUBJECTS:
        rest = [g for g in by_subject[code] if g.teacher is None]
        size = max(2 if code == "Ma" else 1, math.ceil(len(rest) / MAX_TEACHER_LOAD))
        team = [hire("teacher", [code]) for _ in range(size if rest else 0)]
        for position, group in enumerate(rest):
            _give(group, team[position % len(team)])
        teams[code] = team
    for member in _small_departments_merge(teams):
        staff.remove(member)

    for _, code in SUBJECTS:
        if not teams[code]:
            teams[code] = [
                next((m for m in pastoral if code in m.subjects), None) or hire("teacher", [code])
            ]
        teams[code][0].roles.append((Role.SUBJECT_LEADER, "subject", code))
    classroom = [member for member in staff if member not in pastoral]

    demo_teacher = None
    if demo:
        demo_teacher = teams["Ma"][1]
        demo_teacher.persona = "teacher"
        _demo_teacher_spread(demo_teacher, teams["Ma"])
        pastoral[0].persona = "headofyear"  # head of Year 7
        pupil = next(c for g in groups for c in g.members if c.persona == "pupil")
        pastoral[len(YEAR_WEIGHTS) + pupil.family.house].persona = "headofhouse"
        _demo_pupil_place(pupil, groups, demo_teacher)

    # Form tutors: classroom teachers first, then subject leaders; nobody tutors two forms.
    leaders = [m for m in classroom if m.roles and m is not demo_teacher]
    plain = [m for m in classroom if not m.roles and m is not demo_teacher]
    rng.shuffle(plain)
    rng.shuffle(leaders)
    tutors = ([demo_teacher] if demo_teacher else []) + plain + leaders
    for form in range(len(forms)):
        tutor = tutors[form] if form < len(tutors) else hire("teacher")
        tutor.roles.append((Role.FORM_TUTOR, "tutor_group", form))
    for member in staff:
        member.roles.insert(0, (Role.TEACHER, None, None))

    for number in range(SENIOR_LEADER_COUNT):
        leader = hire("leader")
        leader.roles.append((Role.SENIOR_LEADER, None, None))
        if number == 0:
            leader.roles.append((Role.SCHOOL_ADMIN, None, None))
            leader.persona = "admin" if demo else ""
    for _ in range(LSA_COUNT):
        hire("lsa").roles.append((Role.LSA, None, None))
    return staff


def _give(group, member):
    if group.teacher is not None:
        group.teacher.groups.remove(group)
    group.teacher = member
    member.groups.append(group)
    member.groups.sort(key=lambda g: (g.year, g.code, g.number))


def _small_departments_merge(teams):
    """In a small school one teacher covers two small departments (e.g. Art and Music).
    Returns the teachers no longer needed."""
    small = [
        team[0]
        for code, team in teams.items()
        if code != "Ma" and len(team) == 1 and len(team[0].groups) < 4
    ]
    spare = []
    for first, second in zip(small[::2], small[1::2], strict=False):
        if len(first.groups) + len(second.groups) > MAX_TEACHER_LOAD:
            continue
        for group in list(second.groups):
            _give(group, first)
        first.subjects += second.subjects
        for code in second.subjects:
            teams[code] = [first]
        spare.append(second)
    return spare


def _demo_teacher_spread(me, team):
    """teacher@ teaches at least four Maths groups, in Years 7, 8 and 10 at least."""
    others = [member for member in team if member is not me]
    for year in DEMO_TEACHER_YEARS:
        if any(group.year == year for group in me.groups):
            continue
        donor, group = next((m, g) for m in others for g in m.groups if g.year == year)
        _give(group, me)
        spare = next((g for g in me.groups if g.year not in DEMO_TEACHER_YEARS), None)
        if spare is not None and len(me.groups) > len(donor.groups) + 1:
            _give(spare, donor)
    while len(me.groups) < 4:
        donor = max(others, key=lambda member: len(member.groups))
        _give(donor.groups[-1], me)


def _demo_pupil_place(pupil, groups, teacher):
    """Put pupil@ in one of teacher@'s Year 7 Maths groups (swapping with a classmate)."""
    target = next(g for g in teacher.groups if g.year == 7)
    current = next(g for g in groups if g.code == "Ma" and pupil in g.members)
    if current is target:
        return
    classmate = target.members[0]
    current.members[current.members.index(pupil)] = classmate
    target.members[0] = pupil


def _staff_name(rng, taken):
    groups = list(NAMES)
    while True:
        group = rng.choices(groups, weights=[NAMES[g]["staff"] for g in groups])[0]
        female = rng.random() < 0.62
        first = rng.choice(NAMES[group]["women" if female else "men"])
        last = gendered(rng.choice(NAMES[group]["surnames"]), female)
        if (first, last) not in taken:
            taken.add((first, last))
            return first, last


# Guardians -------------------------------------------------------------------------------
