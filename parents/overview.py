"""Reads for a guardian's overview of their children and one child's page. Each list is
read for all the children at once (one query per list, never one per child), so the pages
cost the same number of queries for one child or several, and for few rows or many.

Only the guardian's own children are ever read: every query starts from `children_of`,
which keeps only the pupils the login is linked to as a guardian (school.access's
`guardian_links_of`: a member of staff who is also a parent sees their own children here,
never their classes). The children's query is written once as SQL (parents.sql)."""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    IntegerField,
    QuerySet,
)
from django.template.defaultfilters import linebreaks_filter, linebreaksbr, truncatewords
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from clubs.models import Attendance, Booking, Club, ClubSession
from homework.models import Assignment, Homework
from homework.selectors.planner import PlannerItem, instructions_html_for, planner_item
from sanctions.models import (
    Commendation,
    DetentionBooking,
    DetentionSession,
    EscalationPolicy,
    EscalationStep,
    Meeting,
    Miss,
    Sanction,
)
from sanctions.stages import SanctionStage, stage_of, stage_prefetch
from school.calendar import week_start, year_start_window
from school.models import (
    AcademicYear,
    Guardian,
    GuardianLink,
    Pupil,
    RoleAssignment,
    School,
    Subject,
    TeachingGroup,
    TutorGroup,
    User,
    YearGroup,
)

from .sql import Chain, fast_to_build, instance, statement
from .templatetags.parents_learning import help_at_home, help_at_home_language

RETURNED_DAYS_OVERVIEW = 14
RETURNED_DAYS_CHILD = 28
COMMENDATION_DAYS = 30

# The planner's badge words (homework.selectors.planner.planner_item), as a parent reads them.
STATUS_WORDS = {
    "Missed": _("Missed"),
    "Overdue": _("Overdue"),
    "To do": _("To do"),
    "Nothing to hand in": _("Nothing to hand in"),
    "Excused": _("Excused"),
    "Handed in late": _("Handed in late"),
    "Handed in": _("Handed in"),
    "Handed in on paper": _("Handed in on paper"),
}


# Each way of handing in, translated when the page renders.
SUBMISSION_MODES = dict(Homework.SubmissionMode.choices)


# The guardian's children ----------------------------------------------------------------

# Each child's standing is read in the children's own query, as scalar subqueries written
# in SQL (portable: PostgreSQL and SQLite): the ORM's nested Subquery/OuterRef
# expressions cost several milliseconds of Python to build on every request, these none.
# Every subquery starts with the child's school (the indexes start with it).
_PUPIL = Pupil._meta.db_table
# A field of the child's academic year (school.calendar's rule: `_year_params`).
_YEAR_FIELD = (
    "(SELECT y.{field} FROM " + AcademicYear._meta.db_table + " y"
    f" WHERE y.school_id = {_PUPIL}.school_id"
    " AND y.start_date <= %s AND y.start_date > %s ORDER BY y.start_date DESC LIMIT 1)"
)
_THIS_YEAR = _YEAR_FIELD.format(field="id")
_COUNTED_MISSES = (
    f"(SELECT COUNT(*) FROM {Miss._meta.db_table} m WHERE m.school_id = {_PUPIL}.school_id"
    f" AND m.pupil_id = {_PUPIL}.id AND m.status = %s AND m.academic_year_id = {_THIS_YEAR}"
)
_LIVE_SANCTIONS = (
    f"(SELECT COUNT(*) FROM {Sanction._meta.db_table} s WHERE s.school_id = {_PUPIL}.school_id"
    f" AND s.pupil_id = {_PUPIL}.id AND s.status <> %s AND s.academic_year_id = {_THIS_YEAR})"
)
_POLICY_FIELD = (
    "(SELECT p.{field} FROM " + EscalationPolicy._meta.db_table + " p"
    f" WHERE p.school_id = {_PUPIL}.school_id AND p.is_current = %s ORDER BY p.id DESC LIMIT 1)"
)


# The step the next cycle triggers on the current ladder (EscalationPolicy.step_for's rule:
# the (cycles completed + 1)th step, past the last one the last).
_NEXT_STEP = (
    "(SELECT x.{field} FROM (SELECT st.{field}, ROW_NUMBER() OVER (ORDER BY st.number) AS n"
    f" FROM {EscalationStep._meta.db_table} st WHERE st.policy_id = "
    + _POLICY_FIELD.format(field="id")
    + ") x WHERE x.n <= "
    + _LIVE_SANCTIONS.replace("{", "{{").replace("}", "}}")
    + " + 1 ORDER BY x.n DESC LIMIT 1)"
)


def _year_params(today: date) -> tuple:
    after, until = year_start_window(today)
    return (until.isoformat(), after.isoformat())


def _ladder_columns(today: date) -> list[tuple]:
    """The children's query's columns (name, SQL, parameters, field) of where each child
    stands on the ladder: this academic year's counted misses (`misses_this_year`), the
    counted misses not yet part of a completed cycle (`misses_this_cycle`), the cycles
    completed (`cycles_completed`), the id and misses per cycle of their school's current
    ladder (`policy_id`, `policy_misses_per_cycle`; None without one) and the detention
    minutes and meeting of its step the next cycle triggers (`next_step_minutes`,
    `next_step_meeting_with`)."""
    year = _year_params(today)
    counted = Miss.Status.COUNTED.value
    cancelled = Sanction.Status.CANCELLED.value
    next_step = (True, cancelled, *year)
    return [
        ("misses_this_year", _COUNTED_MISSES + ")", (counted, *year), IntegerField()),
        (
            "misses_this_cycle",
            _COUNTED_MISSES + " AND m.sanction_id IS NULL)",
            (counted, *year),
            IntegerField(),
        ),
        ("cycles_completed", _LIVE_SANCTIONS, (cancelled, *year), IntegerField()),
        ("policy_id", _POLICY_FIELD.format(field="id"), (True,), IntegerField()),
        (
            "policy_misses_per_cycle",
            _POLICY_FIELD.format(field="misses_per_cycle"),
            (True,),
            IntegerField(),
        ),
        (
            "next_step_minutes",
            _NEXT_STEP.format(field="detention_minutes"),
            next_step,
            IntegerField(),
        ),
        (
            "next_step_meeting_with",
            _NEXT_STEP.format(field="meeting_with"),
            next_step,
            CharField(),
        ),
    ]


# The children's rows: the pupil, their school, year group and tutor group (what the
# pages read of them), then the columns each page adds.
_CHILD_MODELS = (Pupil, School, YearGroup, TutorGroup)
_CHILD_RELATED = [Pupil._meta.get_field(name) for name in ("school", "year_group", "tutor_group")]
_CHILD_SELECT = ", ".join(
    f'{model._meta.db_table}."{field.column}"'
    for model in _CHILD_MODELS
    for field in model._meta.concrete_fields
)
_CHILD_FIELDS = [field for model in _CHILD_MODELS for field in model._meta.concrete_fields]
_CHILD_NAMES = [tuple(f.attname for f in model._meta.concrete_fields) for model in _CHILD_MODELS]
_CHILD_FROM = (
    f" FROM {_PUPIL}"
    f" JOIN {School._meta.db_table} ON {School._meta.db_table}.id = {_PUPIL}.school_id"
    f" JOIN {YearGroup._meta.db_table} ON {YearGroup._meta.db_table}.id = {_PUPIL}.year_group_id"
    f" JOIN {TutorGroup._meta.db_table}"
    f" ON {TutorGroup._meta.db_table}.id = {_PUPIL}.tutor_group_id"
    # The login's guardian links are the whole rule (school.access.guardian_links_of:
    # the links of the guardian records of this login, at any school).
    f" WHERE {_PUPIL}.id IN (SELECT l.pupil_id FROM {GuardianLink._meta.db_table} l"
    f" JOIN {Guardian._meta.db_table} g ON g.id = l.guardian_id WHERE g.user_id = %s)"
)


