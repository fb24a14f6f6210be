"""Every per-pupil measure of the half-term report split by pupil group (pupil
characteristics, year group, house, tutor group) or by subject, for one period, each
group beside its share of the roll, with the disproportionality ratio, the school's flag
and small-group suppression.

Each measure is the report's own aggregate (misses.py, sanctions.py, homework.py,
clubs.py), narrowed to a group: by characteristic, one conditional aggregate per group in
the family's one query; by year group, house or tutor group, the same aggregate grouped by
the pupil's group (one query). So a split is one query per measure family whatever the
size of the school: the roll, misses, sanctions, bookings, meetings, detentions served,
club attendances and homework due (eight); by subject, misses, homework due and homework
set (three)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, TextChoices

from school.models import AcademicYear, Pupil

from . import clubs, homework, misses, sanctions
from .base import EVERYONE, percent
from .periods import Period


class By(TextChoices):
    CHARACTERISTICS = "characteristics", "Pupil characteristics"
    YEAR_GROUP = "year-group", "Year group"
    HOUSE = "house", "House"
    TUTOR_GROUP = "tutor-group", "Tutor group"
    SUBJECT = "subject", "Subject"


# key, label, the pupil's fields that put them in the group.
CHARACTERISTICS = [
    ("pupil_premium", "Pupil Premium", {"pupil_premium": True}),
    ("fsm", "Free school meals (FSM)", {"free_school_meals": True}),
    ("sen_support", "SEN support", {"sen": Pupil.Sen.SUPPORT}),
    ("ehcp", "EHC plan (EHCP)", {"sen": Pupil.Sen.EHCP}),
    ("eal", "English as an additional language (EAL)", {"eal": True}),
    ("young_carer", "Young carer", {"young_carer": True}),
    ("looked_after", "Looked after", {"looked_after": True}),
]
ALL = "all"
# By year group, house, tutor group: the pupil's field, and the fields that name and order
# the group.
PARTITIONS = {
    By.YEAR_GROUP: ("year_group", ["year_group__number"]),
    By.HOUSE: ("house", ["house__name"]),
    By.TUTOR_GROUP: ("tutor_group", ["tutor_group__year_group__number", "tutor_group__name"]),
}

MEMBERSHIP = (
    "A pupil belongs to a group by what the school's records say now (the Pupil Premium, "
    "FSM, SEN, EAL, young carer and looked-after flags, year group, house and tutor "
    "group): the records keep no history of them. A group's pupils on roll are those on "
    "roll on the period's last day, and its share of the roll is of the school's roll "
    "then. Its figures count every pupil of the group, including any who have left since, "
    "as the report does, so the All pupils row is the report's own figure."
)
RATIO = (
    "The disproportionality ratio is the group's share of the school's figure divided by "
    "its share of the roll: 1.00 is its fair share, 2.00 twice it. A ratio of {flag_ratio} "
    "or more (the school's setting) is flagged."
)
RATE = (
    "Handed in on time is a rate, not a share of a total: the group's rate is shown "
    "beside the whole school's rate, with no ratio and no flag."
)
SUPPRESSION = (
    "A group with fewer than {n} pupils on roll (the school's setting) shows \"fewer than "
    '{n}" in place of every figure and has no ratio, so that no pupil can be identified. '
    "So that its figures cannot be worked out from the rows shown either: a pupil "
    "characteristic is hidden too when the pupils outside it are fewer than {n} (the All "
    "pupils row less the group would give them away); year groups, houses and tutor "
    "groups add up to the school, so when one is hidden the next smallest are hidden "
    "with it until at least two are hidden and they hold {n} pupils or more between them "
    "(a group with no pupil on roll left counts as hidden); and when the whole roll is "
    "under {n}, every row is hidden, All pupils too."
)
BY_SUBJECT = (
    "By subject: a miss belongs to the subject of the homework missed; the ratio is the "
    "subject's share of the school's counted misses divided by its share of the pupils' "
    "homework due in the period (not excused), so a subject that sets more homework is "
    "expected to have more misses. Homework set is shown with its share of the school's, "
    "without a ratio. A subject in which fewer than {n} pupils had homework due in the "
    "period is hidden, with the same rule as year groups."
)

SANCTIONS_ALL_STEPS = (
    "Sanctions the ladder gave in the period at any step, by the day the sanction was "
    "made; cancelled sanctions (a miss in their cycle excused or voided before it was "
    "served) do not count."
)
NOT_REOFFENDED = (
    "Pupils who served (attended) a detention this year by the end of the period and have "
    "no counted miss recorded after the day of their latest detention served, up to the "
    "period's end."
)


@dataclass(frozen=True)
class Spec:
    """One measure of the split: the family (query) it is counted in, and how."""

    key: str
    label: str
    definition: str
    family: str
    count: Callable | None  # (period, only) -> the aggregate (None: counted by the caller)
    out_of: Callable | None = None  # a rate's denominator
    kind: str = "count"  # "count" (share and ratio), "share" (no ratio), "rate"


def _specs(school_id: int, year: AcademicYear) -> list[Spec]:
    def not_reoffended(period, only=EVERYONE):
        return sanctions.not_reoffended_by(school_id, year, period, only)

    def attendances(period, only=EVERYONE):
        return Count("pk", filter=only & period.within("session__date"))

    return [
        Spec("misses", "Misses recorded", misses.MISSES, "misses", misses.misses_in),
        Spec(
            "pupils_missing",
            "Pupils missing deadlines in the period",
            misses.PUPILS_MISSING,
            "misses",
            misses.pupils_missing_in,
        ),
        Spec(
            "pupils_with_a_miss",
            "Pupils with at least one miss this year",
            misses.PUPILS_WITH_A_MISS,
            "misses",
            misses.pupils_with_a_miss_by,
        ),
        Spec(
            "sanctions",
            "Sanctions (all steps)",
            SANCTIONS_ALL_STEPS,
            "sanctions",
            sanctions.sanctions_in,
        ),
        Spec(
            "detentions_set",
            "Detentions set",
            sanctions.DETENTIONS_SET,
            "bookings",
            sanctions.detentions_set_in,
        ),
        Spec(
            "detentions_served",
            "Detentions served",
            sanctions.DETENTIONS_SERVED,
            "bookings",
            sanctions.detentions_served_in,
        ),
        Spec(
            "detentions_missed",
            "Detentions missed",
            sanctions.DETENTIONS_MISSED,
            "bookings",
            sanctions.detentions_missed_in,
        ),
        Spec(
            "exclusion_days",
            "Internal exclusion days",
            sanctions.EXCLUSION_DAYS,
            "bookings",
            sanctions.exclusion_days_in,
        ),
        Spec(
            "meetings_held",
            "Meetings held",
            sanctions.MEETINGS_HELD,
            "meetings",
            sanctions.meetings_held_in,
        ),
        Spec(
            "not_reoffended",
            "Served a detention and not missed a deadline since",
            NOT_REOFFENDED,
            "served",
            not_reoffended,
        ),
        Spec(
            "club_attendances",
            "Club attendances",
            clubs.ATTENDANCES.replace("those sessions", "homework club sessions held"),
            "clubs",
            attendances,
        ),
        Spec(
            "on_time",
            "Handed in on time",
            homework.ON_TIME + " " + RATE,
            "homework",
            homework.on_time_in,
            out_of=homework.due_in,
            kind="rate",
        ),
    ]


def _families(school_id: int, year: AcademicYear, today: datetime.date) -> dict:
    """Each family's rows and the path from them to the pupil."""
    return {
        "misses": (misses.counted_misses(school_id, year), "pupil"),
        "sanctions": (sanctions.sanctions_made(school_id, year), "pupil"),
        "bookings": (sanctions.bookings(school_id, year), "sanction__pupil"),
        "meetings": (sanctions.meetings_held(school_id, year), "pupil"),
        "served": (sanctions.detentions_served(school_id, year), "sanction__pupil"),
        "clubs": (clubs.club_attendances(school_id, year, today=today), "pupil"),
        "homework": (homework.assignments_due(school_id, year), "pupil"),
    }


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    size: int  # pupils on roll (a subject: pupils with homework due in it)
    base: int  # what a share is measured against: the roll (a subject: homework due)
    base_share: float | None
    hidden: bool = False
    is_all: bool = False


