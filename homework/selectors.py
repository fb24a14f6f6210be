"""Reads shaped for the homework pages, each in a fixed number of queries."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from school import access
from school.models import (
    HalfTerm,
    NonSchoolDay,
    Pupil,
    RoleAssignment,
    Subject,
    TeachingGroup,
)

from .models import (
    Assignment,
    Attachment,
    CalendarFeed,
    FrequencyRule,
    Homework,
    KeyStagePolicy,
    SchemeOfWorkUnit,
    SubmissionFile,
)


@dataclass
class Workload:
    """The chosen pupils' homework already due on a day and in its week (Monday to
    Sunday), across all subjects, against the key stage's nightly cap."""

    day: date
    pupil_count: int
    day_minutes_max: int = 0
    day_minutes_average: int = 0
    week_minutes_max: int = 0
    nightly_cap: int | None = None
    pupils_over_cap: list = field(default_factory=list)  # (pupil id, minutes with the new task)

    @property
    def warns(self):
        return bool(self.pupils_over_cap)


def workload_for(
    *,
    school_id: int,
    pupil_ids,
    day: date,
    key_stage: int | None = None,
    adding_minutes: int = 0,
    exclude_homework_id: int | None = None,
) -> Workload:
    pupil_ids = list(pupil_ids)
    monday = day - timedelta(days=day.weekday())
    assignments = Assignment.objects.filter(
        school_id=school_id,
        pupil_id__in=pupil_ids,
        homework__status=Homework.Status.SET,
        due_at__date__gte=monday,
        due_at__date__lte=monday + timedelta(days=6),
    ).exclude(status=Assignment.Status.EXCUSED)
    if exclude_homework_id:
        assignments = assignments.exclude(homework_id=exclude_homework_id)
    rows = assignments.values("pupil_id").annotate(
        day_minutes=Sum("homework__estimated_minutes", filter=Q(due_at__date=day)),
        week_minutes=Sum("homework__estimated_minutes"),
    )
    day_minutes = {row["pupil_id"]: row["day_minutes"] or 0 for row in rows}
    week_minutes = [row["week_minutes"] or 0 for row in rows]
    workload = Workload(day=day, pupil_count=len(pupil_ids))
    if day_minutes:
        workload.day_minutes_max = max(day_minutes.values())
        workload.day_minutes_average = round(sum(day_minutes.values()) / len(pupil_ids))
        workload.week_minutes_max = max(week_minutes)
    if key_stage is not None:
        policy = KeyStagePolicy.objects.filter(school_id=school_id, key_stage=key_stage).first()
        if policy:
            workload.nightly_cap = policy.nightly_cap_minutes
            workload.pupils_over_cap = sorted(
                (pupil_id, minutes + adding_minutes)
                for pupil_id, minutes in ((pid, day_minutes.get(pid, 0)) for pid in pupil_ids)
                if minutes + adding_minutes > policy.nightly_cap_minutes
            )
    return workload


# The pupil's planner, task page, submitted files and calendar feed.

PLANNER_DONE_WEEKS = 4
CALENDAR_WEEKS_BACK = 8


@dataclass
class PlannerItem:
    """A task as the planner lists it, with the words and colour of its status badge."""

    assignment: Assignment
    label: str
    tone: str  # Bootstrap colour of the badge: danger, warning, success, info, secondary

    @property
    def homework(self) -> Homework:
        return self.assignment.homework


@dataclass
class PlannerDay:
    day: date
    items: list[PlannerItem] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(item.homework.estimated_minutes for item in self.items)


@dataclass
class Planner:
    """Overdue work, today, the rest of this week (Monday to Sunday) day by day, later
    days, and work done in the last four weeks (most recent first)."""

    today: PlannerDay
    overdue: list[PlannerItem]
    this_week: list[PlannerDay]
    later: list[PlannerDay]
    done: list[PlannerItem]


def _pupil_homework(pupil: Pupil) -> QuerySet[Assignment]:
    """The pupil's own assignments of homework that is set (never drafts or archived)."""
    return Assignment.objects.filter(
        school_id=pupil.school_id, pupil=pupil, homework__status=Homework.Status.SET
    ).select_related("homework__teaching_group__subject")