def children_of(user, columns: list[tuple], *, name: str, pupil_id=None) -> list[Pupil]:
    """The pupils this login is a guardian of, at any school (or the one of them with
    `pupil_id`), oldest year group first, each with the `columns` (name, SQL, parameters,
    field) as attributes: one query, written once (parents.sql)."""
    if not getattr(user, "is_authenticated", False):
        return []
    sql = ["SELECT ", _CHILD_SELECT]
    params = []
    fields = list(_CHILD_FIELDS)
    for column, column_sql, column_params, output in columns:
        sql.append(f", ({column_sql}) AS {column}")
        params.extend(column_params)
        fields.append(output)
    sql.append(_CHILD_FROM)
    params.append(user.pk)
    if pupil_id is not None:
        sql.append(f" AND {_PUPIL}.id = %s")
        params.append(int(pupil_id))
    else:
        sql.append(
            f" ORDER BY {YearGroup._meta.db_table}.number DESC,"
            f" {_PUPIL}.first_name ASC, {_PUPIL}.id ASC"
        )
    rows = statement(name, "".join(sql), fields).rows(params)
    if not all(fast_to_build(model) for model in _CHILD_MODELS):
        raise RuntimeError("Children are built without Model.__init__: no pre/post_init receivers.")
    db = connection.alias
    names = [column[0] for column in columns]
    children = []
    for row in rows:
        start = 0
        instances = []
        for model, attnames in zip(_CHILD_MODELS, _CHILD_NAMES, strict=True):
            instances.append(instance(model, attnames, row[start : start + len(attnames)], db))
            start += len(attnames)
        child = instances[0]
        for related, built in zip(_CHILD_RELATED, instances[1:], strict=True):
            related.set_cached_value(child, built)
        for column, value in zip(names, row[start:], strict=True):
            setattr(child, column, value)
        children.append(child)
    return children


def _tutors_column() -> tuple:
    """The children's query's column of the form tutors of each child's tutor group (by
    name), as a JSON array of [first name, last name, email] (`with_tutors` reads it)."""
    tutor = "SELECT u.first_name, u.last_name, u.email"
    rows = (
        f" FROM {RoleAssignment._meta.db_table} r JOIN {User._meta.db_table} u ON u.id = r.user_id"
        f" WHERE r.school_id = {_PUPIL}.school_id AND r.tutor_group_id = {_PUPIL}.tutor_group_id"
        " AND r.role = %s"
    )
    order = "u.last_name, u.first_name, r.id"
    if connection.vendor == "postgresql":
        sql = (
            "SELECT CAST(JSON_AGG(JSON_BUILD_ARRAY(u.first_name, u.last_name, u.email)"
            f" ORDER BY {order}) AS text){rows}"
        )
    else:
        sql = (
            "SELECT JSON_GROUP_ARRAY(JSON_ARRAY(t.first_name, t.last_name, t.email))"
            f" FROM ({tutor}{rows} ORDER BY {order}) t"
        )
    return ("tutors", sql, (RoleAssignment.Role.FORM_TUTOR.value,), CharField())


def with_tutors(children: list[Pupil]) -> list[Pupil]:
    """The children, each with the form tutors of their tutor group (`form_tutors`, by
    name), from their query's `tutors` column (`_tutors_column`)."""
    for child in children:
        child.form_tutors = [
            User(first_name=first_name, last_name=last_name, email=email)
            for first_name, last_name, email in json.loads(child.tutors or "[]")
        ]
    return children


def on_roll(children: list[Pupil], today: date) -> list[Pupil]:
    """Those of the children who have not left the school by `today`."""
    return [child for child in children if not _has_left(child, today)]


# Where each child stands on the ladder ---------------------------------------------------


@dataclass
class Ladder:
    """The child's counted misses this academic year against the school's current policy
    (read, never created here: a school without one shows the misses alone)."""

    misses_this_year: int
    misses_this_cycle: int
    cycles_completed: int
    policy: EscalationPolicy | None
    # The step the next cycle triggers (EscalationPolicy.step_for's rule: past the last
    # step the last one repeats); None without a ladder or steps.
    next_step: EscalationStep | None = None

    @property
    def misses_per_cycle(self) -> int | None:
        return self.policy.misses_per_cycle if self.policy else None

    @property
    def to_next(self) -> int | None:
        """Misses before the next sanction (at least one)."""
        if self.policy is None:
            return None
        return max(self.policy.misses_per_cycle - self.misses_this_cycle, 1)


def ladder_html(ladder: Ladder) -> str:
    """Where the child stands on the ladder, as `_child_ladder.html` writes it (the same
    translated messages, each value escaped as the template would, but for whitespace),
    in one pass instead of a template include with some twenty tags (a test compares
    both)."""
    out = []
    add = out.append
    policy = ladder.policy
    if policy is not None:
        done, per_cycle = ladder.misses_this_cycle, ladder.misses_per_cycle
        towards = gettext("Missed deadlines towards the next sanction: %(done)s of %(per_cycle)s")
        last = " ladder-progress-last" if ladder.to_next == 1 else ""
        add(
            f'<p class="mb-1">{towards % {"done": done, "per_cycle": per_cycle}}</p>'
            f'<progress class="ladder-progress mb-2{last}" value="{done}" max="{per_cycle}"'
            f' aria-label="{_escape(gettext("Missed deadlines towards the next sanction"))}">'
            f"{done} / {per_cycle}</progress>"
        )
        step = ladder.next_step
        if step and done:
            more = ngettext(
                "One more missed deadline would lead to",
                "%(counter)s more missed deadlines would lead to",
                ladder.to_next,
            ) % {"counter": ladder.to_next}
            detention = gettext("a %(minutes)s-minute detention") % {
                "minutes": _escape(step.detention_minutes)
            }
            meeting = ""
            if step.meeting_with:
                whom = _escape(str(step.get_meeting_with_display()).lower())
                meeting = " " + gettext("and a meeting with the %(whom)s") % {"whom": whom}
            add(f'<p class="small mb-1">{more} {detention}{meeting}.</p>')
    year = ngettext(
        "%(counter)s missed deadline this school year",
        "%(counter)s missed deadlines this school year",
        ladder.misses_this_year,
    ) % {"counter": ladder.misses_this_year}
    add(f'<p class="small text-body-secondary mb-0">{year}')
    if ladder.cycles_completed:
        so_far = ngettext(
            "%(counter)s sanction so far", "%(counter)s sanctions so far", ladder.cycles_completed
        ) % {"counter": ladder.cycles_completed}
        add(f" · {so_far}")
    add("</p>")
    return mark_safe("".join(out))


def _ladder(child: Pupil) -> Ladder:
    policy = step = None
    if child.policy_id is not None:
        policy = EscalationPolicy(
            id=child.policy_id,
            school_id=child.school_id,
            misses_per_cycle=child.policy_misses_per_cycle,
            is_current=True,
        )
        if child.next_step_minutes is not None:
            step = EscalationStep(
                policy_id=child.policy_id,
                detention_minutes=child.next_step_minutes,
                meeting_with=child.next_step_meeting_with,
            )
    return Ladder(
        misses_this_year=child.misses_this_year,
        misses_this_cycle=child.misses_this_cycle,
        cycles_completed=child.cycles_completed,
        policy=policy,
        next_step=step,
    )


