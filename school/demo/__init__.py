"""The demo school behind `manage.py seed_demo`: a multicultural inner-city secondary school
shaped like the one in the source material (1,342 pupils; 59% FSM, 84% EAL, 52% SEN), with
the demo logins listed in README.md.

Everything is drawn from one `random.Random(seed)`, never from the global generator, the
clock or uuid4, so the same seed builds the same school. Rows are written with
`bulk_create`, and every user shares one password hash: hashing 1,600 passwords one by
one would take minutes.

Apps above `school` add their own demo rows (homework, later sanctions...) through
`register_demo_extension`; only they see today's date, to place their rows around it."""

import math
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import (
    AcademicYear,
    Guardian,
    GuardianLink,
    HalfTerm,
    House,
    NonSchoolDay,
    Pupil,
    RoleAssignment,
    School,
    Subject,
    TeachingGroup,
    TutorGroup,
    User,
    YearGroup,
)
from .names import EMAIL_DOMAINS, NAMES, SCHOOL_NAMES, STREETS, TRAVEL_NOTES

DEMO_SLUG = "demo"
DEMO_DOMAIN = "demo.school"
DEMO_PASSWORD = "homework-demo"
DEFAULT_SEED = 2026
DEFAULT_PUPILS = 300
MIN_PUPILS = 30  # enough for pupil@ in Year 7 and a sibling in Year 10
MAX_PUPILS = 3000  # at most 20 tutor groups a year, 7A to 7W
MAX_SCHOOLS = 50

Role = RoleAssignment.Role
Relationship = GuardianLink.Relationship

DEMO_LOGINS = {
    "admin": "admin@demo.school",
    "teacher": "teacher@demo.school",
    "headofyear": "headofyear@demo.school",
    "headofhouse": "headofhouse@demo.school",
    "parent": "parent@demo.school",
    "pupil": "pupil@demo.school",
}

HOUSES = ["Brunel", "Curie", "Darwin", "Seacole"]
SUBJECTS = [
    ("English", "En"),
    ("Maths", "Ma"),
    ("Science", "Sc"),
    ("History", "Hi"),
    ("Geography", "Gg"),
    ("French", "Fr"),
    ("Art", "Ar"),
    ("Music", "Mu"),
    ("Physical Education", "PE"),
    ("Computing", "Co"),
    ("Religious Education", "RE"),
    ("Design & Technology", "DT"),
]
# Taught in sets (shuffled); the other subjects are taught in tutor-group order.
SET_SUBJECTS = ("En", "Ma", "Sc")
# Sixth-form subjects and how popular each is; every student takes three.
KS5_SUBJECTS = {
    "Ma": 1.5,
    "Sc": 1.5,
    "En": 1.0,
    "Hi": 1.0,
    "Gg": 0.8,
    "Co": 0.8,
    "Ar": 0.7,
    "RE": 0.7,
}
# Heads of year and of house each teach a couple of groups of one of these.
PASTORAL_SUBJECTS = ["Hi", "Gg", "PE", "RE", "En", "Sc", "Fr", "Co", "Ar", "Mu", "DT"]
YEAR_WEIGHTS = {7: 1.0, 8: 1.0, 9: 1.0, 10: 1.0, 11: 1.0, 12: 0.6, 13: 0.6}
MAX_GROUP_SIZE = 28
MAX_TEACHER_LOAD = 8
DEMO_TEACHER_YEARS = (7, 8, 10)
LSA_COUNT = 4
SENIOR_LEADER_COUNT = 2

# Proportions from the seed school (seed 001).
FSM_SHARE = 0.59
PP_SHARE = 0.61
EAL_SHARE = 0.84
SEN_SHARE = 0.52
EHCP_SHARE = 0.04
YOUNG_CARER_SHARE = 0.04
LOOKED_AFTER_SHARE = 0.01
TRAVEL_NOTE_SHARE = 0.05
SIBLING_SHARE = 0.15
TWO_GUARDIAN_SHARE = 0.6

