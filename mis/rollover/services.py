"""Starting the next academic year: the new year's calendar, pupils moved up a year,
leavers marked, new tutor groups formed by rule (7A's pupils become 8A), last year's
classes archived (and, if asked, copied into the new year).

`rollover_plan` is the dry run: it reads, writes nothing and says everything that will
change, with counts. `rollover_apply` re-plans inside one transaction, holding the old
year's row, and does exactly that or nothing (RolloverError). The old year is then
marked rolled over, so applying again does nothing more: the plan of a rolled-over year
is empty.

Before anything moves, each pupil's placement in the old year (year group and tutor
group) is written (school/placements.py): last year's pages read those, and show it as
it was. History rows (homework, misses, sanctions, signatures, messages) are never
touched; the escalation ladder starts at zero because misses count per academic year."""

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, When
from django.utils import timezone

from school.models import (
    AcademicYear,
    HalfTerm,
    NonSchoolDay,
    Pupil,
    PupilPlacement,
    RoleAssignment,
    School,
    TeachingGroup,
    TutorGroup,
    User,
    YearGroup,
)

Role = RoleAssignment.Role
DEFAULT_LEAVER_YEARS = (11, 13)
TOP_YEAR = 13
INTAKE_YEAR = 7


class RolloverError(Exception):
    """The new year cannot be started as asked; the message says why."""


@dataclass(frozen=True)
class DayOff:
    day: datetime.date
    kind: str  # NonSchoolDay.Kind
    description: str = ""

    @property
    def kind_label(self) -> str:
        return NonSchoolDay.Kind(self.kind).label


@dataclass
class NewYear:
    """The next academic year as the school admin confirmed it."""

    name: str
    start_date: datetime.date
    end_date: datetime.date
    half_terms: list[tuple[str, datetime.date, datetime.date]]  # (HalfTerm.Name, first, last)
    days_off: list[DayOff] = field(default_factory=list)


@dataclass
class Choices:
    leaver_years: tuple[int, ...] = DEFAULT_LEAVER_YEARS
    copy_teaching_groups: bool = False


@dataclass
class GroupMove:
    """An old group and the group of the new year that follows it."""

    old: str
    new: str
    year: int  # the new group's year number
    pupils: int = 0
    tutors: list[str] = field(default_factory=list)


@dataclass
class RolloverPlan:
    from_year: AcademicYear
    new_year: NewYear
    choices: Choices
    done_at: datetime.datetime | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    year_exists: bool = False
    moves: list[tuple[int, int, int]] = field(default_factory=list)  # (from, to, pupils)
    leavers: list[tuple[int, int]] = field(default_factory=list)  # (year, pupils)
    year_groups_added: list[int] = field(default_factory=list)
    tutor_groups: list[GroupMove] = field(default_factory=list)
    tutor_groups_ended: list[str] = field(default_factory=list)
    intake_groups: list[str] = field(default_factory=list)  # new Year 7 groups, empty
    tutor_roles_ended: list[str] = field(default_factory=list)
    classes_archived: int = 0
    classes_copied: list[GroupMove] = field(default_factory=list)
    classes_already_there: int = 0
    days_off_added: int = 0
    placements: int = 0

    @property
    def half_terms_shown(self) -> list[dict]:
        return [
            {"label": HalfTerm.Name(key).label, "first": first, "last": last}
            for key, first, last in self.new_year.half_terms
        ]

    @property
    def pupils_moving(self) -> int:
        return sum(count for _, _, count in self.moves)

    @property
    def pupils_leaving(self) -> int:
        return sum(count for _, count in self.leavers)

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


# Names ----------------------------------------------------------------------------------


def year_name_for(start: datetime.date) -> str:
    """'2027/28' for a year starting in 2027."""
    return f"{start.year}/{(start.year + 1) % 100:02d}"