def _is_open(assignment: Assignment, now: datetime) -> bool:
    """Still to do: not handed in or excused, and not a past task with nothing to hand in."""
    if assignment.status not in (Assignment.Status.SET, Assignment.Status.MISSED):
        return False
    homework = assignment.homework
    return not (
        homework.submission_mode == Homework.SubmissionMode.NONE and assignment.due_at <= now
    )


def planner_item(assignment: Assignment, now: datetime | None = None) -> PlannerItem:
    """The task's status as the pupil sees it."""
    now = now or timezone.now()
    Status = Assignment.Status
    if assignment.status == Status.MISSED:
        return PlannerItem(assignment, "Missed", "danger")
    if assignment.status == Status.SET:
        if assignment.homework.submission_mode == Homework.SubmissionMode.NONE:
            return PlannerItem(assignment, "Nothing to hand in", "secondary")
        if assignment.due_at <= now:
            return PlannerItem(assignment, "Overdue", "danger")
        return PlannerItem(assignment, "To do", "info")
    if assignment.status == Status.EXCUSED:
        return PlannerItem(assignment, "Excused", "secondary")
    if assignment.is_late:
        return PlannerItem(assignment, "Handed in late", "warning")
    return PlannerItem(assignment, str(assignment.get_status_display()), "success")


def planner_for(*, pupil: Pupil, now: datetime | None = None) -> Planner:
    """The pupil's planner in one query, days in the school's time zone."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sunday = today + timedelta(days=6 - today.weekday())
    still_open = Q(status__in=[Assignment.Status.SET, Assignment.Status.MISSED]) & ~Q(
        homework__submission_mode=Homework.SubmissionMode.NONE, due_at__lte=now
    )
    rows = (
        _pupil_homework(pupil)
        .annotate(done_at=Coalesce("submitted_at", "due_at"))
        .filter(still_open | Q(done_at__gte=now - timedelta(weeks=PLANNER_DONE_WEEKS)))
        .order_by("due_at", "homework__teaching_group__subject__name", "pk")
    )
    overdue, done, days = [], [], {}
    for assignment in rows:
        item = planner_item(assignment, now)
        if not _is_open(assignment, now):
            done.append(item)
        elif assignment.due_at <= now:
            overdue.append(item)
        else:
            day = timezone.localdate(assignment.due_at)
            days.setdefault(day, PlannerDay(day)).items.append(item)
    done.sort(key=lambda item: item.assignment.done_at, reverse=True)
    return Planner(
        today=days.get(today) or PlannerDay(today),
        overdue=overdue,
        this_week=[
            days.get(day) or PlannerDay(day)
            for day in (today + timedelta(days=n) for n in range(1, (sunday - today).days + 1))
        ],
        later=[days[day] for day in sorted(days) if day > sunday],
        done=done,
    )


def planner_assignment(*, pupil: Pupil, assignment_id: int) -> Assignment:
    """One of the pupil's own tasks with its teacher, attachments and handed-in files.
    Raises Assignment.DoesNotExist for anyone else's, a draft's or an archived one's."""
    return (
        _pupil_homework(pupil)
        .select_related("homework__set_by")
        .prefetch_related("homework__attachments", "files")
        .get(pk=assignment_id)
    )


def instructions_html_for(assignment: Assignment) -> str:
    """The version of the task this pupil is given: the alternative one when they need it."""
    homework = assignment.homework
    if assignment.uses_alternative and homework.alternative_instructions_html:
        return homework.alternative_instructions_html
    return homework.instructions_html


def submission_files_visible_to(user) -> QuerySet[SubmissionFile]:
    """Handed-in files the person may download: their own, their children's, and their
    classes' (teachers of the class and staff who may see it)."""
    if not getattr(user, "is_authenticated", False):
        return SubmissionFile.objects.none()
    children = access.guardian_links_of(user).values("pupil_id")
    visible = Q(assignment__pupil__user=user) | Q(assignment__pupil_id__in=children)
    if user.school_id is not None:
        taught = TeachingGroup.teachers.through.objects.filter(user=user).values("teachinggroup_id")
        seen = access.teaching_groups_visible_to(user).values("pk")
        visible |= Q(school_id=user.school_id) & (
            Q(assignment__homework__teaching_group_id__in=taught)
            | Q(assignment__homework__teaching_group_id__in=seen)
        )
    return SubmissionFile.objects.filter(visible)


