"""Marking: a teacher's homework and marking queue, and the register of one homework."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from html import escape as _escape

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import timezone
from django.utils.safestring import mark_safe

from school import access
from school.links import id_url
from school.models import HalfTerm, Pupil, RoleAssignment, TeachingGroup
from school.prepared import Param, Prepared

from ..models import (
    Assignment,
    Homework,
    SubmissionFile,
)
from .setting import teaching_groups_taught_by

HANDED_IN = (Assignment.Status.SUBMITTED, Assignment.Status.PAPER)
MARKING_RECENT_WEEKS = 8
MARKING_ARCHIVED_SHOWN = 20
EARLIER_PAGE_SIZE = 20
EARLIER_PAGES_MAX = 1000  # a page number past any teacher's year of homework
# What a list of homework shows: the rest is left out of its query; its class and subject
# are named from the teacher's classes (`taught_groups`), read once.
LIST_FIELDS = ("title", "status", "set_on", "due_at", "teaching_group_id")


def escape(value) -> str:
    """What the templates' autoescape writes for a plain value."""
    return _escape(str(value))


def _to_return(prefix: str = "") -> Q:
    """Marked (a mark or feedback) and not yet returned: what `homework_return` returns."""
    return Q(**{f"{prefix}returned_at__isnull": True}) & (
        Q(**{f"{prefix}mark__gt": ""}) | Q(**{f"{prefix}feedback__gt": ""})
    )


def on_register(prefix: str = "") -> Q:
    """The assignments a register lists and counts: a pupil on roll today, or one who has
    left but handed work in (it may still be marked and returned). A leaver's other
    assignments stay on record, off the registers and the marking queue."""
    return on_register_on(timezone.localdate(), prefix)


def on_register_on(day, prefix: str = "") -> Q:
    """`on_register` as of `day` (a date, or a Param of one)."""
    return access.on_roll(day, f"{prefix}pupil") | Q(**{f"{prefix}status__in": HANDED_IN})


def _on_register_of_school(school_id: int, today=None) -> Q:
    """`on_register("assignments__")` for the homework of one school, without joining
    every assignment's pupil (which hashes every pupil of every school): handed in, or
    its pupil is not among the school's leavers (those whose leaving day has come: not on
    roll today). An assignment's pupil is one of its homework's school's."""
    today = timezone.localdate() if today is None else today
    leavers = Pupil.objects.filter(school_id=school_id, left_on__lte=today).values("pk")
    return Q(assignments__status__in=HANDED_IN) | ~Q(assignments__pupil_id__in=leavers)