# Homework --------------------------------------------------------------------------------


class TaskLines:
    """The translated formats and words of a page's task lines, looked up once for the
    page rather than by a template tag on every row or every list (the same messages as
    the templates had): the lists' words are `returned_word`, `help_heading`,
    `what_to_do`."""

    def __init__(self, *, full: bool = False):
        self.due = gettext("Due %(when)s")
        self.minutes = gettext("about %(minutes)s min")
        self.set_by = gettext("Set by %(teacher)s")
        self.returned_word = gettext("Marked and returned")
        if full:
            self.help_heading = gettext("How you can help at home")
            self.what_to_do = gettext("What to do")
        self._weekdays = {}
        self._days = {}
        self._words = {}

    def day_and_time(self, moment: datetime) -> str:
        """As the date filter's "D d/m/Y H:i" (its weekday's abbreviation translated)."""
        weekday = moment.weekday()
        if weekday not in self._weekdays:
            self._weekdays[weekday] = str(WEEKDAYS_ABBR[weekday])
        return f"{self._weekdays[weekday]} {moment:%d/%m/%Y %H:%M}"

    def day(self, day: date) -> str:
        """As the date filter's "l d/m" (its weekday's name translated)."""
        weekday = day.weekday()
        if weekday not in self._days:
            self._days[weekday] = str(WEEKDAYS[weekday])
        return f"{self._days[weekday]} {day:%d/%m}"

    def word(self, words: dict, key: str) -> str:
        """`words[key]` translated once for the page (a lazy string, translated each time
        a template shows it, otherwise)."""
        if key not in self._words:
            self._words[key] = str(words.get(key, key))
        return self._words[key]


@dataclass
class Task:
    """A task as the parent sees it: the planner's status (its rules, translated words),
    and its lines written once (`_task`): when it is due (`due_text` with the day,
    `due_time_text` the time alone), how long it takes, and on the child's page
    (`full`) who set it and the note on helping at home in the reader's language."""

    item: PlannerItem
    label: str = ""  # the planner's status, translated
    submission_mode_label: str = ""  # how it is handed in, translated (`full` only)
    due_text: str = ""
    due_time_text: str = ""
    minutes_text: str = ""
    set_by_text: str = ""
    help_note: str = ""
    help_language: str = ""

    @property
    def assignment(self) -> Assignment:
        return self.item.assignment

    @property
    def homework(self) -> Homework:
        return self.item.assignment.homework

    @property
    def tone(self) -> str:
        return self.item.tone

    @property
    def instructions_html(self) -> str:
        """The version of the task this child is given (the child page only: a list of
        tasks leaves the instructions out of its query)."""
        return instructions_html_for(self.assignment)


def _task(assignment: Assignment, now: datetime, lines: TaskLines, *, full=False) -> Task:
    homework = assignment.homework
    due = timezone.localtime(assignment.due_at)
    item = planner_item(assignment, now)
    task = Task(
        item,
        label=lines.word(STATUS_WORDS, item.label),
        due_text=lines.due % {"when": lines.day_and_time(due)},
        due_time_text=lines.due % {"when": f"{due:%H:%M}"},
        minutes_text=lines.minutes % {"minutes": homework.estimated_minutes},
    )
    if full:
        task.set_by_text = lines.set_by % {"teacher": homework.set_by}
        # How the task is handed in (the model's `get_submission_mode_display` translates
        # every choice on each call).
        task.submission_mode_label = lines.word(SUBMISSION_MODES, homework.submission_mode)
        task.help_note = help_at_home(homework)
        task.help_language = help_at_home_language(homework) if task.help_note else ""
    return task


def tasks_html(tasks: list[Task], words: TaskLines, *, show_date=False, full=False) -> str:
    """The `<li>`s of a list of tasks, as `_child_tasks.html` writes them (each value
    escaped as the template would, the note on helping at home through linebreaksbr,
    the instructions as they are stored: already clean HTML), written in one pass
    instead of some twenty template tags a task (a test compares both)."""
    out = []
    add = out.append
    for task in tasks:
        assignment = task.item.assignment
        homework = assignment.homework
        add(
            '<li class="list-group-item">'
            '<div class="d-flex justify-content-between align-items-start gap-2">'
            '<div class="text-break">'
            f'<span class="fw-semibold">{_escape(homework.title)}</span>'
            f'<div class="small text-body-secondary">{_escape(assignment.subject_name)}</div>'
            "</div>"
            f'<span class="badge text-bg-{_escape(task.item.tone)} flex-shrink-0">'
            f"{_escape(task.label)}</span>"
            "</div>"
            '<ul class="list-inline small mb-0 mt-1">'
            '<li class="list-inline-item">'
            f"{_escape(task.due_text if show_date else task.due_time_text)}</li> "
            f'<li class="list-inline-item">· {_escape(task.minutes_text)}</li>'
        )
        if assignment.returned_at:
            mark = assignment.mark
            add(
                ' <li class="list-inline-item fw-semibold">'
                f"· {_escape(words.returned_word)}"
                f"{f': {_escape(mark)}' if mark else ''}</li>"
            )
        add("</ul>")
        if full:
            if task.help_note:
                add(
                    '<div class="help-at-home border-start border-3 border-info ps-2 mt-2">'
                    f'<p class="small fw-semibold mb-0">{_escape(words.help_heading)}</p>'
                    f'<p class="small mb-0 text-break" lang="{_escape(task.help_language)}"'
                    f' dir="auto">{linebreaksbr(task.help_note, autoescape=True)}</p>'
                    "</div>"
                )
            add(
                '<details class="mt-1">'
                f'<summary class="small">{_escape(words.what_to_do)}</summary>'
                '<div class="task-instructions text-break small mt-2">'
                f"{task.instructions_html}</div>"
                '<p class="small text-body-secondary mb-0">'
                f"{_escape(task.set_by_text)} · {_escape(task.submission_mode_label)}</p>"
                "</details>"
            )
        add("</li>")
    return mark_safe("".join(out))


def misses_html(misses: list[Miss]) -> str:
    """The child page's `<li>`s of missed deadlines, as `_child_misses.html` writes them
    (the same translated messages, each value escaped as the template would), in one
    pass instead of a loop of template tags a miss (a test compares both)."""
    was_due = gettext("was due %(day)s")
    excused = _escape(gettext("Excused"))
    out = []
    add = out.append
    for miss in misses:
        assignment = miss.assignment
        homework = assignment.homework
        day = _escape(f"{timezone.localtime(assignment.due_at):%d/%m/%Y}")
        add(
            '<li class="list-group-item">'
            '<div class="d-flex justify-content-between align-items-start gap-2">'
            '<div class="text-break">'
            f'<span class="fw-semibold">{_escape(homework.title)}</span>'
            '<div class="small text-body-secondary">'
            f"{_escape(homework.teaching_group.subject.name)} · {was_due % {'day': day}}"
            "</div></div>"
        )
        if miss.status == Miss.Status.EXCUSED:
            add(f'<span class="badge text-bg-secondary flex-shrink-0">{excused}</span>')
        add("</div></li>")
    return mark_safe("".join(out))


def _escape(value) -> str:
    """What the template's autoescape writes for a value (`None` as "None")."""
    return conditional_escape(value)