def calendar_feed_pupil(token: str) -> Pupil | None:
    """The pupil whose secret calendar address this is, or None for an unknown token."""
    feed = (
        CalendarFeed.objects.select_related("user__pupil")
        .filter(token=token, user__is_active=True)
        .first()
    )
    return getattr(feed.user, "pupil", None) if feed else None


def calendar_assignments_for(*, pupil: Pupil, now: datetime | None = None) -> list[Assignment]:
    """Every set task of the pupil due from eight weeks ago onwards, for the iCal feed."""
    since = (now or timezone.now()) - timedelta(weeks=CALENDAR_WEEKS_BACK)
    return list(_pupil_homework(pupil).filter(due_at__gte=since).order_by("due_at", "pk"))


# Setting homework: the teacher's classes and their pupils, scheme-of-work units, school
# days, the workload panel, and the homework and attachments a person may open.


def teaching_groups_for_setting(user) -> list[TeachingGroup]:
    """The classes this person teaches at their school, with subject, year and size:
    the only classes they may set homework for."""
    if not getattr(user, "is_authenticated", False) or user.school_id is None:
        return []
    return list(
        TeachingGroup.objects.filter(school_id=user.school_id, teachers=user)
        .select_related("subject", "year_group")
        .annotate(pupil_count=Count("pupils", distinct=True))
        .order_by("year_group__number", "subject__name", "name")
    )


def pupils_by_teaching_group(groups: Sequence[TeachingGroup]) -> list[tuple[TeachingGroup, list]]:
    """Each of these classes with its pupils in register order, in one query."""
    if not groups:
        return []
    rows = (
        TeachingGroup.pupils.through.objects.filter(teachinggroup_id__in=[g.pk for g in groups])
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )
    by_group = {group.pk: [] for group in groups}
    for row in rows:
        by_group[row.teachinggroup_id].append(row.pupil)
    return [(group, by_group[group.pk]) for group in groups]


def units_for_teaching_groups(groups: Sequence[TeachingGroup]) -> list[SchemeOfWorkUnit]:
    """The scheme-of-work units of the subjects and years of these classes."""
    pairs = {(group.subject_id, group.year_group_id) for group in groups}
    if not pairs:
        return []
    units = SchemeOfWorkUnit.objects.filter(
        school_id=groups[0].school_id,
        subject_id__in={subject for subject, _ in pairs},
        year_group_id__in={year for _, year in pairs},
    ).select_related("subject", "year_group")
    return [unit for unit in units if (unit.subject_id, unit.year_group_id) in pairs]


def non_school_day_reason(*, school_id: int, day: date) -> str:
    """Why pupils are not in school on this day ("" on a school day): a weekend, a
    non-school day the school recorded, or a holiday outside every recorded half-term."""
    if day.weekday() >= 5:
        return "a weekend"
    closed = NonSchoolDay.objects.filter(school_id=school_id, date=day).first()
    if closed:
        kind = closed.get_kind_display()
        return f"{kind}: {closed.description}" if closed.description else str(kind)
    terms = HalfTerm.objects.filter(school_id=school_id).aggregate(
        recorded=Count("pk"),
        covering=Count("pk", filter=Q(start_date__lte=day, end_date__gte=day)),
    )
    if terms["recorded"] and not terms["covering"]:
        return "a school holiday (outside every half-term)"
    return ""


@dataclass
class SettingWorkload:
    """The workload panel of the homework form: the chosen pupils' minutes already due on
    the due date and in its week, and how many would go over their key stage's nightly
    cap with the new task."""

    day: date
    pupil_count: int
    adding_minutes: int
    day_minutes_max: int = 0
    day_minutes_average: int = 0
    week_minutes_max: int = 0
    over_cap: list = field(default_factory=list)  # (key stage, cap, pupils over it)
    key_stages: list = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        several = len(self.key_stages) > 1
        return [
            f"{count} pupil{'s' if count != 1 else ''} would have more than {cap} minutes "
            f"due on {self.day:%d/%m/%Y}" + (f" (key stage {stage})" if several else "")
            for stage, cap, count in self.over_cap
        ]


