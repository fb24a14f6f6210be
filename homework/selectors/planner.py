"""The pupil's planner, task page, handed-in files and calendar feed."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from school import access
from school.calendar import week_start
from school.models import (
    Pupil,
    TeachingGroup,
)

from ..models import (
    Assignment,
    CalendarFeed,
    Homework,
    SubmissionFile,
)

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
    sunday = week_start(today) + timedelta(days=6)
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