@dataclass
class Day:
    day: date
    tasks: list[Task] = field(default_factory=list)
    heading: str = ""  # the day as "l d/m" (`_child_week`), written once
    minutes_text: str = ""  # about how long its tasks take, with any
    tasks_html: str = ""  # its tasks' `<li>`s (`tasks_html`), with any

    @property
    def total_minutes(self) -> int:
        return sum(task.homework.estimated_minutes for task in self.tasks)


def _is_overdue(assignment: Assignment, now: datetime) -> bool:
    """Past its deadline and still to do (as the planner's overdue list: not handed in or
    excused; a task with nothing to hand in is never overdue)."""
    return (
        assignment.status in (Assignment.Status.SET, Assignment.Status.MISSED)
        and assignment.due_at <= now
        and assignment.homework.submission_mode != Homework.SubmissionMode.NONE
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _mine(children) -> dict:
    """Rows of these children, filtered by school first (the indexes start with it)."""
    return {
        "school_id__in": {child.school_id for child in children},
        "pupil_id__in": [child.pk for child in children],
    }


def _assignments(
    children, *, now, until: date, since: date, returned_since, full: bool, latest: bool = True
) -> list[Assignment]:
    """The children's set homework in one query: everything still overdue (with `latest`
    only each child's latest OVERDUE_SHOWN, from their `overdue_since`), everything due
    from `since` to the end of `until` (not excused), and work returned since
    `returned_since`. A list of tasks leaves the instructions out (`full` keeps them, for
    the child page, which shows each task's own version, and who set each task)."""
    adapt = connection.ops.adapt_datetimefield_value
    schools = sorted({child.school_id for child in children})
    pupils = [child.pk for child in children]
    params = [
        Homework.Status.SET.value,
        *schools,
        *pupils,
        Assignment.Status.SET.value,
        Assignment.Status.MISSED.value,
        Homework.SubmissionMode.NONE.value,
        adapt(now),
    ]
    sql = [_TASKS_FULL_SELECT if full else _TASKS_SELECT]
    sql.append(
        f" WHERE h.status = %s AND a.school_id IN ({_placeholders(schools)})"
        f" AND a.pupil_id IN ({_placeholders(pupils)})"
        " AND ((a.status IN (%s, %s) AND h.submission_mode <> %s AND a.due_at <= %s"
    )
    if latest:
        # A child with fewer overdue tasks than shown keeps them all (from the floor).
        sql.append(
            " AND (" + " OR ".join(["(a.pupil_id = %s AND a.due_at >= %s)"] * len(children)) + ")"
        )
        for child in children:
            params += (child.pk, adapt(child.overdue_since or _OVERDUE_FLOOR))
    sql.append(
        ") OR (a.due_at >= %s AND a.due_at < %s AND a.status <> %s) OR a.returned_at >= %s)"
        " ORDER BY a.due_at ASC, s.name ASC, a.id ASC"
    )
    params += (
        adapt(_start_of(since)),
        adapt(_start_of(until + timedelta(days=1))),
        Assignment.Status.EXCUSED.value,
        adapt(returned_since),
    )
    fields = _TASK_COLUMNS_FULL if full else _TASK_COLUMNS
    rows = statement("tasks", "".join(sql), [f for _, f in fields]).rows(params)
    if not all(fast_to_build(model) for model in (Assignment, Homework, User)):
        raise RuntimeError("Tasks are built without Model.__init__: no pre/post_init receivers.")
    return [_task_row(row, full) for row in rows]


def _placeholders(values) -> str:
    return ", ".join(["%s"] * len(values))


_OVERDUE_FLOOR = datetime(1900, 1, 1, tzinfo=UTC)


# The columns the pages read of a task (only these: each column selected costs Python
# time in every row and in building the query).
_TASK_FIELDS = (
    "school",
    "pupil",
    "homework",
    "due_at",
    "uses_alternative",
    "status",
    "is_late",
    "mark",
    "feedback",
    "returned_at",
    "homework__status",
    "homework__title",
    "homework__estimated_minutes",
    "homework__submission_mode",
)
_TASK_FIELDS_FULL = (
    "homework__instructions_html",
    "homework__alternative_instructions_html",
    "homework__help_at_home",
    "homework__help_at_home_pl",
    "homework__help_at_home_ur",
    "homework__set_by",
    "homework__set_by__first_name",
    "homework__set_by__last_name",
    "homework__set_by__email",
)


def _loaded(model, names) -> list:
    """The model's fields among `names` (attribute names, the id always), in the model's
    order: the columns `Model.from_db` takes."""
    names = {"id", *names}
    return [f for f in model._meta.concrete_fields if f.attname in names or f.name in names]


def _task_columns(full: bool) -> list[tuple[str, object]]:
    """The tasks' query's columns as (table alias, field): the task's, its subject's
    name, its homework's and (`full`) the teacher who set it."""
    task = [name for name in _TASK_FIELDS if "__" not in name]
    homework = [n.split("__", 1)[1] for n in _TASK_FIELDS if n.startswith("homework__")]
    if full:
        homework += [n.split("__", 1)[1] for n in _TASK_FIELDS_FULL if n.count("__") == 1]
    columns = [("a", f) for f in _loaded(Assignment, task)]
    columns.append(("s", Subject._meta.get_field("name")))
    columns += [("h", f) for f in _loaded(Homework, homework)]
    if full:
        user = [n.rsplit("__", 1)[1] for n in _TASK_FIELDS_FULL if n.count("__") == 2]
        columns += [("u", f) for f in _loaded(User, user)]
    return columns


_TASK_COLUMNS = _task_columns(False)
_TASK_COLUMNS_FULL = _task_columns(True)
_TASKS_FROM = (
    f" FROM {Assignment._meta.db_table} a"
    f" JOIN {Homework._meta.db_table} h ON h.id = a.homework_id"
    f" JOIN {TeachingGroup._meta.db_table} tg ON tg.id = h.teaching_group_id"
    f" JOIN {Subject._meta.db_table} s ON s.id = tg.subject_id"
)
_TASKS_SELECT = "SELECT " + ", ".join(f'{t}."{f.column}"' for t, f in _TASK_COLUMNS) + _TASKS_FROM
_TASKS_FULL_SELECT = (
    "SELECT "
    + ", ".join(f'{t}."{f.column}"' for t, f in _TASK_COLUMNS_FULL)
    + _TASKS_FROM
    + f" JOIN {User._meta.db_table} u ON u.id = h.set_by_id"
)
_TASK_ATTNAMES = {
    full: (
        tuple(f.attname for t, f in columns if t == "a"),
        tuple(f.attname for t, f in columns if t == "h"),
        tuple(f.attname for t, f in columns if t == "u"),
    )
    for full, columns in ((False, _TASK_COLUMNS), (True, _TASK_COLUMNS_FULL))
}
_HOMEWORK = Assignment._meta.get_field("homework")
_SET_BY = Homework._meta.get_field("set_by")


def _task_row(row, full: bool) -> Assignment:
    """An Assignment (only the columns read; its subject's name as `subject_name`) with
    its Homework and (`full`) the teacher who set it, as select_related builds them."""
    task, homework, user = _TASK_ATTNAMES[full]
    db = connection.alias
    start = len(task)
    assignment = instance(Assignment, task, row[:start], db)
    assignment.subject_name = row[start]
    start += 1
    end = start + len(homework)
    work = instance(Homework, homework, row[start:end], db)
    _HOMEWORK.set_cached_value(assignment, work)
    if full:
        _SET_BY.set_cached_value(work, instance(User, user, row[end:], db))
    return assignment


def _returned(rows: list[Assignment], returned_since) -> list[Assignment]:
    """The rows returned since `returned_since`, the latest first, each with the day it
    was returned written once (`returned_day`, as the date filter's "d/m/Y")."""
    returned = [row for row in rows if row.returned_at and row.returned_at >= returned_since]
    for row in returned:
        row.returned_day = f"{timezone.localtime(row.returned_at):%d/%m/%Y}"
    return sorted(returned, key=lambda row: (row.returned_at, row.pk), reverse=True)


def returned_html(rows: list[Assignment]) -> str:
    """The child page's cards of returned work (`_returned`'s rows), as its template
    wrote them a row at a time (values escaped as the template did, the feedback through
    linebreaks), in one pass."""
    returned = gettext("returned %(day)s")
    out = []
    add = out.append
    for row in rows:
        homework = row.homework
        add('<article class="card mb-2"><div class="card-body">')
        add(
            _returned_heading(
                f'<h3 class="h6 mb-0">{_escape(homework.title)}</h3>',
                f"{_escape(row.subject_name)} · {_escape(homework.set_by)}"
                f" · {returned % {'day': _escape(row.returned_day)}}",
                row.mark,
            )
        )
        if row.feedback:
            add(
                '<div class="border rounded p-2 mt-2 bg-body-tertiary small text-break">'
                f"{linebreaks_filter(row.feedback, autoescape=True)}</div>"
            )
        add("</div></article>")
    return mark_safe("".join(out))


def _returned_heading(title_html: str, about_html: str, mark: str) -> str:
    """A piece of returned work's title, what it is (both already escaped) and its mark,
    as the child page's cards and the overview's list items both show them."""
    badge = (
        f'<span class="badge text-bg-success flex-shrink-0">{_escape(mark)}</span>' if mark else ""
    )
    return (
        '<div class="d-flex justify-content-between align-items-start gap-2">'
        f'<div class="text-break">{title_html}'
        f'<div class="small text-body-secondary">{about_html}</div></div>{badge}</div>'
    )


def returned_items_html(rows: list[Assignment]) -> str:
    """The overview card's `<li>`s of returned work (`_returned`'s rows), as its template
    wrote them (values escaped as the template did, the feedback's first 30 words)."""
    out = []
    add = out.append
    for row in rows:
        add('<li class="list-group-item">')
        add(
            _returned_heading(
                f'<span class="fw-semibold">{_escape(row.homework.title)}</span>',
                f"{_escape(row.subject_name)} · {_escape(row.returned_day)}",
                row.mark,
            )
        )
        if row.feedback:
            add(
                '<p class="small mb-0 mt-1 text-break">'
                f"{_escape(truncatewords(row.feedback, 30))}</p>"
            )
        add("</li>")
    return mark_safe("".join(out))


# Detentions, internal exclusion days, meetings and commendations --------------------------


def _before_leaving(children, rows, pupil_id_of, day_of) -> list:
    """The rows dated before their child leaves (a child leaving soon keeps the places
    before the day; the leaving date is on the children already read, so the query needs
    no join to the pupils)."""
    left_on = {child.pk: child.left_on for child in children}
    return [
        row
        for row in rows
        if left_on[pupil_id_of(row)] is None or day_of(row) < left_on[pupil_id_of(row)]
    ]


def _upcoming_bookings(children, today: date) -> list[DetentionBooking]:
    """Confirmed places (booked; never one still to check) from today on, of sanctions
    still standing, before the child leaves."""
    rows = (
        DetentionBooking.objects.filter(
            school_id__in={child.school_id for child in children},
            sanction__pupil_id__in=[child.pk for child in children],
            status=DetentionBooking.Status.BOOKED,
            session__date__gte=today,
        )
        .exclude(sanction__status=Sanction.Status.CANCELLED)
        .select_related("session", "sanction")
        .only(*_BOOKING_FIELDS)
        .order_by("session__date", "session__start_time", "pk")
    )
    return _before_leaving(children, rows, lambda row: row.sanction.pupil_id, _session_date)


# The columns the pages read (each column selected costs Python time in every row and in
# building the query): a place's session and the sanction it is for.
_BOOKING_FIELDS = (
    "school",
    "sanction",
    "session",
    "status",
    "sanction__pupil",
    "sanction__detention_minutes",
    "session__kind",
    "session__date",
    "session__start_time",
    "session__end_time",
    "session__room",
)
_NAME = ("first_name", "last_name", "email")  # a member of staff as str() names them


def _session_date(row) -> date:
    return row.session.date


def _upcoming_meetings(children, today: date) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(
            **_mine(children),
            status=Meeting.Status.ARRANGED,
            proposed_at__gte=_start_of(today),
        )
        .select_related("owner")
        .only(
            "school",
            "pupil",
            "status",
            "meeting_with",
            "proposed_at",
            "place",
            "parents_invited",
            "owner",
            *(f"owner__{name}" for name in _NAME),
        )
        .order_by("proposed_at", "pk")
    )