def setting_workload(
    *,
    teacher,
    group_ids: Iterable[int],
    day: date,
    pupil_ids: Iterable[int] | None = None,
    adding_minutes: int = 0,
    exclude_homework_id: int | None = None,
) -> SettingWorkload:
    """The workload of the pupils the teacher is setting homework for: every pupil of the
    chosen classes, or the chosen pupils among them. Classes the teacher does not teach
    and pupils outside the chosen classes are ignored."""
    rows = TeachingGroup.pupils.through.objects.filter(
        teachinggroup__school_id=teacher.school_id,
        teachinggroup__teachers=teacher,
        teachinggroup_id__in=list(group_ids),
    ).values_list("pupil_id", "teachinggroup__year_group__number")
    if pupil_ids is not None:
        rows = rows.filter(pupil_id__in=list(pupil_ids))
    key_stage_of = {}
    for pupil_id, year in rows:
        key_stage_of[pupil_id] = 3 if year <= 9 else 4 if year <= 11 else 5
    panel = SettingWorkload(day=day, pupil_count=len(key_stage_of), adding_minutes=adding_minutes)
    if not key_stage_of:
        return panel
    key_stages = panel.key_stages = sorted(set(key_stage_of.values()))
    common = {
        "school_id": teacher.school_id,
        "day": day,
        "adding_minutes": adding_minutes,
        "exclude_homework_id": exclude_homework_id,
    }
    if len(key_stages) == 1:
        stage = key_stages[0]
        totals = workload_for(pupil_ids=list(key_stage_of), key_stage=stage, **common)
        by_stage = {stage: totals}
    else:
        totals = workload_for(pupil_ids=list(key_stage_of), **common)
        by_stage = {
            stage: workload_for(
                pupil_ids=[pid for pid, ks in key_stage_of.items() if ks == stage],
                key_stage=stage,
                **common,
            )
            for stage in key_stages
        }
    panel.day_minutes_max = totals.day_minutes_max
    panel.day_minutes_average = totals.day_minutes_average
    panel.week_minutes_max = totals.week_minutes_max
    panel.over_cap = [
        (stage, workload.nightly_cap, len(workload.pupils_over_cap))
        for stage, workload in by_stage.items()
        if workload.warns
    ]
    return panel


def homework_taught_by(user) -> QuerySet[Homework]:
    """Homework of the classes this person teaches, whoever set it: the homework they may
    edit, copy, set or delete."""
    if not getattr(user, "is_authenticated", False) or user.school_id is None:
        return Homework.objects.none()
    taught = TeachingGroup.teachers.through.objects.filter(
        user=user, teachinggroup__school_id=user.school_id
    ).values("teachinggroup_id")
    return Homework.objects.filter(
        school_id=user.school_id, teaching_group_id__in=taught
    ).select_related("teaching_group__subject", "teaching_group__year_group")


def pupil_ids_given(homework: Homework) -> list[int]:
    """The pupils who have this homework."""
    return list(homework.assignments.values_list("pupil_id", flat=True))


def assignment_count(homeworks: Sequence[Homework]) -> int:
    """How many pupils these homeworks were given, counted in one query."""
    return Assignment.objects.filter(homework_id__in=[hw.pk for hw in homeworks]).count()


def handed_in_assignments(homework: Homework) -> QuerySet[Assignment]:
    """Assignments with work handed in (online or on paper) or a mark: what deleting the
    homework would lose."""
    return homework.assignments.filter(
        Q(status__in=[Assignment.Status.SUBMITTED, Assignment.Status.PAPER])
        | Q(submitted_at__isnull=False)
        | ~Q(mark="")
    )


