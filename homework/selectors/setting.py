"""Setting homework: the classes a teacher teaches and their pupils, scheme-of-work units,
school days, the workload panel, and the homework and attachments a person may open."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Count,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from school import access
from school.calendar import week_start
from school.models import (
    HalfTerm,
    NonSchoolDay,
    TeachingGroup,
)

from ..models import (
    Assignment,
    Attachment,
    Homework,
    KeyStagePolicy,
    SchemeOfWorkUnit,
)


def key_stage_of(year_number: int) -> int:
    return 3 if year_number <= 9 else 4 if year_number <= 11 else 5


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
    monday = week_start(day)
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


def teaching_groups_taught_by(user) -> QuerySet[TeachingGroup]:
    """The classes this member of staff teaches (is one of the teachers of) at their
    school: the only classes whose homework they set, change and mark."""
    if not access.is_staff_member(user):
        return TeachingGroup.objects.none()
    return TeachingGroup.objects.filter(school_id=user.school_id, teachers=user)


def homework_taught_by(user) -> QuerySet[Homework]:
    """Homework of the classes this person teaches, whoever set it: the homework they may
    edit, copy, set, delete and mark."""
    if not access.is_staff_member(user):
        return Homework.objects.none()
    return Homework.objects.filter(
        school_id=user.school_id, teaching_group__in=teaching_groups_taught_by(user)
    ).select_related("teaching_group__subject", "teaching_group__year_group")


def teaching_groups_for_setting(user) -> list[TeachingGroup]:
    """The classes this person teaches, with subject, year and size (the pupils on roll),
    for the form; not the archived classes of a past year (they are read-only)."""
    on_roll = access.on_roll(timezone.localdate(), "pupils")
    return list(
        teaching_groups_taught_by(user)
        .filter(archived_on__isnull=True)
        .select_related("subject", "year_group")
        .annotate(pupil_count=Count("pupils", filter=on_roll, distinct=True))
        .order_by("year_group__number", "subject__name", "name")
    )


def pupils_by_teaching_group(groups: Sequence[TeachingGroup]) -> list[tuple[TeachingGroup, list]]:
    """Each of these classes with its pupils on roll in register order, in one query."""
    if not groups:
        return []
    rows = (
        TeachingGroup.pupils.through.objects.filter(teachinggroup_id__in=[g.pk for g in groups])
        .filter(access.on_roll(timezone.localdate(), "pupil"))
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
    chosen classes, or the chosen pupils among them. Classes the teacher does not teach,
    pupils outside the chosen classes and pupils who have left are ignored."""
    rows = (
        TeachingGroup.pupils.through.objects.filter(
            teachinggroup__school_id=teacher.school_id,
            teachinggroup__teachers=teacher,
            teachinggroup_id__in=list(group_ids),
        )
        .filter(access.on_roll(timezone.localdate(), "pupil"))
        .values_list("pupil_id", "teachinggroup__year_group__number")
    )
    if pupil_ids is not None:
        rows = rows.filter(pupil_id__in=list(pupil_ids))
    stage_of = {}
    for pupil_id, year in rows:
        stage_of[pupil_id] = key_stage_of(year)
    panel = SettingWorkload(day=day, pupil_count=len(stage_of), adding_minutes=adding_minutes)
    if not stage_of:
        return panel
    key_stages = panel.key_stages = sorted(set(stage_of.values()))
    common = {
        "school_id": teacher.school_id,
        "day": day,
        "adding_minutes": adding_minutes,
        "exclude_homework_id": exclude_homework_id,
    }
    if len(key_stages) == 1:
        stage = key_stages[0]
        totals = workload_for(pupil_ids=list(stage_of), key_stage=stage, **common)
        by_stage = {stage: totals}
    else:
        totals = workload_for(pupil_ids=list(stage_of), **common)
        by_stage = {
            stage: workload_for(
                pupil_ids=[pid for pid, ks in stage_of.items() if ks == stage],
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