ACADEMIC_YEAR = ("2026/27", date(2026, 9, 1), date(2027, 8, 31))
HALF_TERMS = [
    (HalfTerm.Name.AUTUMN_1, date(2026, 9, 2), date(2026, 10, 23)),
    (HalfTerm.Name.AUTUMN_2, date(2026, 11, 2), date(2026, 12, 18)),
    (HalfTerm.Name.SPRING_1, date(2027, 1, 5), date(2027, 2, 12)),
    (HalfTerm.Name.SPRING_2, date(2027, 2, 22), date(2027, 3, 26)),
    (HalfTerm.Name.SUMMER_1, date(2027, 4, 12), date(2027, 5, 28)),
    (HalfTerm.Name.SUMMER_2, date(2027, 6, 7), date(2027, 7, 21)),
]
# Five INSET days, each the first day of a half-term.
INSET_DAYS = [
    date(2026, 9, 2),
    date(2026, 11, 2),
    date(2027, 1, 5),
    date(2027, 4, 12),
    date(2027, 6, 7),
]


class DemoDataError(Exception):
    """The demo data cannot be built as asked; the message says why."""


# Extensions ------------------------------------------------------------------------------
# Apps above `school` (homework, sanctions...) add their own demo rows without `school`
# importing them: each registers a builder in its AppConfig.ready().


@dataclass(frozen=True)
class DemoExtension:
    name: str
    build: Callable  # build(*, school, rng, today, stdout): fill one demo school
    delete: Callable  # delete(*, schools): remove its rows before the schools' people go
    order: int


_extensions: dict[str, DemoExtension] = {}


def register_demo_extension(name: str, *, build: Callable, delete: Callable, order: int = 100):
    """Run `build` after each demo school is built (lowest `order` first) and `delete`
    before the demo schools are deleted (highest `order` first). Registering a name again
    replaces the earlier registration."""
    _extensions[name] = DemoExtension(name=name, build=build, delete=delete, order=order)


def demo_extensions() -> list[DemoExtension]:
    return sorted(_extensions.values(), key=lambda extension: (extension.order, extension.name))


@dataclass(eq=False)
class _Family:
    group: str
    surname: str
    children: list = field(default_factory=list)
    fsm: bool = False
    pp: bool = False
    eal: bool = False
    looked_after: bool = False
    demo: bool = False
    house: int = 0


@dataclass(eq=False)
class _Child:
    family: _Family
    year: int
    female: bool
    first_name: str
    last_name: str
    date_of_birth: date
    sen: str = ""
    young_carer: bool = False
    travel_note: str = ""
    form: int = -1
    persona: str = ""
    pupil: Pupil | None = None


@dataclass(eq=False)
class _Group:
    year: int
    code: str
    number: int
    members: list
    teacher: "_Staff | None" = None

    @property
    def name(self):
        return f"{self.year}x/{self.code}{self.number}"


@dataclass(eq=False)
class _Staff:
    first_name: str
    last_name: str
    kind: str  # "teacher", "leader" or "lsa": how generic staff emails are numbered
    subjects: list = field(default_factory=list)
    groups: list = field(default_factory=list)
    roles: list = field(default_factory=list)  # (role, scope kind, scope key)
    persona: str = ""
    email: str = ""
    user: User | None = None


def england_bank_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays in a calendar year, by the standing rules (one-off
    holidays such as coronations are not included)."""

    def substitute(day: date, taken: set) -> date:
        while day.weekday() >= 5 or day in taken:
            day += timedelta(days=1)
        return day

    easter = _easter_sunday(year)
    may_first_monday = date(year, 5, 1) + timedelta(days=(7 - date(year, 5, 1).weekday()) % 7)
    holidays = {
        substitute(date(year, 1, 1), set()): "New Year's Day",
        easter - timedelta(days=2): "Good Friday",
        easter + timedelta(days=1): "Easter Monday",
        may_first_monday: "Early May bank holiday",
        _last_monday(year, 5): "Spring bank holiday",
        _last_monday(year, 8): "Summer bank holiday",
    }
    christmas = substitute(date(year, 12, 25), set())
    holidays[christmas] = "Christmas Day"
    holidays[substitute(date(year, 12, 26), {christmas})] = "Boxing Day"
    return dict(sorted(holidays.items()))


def _easter_sunday(year: int) -> date:
    # The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def _last_monday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())


# Reading and deleting ------------------------------------------------------------------


def demo_schools():
    """The schools this command builds: slug "demo" and the trust's "demo-2", "demo-3"..."""
    return School.objects.filter(Q(slug=DEMO_SLUG) | Q(slug__regex=r"^demo-[0-9]+$"))