def attachments_visible_to(user) -> QuerySet[Attachment]:
    """Homework attachments the person may download: the teachers of the class and staff
    who may see the class; pupils given the homework once it is set, and their parents."""
    if not getattr(user, "is_authenticated", False):
        return Attachment.objects.none()
    children = access.guardian_links_of(user).values("pupil_id")
    given = Assignment.objects.filter(
        Q(pupil__user=user) | Q(pupil_id__in=children), homework__status=Homework.Status.SET
    ).values("homework_id")
    visible = Q(homework_id__in=given)
    if user.school_id is not None:
        taught = TeachingGroup.teachers.through.objects.filter(user=user).values("teachinggroup_id")
        seen = access.teaching_groups_visible_to(user).values("pk")
        visible |= Q(school_id=user.school_id) & (
            Q(homework__teaching_group_id__in=taught) | Q(homework__teaching_group_id__in=seen)
        )
    return Attachment.objects.filter(visible)


# Marking: a teacher's homework and marking queue, and the register of one homework.

HANDED_IN = (Assignment.Status.SUBMITTED, Assignment.Status.PAPER)
MARKING_RECENT_WEEKS = 8
MARKING_ARCHIVED_SHOWN = 20
# What a list of homework does not show: left out of its query.
LIST_DEFERRED = (
    "instructions",
    "instructions_html",
    "alternative_instructions",
    "alternative_instructions_html",
    "resource_links",
)


def teaching_groups_taught_by(user) -> QuerySet[TeachingGroup]:
    """The classes this member of staff teaches (is one of the teachers of) at their school."""
    if not access.is_staff_member(user):
        return TeachingGroup.objects.none()
    return TeachingGroup.objects.filter(school_id=user.school_id, teachers=user)


def _to_return(prefix: str = "") -> Q:
    """Marked (a mark or feedback) and not yet returned: what `homework_return` returns."""
    return Q(**{f"{prefix}returned_at__isnull": True}) & (
        Q(**{f"{prefix}mark__gt": ""}) | Q(**{f"{prefix}feedback__gt": ""})
    )


def homework_with_marking_counts(homework: QuerySet[Homework], *, now) -> QuerySet[Homework]:
    """Each homework with its pupils counted by where their work stands, in the same query."""
    handed_in = Q(assignments__status__in=HANDED_IN)
    return homework.annotate(
        pupil_count=Count("assignments"),
        online_count=Count(
            "assignments", filter=Q(assignments__status=Assignment.Status.SUBMITTED)
        ),
        paper_count=Count("assignments", filter=Q(assignments__status=Assignment.Status.PAPER)),
        handed_in_count=Count("assignments", filter=handed_in),
        late_count=Count("assignments", filter=handed_in & Q(assignments__is_late=True)),
        unmarked_count=Count(
            "assignments",
            filter=handed_in & Q(assignments__mark="", assignments__feedback=""),
        ),
        to_return_count=Count("assignments", filter=_to_return("assignments__")),
        overdue_count=Count(
            "assignments",
            filter=Q(assignments__status=Assignment.Status.SET, assignments__due_at__lte=now),
        ),
    )


@dataclass
class MarkingTotals:
    handed_in: int = 0
    late: int = 0
    unmarked: int = 0
    to_return: int = 0
    overdue: int = 0


@dataclass
class HomeworkHome:
    """A teacher's homework page: the marking queue, then what is set, drafts and archive."""

    to_mark: list[Homework]
    upcoming: list[Homework]
    recent: list[Homework]
    drafts: list[Homework]
    archived: list[Homework]
    totals: MarkingTotals


