"""The frequency policy and the compliance report: homework set per class and department
against the policy over the last weeks, and the pupils' heaviest nights ahead."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from school import access
from school.calendar import academic_years_for
from school.models import (
    HalfTerm,
    Pupil,
    RoleAssignment,
    Subject,
    TeachingGroup,
    YearGroup,
)

from ..models import (
    Assignment,
    FrequencyRule,
    Homework,
    KeyStagePolicy,
)
from .setting import key_stage_of

COMPLIANCE_WEEKS = 6
HEAVIEST_NIGHTS_DAYS = 7
KEY_STAGES = (3, 4, 5)


@dataclass
class Policy:
    """A school's nightly caps (by key stage) and frequency rules (by key stage and
    subject; subject None is the key stage's rule for every other subject)."""

    caps: dict[int, int]
    rules: dict[tuple[int, int | None], FrequencyRule]

    @property
    def exists(self) -> bool:
        return bool(self.caps or self.rules)

    def rule_for(self, key_stage: int, subject_id: int) -> FrequencyRule | None:
        return self.rules.get((key_stage, subject_id)) or self.rules.get((key_stage, None))


def policy_caps(school_id: int) -> dict[int, int]:
    """Nightly cap in minutes by key stage (key stages without one are left out)."""
    return dict(
        KeyStagePolicy.objects.filter(school_id=school_id)
        .values_list("key_stage", "nightly_cap_minutes")
        .order_by()  # a dict: no need to join the school to sort by its name
    )


def frequency_rules(school_id: int) -> dict[tuple[int, int | None], FrequencyRule]:
    """The school's frequency rules by key stage and subject, with their subjects (one
    query)."""
    return {
        (rule.key_stage, rule.subject_id): rule
        for rule in FrequencyRule.objects.filter(school_id=school_id)
        .select_related("subject")
        .order_by()  # a dict: no need to join the school to sort by its name
    }


def policy_for(school_id: int) -> Policy:
    """The school's policy in two queries: caps, then rules with their subjects."""
    return Policy(caps=policy_caps(school_id), rules=frequency_rules(school_id))


def expected_homework(rule: FrequencyRule | None, teaching_weeks: float) -> float | None:
    """How many homework tasks a class is expected to be set over `teaching_weeks` under
    its rule: one every `every_weeks` teaching weeks; None (nothing expected) when it has
    no rule or its department decides. The one rule of the compliance report and the
    half-term report (reports/measures/homework.py)."""
    if rule is None or rule.set_by_department:
        return None
    return teaching_weeks / rule.every_weeks


def policy_rules(school_id: int) -> QuerySet[FrequencyRule]:
    """The rules as the policy form lists them: by key stage, the default rule first."""
    return (
        FrequencyRule.objects.filter(school_id=school_id)
        .select_related("subject")
        .order_by("key_stage", F("subject__name").asc(nulls_first=True))
    )


@dataclass
class ComplianceWindow:
    """The COMPLIANCE_WEEKS weeks ending today: the 42 days up to and including today (a
    rolling window, so that early in a week its homework still to come is not missed).
    Holidays expect no homework: when the school records half-terms, every weekday of the
    window outside them takes a fifth of a week off the teaching weeks, so a whole week of
    holiday counts one week less."""

    start: date
    end: date
    weekdays: int
    holiday_weekdays: int

    @property
    def weeks(self) -> int:
        return COMPLIANCE_WEEKS

    @property
    def teaching_weeks(self) -> float:
        return (self.weekdays - self.holiday_weekdays) / 5

    @property
    def holiday_weeks(self) -> float:
        return self.holiday_weekdays / 5


def compliance_window(*, school_id: int, today: date) -> ComplianceWindow:
    start = today - timedelta(days=7 * COMPLIANCE_WEEKS - 1)
    days = [start + timedelta(days=n) for n in range(7 * COMPLIANCE_WEEKS)]
    weekdays = [day for day in days if day.weekday() < 5]
    # One query: the half-terms touching the window, plus any one half-term of the school,
    # which tells whether the school records half-terms at all.
    any_half_term = HalfTerm.objects.filter(school_id=school_id).order_by("pk").values("pk")[:1]
    terms = list(
        HalfTerm.objects.filter(school_id=school_id)
        .filter(Q(start_date__lte=today, end_date__gte=start) | Q(pk=Subquery(any_half_term)))
        .values_list("start_date", "end_date")
        .order_by()  # no join to the school to sort by its name
    )
    holidays = 0
    if terms:
        holidays = sum(
            1 for day in weekdays if not any(first <= day <= last for first, last in terms)
        )
    return ComplianceWindow(
        start=start, end=today, weekdays=len(weekdays), holiday_weekdays=holidays
    )


@dataclass(slots=True)
class ClassRef:
    """A class as the report shows it (name, year, subject), read without a model."""

    pk: int
    name: str
    archived_on: date | None
    subject: Subject
    year_group: YearGroup