@dataclass(frozen=True)
class Row:
    group: Group
    count: int | None = None
    share: float | None = None
    ratio: Fraction | None = None
    flagged: bool = False
    rate: float | None = None

    @property
    def ratio_text(self) -> str:
        return "–" if self.ratio is None else f"{float(self.ratio):.2f}"


@dataclass(frozen=True)
class SplitMeasure:
    key: str
    label: str
    definition: str
    kind: str  # "count" (share and ratio), "share" (no ratio), "rate"
    rows: list[Row]

    @property
    def school_rate(self) -> float | None:
        return self.rows[0].rate


@dataclass
class Split:
    by: str
    period: Period
    groups: list[Group]
    measures: list[SplitMeasure]
    flag_ratio: Decimal
    smallest_group: int

    @property
    def by_label(self) -> str:
        return By(self.by).label

    @property
    def by_subject(self) -> bool:
        return self.by == By.SUBJECT

    @property
    def hidden_text(self) -> str:
        return f"fewer than {self.smallest_group}"

    @property
    def definitions(self) -> list[str]:
        n, ratio = self.smallest_group, self.flag_ratio.normalize()
        if self.by_subject:
            return [BY_SUBJECT.format(n=n), RATIO.format(flag_ratio=ratio), RATE]
        return [
            MEMBERSHIP,
            RATIO.format(flag_ratio=ratio),
            RATE,
            SUPPRESSION.format(n=n),
        ]

    @property
    def flags(self) -> int:
        return sum(row.flagged for measure in self.measures for row in measure.rows)