def homework_home_for(user, *, now: datetime | None = None) -> HomeworkHome:
    """Four queries: the queue, set homework of the last weeks, drafts, the archive."""
    now = now or timezone.now()
    own = homework_with_marking_counts(
        Homework.objects.filter(
            school_id=user.school_id, teaching_group__in=teaching_groups_taught_by(user)
        )
        .select_related("teaching_group__subject")
        .defer(*LIST_DEFERRED),
        now=now,
    )
    to_mark = list(
        own.filter(status=Homework.Status.SET)
        .filter(Q(unmarked_count__gt=0) | Q(to_return_count__gt=0) | Q(overdue_count__gt=0))
        .order_by(Case(When(unmarked_count__gt=0, then=Value(0)), default=Value(1)), "due_at", "pk")
    )
    set_lately = list(
        own.filter(
            status=Homework.Status.SET,
            due_at__gte=now - timedelta(weeks=MARKING_RECENT_WEEKS),
        ).order_by("due_at", "pk")
    )
    totals = MarkingTotals(
        handed_in=sum(hw.handed_in_count for hw in to_mark),
        late=sum(hw.late_count for hw in to_mark),
        unmarked=sum(hw.unmarked_count for hw in to_mark),
        to_return=sum(hw.to_return_count for hw in to_mark),
        overdue=sum(hw.overdue_count for hw in to_mark),
    )
    return HomeworkHome(
        to_mark=to_mark,
        upcoming=[hw for hw in set_lately if hw.due_at > now],
        recent=[hw for hw in reversed(set_lately) if hw.due_at <= now],
        drafts=list(own.filter(status=Homework.Status.DRAFT).order_by("due_at", "pk")),
        archived=list(
            own.filter(status=Homework.Status.ARCHIVED).order_by("-due_at", "-pk")[
                :MARKING_ARCHIVED_SHOWN
            ]
        ),
        totals=totals,
    )


def homework_for_register(user) -> QuerySet[Homework]:
    """Homework whose register this member of staff may open: that of every class they
    may see (their own, their subject's, their year's, or the school's for senior leaders).
    A draft only its class's teachers see. `viewer_teaches` says whether they teach the
    class, and so may mark."""
    taught = teaching_groups_taught_by(user)
    return (
        Homework.objects.filter(
            school_id=user.school_id,
            teaching_group__in=access.teaching_groups_visible_to(user),
        )
        .filter(~Q(status=Homework.Status.DRAFT) | Q(teaching_group__in=taught))
        .annotate(viewer_teaches=Exists(taught.filter(pk=OuterRef("teaching_group_id"))))
        .select_related("teaching_group__subject", "teaching_group__year_group", "set_by", "unit")
    )


REGISTER_TONES = {
    Assignment.Status.SUBMITTED: "text-bg-success",
    Assignment.Status.PAPER: "text-bg-success",
    Assignment.Status.MISSED: "text-bg-danger",
    Assignment.Status.EXCUSED: "text-bg-light border",
}


@dataclass
class Register:
    """One homework's register: its attachments and every pupil's assignment, in surname
    order, each with `status_label` and `status_tone` (the badge's classes) as of `now`."""

    homework: Homework
    attachments: list
    rows: list[Assignment]
    now: datetime

    def _count(self, test) -> int:
        return sum(1 for row in self.rows if test(row))

    @property
    def handed_in(self) -> int:
        return self._count(lambda row: row.is_handed_in)

    @property
    def late(self) -> int:
        return self._count(lambda row: row.is_handed_in and row.is_late)

    @property
    def unmarked(self) -> int:
        return self._count(lambda row: row.is_handed_in and not (row.mark or row.feedback))

    @property
    def to_return(self) -> int:
        return self._count(lambda row: not row.is_returned and bool(row.mark or row.feedback))

    @property
    def overdue(self) -> int:
        return self._count(
            lambda row: row.status == Assignment.Status.SET and row.due_at <= self.now
        )

    @property
    def alternative_rows(self) -> list[Assignment]:
        return [row for row in self.rows if row.uses_alternative]

    @property
    def alternative_for(self) -> list[str]:
        """Who the alternative version is for, in words."""
        homework = self.homework
        groups = []
        if homework.alternative_for_eal:
            groups.append("pupils with English as an additional language")
        if homework.alternative_for_sen:
            groups.append("pupils with special educational needs")
        if homework.alternative_for_young_carers:
            groups.append("young carers")
        return groups


def _counted_misses() -> Prefetch:
    """Each assignment's counted missed deadline (0 or 1) with who recorded it, as
    `counted_misses`. Misses belong to `sanctions`, which homework must not import, so they
    are read through the reverse relation `assignment.misses`."""
    miss_model = Assignment._meta.get_field("misses").related_model
    return Prefetch(
        "misses",
        queryset=miss_model.objects.filter(status="counted").select_related("recorded_by"),
        to_attr="counted_misses",
    )