def homework_with_marking_counts(
    homework: QuerySet[Homework], *, now, school_id: int | None = None, today=None
) -> QuerySet[Homework]:
    """Each homework with its pupils counted by where their work stands, in the same query
    (`handed_in_count`, online and on paper, is added up by `_listed`); with `school_id`,
    the homework is all that school's, and the pupils who have left are read from its
    leavers."""
    handed_in = Q(assignments__status__in=HANDED_IN)
    listed = (
        on_register("assignments__")
        if school_id is None
        else _on_register_of_school(school_id, today)
    )
    return homework.annotate(
        pupil_count=Count("assignments", filter=listed),
        online_count=Count(
            "assignments", filter=Q(assignments__status=Assignment.Status.SUBMITTED)
        ),
        paper_count=Count("assignments", filter=Q(assignments__status=Assignment.Status.PAPER)),
        late_count=Count("assignments", filter=handed_in & Q(assignments__is_late=True)),
        unmarked_count=Count(
            "assignments",
            filter=handed_in & Q(assignments__mark="", assignments__feedback=""),
        ),
        to_return_count=Count("assignments", filter=_to_return("assignments__")),
        overdue_count=Count(
            "assignments",
            filter=listed
            & Q(assignments__status=Assignment.Status.SET, assignments__due_at__lte=now),
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
    """A teacher's homework page: the marking queue, then drafts, what is set (upcoming and
    due since `since`: this half-term, or the last weeks), earlier homework on request, and
    the archive. `to_mark` lists homework due since `since` or later; `earlier_waiting`
    sums what still waits on homework due before it (found under Earlier)."""

    to_mark: list[Homework]
    upcoming: list[Homework]
    recent: list[Homework]
    drafts: list[Homework]
    archived: list[Homework]
    totals: MarkingTotals
    since: date
    since_half_term: str  # the half-term's name, or "" for the last MARKING_RECENT_WEEKS
    earlier_waiting: MarkingTotals
    earlier_waiting_count: int = 0


@dataclass
class EarlierHomework:
    """One page of a teacher's set homework due before `since`, latest first."""

    homework: list[Homework]
    page: int
    has_next: bool


def taught_groups(user) -> dict[int, tuple[str, str]]:
    """The classes this member of staff teaches, each id with its name and subject as a
    list of homework shows them (one query): the page's other queries read the teacher's
    homework by these ids through the (school, class, due) index rather than joining the
    teachers of every class of the school, or the classes and subjects for their names."""
    # unordered: the classes' order joins their school, year and subject
    return {
        pk: (name, subject)
        for pk, name, subject in teaching_groups_taught_by(user)
        .order_by()
        .values_list("pk", "name", "subject__name")
    }


def marking_since(school_id: int, today: date) -> tuple[date, str]:
    """Where a teacher's page starts "this half-term" (one query): the start of the
    half-term that began most recently, but no more than MARKING_RECENT_WEEKS back (a
    holiday, or a school with no half-terms entered, reads the last weeks)."""
    weeks_back = today - timedelta(weeks=MARKING_RECENT_WEEKS)
    half_term = (
        HalfTerm.objects.filter(school_id=school_id, start_date__lte=today)
        .order_by("-start_date")
        .first()
    )
    if half_term is None or half_term.start_date < weeks_back:
        return weeks_back, ""
    return half_term.start_date, half_term.get_name_display()


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _own_homework(school_id, group_ids: list, *, now, today=None) -> QuerySet[Homework]:
    """The homework of these classes with their counts (values, or Params: see _HOME)."""
    return homework_with_marking_counts(
        Homework.objects.filter(school_id=school_id, teaching_group__id__in=group_ids).only(
            *LIST_FIELDS
        ),
        now=now,
        school_id=school_id,
        today=today,
    )


def _home_listed(school_id, group_ids: list, *, now, since_at, today) -> QuerySet[Homework]:
    """A teacher's homework page's homework (homework_home_for), values or Params."""
    archived_shown = (
        Homework.objects.filter(
            school_id=school_id,
            # teaching_group__id: the same column, compared by the id field's own `in`,
            # which takes Params (the foreign key's refuses anything but ids).
            teaching_group__id__in=group_ids,
            status=Homework.Status.ARCHIVED,
        )
        .order_by("-due_at", "-pk")
        .values("pk")[:MARKING_ARCHIVED_SHOWN]
    )
    return (
        _own_homework(school_id, group_ids, now=now, today=today)
        .filter(
            Q(status__in=[Homework.Status.SET, Homework.Status.DRAFT])
            | Q(status=Homework.Status.ARCHIVED, pk__in=archived_shown)
        )
        .filter(
            Q(status__in=[Homework.Status.DRAFT, Homework.Status.ARCHIVED])
            | Q(due_at__gte=since_at)
            | Q(unmarked_count__gt=0)
            | Q(to_return_count__gt=0)
        )
        .order_by("due_at", "pk")
    )


# One shape for each number of classes taught (the ids are its values): built and
# compiled once a connection (school/prepared.py).
_HOME = Prepared(
    lambda classes: _home_listed(
        Param("school"),
        [Param(f"class_{number}") for number in range(classes)],
        now=Param("now", DateTimeField()),
        since_at=Param("since", DateTimeField()),
        today=Param("today", DateField()),
    )
)


def _listed(homework: Iterable[Homework], groups: dict[int, tuple[str, str]]) -> list[Homework]:
    """Each homework of a list with what its row prints worked out once (the page's
    template only prints): its register's address (one reverse), its class (`groups`:
    the teacher's classes, `taught_groups`), its dates."""
    homework = list(homework)
    register = id_url("homework_register")
    for hw in homework:
        hw.handed_in_count = hw.online_count + hw.paper_count
        hw.register_address = register(hw.pk)
        hw.group_name, subject = groups[hw.teaching_group_id]
        hw.class_label = f"{hw.group_name} · {subject}"
        hw.set_label = hw.set_on.strftime("%d/%m/%Y")
        hw.due_label = timezone.localtime(hw.due_at).strftime("%d/%m/%Y %H:%M")
    return homework


def list_row(hw: Homework) -> str:
    """A homework's row of a list of homework (Upcoming, Due since, Earlier, Archived),
    written once rather than by the template's tags, with `_listed`'s words escaped."""
    return mark_safe(  # noqa: S308 - the words are escaped, the rest are numbers and addresses
        f'<tr><th scope="row"><a href="{hw.register_address}">{escape(hw.title)}</a></th>'
        f'<td data-label="Class">{escape(hw.class_label)}</td>'
        f'<td data-label="Set">{hw.set_label}</td>'
        f'<td data-label="Due">{hw.due_label}</td>'
        f'<td data-label="Handed in" class="text-end">{hw.handed_in_count} of {hw.pupil_count}'
        "</td></tr>"
    )


def to_mark_row(hw: Homework) -> str:
    """A homework's row of the marking queue, written once as `list_row`."""
    unmarked = f"<strong>{hw.unmarked_count}</strong>" if hw.unmarked_count else "0"
    return mark_safe(  # noqa: S308 - the words are escaped, the rest are numbers and addresses
        f'<tr><th scope="row"><a href="{hw.register_address}">{escape(hw.title)}</a></th>'
        f'<td data-label="Class">{escape(hw.class_label)}</td>'
        f'<td data-label="Due">{hw.due_label}</td>'
        f'<td data-label="Pupils" class="text-end">{hw.pupil_count}</td>'
        f'<td data-label="Handed in" class="text-end">{hw.handed_in_count}'
        f' <span class="small text-body-secondary text-nowrap">({hw.online_count} online,'
        f" {hw.paper_count} paper)</span></td>"
        f'<td data-label="Late" class="text-end">{hw.late_count}</td>'
        f'<td data-label="Not marked" class="text-end">{unmarked}</td>'
        f'<td data-label="Not returned" class="text-end">{hw.to_return_count}</td>'
        f'<td data-label="Overdue" class="text-end">{hw.overdue_count}</td></tr>'
    )


def _totals(homework: list[Homework]) -> MarkingTotals:
    return MarkingTotals(
        handed_in=sum(hw.handed_in_count for hw in homework),
        late=sum(hw.late_count for hw in homework),
        unmarked=sum(hw.unmarked_count for hw in homework),
        to_return=sum(hw.to_return_count for hw in homework),
        overdue=sum(hw.overdue_count for hw in homework),
    )


def homework_home_for(
    user, groups: dict[int, tuple[str, str]], *, now: datetime | None = None
) -> HomeworkHome:
    """Two queries: where this half-term starts; the teacher's drafts and set homework
    due since then or later, or earlier with work still to mark or return, and the most
    recent archived homework (a subquery of their ids), with their counts. Homework due
    earlier with nothing waiting is not read at all (`earlier_homework_for` pages
    through it)."""
    now = now or timezone.now()
    since, half_term = marking_since(user.school_id, timezone.localdate(now))
    since_at = _day_start(since)
    classes = {f"class_{number}": pk for number, pk in enumerate(groups)}
    listed = _listed(
        _HOME.list(
            len(classes),
            school=user.school_id,
            now=now,
            since=since_at,
            today=timezone.localdate(now),
            **classes,
        )
        if classes
        else [],
        groups,
    )
    set_ = [hw for hw in listed if hw.status == Homework.Status.SET]
    this_term = [hw for hw in set_ if hw.due_at >= since_at]
    earlier = [hw for hw in set_ if hw.due_at < since_at]
    to_mark = sorted(
        (hw for hw in this_term if hw.unmarked_count or hw.to_return_count or hw.overdue_count),
        key=lambda hw: (hw.unmarked_count == 0, hw.due_at, hw.pk),
    )
    for hw in to_mark:
        hw.row_html = to_mark_row(hw)
    for hw in listed:
        if hw.status != Homework.Status.DRAFT:
            hw.list_html = list_row(hw)
    return HomeworkHome(
        to_mark=to_mark,
        upcoming=[hw for hw in this_term if hw.due_at > now],
        recent=[hw for hw in reversed(this_term) if hw.due_at <= now],
        drafts=[hw for hw in listed if hw.status == Homework.Status.DRAFT],
        archived=[hw for hw in reversed(listed) if hw.status == Homework.Status.ARCHIVED],
        totals=_totals(to_mark),
        since=since,
        since_half_term=half_term,
        earlier_waiting=_totals(earlier),
        earlier_waiting_count=len(earlier),
    )


def earlier_homework_for(
    user,
    groups: dict[int, tuple[str, str]],
    *,
    since: date,
    query: str = "",
    waiting: bool = False,
    page: int = 1,
    now: datetime | None = None,
) -> EarlierHomework:
    """One query: a page of the teacher's set homework due before `since`, latest
    first, whose title, class or subject holds `query`, or only those with work still to
    mark or return."""
    homework = _own_homework(user.school_id, list(groups), now=now or timezone.now()).filter(
        status=Homework.Status.SET, due_at__lt=_day_start(since)
    )
    if query:
        homework = homework.filter(
            Q(title__icontains=query)
            | Q(teaching_group__name__icontains=query)
            | Q(teaching_group__subject__name__icontains=query)
        )
    if waiting:
        homework = homework.filter(Q(unmarked_count__gt=0) | Q(to_return_count__gt=0))
    start = (page - 1) * EARLIER_PAGE_SIZE
    rows = _listed(
        homework.order_by("-due_at", "-pk")[start : start + EARLIER_PAGE_SIZE + 1], groups
    )
    for hw in rows:
        hw.list_html = list_row(hw)
    return EarlierHomework(
        homework=rows[:EARLIER_PAGE_SIZE], page=page, has_next=len(rows) > EARLIER_PAGE_SIZE
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


# A register's homework and its rows: one shape for every register, built and compiled
# once a connection (school/prepared.py).
_REGISTER_HOMEWORK = Prepared(
    lambda: (
        Homework.objects.filter(pk=Param("homework"), school_id=Param("school"))
        .annotate(
            viewer_teaches=Exists(
                TeachingGroup.teachers.through.objects.filter(
                    user_id=Param("user"), teachinggroup_id=OuterRef("teaching_group_id")
                )
            )
        )
        .select_related("teaching_group__subject", "teaching_group__year_group", "set_by", "unit")
    )
)
_REGISTER_ROWS = Prepared(
    lambda: (
        Assignment.objects.filter(homework_id=Param("homework"))
        .filter(on_register_on(Param("today", DateField())))
        .select_related("pupil")
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )
)


def register_homework(user, homework_id: int) -> Homework | None:
    """The homework of a register page, if this member of staff may open it (else None):
    `homework_for_register`'s rule (tests/test_permissions.py holds both to it) checked
    on the one homework read by its id, with `viewer_teaches`. One query: whether they
    teach its class is the only part of the rule the database answers; the rest is their
    roles, already read for the request. (The rule as a query, with subqueries of the
    classes visible and taught, took longer to plan than to run.)"""
    if not access.is_staff_member(user):
        return None
    homework = _REGISTER_HOMEWORK.one(homework=homework_id, school=user.school_id, user=user.pk)
    if homework is None:
        return None
    group = homework.teaching_group
    if group.school_id != user.school_id:
        return None
    visible = (
        homework.viewer_teaches
        or access.is_school_wide(user)
        or group.subject_id in access.scope_ids(user, RoleAssignment.Role.SUBJECT_LEADER)
        or group.year_group_id in access.scope_ids(user, RoleAssignment.Role.HEAD_OF_YEAR)
    )
    if not visible or (homework.status == Homework.Status.DRAFT and not homework.viewer_teaches):
        return None
    return homework


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


def _day(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y") if moment else ""


def register_for(homework: Homework, *, now: datetime | None = None) -> Register:
    """Three queries: attachments, assignments with their pupils, and the names of the
    files they handed in. Each row's words and addresses are worked out here once (the
    register's template only prints them; `file_links` are each file's address and
    name). What apps above homework add to the register's rows is read by their own
    registrations (homework/register_actions.py)."""
    now = now or timezone.now()
    rows = _REGISTER_ROWS.list(homework=homework.pk, today=timezone.localdate())
    for row in rows:
        row.homework = homework  # as homework.assignments would have set it
    file_address = id_url("planner_submission_file")
    files = {}
    if rows:
        for assignment_id, pk, name in (
            SubmissionFile.objects.filter(assignment_id__in=[row.pk for row in rows])
            .order_by("uploaded_at", "pk")
            .values_list("assignment_id", "pk", "original_name")
        ):
            files.setdefault(assignment_id, []).append((file_address(pk), name))
    today = timezone.localdate()
    labels = {value: str(label) for value, label in Assignment.Status.choices}
    for row in rows:
        pupil = row.pupil
        row.has_left = pupil.left_on is not None and pupil.left_on <= today
        row.left_on_label = pupil.left_on.strftime("%d/%m/%Y") if row.has_left else ""
        # display_status's words, the choices' labels translated once for the rows
        if row.status == Assignment.Status.SET or row.is_late:
            row.status_label = row.display_status(now)
        else:
            row.status_label = labels[row.status]
        if row.status == Assignment.Status.SET:
            row.status_tone = "text-bg-warning" if row.due_at <= now else "text-bg-secondary"
        elif row.status == Assignment.Status.SUBMITTED and row.is_late:
            row.status_tone = "text-bg-warning"
        else:
            row.status_tone = REGISTER_TONES[row.status]
        row.returned_on = _day(row.returned_at)
        row.handed_in_at = (
            timezone.localtime(row.submitted_at).strftime("%d/%m/%Y %H:%M")
            if row.submitted_at
            else ""
        )
        row.shows_late = row.is_handed_in and row.is_late
        row.file_links = files.get(row.pk, [])
    return Register(
        homework=homework, attachments=list(homework.attachments.all()), rows=rows, now=now
    )


def assignments_to_return_count(homework: Homework) -> int:
    return homework.assignments.filter(_to_return()).count()
