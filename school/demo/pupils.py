"""The demo school's pupils: families (siblings share a home, a house, FSM, home language
and care status), the children in them and the flags each carries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from ..models import Pupil
from .draws import weighted_order, weighted_sample
from .names import NAMES, TRAVEL_NOTES, gendered
from .shape import (
    EAL_SHARE,
    EHCP_SHARE,
    FSM_SHARE,
    HOUSES,
    LOOKED_AFTER_SHARE,
    PP_SHARE,
    SEN_SHARE,
    SIBLING_SHARE,
    TRAVEL_NOTE_SHARE,
    YEAR_WEIGHTS,
    YOUNG_CARER_SHARE,
)


@dataclass(eq=False)
class Family:
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
class Child:
    family: Family
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


def _year_sizes(total):
    weight = sum(YEAR_WEIGHTS.values())
    exact = {year: total * w / weight for year, w in YEAR_WEIGHTS.items()}
    sizes = {year: int(value) for year, value in exact.items()}
    by_remainder = sorted(exact, key=lambda year: (sizes[year] - exact[year], year))
    for year in by_remainder[: total - sum(sizes.values())]:
        sizes[year] += 1
    return sizes


def families_make(rng, total, demo):
    remaining = _year_sizes(total)
    families = []
    if demo:
        family = Family(group="nigerian", surname="Okafor", demo=True)
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
    return Family(group=group, surname=rng.choice(NAMES[group]["surnames"]))


def _child(rng, family, year, *, female=None, first_name=None, persona=""):
    names = NAMES[family.group]
    if female is None:
        female = rng.random() < 0.5
    taken = {child.first_name for child in family.children}
    while first_name is None or first_name in taken:
        first_name = rng.choice(names["girls" if female else "boys"])
    return Child(
        family=family,
        year=year,
        female=female,
        first_name=first_name,
        last_name=gendered(family.surname, female),
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


def flags_assign(rng, families, children):
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

    sen = weighted_sample(rng, children, round(n * SEN_SHARE))
    for child in sen:
        child.sen = Pupil.Sen.SUPPORT
    for child in weighted_sample(rng, sen, round(n * EHCP_SHARE)):
        child.sen = Pupil.Sen.EHCP
    for child in weighted_sample(rng, children, round(n * YOUNG_CARER_SHARE)):
        child.young_carer = True
    for child in weighted_sample(rng, children, round(n * TRAVEL_NOTE_SHARE)):
        child.travel_note = rng.choice(TRAVEL_NOTES)


def _pick_families(rng, families, pupils, weight=None):
    """Whole families (siblings share FSM, home language and care status) adding up to
    exactly `pupils` children where the family sizes allow."""
    picked, count = [], 0
    for position in weighted_order(rng, families, weight):
        family = families[position]
        if count == pupils:
            break
        if count + len(family.children) <= pupils:
            picked.append(family)
            count += len(family.children)
    return picked


def houses_assign(rng, families):
    """Houses are vertical and siblings share one: each family in turn joins the house
    with the fewest pupils so far, so every tutor group and year holds all four."""
    sizes = [0] * len(HOUSES)
    for position in weighted_order(rng, families):
        family = families[position]
        family.house = min(range(len(HOUSES)), key=lambda house: (sizes[house], house))
        sizes[family.house] += len(family.children)


def admission_numbers(children):
    """Admission numbers like 20260042: the year the pupil joined, then a running number."""
    counters = {}
    numbers = []
    for child in children:
        joined = 2026 - (child.year - 7)
        counters[joined] = counters.get(joined, 0) + 1
        numbers.append(f"{joined}{counters[joined]:04d}")
    return numbers


def upns_draw(rng, count):
    """Unique pupil numbers: a letter and twelve digits, unique within the school."""
    seen = set()
    upns = []
    while len(upns) < count:
        upn = rng.choice("ABCDEFGHJKLMNPQRTUVWXYZ") + f"{rng.randrange(10**12):012d}"
        if upn not in seen:
            seen.add(upn)
            upns.append(upn)
    return upns