def register_for(homework: Homework, *, now: datetime | None = None) -> Register:
    """Two queries and two prefetches: attachments, assignments with their pupils, the
    files they handed in, and their counted missed deadlines (with who recorded them).
    `can_record_miss` marks the rows a missed deadline may be recorded for (not handed in,
    past due); `miss` is a row's counted missed deadline, or None."""
    now = now or timezone.now()
    rows = list(
        homework.assignments.select_related("pupil")
        .prefetch_related("files", _counted_misses())
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )
    for row in rows:
        row.status_label = row.display_status(now)
        row.miss = row.counted_misses[0] if row.counted_misses else None
        row.can_record_miss = (
            homework.status == Homework.Status.SET
            and row.status == Assignment.Status.SET
            and row.due_at <= now
        )
        if row.status == Assignment.Status.SET:
            row.status_tone = "text-bg-warning" if row.due_at <= now else "text-bg-secondary"
        elif row.status == Assignment.Status.SUBMITTED and row.is_late:
            row.status_tone = "text-bg-warning"
        else:
            row.status_tone = REGISTER_TONES[row.status]
    return Register(
        homework=homework, attachments=list(homework.attachments.all()), rows=rows, now=now
    )


def assignments_to_return_count(homework: Homework) -> int:
    return homework.assignments.filter(_to_return()).count()


# Frequency policy and compliance -------------------------------------------------------

COMPLIANCE_WEEKS = 6
HEAVIEST_NIGHTS_DAYS = 7
KEY_STAGES = (3, 4, 5)


def key_stage_of(year_number: int) -> int:
    return 3 if year_number <= 9 else 4 if year_number <= 11 else 5


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
        KeyStagePolicy.objects.filter(school_id=school_id).values_list(
            "key_stage", "nightly_cap_minutes"
        )
    )


def policy_for(school_id: int) -> Policy:
    """The school's policy in two queries: caps, then rules with their subjects."""
    caps = policy_caps(school_id)
    rules = {
        (rule.key_stage, rule.subject_id): rule
        for rule in FrequencyRule.objects.filter(school_id=school_id).select_related("subject")
    }
    return Policy(caps=caps, rules=rules)


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
    )
    holidays = 0
    if terms:
        holidays = sum(
            1 for day in weekdays if not any(first <= day <= last for first, last in terms)
        )
    return ComplianceWindow(
        start=start, end=today, weekdays=len(weekdays), holiday_weekdays=holidays
    )


@dataclass
class GroupCompliance:
    """One class over the window: homework set against what the policy expects."""

    group: TeachingGroup
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

    @property
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
    """A department: its classes and their numbers rolled up."""

    subject: Subject
    groups: list[GroupCompliance] = field(default_factory=list)

    @property
    def group_count(self) -> int:
        return len(self.groups)

    @property
    def set_count(self) -> int:
        return sum(row.set_count for row in self.groups)

    @property
    def expected(self) -> float | None:
        expecting = [row.expected for row in self.groups if row.has_expectation]
        return sum(expecting) if expecting else None

    @property
    def percent(self) -> int | None:
        """Homework set by the classes with an expectation, against that expectation."""
        if not self.expected:
            return None
        set_where_expected = sum(row.set_count for row in self.groups if row.has_expectation)
        return round(set_where_expected / self.expected * 100)

    @property
    def on_track(self) -> bool | None:
        return None if self.percent is None else self.percent >= 100

    @property
    def average_minutes(self) -> int | None:
        count = self.set_count
        return round(sum(row.minutes_total for row in self.groups) / count) if count else None

    @property
    def feedback_rate(self) -> int | None:
        handed_in = sum(row.handed_in for row in self.groups)
        if not handed_in:
            return None
        returned = sum(row.returned_with_feedback for row in self.groups)
        return round(returned / handed_in * 100)

    @property
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