def demo_school_delete(*, stdout=None) -> int:
    """Delete the demo schools, everyone at them and the demo parent; returns how many
    schools went. PROTECT foreign keys decide the order."""
    schools = list(demo_schools())
    school_ids = [school.pk for school in schools]
    in_demo = Q(school_id__in=school_ids)
    if schools:
        for extension in reversed(demo_extensions()):
            extension.delete(schools=schools)
    parent_users = (
        User.objects.filter(school__isnull=True)
        .filter(
            Q(guardian_records__school_id__in=school_ids)
            | Q(email__in=DEMO_LOGINS.values())
            | Q(email__endswith=f".{DEMO_DOMAIN}")
            | Q(email__endswith=f"@{DEMO_DOMAIN}")
        )
        .exclude(pk__in=Guardian.objects.exclude(in_demo).filter(user__isnull=False).values("user"))
    )
    parent_ids = list(parent_users.values_list("pk", flat=True).distinct())
    Guardian.objects.filter(in_demo).delete()
    Pupil.objects.filter(in_demo).delete()
    TeachingGroup.objects.filter(in_demo).delete()
    RoleAssignment.objects.filter(in_demo).delete()
    TutorGroup.objects.filter(in_demo).delete()
    User.objects.filter(Q(school_id__in=school_ids) | Q(pk__in=parent_ids)).delete()
    School.objects.filter(pk__in=school_ids).delete()
    if stdout is not None and schools:
        names = ", ".join(school.name for school in schools)
        stdout.write(f"Deleted the demo data: {names}.\n")
    return len(schools)


# Building -----------------------------------------------------------------------------


# A made-up term in one transaction: it holds many events, each of which keeps its own
# messages to parents (notifications/services.py merges only what one event says).
_ONE_TRANSACTION = transaction.atomic()
_ONE_TRANSACTION.holds_many_events = True


@_ONE_TRANSACTION
def demo_school_build(*, pupils=DEFAULT_PUPILS, schools=1, seed=DEFAULT_SEED, reset=False, stdout):
    """Build the demo school (and K-1 more schools of its trust) in one transaction.

    Returns False and changes nothing if the demo school is already there and `reset` is
    not set; with `reset`, deletes the old demo data first."""
    if not MIN_PUPILS <= pupils <= MAX_PUPILS:
        raise DemoDataError(
            f"--pupils must be between {MIN_PUPILS} and {MAX_PUPILS} (got {pupils})."
        )
    if not 1 <= schools <= MAX_SCHOOLS:
        raise DemoDataError(f"--schools must be between 1 and {MAX_SCHOOLS} (got {schools}).")
    if reset:
        demo_school_delete(stdout=stdout)
    elif demo_schools().exists():
        stdout.write("Demo school already present; use --reset to rebuild.\n")
        return False
    clash = User.objects.filter(
        Q(email__endswith=f"@{DEMO_DOMAIN}") | Q(email__endswith=f".{DEMO_DOMAIN}")
    ).first()
    if clash is not None:
        raise DemoDataError(
            f"A user with a demo address already exists ({clash.email}); "
            "delete it or run with --reset."
        )

    rng = random.Random(seed)
    school_rngs = [random.Random(rng.getrandbits(64)) for _ in range(schools)]
    password = make_password(DEMO_PASSWORD)
    today = timezone.localdate()
    summaries = []
    for index in range(schools):
        summary = _school_build(
            rng=school_rngs[index], index=index, pupils=pupils, password=password
        )
        summaries.append(summary)
        for extension in demo_extensions():
            # Each extension draws from its own generator, so adding one never changes
            # the school (or another extension's rows) built from the same seed.
            extension.build(
                school=summary["school_row"],
                rng=random.Random(f"{seed}:{index}:{extension.name}"),
                today=today,
                stdout=stdout,
            )

    for summary in summaries:
        stdout.write(
            f"{summary['school']} ({summary['slug']}): {summary['pupils']} pupils in "
            f"{summary['tutor_groups']} tutor groups, {summary['teaching_groups']} teaching "
            f"groups ({summary['enrolments']} enrolments), {summary['staff']} staff, "
            f"{summary['guardians']} guardians.\n"
        )
    stdout.write(f"Demo logins (password {DEMO_PASSWORD}):\n")
    for line in summaries[0]["logins"]:
        stdout.write(f"  {line}\n")
    return True