@dataclass
class GroupCompliance:
    """One class over the window: homework set against what the policy expects."""

    group: ClassRef
    key_stage: int
    set_count: int
    minutes_total: int
    handed_in: int
    returned_with_feedback: int
    rule: FrequencyRule | None
    expected: float | None  # None: nothing expected (set by the department, or no rule)

    @property
    def has_expectation(self) -> bool:
        return self.expected is not None

    @cached_property
    def percent(self) -> int | None:
        if not self.expected:
            return None
        return round(self.set_count / self.expected * 100)

    @property
    def on_track(self) -> bool | None:
        return None if self.percent is None else self.percent >= 100

    @property
    def status(self) -> str:
        if self.rule is None:
            return "No rule"
        if self.rule.set_by_department:
            return "Set by the department"
        if not self.expected:
            return "No teaching weeks"
        return "On track" if self.on_track else "Below"

    @property
    def average_minutes(self) -> int | None:
        return round(self.minutes_total / self.set_count) if self.set_count else None

    @property
    def feedback_rate(self) -> int | None:
        if not self.handed_in:
            return None
        return round(self.returned_with_feedback / self.handed_in * 100)


@dataclass
class SubjectCompliance:
    """A department: its classes and their numbers rolled up (each figure worked out once,
    when first read, after the classes are in)."""

    subject: Subject
    groups: list[GroupCompliance] = field(default_factory=list)

    @cached_property
    def group_count(self) -> int:
        return len(self.groups)

    @cached_property
    def set_count(self) -> int:
        return sum(row.set_count for row in self.groups)

    @cached_property
    def expected(self) -> float | None:
        expecting = [row.expected for row in self.groups if row.has_expectation]
        return sum(expecting) if expecting else None

    @cached_property
    def percent(self) -> int | None:
        """Homework set by the classes with an expectation, against that expectation."""
        if not self.expected:
            return None
        set_where_expected = sum(row.set_count for row in self.groups if row.has_expectation)
        return round(set_where_expected / self.expected * 100)

    @cached_property
    def on_track(self) -> bool | None:
        return None if self.percent is None else self.percent >= 100

    @cached_property
    def average_minutes(self) -> int | None:
        count = self.set_count
        return round(sum(row.minutes_total for row in self.groups) / count) if count else None

    @cached_property
    def feedback_rate(self) -> int | None:
        handed_in = sum(row.handed_in for row in self.groups)
        if not handed_in:
            return None
        returned = sum(row.returned_with_feedback for row in self.groups)
        return round(returned / handed_in * 100)

    @cached_property
    def below_count(self) -> int:
        return sum(1 for row in self.groups if row.on_track is False)


@dataclass
class ComplianceReport:
    window: ComplianceWindow
    policy: Policy
    subjects: list[SubjectCompliance]

    @property
    def groups(self) -> list[GroupCompliance]:
        return [row for subject in self.subjects for row in subject.groups]


COUNTED_HOMEWORK = [Homework.Status.SET, Homework.Status.ARCHIVED]


def compliance_subjects_for(user) -> QuerySet[Subject] | None:
    """The subjects whose compliance this person may read: every subject of the school for
    senior leaders and school admins, their own for subject leaders; None for anyone else."""
    if access.is_school_wide(user):
        return Subject.objects.filter(school_id=user.school_id)
    led = access.scope_ids(user, RoleAssignment.Role.SUBJECT_LEADER)
    if not led:
        return None
    return Subject.objects.filter(school_id=user.school_id, pk__in=led)


