"""Setting the demo's homework: each class on its own lesson day, at the policy's
frequency (weekly in the core subjects, fortnightly in the others), due a week later at
08:30 or in the next lesson, over the term so far and the week ahead; and a few drafts
teacher@demo.school has started."""

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from school.models import HalfTerm, NonSchoolDay, User

from ..formatting import instructions_to_html
from ..models import Homework, SchemeOfWorkUnit
from ..services.compliance import CORE_SUBJECT_CODES
from .tasks import Online, Paper, T
from .tasks_core import CORE_TASKS
from .tasks_other import OTHER_TASKS

TEACHER_EMAIL = "teacher@demo.school"
HISTORY_WEEKS = 14  # at most a term of past homework, however late in the year
DUE_TIME = time(8, 30)
LESSON_TIMES = [time(9, 0), time(10, 5), time(11, 25), time(13, 40), time(14, 45)]
TASKS = CORE_TASKS | OTHER_TASKS


class DemoCalendar:
    """School days of the demo school's year, and the span of set dates to fill: from the
    first day of the first half-term (or at most HISTORY_WEEKS back) to a week after
    today, so that the coming week already has homework set."""

    def __init__(self, school, today):
        terms = list(
            HalfTerm.objects.filter(school=school)
            .order_by("start_date")
            .values_list("start_date", "end_date")
        )
        self.terms = terms
        self.zone = ZoneInfo(school.time_zone)
        self.closed = set(NonSchoolDay.objects.filter(school=school).values_list("date", flat=True))
        self.today = today
        self.first_day = self.last_day = None
        if not terms:
            return
        year_start, year_end = terms[0][0], terms[-1][1]
        last = min(max(today, year_start) + timedelta(days=7), year_end)
        self.first_day = max(year_start, last - timedelta(weeks=HISTORY_WEEKS))
        self.last_day = last

    def in_term(self, day):
        return any(start <= day <= end for start, end in self.terms)

    def is_school_day(self, day):
        return day.weekday() < 5 and day not in self.closed and self.in_term(day)

    def next_school_day(self, day):
        for _ in range(60):
            if self.is_school_day(day):
                return day
            day += timedelta(days=1)
        return day

    def teaching_weeks(self):
        """Mondays of the weeks in the span with at least one weekday in a half-term."""
        monday = self.first_day - timedelta(days=self.first_day.weekday())
        while monday <= self.last_day:
            if any(self.in_term(monday + timedelta(days=d)) for d in range(5)):
                yield monday
            monday += timedelta(weeks=1)


def schedule(rng, calendar, group):
    """(set date, due moment) of each homework the class sets in the span."""
    weekly = group.subject.code in CORE_SUBJECT_CODES
    weekday = rng.randrange(5)
    phase = rng.randrange(2)
    reliability = rng.choice([1.0, 1.0, 1.0, 1.0, 0.9, 0.9, 0.8, 0.8, 0.65, 0.5])
    slots = []
    for week, monday in enumerate(calendar.teaching_weeks()):
        if not weekly and week % 2 != phase:
            continue
        day = monday + timedelta(days=weekday)
        while day.weekday() < 5 and not calendar.is_school_day(day):
            day += timedelta(days=1)
        if day.weekday() >= 5 or not calendar.first_day <= day <= calendar.last_day:
            continue
        if rng.random() < 0.15:  # due in the next lesson
            due_day = calendar.next_school_day(day + timedelta(days=rng.randint(2, 4)))
            due_time = rng.choice(LESSON_TIMES)
        else:
            due_day = calendar.next_school_day(day + timedelta(days=7))
            due_time = DUE_TIME
        slot = (day, datetime.combine(due_day, due_time, tzinfo=calendar.zone))
        if rng.random() < reliability:
            slots.append(slot)
        elif not slots and week >= 2:
            slots.append(slot)  # every class sets something
    return slots