def _school_build(*, rng, index, pupils, password):
    demo = index == 0
    slug = DEMO_SLUG if demo else f"{DEMO_SLUG}-{index + 1}"
    name = SCHOOL_NAMES[index] if index < len(SCHOOL_NAMES) else f"Trust Academy {index + 1}"
    domain = DEMO_DOMAIN if demo else f"{slug}.{DEMO_DOMAIN}"
    town = name.split()[0]

    school = School.objects.create(name=name, slug=slug, time_zone="Europe/London")
    year, years, houses, subjects = _calendar_and_structure_create(school)

    families, children = _families_make(rng, pupils, demo)
    _flags_assign(rng, families, children)
    _houses_assign(rng, families)
    forms = _forms_plan(rng, children, demo)
    groups = _teaching_groups_plan(rng, children)
    staff = _staff_plan(rng, groups, forms, demo)

    # Users: staff first (numbered per kind), then pupils.
    numbers = {}
    for member in staff:
        if member.persona:
            member.email = DEMO_LOGINS[member.persona]
        else:
            numbers[member.kind] = numbers.get(member.kind, 0) + 1
            member.email = f"{member.kind}{numbers[member.kind]}@{domain}"
        member.user = User(
            email=member.email,
            first_name=member.first_name,
            last_name=member.last_name,
            school=school,
            password=password,
            is_staff=member.persona == "admin",
        )
    admission = _admission_numbers(children)
    upns = _upns(rng, len(children))
    pupil_users = []
    for child, number in zip(children, admission, strict=True):
        email = (
            DEMO_LOGINS["pupil"]
            if child.persona == "pupil"
            else f"{_ascii(child.first_name)[:1]}.{_ascii(child.last_name)}.{number}"
            f"@pupils.{domain}"
        )
        pupil_users.append(
            User(
                email=email,
                first_name=child.first_name,
                last_name=child.last_name,
                school=school,
                password=password,
            )
        )
    User.objects.bulk_create([member.user for member in staff] + pupil_users, batch_size=500)

    tutor_groups = TutorGroup.objects.bulk_create(
        [
            TutorGroup(school=school, name=form_name, year_group=years[form_year], room=room)
            for form_name, form_year, room in forms
        ]
    )
    pupil_rows = []
    for child, user, number, upn in zip(children, pupil_users, admission, upns, strict=True):
        child.pupil = Pupil(
            school=school,
            user=user,
            first_name=child.first_name,
            last_name=child.last_name,
            upn=upn,
            admission_number=number,
            date_of_birth=child.date_of_birth,
            year_group=years[child.year],
            tutor_group=tutor_groups[child.form],
            house=houses[child.family.house],
            pupil_premium=child.family.pp,
            free_school_meals=child.family.fsm,
            sen=child.sen,
            eal=child.family.eal,
            young_carer=child.young_carer,
            looked_after=child.family.looked_after,
            travel_note=child.travel_note,
        )
        pupil_rows.append(child.pupil)
    Pupil.objects.bulk_create(pupil_rows, batch_size=500)

    teaching_groups = TeachingGroup.objects.bulk_create(
        [
            TeachingGroup(
                school=school,
                name=group.name,
                academic_year=year,
                subject=subjects[group.code],
                year_group=years[group.year],
            )
            for group in groups
        ]
    )
    TeachingGroup.teachers.through.objects.bulk_create(
        [
            TeachingGroup.teachers.through(teachinggroup_id=row.pk, user_id=group.teacher.user.pk)
            for row, group in zip(teaching_groups, groups, strict=True)
        ],
        batch_size=1000,
    )
    enrolments = [
        TeachingGroup.pupils.through(teachinggroup_id=row.pk, pupil_id=child.pupil.pk)
        for row, group in zip(teaching_groups, groups, strict=True)
        for child in group.members
    ]
    TeachingGroup.pupils.through.objects.bulk_create(enrolments, batch_size=1000)

    scopes = {
        "subject": subjects,
        "year_group": years,
        "house": houses,
        "tutor_group": dict(enumerate(tutor_groups)),
    }
    assignments = []
    for member in staff:
        for role, scope_kind, scope_key in member.roles:
            scope = {scope_kind: scopes[scope_kind][scope_key]} if scope_kind else {}
            assignments.append(RoleAssignment(school=school, user=member.user, role=role, **scope))
    RoleAssignment.objects.bulk_create(assignments, batch_size=1000)

    guardian_count, parent = _guardians_create(rng, school, families, town, password, demo)

    logins = []
    if demo:
        by_persona = {member.persona: member for member in staff if member.persona}
        pupil = next(child for child in children if child.persona == "pupil")
        sibling = next(child for child in children if child.persona == "sibling")
        teacher = by_persona["teacher"]
        maths = ", ".join(group.name for group in teacher.groups)
        house = HOUSES[pupil.family.house]
        logins = [
            f"{DEMO_LOGINS['admin']}: {_full(by_persona['admin'])}, school admin and senior "
            "leader (can open /admin/)",
            f"{DEMO_LOGINS['teacher']}: {_full(teacher)}, teaches {maths}; form tutor of "
            f"{forms[pupil.form][0]}",
            f"{DEMO_LOGINS['headofyear']}: {_full(by_persona['headofyear'])}, head of Year 7",
            f"{DEMO_LOGINS['headofhouse']}: {_full(by_persona['headofhouse'])}, head of "
            f"{house} house",
            f"{DEMO_LOGINS['parent']}: {parent.first_name} {parent.last_name}, parent of "
            f"{pupil.first_name} (Year 7) and {sibling.first_name} (Year 10)",
            f"{DEMO_LOGINS['pupil']}: {pupil.first_name} {pupil.last_name}, Year 7, "
            f"{forms[pupil.form][0]}, {house}",
        ]
    return {
        "school_row": school,
        "school": name,
        "slug": slug,
        "pupils": len(children),
        "tutor_groups": len(forms),
        "teaching_groups": len(groups),
        "enrolments": len(enrolments),
        "staff": len(staff),
        "guardians": guardian_count,
        "logins": logins,
    }