def _only(path: str, fields: dict) -> Q:
    return Q(**{f"{path}__{name}" if path else name: value for name, value in fields.items()})


def _hidden(groups: list[tuple], smallest: int, roll: int, *, partition: bool) -> set:
    """The keys of the groups (key, size) shown as "fewer than N" (SUPPRESSION)."""
    if roll < smallest:
        return {key for key, _ in groups} | {ALL}
    hidden = {key for key, size in groups if size < smallest}
    if not partition:
        return hidden | {key for key, size in groups if 0 < roll - size < smallest}
    if hidden:
        held = sum(size for key, size in groups if key in hidden)
        for key, size in sorted((g for g in groups if g[0] not in hidden), key=lambda g: g[1]):
            if len(hidden) >= 2 and held >= smallest:
                break
            hidden.add(key)
            held += size
    return hidden


def _measure(spec: Spec, groups: list[Group], figures: dict, flag_ratio: Decimal):
    """The rows of one measure: `figures[group key]` is (count, denominator)."""
    total, total_out_of = figures[ALL]
    threshold = Fraction(flag_ratio)
    rows = []
    for group in groups:
        if group.hidden:
            rows.append(Row(group))
            continue
        count, out_of = figures.get(group.key, (0, 0))
        if spec.kind == "rate":
            rows.append(Row(group, rate=percent(count, out_of)))
            continue
        ratio = None
        if spec.kind == "count" and total and group.base and not group.is_all:
            ratio = Fraction(count, total) / Fraction(group.base, groups[0].base)
        rows.append(
            Row(
                group,
                count,
                percent(count, total),
                ratio,
                flagged=ratio is not None and ratio >= threshold,
            )
        )
    return SplitMeasure(spec.key, spec.label, spec.definition, spec.kind, rows)