def compliance_report(
    *, school_id: int, subjects: Sequence[Subject], today: date
) -> ComplianceReport:
    """Each class of the subjects (in the academic year running today) over the window,
    in four queries however many classes and homework there are: caps, rules,
    half-terms, and the classes with their homework counted and summed, with the pupils'
    work handed in and returned with feedback summed from each homework's tally (kept by
    the database, homework/tallies.py)."""
    policy = policy_for(school_id)
    window = compliance_window(school_id=school_id, today=today)
    by_subject = {subject.pk: SubjectCompliance(subject=subject) for subject in subjects}
    # Only the window's homework is joined to the classes (not each class's whole year).
    window_homework = FilteredRelation(
        "homework",
        condition=Q(
            homework__school_id=school_id,
            homework__status__in=COUNTED_HOMEWORK,
            homework__set_on__gte=window.start,
            homework__set_on__lte=window.end,
        ),
    )
    groups = (
        TeachingGroup.objects.filter(
            school_id=school_id,
            subject_id__in=list(by_subject),
            academic_year_id=Subquery(academic_years_for(school_id, today).values("pk")),
        )
        .annotate(
            window_homework=window_homework,
            # Read at this school only (the tallies' index starts with it).
            window_tally=FilteredRelation(
                "window_homework__tally", condition=Q(window_homework__tally__school_id=school_id)
            ),
        )
        .values_list(
            "pk", "name", "archived_on", "subject_id", "year_group_id", "year_group__number"
        )
        .annotate(
            set_count=Count("window_homework"),
            minutes_total=Sum("window_homework__estimated_minutes"),
            handed_in=Sum("window_tally__handed_in"),
            returned_with_feedback=Sum("window_tally__returned_with_feedback"),
        )
        # By subject in `subjects`' order as each is filled in below.
        .order_by("year_group__number", "name")
    )
    year_groups: dict[int, YearGroup] = {}
    rules: dict[tuple[int, int], tuple[FrequencyRule | None, float | None]] = {}
    teaching_weeks = window.teaching_weeks
    for (
        pk,
        name,
        archived_on,
        subject_id,
        year_group_id,
        number,
        set_count,
        minutes_total,
        handed_in,
        returned,
    ) in groups:
        year_group = year_groups.get(year_group_id)
        if year_group is None:
            year_group = year_groups[year_group_id] = YearGroup(
                pk=year_group_id, school_id=school_id, number=number
            )
        subject_row = by_subject[subject_id]
        key_stage = key_stage_of(number)
        rule_expected = rules.get((key_stage, subject_id))
        if rule_expected is None:
            rule = policy.rule_for(key_stage, subject_id)
            rule_expected = rules[(key_stage, subject_id)] = (
                rule,
                expected_homework(rule, teaching_weeks),
            )
        subject_row.groups.append(
            GroupCompliance(
                group=ClassRef(pk, name, archived_on, subject_row.subject, year_group),
                key_stage=key_stage,
                set_count=set_count,
                minutes_total=minutes_total or 0,
                handed_in=handed_in or 0,
                returned_with_feedback=returned or 0,
                rule=rule_expected[0],
                expected=rule_expected[1],
            )
        )
    return ComplianceReport(window=window, policy=policy, subjects=list(by_subject.values()))


@dataclass
class Night:
    day: date
    over_cap: dict[int, int]  # key stage -> pupils whose homework due that day exceeds the cap

    @property
    def counts(self) -> list[int | None]:
        """Pupils over the cap in KS3, KS4 and KS5 (None where the key stage has no cap)."""
        return [self.over_cap.get(key_stage) for key_stage in KEY_STAGES]


def heaviest_nights(*, school_id: int, caps: dict[int, int], today: date) -> list[Night]:
    """For today and the next six days, how many pupils of each key stage have more
    estimated minutes due that day than the key stage's nightly cap, in one query: each
    pupil's minutes per day are summed, then joined to the pupils on roll with their key
    stage and the pupil-days over their cap counted. Pupils who have left are not counted."""
    days = [today + timedelta(days=n) for n in range(HEAVIEST_NIGHTS_DAYS)]
    if not caps:
        return [Night(day=day, over_cap={}) for day in days]
    zone = timezone.get_current_timezone()
    start = datetime.combine(days[0], time.min, tzinfo=zone)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=zone)
    # The minutes are summed before the pupils are joined: the join then meets one row a
    # pupil-day, and the plan reads the week's assignments by (school, due_at) at any
    # number of schools.
    per_pupil_day = (
        Assignment.objects.filter(
            school_id=school_id,
            homework__school_id=school_id,  # the homework read at this school only
            homework__status=Homework.Status.SET,
            due_at__gte=start,
            due_at__lt=end,
        )
        .exclude(status=Assignment.Status.EXCUSED)
        .annotate(day=TruncDate("due_at", tzinfo=zone))
        .values("pupil_id", "day")
        .annotate(minutes=Sum("homework__estimated_minutes"))
        .order_by()
    )
    pupils = (
        Pupil.objects.filter(school_id=school_id)
        .filter(access.on_roll(today))  # a leaver's nights are no one's worry
        .annotate(
            key_stage=Case(
                When(year_group__number__lte=9, then=Value(3)),
                When(year_group__number__lte=11, then=Value(4)),
                default=Value(5),
                output_field=IntegerField(),
            )
        )
        .values("id", "key_stage")
        .order_by()
    )
    days_sql, days_params = per_pupil_day.query.sql_with_params()
    pupils_sql, pupils_params = pupils.query.sql_with_params()
    cap = " ".join("WHEN %s THEN %s" for _ in caps)
    # PostgreSQL plans the pupils with their year groups on their own (OFFSET 0 keeps the
    # subquery whole): merged into the join, a trust's estimates looked up the year group
    # of every pupil-day one by one.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pupil_days.day, pupils.key_stage, COUNT(*)"  # noqa: S608 - the ORM's SQL, values as parameters
            f" FROM ({days_sql}) AS pupil_days JOIN ({pupils_sql}{fence}) AS pupils"
            " ON pupils.id = pupil_days.pupil_id"
            f" WHERE pupil_days.minutes > CASE pupils.key_stage {cap} END GROUP BY 1, 2",
            (*days_params, *pupils_params, *(value for item in caps.items() for value in item)),
        )
        counts = {
            (day if isinstance(day, date) else date.fromisoformat(day), key_stage): over_cap
            for day, key_stage, over_cap in cursor.fetchall()
        }
    return [Night(day=day, over_cap={ks: counts.get((day, ks), 0) for ks in caps}) for day in days]