def _commendations(children, since, *, by: bool = True) -> QuerySet[Commendation]:
    """The children's commendations since `since`, newest first (`by`: with who gave
    them, which the child's page shows)."""
    rows = Commendation.objects.filter(**_mine(children), awarded_at__gte=since)
    fields = ("school", "pupil", "kind", "reason", "note", "awarded_at")
    if by:
        rows = rows.select_related("awarded_by")
        fields += ("awarded_by", *(f"awarded_by__{name}" for name in _NAME))
    return rows.only(*fields).order_by("-awarded_at", "-pk")


def _club_visits(children, since) -> QuerySet[Attendance]:
    """Homework club and study sessions the children came to, newest first, with the
    reward for working effectively."""
    return (
        Attendance.objects.filter(**_mine(children), checked_in_at__gte=since)
        .select_related("session__club")
        .only(
            "school",
            "pupil",
            "session",
            "checked_in_at",
            "checked_out_at",
            "worked_effectively",
            "session__club",
            "session__club__name",
        )
        .order_by("-checked_in_at", "-pk")
    )


def _club_places(children, now: datetime) -> list[Booking]:
    """Places booked at club sessions still to come (a visit or a session over is not
    "booked" any more: the clubs' own rule, clubs.selectors.sessions.places_to_come,
    written here once as SQL: a test compares the two), soonest first, before the child
    leaves."""
    local_now = timezone.localtime(now)
    ops = connection.ops
    schools = sorted({child.school_id for child in children})
    pupils = [child.pk for child in children]
    sql = (
        f"SELECT {_CLUB_PLACES.select} FROM {Booking._meta.db_table} b"
        f" JOIN {ClubSession._meta.db_table} c ON c.id = b.session_id"
        f" JOIN {Club._meta.db_table} k ON k.id = c.club_id"
        f" WHERE b.school_id IN ({_placeholders(schools)})"
        f" AND b.pupil_id IN ({_placeholders(pupils)})"
        " AND c.status = %s AND b.status = %s"
        " AND (c.date > %s OR (c.date = %s AND c.end_time > %s))"
        f" AND NOT EXISTS(SELECT 1 FROM {Attendance._meta.db_table} v"
        " WHERE v.session_id = b.session_id AND v.pupil_id = b.pupil_id)"
        " ORDER BY c.date ASC, c.start_time ASC, b.id ASC"
    )
    today = ops.adapt_datefield_value(local_now.date())
    rows = statement("club_places", sql, _CLUB_PLACES.fields).rows(
        (
            *schools,
            *pupils,
            ClubSession.Status.SCHEDULED.value,
            Booking.Status.BOOKED.value,
            today,
            today,
            ops.adapt_timefield_value(local_now.time()),
        )
    )
    places = _CLUB_PLACES.build(rows)
    return _before_leaving(children, places, lambda row: row.pupil_id, _session_date)