def _calendar_and_structure_create(school):
    name, start, end = ACADEMIC_YEAR
    year = AcademicYear.objects.create(school=school, name=name, start_date=start, end_date=end)
    HalfTerm.objects.bulk_create(
        [
            HalfTerm(school=school, academic_year=year, name=term, start_date=first, end_date=last)
            for term, first, last in HALF_TERMS
        ]
    )
    days = dict.fromkeys(INSET_DAYS, (NonSchoolDay.Kind.INSET, "INSET day"))
    for calendar_year in range(start.year, end.year + 1):
        for day, holiday in england_bank_holidays(calendar_year).items():
            in_term = any(first <= day <= last for _, first, last in HALF_TERMS)
            if in_term and day.weekday() < 5:
                days[day] = (NonSchoolDay.Kind.BANK_HOLIDAY, holiday)
    NonSchoolDay.objects.bulk_create(
        [
            NonSchoolDay(school=school, date=day, kind=kind, description=description)
            for day, (kind, description) in sorted(days.items())
        ]
    )
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
    return year, years, houses, subjects


# Pupils and families --------------------------------------------------------------------


def _year_sizes(total):
    weight = sum(YEAR_WEIGHTS.values())
    exact = {year: total * w / weight for year, w in YEAR_WEIGHTS.items()}
    sizes = {year: int(value) for year, value in exact.items()}
    by_remainder = sorted(exact, key=lambda year: (sizes[year] - exact[year], year))
    for year in by_remainder[: total - sum(sizes.values())]:
        sizes[year] += 1
    return sizes


