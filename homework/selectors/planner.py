"""The pupil's planner, task page, handed-in files and calendar feed."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    DateTimeField,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dates import MONTHS, WEEKDAYS

from school import access
from school.calendar import week_start
from school.links import id_url
from school.models import (
    Pupil,
    TeachingGroup,
)
from school.prepared import Param, Prepared

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


@dataclass(slots=True)
class PlannerRow:
    """A line of the planner page, its words worked out once: the task's address, its
    class, the badge, when it is due (the time in a day's list, the date too in overdue
    and done) and what came back."""

    url: str
    title: str
    subject: str
    group: str
    label: str
    tone: str
    due: str
    minutes: int
    mode: str
    returned: str  # "" until returned: then the mark, or "see feedback"
    done_at: datetime


@dataclass
class PlannerDay:
    day: date
    items: list[PlannerRow] = field(default_factory=list)

    @property
    def total_minutes(self) -> int:
        return sum(item.minutes for item in self.items)

    @property
    def anchor(self) -> str:
        return f"day-{self.day:%Y%m%d}"

    @property
    def heading(self) -> str:
        """As `date:"l j F"` writes it ("Tuesday 24 November", in the page's language)."""
        day = self.day
        return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month]}"


@dataclass
class Planner:
    """Overdue work, today, the rest of this week (Monday to Sunday) day by day, later
    days, and work done in the last four weeks (most recent first)."""

    today: PlannerDay
    overdue: list[PlannerRow]
    this_week: list[PlannerDay]
    later: list[PlannerDay]
    done: list[PlannerRow]


def _pupil_set_work(pupil: Pupil) -> QuerySet[Assignment]:
    """The pupil's own assignments of homework that is set (never drafts or archived)."""
    return _set_work_of(pupil.school_id, pupil.pk)


def _set_work_of(school_id, pupil_id) -> QuerySet[Assignment]:
    """_pupil_set_work by the ids (values, or Params of a prepared queryset)."""
    return Assignment.objects.filter(
        school_id=school_id, pupil_id=pupil_id, homework__status=Homework.Status.SET
    )


def _pupil_homework(pupil: Pupil) -> QuerySet[Assignment]:
    return _pupil_set_work(pupil).select_related("homework__teaching_group__subject")


OPEN_STATUSES = (Assignment.Status.SET, Assignment.Status.MISSED)


def _is_open(status: str, mode: str, due_at: datetime, now: datetime) -> bool:
    """Still to do: not handed in or excused, and not a past task with nothing to hand in."""
    return status in OPEN_STATUSES and not (mode == Homework.SubmissionMode.NONE and due_at <= now)


def _badge(status: str, mode: str, due_at: datetime, is_late: bool, now: datetime):
    """The words and colour of a task's status badge, as the pupil sees it: (label, tone),
    the label of a handed-in task None (its status's own name)."""
    Status = Assignment.Status
    if status == Status.MISSED:
        return "Missed", "danger"
    if status == Status.SET:
        if mode == Homework.SubmissionMode.NONE:
            return "Nothing to hand in", "secondary"
        if due_at <= now:
            return "Overdue", "danger"
        return "To do", "info"
    if status == Status.EXCUSED:
        return "Excused", "secondary"
    if is_late:
        return "Handed in late", "warning"
    return None, "success"


def planner_item(assignment: Assignment, now: datetime | None = None) -> PlannerItem:
    """The task's status as the pupil sees it."""
    label, tone = _badge(
        assignment.status,
        assignment.homework.submission_mode,
        assignment.due_at,
        assignment.is_late,
        now or timezone.now(),
    )
    return PlannerItem(assignment, label or str(assignment.get_status_display()), tone)


# The planner's rows: one shape for every pupil, built and compiled once a connection.
_PLANNER = Prepared(
    lambda: (
        _set_work_of(Param("school"), Param("pupil"))
        .annotate(done_at=Coalesce("submitted_at", "due_at"))
        .filter(
            # still open, or done in the last PLANNER_DONE_WEEKS
            Q(status__in=OPEN_STATUSES)
            & ~Q(
                homework__submission_mode=Homework.SubmissionMode.NONE,
                due_at__lte=Param("now", DateTimeField()),
            )
            | Q(done_at__gte=Param("done_since", DateTimeField()))
        )
        .order_by("due_at", "homework__teaching_group__subject__name", "pk")
        .values_list(
            "pk",
            "due_at",
            "status",
            "is_late",
            "mark",
            "returned_at",
            "done_at",
            "homework__title",
            "homework__estimated_minutes",
            "homework__submission_mode",
            "homework__teaching_group__name",
            "homework__teaching_group__subject__name",
        )
    )
)


def planner_for(*, pupil: Pupil, now: datetime | None = None) -> Planner:
    """The pupil's planner in one query (only the columns the page shows), days in the
    school's time zone."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sunday = week_start(today) + timedelta(days=6)
    rows = _PLANNER.list(
        school=pupil.school_id,
        pupil=pupil.pk,
        now=now,
        done_since=now - timedelta(weeks=PLANNER_DONE_WEEKS),
    )
    task_url = id_url("planner_task")
    modes = {value: str(label) for value, label in Homework.SubmissionMode.choices}
    status_names = {}
    zone = timezone.get_current_timezone()
    overdue, done, days = [], [], {}
    for (
        pk,
        due_at,
        status,
        is_late,
        mark,
        returned_at,
        done_at,
        title,
        minutes,
        mode,
        group,
        subject,
    ) in rows:
        label, tone = _badge(status, mode, due_at, is_late, now)
        if label is None:
            if status not in status_names:
                status_names[status] = str(Assignment.Status(status).label)
            label = status_names[status]
        due = due_at.astimezone(zone)
        is_open = _is_open(status, mode, due_at, now)
        row = PlannerRow(
            url=task_url(pk),
            title=title,
            subject=subject,
            group=group,
            label=label,
            tone=tone,
            due=due.strftime("%H:%M" if is_open and due_at > now else "%d/%m/%Y %H:%M"),
            minutes=minutes,
            mode=modes.get(mode, mode),
            returned=(mark or "see feedback") if returned_at is not None else "",
            done_at=done_at,
        )
        if not is_open:
            done.append(row)
        elif due_at <= now:
            overdue.append(row)
        else:
            days.setdefault(due.date(), PlannerDay(due.date())).items.append(row)
    done.sort(key=lambda row: row.done_at, reverse=True)
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


# A pupil's task: one shape for every pupil and task, built and compiled once a
# connection (school/prepared.py).
_TASK = Prepared(
    lambda: (
        _set_work_of(Param("school"), Param("pupil"))
        .filter(pk=Param("assignment"))
        .select_related("homework__teaching_group__subject", "homework__set_by")
        .prefetch_related("homework__attachments", "files")
    )
)


def planner_assignment(*, pupil: Pupil, assignment_id: int) -> Assignment:
    """One of the pupil's own tasks (as _pupil_homework reads them) with its teacher,
    attachments and handed-in files. Raises Assignment.DoesNotExist for anyone else's, a
    draft's or an archived one's."""
    task = _TASK.one(assignment=assignment_id, school=pupil.school_id, pupil=pupil.pk)
    if task is None:
        raise Assignment.DoesNotExist("No task of this pupil has this id.")
    return task


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