_CLUB_PLACES = Chain(
    (Booking, "b", ("school", "pupil", "session", "status"), None),
    (ClubSession, "c", ("date", "start_time", "end_time", "room", "club"), "session"),
    (Club, "k", ("name",), "club"),
)


def _has_left(child: Pupil, today: date) -> bool:
    return child.left_on is not None and child.left_on <= today


def _by_pupil(rows, pupil_id_of) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(pupil_id_of(row), []).append(row)
    return grouped


# The overview ----------------------------------------------------------------------------

# The overview shows each child's latest overdue tasks, with a link to the child's page for
# the rest: a missed task stays overdue, so the list would grow all year.
OVERDUE_SHOWN = 5
# The child's page shows the latest homework club visits of the year, with a link to all.
CLUB_VISITS_SHOWN = 10
# and the latest missed deadlines of the year (they add up all year), with a link to all.
MISSES_SHOWN = 10

_OVERDUE = (
    f"FROM {Assignment._meta.db_table} a JOIN {Homework._meta.db_table} h ON h.id = a.homework_id"
    f" WHERE a.school_id = {_PUPIL}.school_id AND a.pupil_id = {_PUPIL}.id"
    " AND a.status IN (%s, %s) AND a.due_at <= %s AND h.status = %s AND h.submission_mode <> %s"
)
_GUARDIAN_RECORD = (
    f"(SELECT MIN(l.guardian_id) FROM {GuardianLink._meta.db_table} l"
    f" JOIN {Guardian._meta.db_table} g ON g.id = l.guardian_id"
    f" WHERE l.pupil_id = {_PUPIL}.id AND g.user_id = %s)"
)
# Whether a child may have rows in the card's lists of what is coming up (a superset of
# each list's own rule): a list nobody has rows in is not read at all.
_HAS_PLACE = (
    f"EXISTS(SELECT 1 FROM {DetentionBooking._meta.db_table} b"
    f" JOIN {Sanction._meta.db_table} s ON s.id = b.sanction_id"
    f" JOIN {DetentionSession._meta.db_table} d ON d.id = b.session_id"
    f" WHERE b.school_id = {_PUPIL}.school_id AND s.pupil_id = {_PUPIL}.id"
    " AND b.status = %s AND d.date >= %s)"
)
_HAS_MEETING = (
    f"EXISTS(SELECT 1 FROM {Meeting._meta.db_table} m WHERE m.school_id = {_PUPIL}.school_id"
    f" AND m.pupil_id = {_PUPIL}.id AND m.status = %s AND m.proposed_at >= %s)"
)
_HAS_COMMENDATION = (
    f"EXISTS(SELECT 1 FROM {Commendation._meta.db_table} c"
    f" WHERE c.school_id = {_PUPIL}.school_id AND c.pupil_id = {_PUPIL}.id"
    " AND c.awarded_at >= %s)"
)
_HAS_CLUB_PLACE = (
    f"EXISTS(SELECT 1 FROM {Booking._meta.db_table} b"
    f" JOIN {ClubSession._meta.db_table} c ON c.id = b.session_id"
    f" WHERE b.school_id = {_PUPIL}.school_id AND b.pupil_id = {_PUPIL}.id"
    " AND b.status = %s AND c.date >= %s)"
)
_HAS_CLUB_VISIT = (
    f"EXISTS(SELECT 1 FROM {Attendance._meta.db_table} v WHERE v.school_id = {_PUPIL}.school_id"
    f" AND v.pupil_id = {_PUPIL}.id AND v.checked_in_at >= %s)"
)
_HAS_YEAR_ROW = (
    "EXISTS(SELECT 1 FROM {table} r WHERE r.school_id = " + _PUPIL + ".school_id"
    f" AND r.pupil_id = {_PUPIL}.id AND r.academic_year_id = {_THIS_YEAR})"
)
_CLUB_VISITS = (
    f"(SELECT COUNT(*) FROM {Attendance._meta.db_table} v WHERE v.school_id = {_PUPIL}.school_id"
    f" AND v.pupil_id = {_PUPIL}.id AND v.checked_in_at >= %s"
)


def _overdue_params(now: datetime) -> tuple:
    return (
        Assignment.Status.SET.value,
        Assignment.Status.MISSED.value,
        connection.ops.adapt_datetimefield_value(now),
        Homework.Status.SET.value,
        Homework.SubmissionMode.NONE.value,
    )


def _overdue_counts(now: datetime) -> list[tuple]:
    """Each child's overdue tasks (`overdue_count`) and the due time of the oldest of the
    latest OVERDUE_SHOWN of them (`overdue_since`)."""
    overdue = _overdue_params(now)
    return [
        ("overdue_count", f"SELECT COUNT(*) {_OVERDUE}", overdue, IntegerField()),
        (
            "overdue_since",
            f"SELECT a.due_at {_OVERDUE} ORDER BY a.due_at DESC, a.id DESC LIMIT 1 OFFSET %s",
            (*overdue, OVERDUE_SHOWN - 1),
            DateTimeField(),
        ),
    ]


def _coming_up_flags(now: datetime) -> list[tuple]:
    """Whether each child may have detention places, meetings or club places to come
    (`may_have_places`, `may_have_meetings`, `may_have_club_places`)."""
    today = timezone.localdate(now)
    start = connection.ops.adapt_datetimefield_value(_start_of(today))
    return [
        (
            "may_have_places",
            _HAS_PLACE,
            (DetentionBooking.Status.BOOKED.value, today.isoformat()),
            BooleanField(),
        ),
        ("may_have_meetings", _HAS_MEETING, (Meeting.Status.ARRANGED.value, start), BooleanField()),
        (
            "may_have_club_places",
            _HAS_CLUB_PLACE,
            (Booking.Status.BOOKED.value, today.isoformat()),
            BooleanField(),
        ),
    ]


def _card_columns(user, now: datetime) -> list[tuple]:
    """What the overview's cards count rather than list: each child's overdue tasks
    (`overdue_count`) and the due time of the oldest of the latest OVERDUE_SHOWN of them
    (`overdue_since`), their homework club visits of the last month and the rewards among
    them (`club_visit_count`, `club_reward_count`); whether they may have detention
    places, meetings, commendations or club places to list (`may_have_places`...); and
    the login's guardian record linked to each (`guardian_id`, for the panels)."""
    since = connection.ops.adapt_datetimefield_value(now - timedelta(days=COMMENDATION_DAYS))
    return [
        *_coming_up_flags(now),
        *_overdue_counts(now),
        ("guardian_id", _GUARDIAN_RECORD, (user.pk,), IntegerField()),
        ("may_have_commendations", _HAS_COMMENDATION, (since,), BooleanField()),
        ("club_visit_count", _CLUB_VISITS + ")", (since,), IntegerField()),
        (
            "club_reward_count",
            _CLUB_VISITS + " AND v.worked_effectively = %s)",
            (since, True),
            IntegerField(),
        ),
    ]