def _by_characteristic(families, specs, period):
    """{family: {group key: {measure key: (count, denominator)}}} and the groups' rolls,
    one aggregate per family with a conditional count per group."""
    groups = [(ALL, EVERYONE), *((key, fields) for key, _, fields in CHARACTERISTICS)]

    def narrowed(path, fields):
        return EVERYONE if fields is EVERYONE else _only(path, fields)

    rolls = Pupil.objects.filter(families["roll"]).aggregate(
        **{
            f"g{i}": misses.on_roll_at(period, narrowed("", fields))
            for i, (_, fields) in enumerate(groups)
        }
    )
    figures = {}
    for family, (rows, path) in families["measured"].items():
        mine = [spec for spec in specs if spec.family == family]
        aggregates = {}
        for i, (_, fields) in enumerate(groups):
            only = narrowed(path, fields)
            for spec in mine:
                aggregates[f"{spec.key}_g{i}"] = spec.count(period, only)
                if spec.out_of is not None:
                    aggregates[f"{spec.key}_of_g{i}"] = spec.out_of(period, only)
        result = rows.aggregate(**aggregates)
        for spec in mine:
            figures[spec.key] = {
                key: (result[f"{spec.key}_g{i}"] or 0, result.get(f"{spec.key}_of_g{i}") or 0)
                for i, (key, _) in enumerate(groups)
            }
    labels = {ALL: "All pupils", **{key: label for key, label, _ in CHARACTERISTICS}}
    sizes = [(key, rolls[f"g{i}"] or 0) for i, (key, _) in enumerate(groups)]
    return [(key, labels[key], size) for key, size in sizes], figures


def _group_label(by: str, values: list) -> str:
    if values[0] is None:
        return "No house"
    return f"Year {values[0]}" if by == By.YEAR_GROUP else str(values[-1])


def _by_partition(families, specs, period, by):
    """The same, grouped by the pupil's year group, house or tutor group (one query per
    family); the school's figure is the sum of the groups' (each pupil is in one)."""
    field, naming = PARTITIONS[by]
    roll_rows = (
        Pupil.objects.filter(families["roll"])
        .values(field, *naming)
        .annotate(size=misses.on_roll_at(period))
        .order_by(*naming)
    )
    found = {row[field]: ([row[name] for name in naming], row["size"]) for row in roll_rows}
    figures = {}
    for family, (rows, path) in families["measured"].items():
        mine = [spec for spec in specs if spec.family == family]
        aggregates = {}
        for spec in mine:
            aggregates[spec.key] = spec.count(period)
            if spec.out_of is not None:
                aggregates[f"{spec.key}_of"] = spec.out_of(period)
        for row in rows.values(f"{path}__{field}").annotate(**aggregates).order_by():
            key = row[f"{path}__{field}"]
            for spec in mine:
                pair = (row[spec.key] or 0, row.get(f"{spec.key}_of") or 0)
                figures.setdefault(spec.key, {})[key] = pair
    for spec in specs:
        per_group = figures.setdefault(spec.key, {})
        per_group[ALL] = tuple(map(sum, zip((0, 0), *per_group.values(), strict=False)))
    has_figures = {
        key for per_group in figures.values() for key, pair in per_group.items() if any(pair)
    }
    groups = [(ALL, "All pupils", sum(size for _, size in found.values()))]
    for key, (names, size) in found.items():
        if size or key in has_figures:
            groups.append((key, _group_label(by, names), size))
    return groups, figures


def _build(groups, figures, specs, settings, *, partition: bool, base=None):
    smallest = settings.smallest_group
    roll = groups[0][2]
    hidden = _hidden(
        [(key, size) for key, _, size in groups[1:]], smallest, roll, partition=partition
    )
    bases = base or {key: size for key, _, size in groups}
    built = [
        Group(
            key,
            label,
            size,
            bases.get(key, 0),
            percent(bases.get(key, 0), bases[ALL]),
            hidden=key in hidden,
            is_all=key == ALL,
        )
        for key, label, size in groups
    ]
    return built, [_measure(spec, built, figures[spec.key], settings.flag_ratio) for spec in specs]