def _families_make(rng, total, demo):
    remaining = _year_sizes(total)
    families = []
    if demo:
        family = _Family(group="nigerian", surname="Okafor", demo=True)
        family.children = [
            _child(rng, family, 7, female=True, first_name="Amara", persona="pupil"),
            _child(rng, family, 10, female=False, first_name="Chinedu", persona="sibling"),
        ]
        remaining[7] -= 1
        remaining[10] -= 1
        families.append(family)
    pairs = round(total * SIBLING_SHARE / 2) - len(families)
    for _ in range(max(pairs, 0)):
        open_years = [year for year, left in remaining.items() if left > 0]
        if len(open_years) < 2:
            break
        first = rng.choices(open_years, weights=[remaining[y] for y in open_years])[0]
        others = [year for year in open_years if year != first]
        second = rng.choices(others, weights=[remaining[y] for y in others])[0]
        family = _family(rng)
        for year in sorted((first, second)):
            family.children.append(_child(rng, family, year))
            remaining[year] -= 1
        _siblings_spread(rng, family)
        families.append(family)
    singles = [year for year, left in remaining.items() for _ in range(left)]
    rng.shuffle(singles)
    for year in singles:
        family = _family(rng)
        family.children.append(_child(rng, family, year))
        families.append(family)
    children = [child for family in families for child in family.children]
    return families, children


def _family(rng):
    groups = list(NAMES)
    group = rng.choices(groups, weights=[NAMES[g]["pupils"] for g in groups])[0]
    return _Family(group=group, surname=rng.choice(NAMES[group]["surnames"]))


def _child(rng, family, year, *, female=None, first_name=None, persona=""):
    names = NAMES[family.group]
    if female is None:
        female = rng.random() < 0.5
    taken = {child.first_name for child in family.children}
    while first_name is None or first_name in taken:
        first_name = rng.choice(names["girls" if female else "boys"])
    return _Child(
        family=family,
        year=year,
        female=female,
        first_name=first_name,
        last_name=_gendered(family.surname, female),
        date_of_birth=_birthday(rng, year),
        persona=persona,
    )


def _birthday(rng, year):
    """A birthday in the school year for Year `year` in 2026/27 (Year 7: born 1 Sep 2014
    to 31 Aug 2015)."""
    start = date(2014 - (year - 7), 9, 1)
    end = date(2015 - (year - 7), 8, 31)
    return start + timedelta(days=rng.randint(0, (end - start).days))


def _siblings_spread(rng, family):
    younger, older = family.children  # in year order
    for _ in range(20):
        if (younger.date_of_birth - older.date_of_birth).days >= 300:
            return
        younger.date_of_birth = _birthday(rng, younger.year)


def _flags_assign(rng, families, children):
    n = len(children)
    ordinary = [family for family in families if not family.demo]
    for family in _pick_families(rng, ordinary, max(1, round(n * LOOKED_AFTER_SHARE))):
        family.looked_after = True
    for family in _pick_families(rng, families, round(n * FSM_SHARE)):
        family.fsm = True
    pp_already = sum(len(f.children) for f in families if f.fsm or f.looked_after)
    extra = [family for family in families if not (family.fsm or family.looked_after)]
    for family in families:
        family.pp = family.fsm or family.looked_after
    for family in _pick_families(rng, extra, max(0, round(n * PP_SHARE) - pp_already)):
        family.pp = True
    for family in _pick_families(
        rng, families, round(n * EAL_SHARE), weight=lambda f: NAMES[f.group]["eal"]
    ):
        family.eal = True

    sen = _weighted_sample(rng, children, round(n * SEN_SHARE))
    for child in sen:
        child.sen = Pupil.Sen.SUPPORT
    for child in _weighted_sample(rng, sen, round(n * EHCP_SHARE)):
        child.sen = Pupil.Sen.EHCP
    for child in _weighted_sample(rng, children, round(n * YOUNG_CARER_SHARE)):
        child.young_carer = True
    for child in _weighted_sample(rng, children, round(n * TRAVEL_NOTE_SHARE)):
        child.travel_note = rng.choice(TRAVEL_NOTES)


def _weighted_sample(rng, items, k, weight=None):
    """k items without replacement, each drawn with probability proportional to its weight
    (Efraimidis and Spirakis), in their original order."""
    return [items[p] for p in sorted(_weighted_order(rng, items, weight)[:k])]