def a_year_later(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def same_weekday_a_year_later(day: datetime.date) -> datetime.date:
    """The day of the same weekday nearest to the same date a year later (the pattern of a
    school's terms: Wednesday 2 September 2026 becomes Wednesday 1 September 2027)."""
    target = a_year_later(day)
    return target + datetime.timedelta(days=(day.weekday() - target.weekday() + 3) % 7 - 3)


_YEAR_PREFIX = re.compile(r"^(\d{1,2})(?!\d)")


def renamed(name: str, number: int) -> str:
    """A group's name in the next year: the leading year number moves up (7A → 8A,
    7x/Ma1 → 8x/Ma1); a name that does not start with its own year is kept (Red → Red)."""
    match = _YEAR_PREFIX.match(name)
    if match and int(match.group(1)) == number:
        return f"{number + 1}{name[match.end() :]}"
    return name


# The dry run ----------------------------------------------------------------------------


def rollover_plan(
    *, school: School, from_year: AcademicYear, new_year: NewYear, choices: Choices
) -> RolloverPlan:
    """Everything starting `new_year` from `from_year` would change, with counts, and
    what stops it (`errors`). Reads only (about a dozen queries, whatever the roll)."""
    plan = RolloverPlan(from_year=from_year, new_year=new_year, choices=choices)
    if from_year.rolled_over_at is not None:
        plan.done_at = from_year.rolled_over_at
        return plan
    leaving = set(choices.leaver_years)
    _check_calendar(plan, school)
    _check_term_over(plan, school)

    pupils = Pupil.objects.filter(school=school).on_roll(new_year.start_date)
    by_year = dict(
        pupils.order_by()
        .values_list("year_group__number")
        .annotate(n=Count("pk"))
        .values_list("year_group__number", "n")
    )
    for number in sorted(by_year):
        if number in leaving:
            plan.leavers.append((number, by_year[number]))
        elif number >= TOP_YEAR:
            plan.errors.append(
                f"Year {number} has {by_year[number]} pupil{'s' if by_year[number] != 1 else ''}"
                f" who cannot move up: tick Year {number} among the leavers."
            )
        else:
            plan.moves.append((number, number + 1, by_year[number]))
    existing = set(YearGroup.objects.filter(school=school).values_list("number", flat=True))
    plan.year_groups_added = sorted({to for _, to, _ in plan.moves} - existing)
    plan.placements = Pupil.objects.filter(school=school).on_roll(from_year.start_date).count()

    _plan_tutor_groups(plan, school, pupils, leaving)
    _plan_classes(plan, school, leaving)
    return plan


def _check_calendar(plan: RolloverPlan, school: School) -> None:
    new, old = plan.new_year, plan.from_year
    if new.start_date <= old.start_date:
        plan.errors.append(f"The new year must start after {old.name} began.")
    others = AcademicYear.objects.filter(school=school).exclude(name=new.name)
    clash = others.filter(start_date__lte=new.end_date, end_date__gte=new.start_date).first()
    if clash is not None and clash.pk != old.pk:
        plan.errors.append(f"The new year's dates overlap {clash.name}, which is already entered.")
    if new.start_date <= old.end_date:
        plan.errors.append(
            f"The new year must start after {old.name} ends ({old.end_date:%d/%m/%Y})."
        )
    named = AcademicYear.objects.filter(school=school, name=new.name).first()
    if named is not None and named.start_date <= old.start_date:
        plan.errors.append(
            f"{new.name} is the name of {'this' if named.pk == old.pk else 'an earlier'} "
            "year: give the new year a name of its own."
        )
    plan.year_exists = named is not None
    known = set(
        NonSchoolDay.objects.filter(
            school=school, date__in=[day.day for day in new.days_off]
        ).values_list("date", flat=True)
    )
    plan.days_off_added = len({day.day for day in new.days_off} - known)


def _check_term_over(plan: RolloverPlan, school: School) -> None:
    """A warning, not a refusal: starting the year while the old one is still taught makes
    its classes read-only at once."""
    last_day = (
        HalfTerm.objects.filter(academic_year=plan.from_year)
        .order_by("-end_date")
        .values_list("end_date", flat=True)
        .first()
    ) or plan.from_year.end_date
    today = timezone.localdate()
    if today <= last_day:
        plan.warnings.append(
            f"{plan.from_year.name} is still being taught (until {last_day:%d/%m/%Y}): once "
            f"you start {plan.new_year.name}, its classes take no more homework and pupils "
            "move into their new groups at once. Schools usually start the new year after "
            "the summer term has ended."
        )


def _tutor_names(group: TutorGroup) -> list[str]:
    return [str(a.user) for a in group.role_assignments.all() if a.role == Role.FORM_TUTOR]


def _current_tutor_groups(school: School):
    return (
        TutorGroup.objects.current()
        .filter(school=school)
        .select_related("year_group")
        .prefetch_related("role_assignments__user")
        .order_by("year_group__number", "name")
    )


def _plan_tutor_groups(plan, school, pupils, leaving) -> None:
    counts = dict(
        pupils.exclude(year_group__number__in=leaving)
        .order_by()
        .values_list("tutor_group_id")
        .annotate(n=Count("pk"))
        .values_list("tutor_group_id", "n")
    )
    new_names: dict[str, str] = {}
    groups = list(_current_tutor_groups(school))
    for group in groups:
        number = group.year_group.number
        if number in leaving or number >= TOP_YEAR:
            plan.tutor_groups_ended.append(group.name)
            plan.tutor_roles_ended.extend(
                f"{tutor} (form tutor of {group.name})" for tutor in _tutor_names(group)
            )
            if number in leaving and counts.get(group.pk):
                plan.errors.append(
                    f"{counts[group.pk]} pupil(s) of {group.name} are not leaving, but their "
                    f"group is: move them to another group first."
                )
            continue
        move = GroupMove(
            old=group.name,
            new=renamed(group.name, number),
            year=number + 1,
            pupils=counts.get(group.pk, 0),
            tutors=_tutor_names(group),
        )
        if move.new in new_names:
            plan.errors.append(
                f"{new_names[move.new]} and {group.name} would both become {move.new} in "
                f"{plan.new_year.name}: rename one of them first."
            )
        new_names[move.new] = group.name
        plan.tutor_groups.append(move)
    plan.intake_groups = _intake_names(
        [(group.name, group.year_group.number) for group in groups], new_names
    )


def _intake_names(groups: list[tuple[str, int]], taken) -> list[str]:
    """The new Year 7's groups: this Year 7's names that start with 7, formed empty for
    the intake's import to fill (a name another group takes next year is left out)."""
    return [
        name
        for name, number in groups
        if number == INTAKE_YEAR and renamed(name, number) != name and name not in taken
    ]


def _old_classes(school, from_year):
    return TeachingGroup.objects.filter(
        school=school, academic_year=from_year, archived_on__isnull=True
    )


def _classes_to_archive(school, from_year):
    """The old year's classes, and any of an earlier year still open."""
    return TeachingGroup.objects.filter(
        school=school,
        academic_year__start_date__lte=from_year.start_date,
        archived_on__isnull=True,
    )


def _plan_classes(plan, school, leaving) -> None:
    classes = _old_classes(school, plan.from_year)
    plan.classes_archived = _classes_to_archive(school, plan.from_year).count()
    if not plan.choices.copy_teaching_groups:
        return
    there = set(
        TeachingGroup.objects.filter(
            school=school, academic_year__name=plan.new_year.name
        ).values_list("name", flat=True)
    )
    new_names: dict[str, str] = {}
    for group in (
        classes.exclude(year_group__number__in=leaving)
        .exclude(year_group__number__gte=TOP_YEAR)
        .select_related("year_group")
        .annotate(moving=Count("pupils", filter=~Q(pupils__year_group__number__in=leaving)))
        .order_by("year_group__number", "name")
    ):
        number = group.year_group.number
        move = GroupMove(
            old=group.name, new=renamed(group.name, number), year=number + 1, pupils=group.moving
        )
        if move.new in there:
            plan.classes_already_there += 1
            continue
        if move.new in new_names:
            plan.errors.append(
                f"Classes {new_names[move.new]} and {group.name} would both be copied as "
                f"{move.new}: rename one of them first, or do not copy the classes."
            )
        new_names[move.new] = group.name
        plan.classes_copied.append(move)


# Applying -------------------------------------------------------------------------------


@transaction.atomic
def rollover_apply(
    *,
    school: School,
    from_year: AcademicYear,
    new_year: NewYear,
    choices: Choices,
    actor: User,
    now: datetime.datetime | None = None,
) -> RolloverPlan:
    """Start `new_year` as `rollover_plan` describes it, all in this transaction; returns
    the plan applied. A year already rolled over is left as it is (the plan says when it
    was done); any error raises RolloverError and writes nothing."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    from_year = AcademicYear.objects.select_for_update().get(pk=from_year.pk, school=school)
    plan = rollover_plan(school=school, from_year=from_year, new_year=new_year, choices=choices)
    if plan.is_done:
        return plan
    if plan.errors:
        raise RolloverError(" ".join(plan.errors))
    leaving = set(choices.leaver_years)

    year = _calendar_write(school, new_year)
    years = {yg.number: yg for yg in YearGroup.objects.filter(school=school)}
    for number in plan.year_groups_added:
        years[number] = YearGroup.objects.create(school=school, number=number)

    # Where everyone was, before anyone moves.
    PupilPlacement.objects.bulk_create(
        [
            PupilPlacement(
                school=school,
                academic_year=from_year,
                pupil_id=pupil_id,
                year_group_id=year_group_id,
                tutor_group_id=tutor_group_id,
            )
            for pupil_id, year_group_id, tutor_group_id in Pupil.objects.filter(school=school)
            .on_roll(from_year.start_date)
            .values_list("pk", "year_group_id", "tutor_group_id")
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )

    successors = _tutor_groups_write(school, from_year, year, years, leaving, today)
    _pupils_move(school, new_year, years, successors, leaving)
    if choices.copy_teaching_groups:
        _classes_copy(school, from_year, year, years, leaving, new_year.start_date)
    _classes_to_archive(school, from_year).update(archived_on=today)

    from_year.rolled_over_at = now
    from_year.save(update_fields=["rolled_over_at"])
    return plan


def _calendar_write(school: School, new_year: NewYear) -> AcademicYear:
    year, _ = AcademicYear.objects.update_or_create(
        school=school,
        name=new_year.name,
        defaults={"start_date": new_year.start_date, "end_date": new_year.end_date},
    )
    terms = {term.name: term for term in HalfTerm.objects.filter(academic_year=year)}
    for name, first, last in new_year.half_terms:
        term = terms.setdefault(name, HalfTerm(school=school, academic_year=year, name=name))
        term.start_date, term.end_date = first, last
    HalfTerm.objects.bulk_update(
        [term for term in terms.values() if term.pk], ["start_date", "end_date"]
    )
    HalfTerm.objects.bulk_create([term for term in terms.values() if not term.pk])
    NonSchoolDay.objects.bulk_create(
        [
            NonSchoolDay(school=school, date=day.day, kind=day.kind, description=day.description)
            for day in new_year.days_off
        ],
        ignore_conflicts=True,
    )
    return year


def _tutor_groups_write(school, from_year, year, years, leaving, today) -> dict[int, int]:
    """Archives the current tutor groups and forms their successors in the new year (or
    finds them there); each form tutor follows their group. The new Year 7's groups are
    formed empty, with this Year 7's names, for the intake's import to fill. Returns {old
    id: new id}."""
    old_groups = list(_current_tutor_groups(school))
    TutorGroup.objects.filter(pk__in=[g.pk for g in old_groups]).update(archived_on=today)
    TutorGroup.objects.filter(pk__in=[g.pk for g in old_groups], academic_year__isnull=True).update(
        academic_year=from_year
    )
    there = {g.name: g for g in TutorGroup.objects.filter(school=school, academic_year=year)}
    followers, ended = {}, []
    for group in old_groups:
        number = group.year_group.number
        if number in leaving or number >= TOP_YEAR:
            ended.append(group.pk)
            continue
        name = renamed(group.name, number)
        followers[group.pk] = there.get(name) or TutorGroup(
            school=school,
            academic_year=year,
            name=name,
            year_group=years[number + 1],
            room=group.room,
        )
    intake_names = set(
        _intake_names(
            [(g.name, g.year_group.number) for g in old_groups],
            {g.name for g in followers.values()},
        )
    )
    intake = [
        TutorGroup(
            school=school, academic_year=year, name=g.name, year_group=g.year_group, room=g.room
        )
        for g in old_groups
        if g.name in intake_names and g.name not in there
    ]
    TutorGroup.objects.bulk_create([g for g in followers.values() if g.pk is None] + intake)
    successors = {old_id: new.pk for old_id, new in followers.items()}

    tutor_roles = RoleAssignment.objects.filter(school=school, role=Role.FORM_TUTOR)
    tutor_roles.filter(tutor_group_id__in=ended).delete()
    if successors:
        # A tutor already tutoring the new group (a second run of an import) keeps that.
        moving = tutor_roles.filter(tutor_group_id__in=list(successors))
        held = set(
            tutor_roles.filter(tutor_group_id__in=list(successors.values())).values_list(
                "user_id", "tutor_group_id"
            )
        )
        doubled = [
            pk
            for pk, old_id, user_id in moving.values_list("pk", "tutor_group_id", "user_id")
            if (user_id, successors[old_id]) in held
        ]
        tutor_roles.filter(pk__in=doubled).delete()
        moving.update(
            tutor_group_id=Case(
                *(When(tutor_group_id=old, then=new) for old, new in successors.items()),
                output_field=IntegerField(),
            )
        )
    return successors


def _pupils_move(school, new_year: NewYear, years, successors, leaving) -> None:
    pupils = Pupil.objects.filter(school=school).on_roll(new_year.start_date)
    pupils.filter(year_group__number__in=leaving).update(left_on=new_year.start_date)
    moving = pupils.exclude(year_group__number__in=leaving)
    if not successors:
        return
    current = {yg.pk: yg.number for yg in years.values()}
    moving.filter(tutor_group_id__in=list(successors)).update(
        tutor_group_id=Case(
            *(When(tutor_group_id=old, then=new) for old, new in successors.items()),
            default=F("tutor_group_id"),
            output_field=IntegerField(),
        ),
        year_group_id=Case(
            *(
                When(year_group_id=pk, then=years[number + 1].pk)
                for pk, number in current.items()
                if number + 1 in years
            ),
            default=F("year_group_id"),
            output_field=IntegerField(),
        ),
    )


def _classes_copy(school, from_year, year, years, leaving, start) -> None:
    there = set(
        TeachingGroup.objects.filter(school=school, academic_year=year).values_list(
            "name", flat=True
        )
    )
    sources = list(
        _old_classes(school, from_year)
        .exclude(year_group__number__in=leaving)
        .exclude(year_group__number__gte=TOP_YEAR)
        .select_related("year_group")
        .prefetch_related("teachers")
    )
    copies = []
    for group in sources:
        name = renamed(group.name, group.year_group.number)
        if name in there:
            continue
        copies.append(
            (
                group,
                TeachingGroup(
                    school=school,
                    academic_year=year,
                    name=name,
                    subject_id=group.subject_id,
                    year_group=years[group.year_group.number + 1],
                ),
            )
        )
    TeachingGroup.objects.bulk_create([copy for _, copy in copies])
    TeachingGroup.teachers.through.objects.bulk_create(
        TeachingGroup.teachers.through(teachinggroup_id=copy.pk, user_id=teacher.pk)
        for group, copy in copies
        for teacher in group.teachers.all()
    )
    new_ids = {group.pk: copy.pk for group, copy in copies}
    staying = Pupil.objects.filter(school=school).on_roll(start).values("pk")
    TeachingGroup.pupils.through.objects.bulk_create(
        (
            TeachingGroup.pupils.through(teachinggroup_id=new_ids[old_id], pupil_id=pupil_id)
            for old_id, pupil_id in TeachingGroup.pupils.through.objects.filter(
                teachinggroup_id__in=list(new_ids), pupil_id__in=staying
            ).values_list("teachinggroup_id", "pupil_id")
        ),
        batch_size=1000,
    )