HANDED_IN = [Assignment.Status.SUBMITTED, Assignment.Status.PAPER]
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
    in five queries however many classes and homework there are: caps, rules,
    half-terms, classes with their homework counted and summed, and their pupils'
    assignments counted."""
    policy = policy_for(school_id)
    window = compliance_window(school_id=school_id, today=today)
    subject_ids = [subject.pk for subject in subjects]
    in_window = Q(
        homework__status__in=COUNTED_HOMEWORK,
        homework__set_on__gte=window.start,
        homework__set_on__lte=window.end,
    )
    groups = (
        TeachingGroup.objects.filter(
            school_id=school_id,
            subject_id__in=subject_ids,
            academic_year__start_date__lte=today,
            academic_year__end_date__gte=today,
        )
        .select_related("subject", "year_group")
        .annotate(
            set_count=Count("homework", filter=in_window),
            minutes_total=Sum("homework__estimated_minutes", filter=in_window),
        )
        .order_by("subject__name", "year_group__number", "name")
    )
    outcomes = {
        row["homework__teaching_group_id"]: row
        for row in Assignment.objects.filter(
            school_id=school_id,
            homework__teaching_group__subject_id__in=subject_ids,
            homework__status__in=COUNTED_HOMEWORK,
            homework__set_on__gte=window.start,
            homework__set_on__lte=window.end,
        )
        .values("homework__teaching_group_id")
        .annotate(
            handed_in=Count("pk", filter=Q(status__in=HANDED_IN)),
            returned_with_feedback=Count(
                "pk",
                filter=Q(status__in=HANDED_IN, returned_at__isnull=False) & ~Q(feedback=""),
            ),
        )
        .order_by()
    }
    by_subject = {subject.pk: SubjectCompliance(subject=subject) for subject in subjects}
    for group in groups:
        key_stage = key_stage_of(group.year_group.number)
        rule = policy.rule_for(key_stage, group.subject_id)
        expected = None
        if rule is not None and not rule.set_by_department:
            expected = window.teaching_weeks / rule.every_weeks
        outcome = outcomes.get(group.pk, {})
        by_subject[group.subject_id].groups.append(
            GroupCompliance(
                group=group,
                key_stage=key_stage,
                set_count=group.set_count,
                minutes_total=group.minutes_total or 0,
                handed_in=outcome.get("handed_in", 0),
                returned_with_feedback=outcome.get("returned_with_feedback", 0),
                rule=rule,
                expected=expected,
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
    pupil's minutes per day are summed in a subquery and the pupils over their cap
    counted around it."""
    days = [today + timedelta(days=n) for n in range(HEAVIEST_NIGHTS_DAYS)]
    if not caps:
        return [Night(day=day, over_cap={}) for day in days]
    zone = timezone.get_current_timezone()
    start = datetime.combine(days[0], time.min, tzinfo=zone)
    end = datetime.combine(days[-1] + timedelta(days=1), time.min, tzinfo=zone)
    key_stage = Case(
        When(pupil__year_group__number__lte=9, then=Value(3)),
        When(pupil__year_group__number__lte=11, then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )
    cap = Case(
        *(When(key_stage=ks, then=Value(minutes)) for ks, minutes in caps.items()),
        output_field=IntegerField(),
    )
    per_pupil_day = (
        Assignment.objects.filter(
            school_id=school_id,
            homework__status=Homework.Status.SET,
            due_at__gte=start,
            due_at__lt=end,
        )
        .exclude(status=Assignment.Status.EXCUSED)
        .annotate(day=TruncDate("due_at", tzinfo=zone), key_stage=key_stage)
        .values("pupil_id", "day", "key_stage")
        .annotate(minutes=Sum("homework__estimated_minutes"))
        .filter(minutes__gt=cap)
        .order_by()
    )
    counts = per_pupil_day.aggregate(
        **{
            f"over_{n}_{ks}": Count("pupil_id", filter=Q(day=day, key_stage=ks))
            for n, day in enumerate(days)
            for ks in caps
        }
    )
    return [
        Night(day=day, over_cap={ks: counts[f"over_{n}_{ks}"] for ks in caps})
        for n, day in enumerate(days)
    ]