def group_split(
    year: AcademicYear, period: Period, by: str, *, settings, today: datetime.date
) -> Split:
    """The measures of `period` split by `by` (By): one query per measure family (eight;
    by subject three)."""
    school_id = year.school_id
    if by == By.SUBJECT:
        return _subject_split(year, period, settings)
    specs = _specs(school_id, year)
    families = {
        "roll": Q(school_id=school_id),
        "measured": _families(school_id, year, today),
    }
    if by == By.CHARACTERISTICS:
        groups, figures = _by_characteristic(families, specs, period)
    else:
        groups, figures = _by_partition(families, specs, period, by)
    built, measures = _build(groups, figures, specs, settings, partition=by != By.CHARACTERISTICS)
    return Split(by, period, built, measures, settings.flag_ratio, settings.smallest_group)


def _subject_split(year: AcademicYear, period: Period, settings) -> Split:
    school_id = year.school_id
    subject = "teaching_group__subject"
    missed = (
        misses.counted_misses(school_id, year)
        .values(f"assignment__homework__{subject}")
        .annotate(n=misses.misses_in(period))
        .order_by()
    )
    due = (
        homework.assignments_due(school_id, year)
        .values(f"homework__{subject}", f"homework__{subject}__name")
        .annotate(
            due=homework.due_in(period),
            on_time=homework.on_time_in(period),
            pupils=Count("pupil", distinct=True, filter=period.during("due_at")),
        )
        .order_by(f"homework__{subject}__name")
    )
    set_ = (
        homework.homework_set(school_id, year)
        .values(subject, f"{subject}__name")
        .annotate(n=Count("pk", filter=period.within("set_on")))
        .order_by()
    )
    names, sizes, figures = {}, {}, {"misses": {}, "on_time": {}, "homework_set": {}}
    base = {}
    for row in due:
        key = row[f"homework__{subject}"]
        names[key] = row[f"homework__{subject}__name"]
        sizes[key] = row["pupils"]
        base[key] = row["due"]
        figures["on_time"][key] = (row["on_time"], row["due"])
    for row in missed:
        figures["misses"][row[f"assignment__homework__{subject}"]] = (row["n"], 0)
    for row in set_:
        names.setdefault(row[subject], row[f"{subject}__name"])
        figures["homework_set"][row[subject]] = (row["n"], 0)
    for per_subject in figures.values():
        per_subject[ALL] = tuple(map(sum, zip((0, 0), *per_subject.values(), strict=False)))
    base[ALL] = sum(base.values())
    active = {key for per in figures.values() for key, pair in per.items() if any(pair)}
    ordered = sorted((key for key in names if key in active or base.get(key)), key=names.get)
    groups = [(ALL, "All subjects", sum(sizes.get(key, 0) for key in ordered))]
    groups += [(key, names[key] or "", sizes.get(key, 0)) for key in ordered]
    specs = [
        Spec(
            "misses",
            "Misses recorded",
            misses.MISSES + " The ratio is against the subject's share of the homework due.",
            "misses",
            None,
        ),
        Spec("on_time", "Handed in on time", homework.ON_TIME + " " + RATE, "", None, kind="rate"),
        Spec("homework_set", "Homework set", homework.HOMEWORK_SET, "", None, kind="share"),
    ]
    # The All subjects row's size adds the subjects' pupils (a pupil with homework in two
    # subjects counts in each): it hides every row only when no subject has N pupils.
    built, measures = _build(groups, figures, specs, settings, partition=True, base=base)
    return Split(By.SUBJECT, period, built, measures, settings.flag_ratio, settings.smallest_group)