def units_create(school, groups):
    """The units of each subject and year that has classes; returns them by
    (subject id, year group id, unit title)."""
    wanted = {}
    for group in groups:
        for title, _ in TASKS.get(group.subject.code, {}).get(group.year_group.key_stage, []):
            key = (group.subject_id, group.year_group_id, title)
            wanted[key] = SchemeOfWorkUnit(
                school=school,
                subject_id=group.subject_id,
                year_group_id=group.year_group_id,
                title=title,
            )
    SchemeOfWorkUnit.objects.bulk_create(list(wanted.values()))
    return wanted


def tasks_for(group):
    """The class's tasks in teaching order: each year starts the key stage's units at a
    different point, so that Years 7, 8 and 9 are not doing the same work."""
    units = TASKS.get(group.subject.code, {}).get(group.year_group.key_stage, [])
    if not units:
        return [("", T(f"{group.subject.name}: revision", "Revise this half-term's work."))]
    shift = group.year_group.number % len(units)
    ordered = units[shift:] + units[:shift]
    return [(title, task) for title, tasks in ordered for task in tasks]


def homework_row(rng, group, teacher_id, set_on, due_at, units):
    """The class's next task; "{n}" becomes how many times the class has now set it."""
    if not hasattr(group, "demo_progress"):
        group.demo_progress = {"position": 0, "times": defaultdict(int)}
    progress = group.demo_progress
    tasks = tasks_for(group)
    unit_title, task = tasks[progress["position"] % len(tasks)]
    progress["position"] += 1
    progress["times"][task.title] += 1
    n = str(progress["times"][task.title])
    mode = task.mode
    if mode == Online and rng.random() < 0.01:
        mode = Paper
    homework = Homework(
        school_id=group.school_id,
        teaching_group=group,
        set_by_id=teacher_id,
        status=Homework.Status.SET,
        title=task.title.replace("{n}", n),
        instructions=task.instructions.replace("{n}", n),
        alternative_instructions=task.alternative.replace("{n}", n),
        alternative_for_eal=bool(task.alternative),
        alternative_for_sen=task.sen,
        resource_links=task.link,
        set_on=set_on,
        due_at=due_at,
        estimated_minutes=minutes_of(rng, task),
        submission_mode=mode,
        unit=units.get((group.subject_id, group.year_group_id, unit_title)),
    )
    return homework


def minutes_of(rng, task):
    """About the task's usual time (teachers estimate a little differently), 20 to 60."""
    if task.minutes is None:
        return rng.choice([30, 40, 45, 50, 60])
    return min(60, max(20, task.minutes + rng.choice([-10, -5, 0, 0, 0, 5, 10])))


def drafts_create(rng, school, calendar, groups, teacher_of, units):
    """A handful of drafts teacher@demo.school has started for the week after next."""
    teacher = User.objects.filter(school=school, email=TEACHER_EMAIL).first()
    if teacher is None:
        return []
    drafts = []
    own = [group for group in groups if teacher_of.get(group.pk) == teacher.pk]
    for offset, group in enumerate(own[:3]):
        set_on = calendar.next_school_day(calendar.today + timedelta(days=8 + offset))
        due_day = calendar.next_school_day(set_on + timedelta(days=7))
        homework = homework_row(
            rng,
            group,
            teacher.pk,
            set_on,
            datetime.combine(due_day, DUE_TIME, tzinfo=calendar.zone),
            units,
        )
        homework.status = Homework.Status.DRAFT
        drafts.append(homework)
    return drafts


def instructions_render(homeworks):
    """Markdown to sanitised HTML once per distinct text, not once per homework."""
    cache = {}
    for homework in homeworks:
        for source, target in (
            ("instructions", "instructions_html"),
            ("alternative_instructions", "alternative_instructions_html"),
        ):
            text = getattr(homework, source)
            if text not in cache:
                cache[text] = instructions_to_html(text)
            setattr(homework, target, cache[text])