def _weighted_order(rng, items, weight=None):
    """Positions of `items` in a random order that favours heavier items; items of weight
    zero come last."""
    keys = []
    for position, item in enumerate(items):
        w = weight(item) if weight else 1.0
        draw = rng.random()
        keys.append((draw ** (1.0 / w) if w > 0 else -1.0, position))
    return [position for _, position in sorted(keys, reverse=True)]


def _pick_families(rng, families, pupils, weight=None):
    """Whole families (siblings share FSM, home language and care status) adding up to
    exactly `pupils` children where the family sizes allow."""
    picked, count = [], 0
    for position in _weighted_order(rng, families, weight):
        family = families[position]
        if count == pupils:
            break
        if count + len(family.children) <= pupils:
            picked.append(family)
            count += len(family.children)
    return picked


def _houses_assign(rng, families):
    """Houses are vertical and siblings share one: each family in turn joins the house
    with the fewest pupils so far, so every tutor group and year holds all four."""
    sizes = [0] * len(HOUSES)
    for position in _weighted_order(rng, families):
        family = families[position]
        family.house = min(range(len(HOUSES)), key=lambda house: (sizes[house], house))
        sizes[family.house] += len(family.children)


def _forms_plan(rng, children, demo):
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


def _teaching_groups_plan(rng, children):
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
                for code in _weighted_sample(rng, codes, 3, weight=KS5_SUBJECTS.get):
                    members_by_subject[code].append(child)
        for code, members in members_by_subject.items():
            if not members:
                continue
            if code in SET_SUBJECTS:
                members = rng.sample(members, len(members))
            count = math.ceil(len(members) / MAX_GROUP_SIZE)
            for number, chunk in enumerate(_split(members, count), start=1):
                groups.append(_Group(year=year, code=code, number=number, members=list(chunk)))
    return groups


# Staff -----------------------------------------------------------------------------------


def _staff_plan(rng, groups, forms, demo):
    """Who teaches what and who holds which role, before any row is written."""
    names = set()
    staff = []

    def hire(kind, subjects=()):
        member = _Staff(*_staff_name(rng, names), kind=kind, subjects=list(subjects))
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
        last = _gendered(rng.choice(NAMES[group]["surnames"]), female)
        if (first, last) not in taken:
            taken.add((first, last))
            return first, last


# Guardians -------------------------------------------------------------------------------


def _guardians_create(rng, school, families, town, password, demo):
    """One or two guardians per family (siblings share them); returns the number created
    and the demo parent's user (or None)."""
    parent_user = None
    guardians, links = [], []
    for family in families:
        address = (
            f"{rng.randint(1, 180)} {rng.choice(STREETS)}\n{town}\n"
            f"NF{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
        )
        language = Guardian.Language.ENGLISH
        if family.eal and family.group == "polish" and rng.random() < 0.6:
            language = Guardian.Language.POLISH
        elif family.eal and family.group == "pakistani" and rng.random() < 0.55:
            language = Guardian.Language.URDU
        for priority, (relationship, female, first, last, responsible) in enumerate(
            _guardian_people(rng, family), start=1
        ):
            email = ""
            if rng.random() < 0.9:
                email = f"{_ascii(first)}.{_ascii(last)}{rng.randint(1, 99)}@" + rng.choice(
                    EMAIL_DOMAINS
                )
            mobile = f"07700 900{rng.randint(0, 999):03d}"  # Ofcom's range for drama
            channel = Guardian.Channel.SMS
            if email and rng.random() < 0.75:
                channel = Guardian.Channel.EMAIL
            guardian = Guardian(
                school=school,
                title=_title(rng, female),
                first_name=first,
                last_name=last,
                email=email,
                mobile=mobile,
                address=address,
                preferred_language=language,
                notification_channel=channel,
            )
            if family.demo and priority == 1:
                parent_user = User.objects.create(
                    email=DEMO_LOGINS["parent"],
                    first_name=first,
                    last_name=last,
                    school=None,
                    password=password,
                )
                guardian.user = parent_user
                guardian.email = parent_user.email
                guardian.notification_channel = Guardian.Channel.EMAIL
                guardian.preferred_language = Guardian.Language.ENGLISH
            guardians.append(guardian)
            for child in family.children:
                links.append((guardian, child, relationship, responsible, priority))
    Guardian.objects.bulk_create(guardians, batch_size=500)
    GuardianLink.objects.bulk_create(
        [
            GuardianLink(
                guardian=guardian,
                pupil=child.pupil,
                relationship=relationship,
                parental_responsibility=responsible,
                contact_priority=priority,
            )
            for guardian, child, relationship, responsible, priority in links
        ],
        batch_size=1000,
    )
    return len(guardians), parent_user