@dataclass
class ChildCard:
    pupil: Pupil
    ladder: Ladder
    overdue: list[Task]  # the latest OVERDUE_SHOWN, oldest first
    this_week: list[Task]
    returned: list[Assignment]
    bookings: list[DetentionBooking]
    meetings: list[Meeting]
    commendations: list[Commendation]
    club_places: list[Booking] = field(default_factory=list)
    overdue_count: int = 0  # all of them
    club_visits: int = 0  # in the last month
    club_rewards: int = 0  # for working effectively, among those visits

    @property
    def tutors(self) -> list[User]:
        return self.pupil.form_tutors

    def __post_init__(self):
        # The lists' `<li>`s (`tasks_html`, the words of the page's `TaskLines`).
        self.overdue_html = self.this_week_html = self.returned_html = ""
        self.ladder_html = ladder_html(self.ladder)

    def write_tasks(self, lines: "TaskLines") -> "ChildCard":
        self.overdue_html = tasks_html(self.overdue, lines, show_date=True)
        self.this_week_html = tasks_html(self.this_week, lines, show_date=True)
        self.returned_html = returned_items_html(self.returned)
        return self

    @property
    def overdue_more(self) -> int:
        """Overdue tasks not listed on the card (they are on the child's page)."""
        return self.overdue_count - len(self.overdue)


@dataclass
class Overview:
    today: date
    week_end: date
    cards: list[ChildCard]
    left: list[Pupil] = field(default_factory=list)  # children who have left the school
    words: TaskLines | None = None  # the task lists' words, translated once

    @property
    def several_schools(self) -> bool:
        return len({card.pupil.school_id for card in self.cards}) > 1


def overview_children(user, *, now: datetime | None = None) -> list[Pupil]:
    """The guardian's children as the overview reads them, once for the page and the
    panels other apps add to it (one query, their tutors with them)."""
    now = now or timezone.now()
    columns = [
        *_ladder_columns(timezone.localdate(now)),
        *_card_columns(user, now),
        _tutors_column(),
    ]
    return with_tutors(children_of(user, columns, name="overview_children"))