def _guardian_people(rng, family):
    """(relationship, female, first name, last name, parental responsibility) for each of
    the family's guardians, in contact order."""
    names = NAMES[family.group]

    def person(female, surname=None, group=None):
        pool = NAMES[group] if group else names
        if surname is None:
            surname = rng.choice(pool["surnames"])
        first = surname
        while first == surname:
            first = rng.choice(pool["women" if female else "men"])
        return female, first, _gendered(surname, female)

    if family.looked_after:
        groups = list(NAMES)
        group = rng.choices(groups, weights=[NAMES[g]["staff"] for g in groups])[0]
        surname = rng.choice(NAMES[group]["surnames"])
        carers = [(Relationship.FOSTER_CARER, *person(True, surname, group), False)]
        if rng.random() < 0.5:
            carers.append((Relationship.FOSTER_CARER, *person(False, surname, group), False))
        return carers

    own_surname = names.get("own_surname", False)
    mother_surname = None if own_surname else family.surname
    if family.demo:
        return [
            (Relationship.MOTHER, True, "Grace", "Okafor", True),
            (Relationship.FATHER, False, "Emeka", "Okafor", True),
        ]
    if rng.random() < TWO_GUARDIAN_SHARE:
        shape = rng.random()
        if shape < 0.8:
            return [
                (Relationship.MOTHER, *person(True, mother_surname), True),
                (Relationship.FATHER, *person(False, family.surname), True),
            ]
        if shape < 0.9:
            return [
                (Relationship.MOTHER, *person(True, mother_surname), True),
                (Relationship.STEP_PARENT, *person(False), False),
            ]
        return [
            (Relationship.MOTHER, *person(True, mother_surname), True),
            (Relationship.GRANDPARENT, *person(True), False),
        ]
    shape = rng.random()
    if shape < 0.72:
        return [(Relationship.MOTHER, *person(True, mother_surname), True)]
    if shape < 0.85:
        return [(Relationship.FATHER, *person(False, family.surname), True)]
    if shape < 0.95:
        return [(Relationship.GRANDPARENT, *person(rng.random() < 0.7, family.surname), True)]
    return [(Relationship.CARER, *person(True), True)]


def _title(rng, female):
    if rng.random() < 0.03:
        return "Dr"
    if not female:
        return "Mr"
    return rng.choices(["Mrs", "Ms", "Miss"], weights=[6, 3, 1])[0]


# Small helpers ---------------------------------------------------------------------------


def _gendered(surname, female):
    if "/" not in surname:
        return surname
    male, woman = surname.split("/")
    return woman if female else male


_ASCII_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "đ": "d"})


def _ascii(text):
    """Lower-case ASCII letters only, for email addresses."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_EXTRA))
    return "".join(ch for ch in decomposed.lower() if "a" <= ch <= "z")


def _admission_numbers(children):
    """Admission numbers like 20260042: the year the pupil joined, then a running number."""
    counters = {}
    numbers = []
    for child in children:
        joined = 2026 - (child.year - 7)
        counters[joined] = counters.get(joined, 0) + 1
        numbers.append(f"{joined}{counters[joined]:04d}")
    return numbers


def _upns(rng, count):
    """Unique pupil numbers: a letter and twelve digits, unique within the school."""
    seen = set()
    upns = []
    while len(upns) < count:
        upn = rng.choice("ABCDEFGHJKLMNPQRTUVWXYZ") + f"{rng.randrange(10**12):012d}"
        if upn not in seen:
            seen.add(upn)
            upns.append(upn)
    return upns


def _full(member):
    return f"{member.first_name} {member.last_name}"