def overview_for(
    user, *, now: datetime | None = None, children: list[Pupil] | None = None
) -> Overview:
    """Every child of the guardian with this week's homework and their latest overdue
    tasks, work returned in the last two weeks, where they stand on the ladder, confirmed
    detention and exclusion places, arranged meetings, commendations and homework club
    visits of the last month and club places booked. `children`: `overview_children`,
    when the page has read them already.

    Queries, whatever the number of children and rows: the children with their counts,
    ladders and tutors, the homework, and, each only when a child may have some, the
    bookings, the meetings, the commendations, the club places (at most six; none past
    the first when there are no children)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sunday = week_start(today) + timedelta(days=6)
    if children is None:
        children = overview_children(user, now=now)
    overview = Overview(today=today, week_end=sunday, cards=[])
    # A child who has left has no week ahead: a line leads to their record instead.
    overview.left = [child for child in children if _has_left(child, today)]
    children = on_roll(children, today)
    if not children:
        return overview
    monday = week_start(today)
    returned_since = now - timedelta(days=RETURNED_DAYS_OVERVIEW)
    homework = _by_pupil(
        _assignments(
            children,
            now=now,
            since=monday,
            until=sunday,
            returned_since=returned_since,
            full=False,
        ),
        lambda row: row.pupil_id,
    )
    bookings, meetings, commendations, club_places = {}, {}, {}, {}
    if any(child.may_have_places for child in children):
        bookings = _by_pupil(_upcoming_bookings(children, today), lambda row: row.sanction.pupil_id)
    if any(child.may_have_meetings for child in children):
        meetings = _by_pupil(_upcoming_meetings(children, today), lambda row: row.pupil_id)
    if any(child.may_have_commendations for child in children):
        commendations = _by_pupil(
            _commendations(children, now - timedelta(days=COMMENDATION_DAYS), by=False),
            lambda row: row.pupil_id,
        )
    if any(child.may_have_club_places for child in children):
        club_places = _by_pupil(_club_places(children, now), lambda row: row.pupil_id)
    lines = overview.words = TaskLines()
    for child in children:
        rows = homework.get(child.pk, [])
        overdue = [row for row in rows if _is_overdue(row, now)]
        overdue_ids = {row.pk for row in overdue}
        overview.cards.append(
            ChildCard(
                pupil=child,
                ladder=_ladder(child),
                overdue=[_task(row, now, lines) for row in overdue[-OVERDUE_SHOWN:]],
                overdue_count=child.overdue_count,
                this_week=[
                    _task(row, now, lines)
                    for row in rows
                    if row.pk not in overdue_ids
                    and row.status != Assignment.Status.EXCUSED
                    and monday <= timezone.localdate(row.due_at) <= sunday
                ],
                returned=_returned(rows, returned_since),
                bookings=bookings.get(child.pk, []),
                meetings=meetings.get(child.pk, []),
                commendations=commendations.get(child.pk, []),
                club_visits=child.club_visit_count,
                club_rewards=child.club_reward_count,
                club_places=club_places.get(child.pk, []),
            ).write_tasks(lines)
        )
    return overview


# One child's page ------------------------------------------------------------------------


@dataclass
class SanctionRow:
    """A sanction as its parents read it: where it stands (the school's one definition,
    sanctions/stages.py, in a parent's words) and its meeting."""

    sanction: Sanction
    where: SanctionStage
    meeting: Meeting | None

    @property
    def label(self):
        return self.where.parent_label

    @property
    def tone(self) -> str:
        return self.where.tone

    @property
    def booking(self) -> DetentionBooking | None:
        """The confirmed place the stage is about, if any."""
        return self.where.confirmed_booking


def _sanction_row(sanction: Sanction) -> SanctionRow:
    return SanctionRow(sanction, stage_of(sanction), getattr(sanction, "meeting", None))


@dataclass
class ChildPage:
    pupil: Pupil
    today: date
    ladder: Ladder
    year_started: date | None  # this academic year's first day (None: no year set up)
    overdue: list[Task]  # the latest OVERDUE_SHOWN, oldest first (all: `all_lists`)
    days: list[Day]  # this week and next, Monday to Sunday, each day
    returned: list[Assignment]
    misses: list[Miss]
    sanctions: list[SanctionRow]
    bookings: list[DetentionBooking]
    meetings: list[Meeting]
    commendations: list[Commendation]
    club_visits: list[Attendance] = field(default_factory=list)  # the latest CLUB_VISITS_SHOWN
    club_visits_more: bool = False  # the year has more (all of them: `all_lists`)
    misses_more: bool = False  # the year has more than the latest MISSES_SHOWN (`all_lists`)
    club_places: list[Booking] = field(default_factory=list)
    year_name: str | None = None  # the academic year the page counts ("2026/27")
    overdue_count: int = 0  # all of them
    words: TaskLines | None = None  # the task lists' words, translated once
    overdue_html: str = ""  # the overdue tasks' `<li>`s (`tasks_html`)
    returned_html: str = ""  # the returned work's cards (`returned_html`)
    ladder_html: str = ""  # where the child stands on the ladder (`ladder_html`)
    misses_html: str = ""  # the missed deadlines' `<li>`s (`misses_html`)

    @property
    def overdue_more(self) -> int:
        """Overdue tasks not listed (the page lists them all when asked)."""
        return self.overdue_count - len(self.overdue)

    @property
    def tutors(self) -> list[User]:
        return self.pupil.form_tutors

    @property
    def has_left(self) -> bool:
        """The child has left the school: the page is their record, nothing more to come."""
        return _has_left(self.pupil, self.today)

    @property
    def this_week(self) -> list[Day]:
        return self.days[:7]

    @property
    def next_week(self) -> list[Day]:
        return self.days[7:]


# The year's missed deadlines on the child page: each with its task's due time, its
# homework's title and its subject's name.
_MISSES = Chain(
    (Miss, "m", ("school", "pupil", "status", "recorded_at", "assignment"), None),
    (Assignment, "a", ("due_at", "homework"), "assignment"),
    (Homework, "h", ("title", "teaching_group"), "homework"),
    (TeachingGroup, "tg", ("subject",), "teaching_group"),
    (Subject, "s", ("name",), "subject"),
)
_MISSES_SQL = (
    f"SELECT {_MISSES.select} FROM {Miss._meta.db_table} m"
    f" JOIN {Assignment._meta.db_table} a ON a.id = m.assignment_id"
    f" JOIN {Homework._meta.db_table} h ON h.id = a.homework_id"
    f" JOIN {TeachingGroup._meta.db_table} tg ON tg.id = h.teaching_group_id"
    f" JOIN {Subject._meta.db_table} s ON s.id = tg.subject_id"
    " WHERE m.school_id = %s AND m.pupil_id = %s AND m.academic_year_id = %s"
    " AND m.status IN (%s, %s) ORDER BY m.recorded_at DESC, m.id DESC"
)


def child_page_for(
    user, pupil_id: int, *, now: datetime | None = None, all_lists: bool = False
) -> ChildPage:
    """One of the guardian's children in full; raises Pupil.DoesNotExist for anyone else.
    Their latest OVERDUE_SHOWN overdue tasks, MISSES_SHOWN missed deadlines and
    CLUB_VISITS_SHOWN homework club visits of the year (a missed task stays overdue,
    misses and visits add up, so the lists would grow all year), or with `all_lists`
    every one.

    Queries, whatever the number of rows: the child with counts, this academic year, the
    current policy's next step and the tutors, the homework; and, each only when the
    child may have some, the missed deadlines, the sanctions with their live bookings
    and meetings (two), the upcoming places, the meetings, the commendations, the club
    visits and places (at most eleven)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    monday = week_start(today)
    last_day = monday + timedelta(days=13)
    # The child's academic year comes with the child (the school's one rule, as for the
    # counts): its id for the year's misses and sanctions, its first day for the lists.
    year = _year_params(today)
    # Whether the child may have rows in each of the year's lists (a superset of each
    # list's rule: from before the year could have begun): a list with none is not read.
    year_could_begin = connection.ops.adapt_datetimefield_value(
        _start_of(year_start_window(today)[0])
    )
    columns = [
        *_ladder_columns(today),
        *_coming_up_flags(now),
        *_overdue_counts(now),
        ("year_id", _YEAR_FIELD.format(field="id"), year, IntegerField()),
        ("year_started", _YEAR_FIELD.format(field="start_date"), year, DateField()),
        ("year_name", _YEAR_FIELD.format(field="name"), year, CharField()),
        (
            "may_have_misses",
            _HAS_YEAR_ROW.format(table=Miss._meta.db_table),
            year,
            BooleanField(),
        ),
        (
            "may_have_sanctions",
            _HAS_YEAR_ROW.format(table=Sanction._meta.db_table),
            year,
            BooleanField(),
        ),
        ("may_have_commendations", _HAS_COMMENDATION, (year_could_begin,), BooleanField()),
        ("may_have_club_visits", _HAS_CLUB_VISIT, (year_could_begin,), BooleanField()),
        _tutors_column(),
    ]
    found = children_of(user, columns, name="child_page", pupil_id=pupil_id)
    if not found:
        raise Pupil.DoesNotExist("Pupil matching query does not exist.")
    child = found[0]
    with_tutors([child])
    year = child.year_id
    returned_since = now - timedelta(days=RETURNED_DAYS_CHILD)
    rows = list(
        _assignments(
            [child],
            now=now,
            since=monday,
            until=last_day,
            returned_since=returned_since,
            full=True,
            latest=not all_lists,
        )
    )
    overdue = [row for row in rows if _is_overdue(row, now)]
    overdue_ids = {row.pk for row in overdue}
    days = [Day(monday + timedelta(days=n)) for n in range(14)]
    lines = TaskLines(full=True)
    for row in rows:
        due = timezone.localdate(row.due_at)
        if row.pk in overdue_ids or row.status == Assignment.Status.EXCUSED:
            continue
        if monday <= due <= last_day:
            days[(due - monday).days].tasks.append(_task(row, now, lines, full=True))
    for day in days:
        day.heading = lines.day(day.day)
        if day.tasks:
            day.minutes_text = lines.minutes % {"minutes": day.total_minutes}
            day.tasks_html = tasks_html(day.tasks, lines, full=True)

    misses, misses_more, sanctions = [], False, []
    commended_since = child.year_started or today - timedelta(days=365)
    if year is not None and child.may_have_misses:
        params = [
            child.school_id,
            child.pk,
            year,
            Miss.Status.COUNTED.value,
            Miss.Status.EXCUSED.value,
        ]
        sql = _MISSES_SQL
        if not all_lists:
            sql += " LIMIT %s"
            params.append(MISSES_SHOWN + 1)
        misses = _MISSES.build(statement("misses", sql, _MISSES.fields).rows(params))
        if not all_lists:
            misses_more = len(misses) > MISSES_SHOWN
            del misses[MISSES_SHOWN:]
    if year is not None and child.may_have_sanctions:
        sanctions = [
            _sanction_row(sanction)
            for sanction in Sanction.objects.filter(
                school_id=child.school_id, pupil=child, academic_year_id=year
            )
            .select_related("meeting__owner")
            .prefetch_related(stage_prefetch())
            .order_by("-created_at", "-pk")
        ]
    club_visits, club_visits_more = [], False
    if child.may_have_club_visits:
        visits = _club_visits([child], _start_of(commended_since))
        if all_lists:
            club_visits = list(visits)
        else:
            club_visits = list(visits[: CLUB_VISITS_SHOWN + 1])
            club_visits_more = len(club_visits) > CLUB_VISITS_SHOWN
            del club_visits[CLUB_VISITS_SHOWN:]
    returned = _returned(rows, returned_since)
    ladder = _ladder(child)
    overdue_tasks = [
        _task(row, now, lines, full=True)
        for row in (overdue if all_lists else overdue[-OVERDUE_SHOWN:])
    ]
    return ChildPage(
        pupil=child,
        today=today,
        ladder=ladder,
        ladder_html=ladder_html(ladder),
        year_started=child.year_started,
        year_name=child.year_name,
        overdue=overdue_tasks,
        overdue_html=tasks_html(overdue_tasks, lines, show_date=True, full=True),
        overdue_count=child.overdue_count,
        words=lines,
        days=days,
        returned=returned,
        returned_html=returned_html(returned),
        misses=misses,
        misses_html=misses_html(misses),
        misses_more=misses_more,
        sanctions=sanctions,
        bookings=_upcoming_bookings([child], today) if child.may_have_places else [],
        meetings=list(_upcoming_meetings([child], today)) if child.may_have_meetings else [],
        commendations=(
            list(_commendations([child], _start_of(commended_since)))
            if child.may_have_commendations
            else []
        ),
        club_visits=club_visits,
        club_visits_more=club_visits_more,
        club_places=_club_places([child], now) if child.may_have_club_places else [],
    )
