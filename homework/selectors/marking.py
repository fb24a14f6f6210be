"""Marking: a teacher's homework and marking queue, and the register of one homework."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from school import access

from ..models import (
    Assignment,
    Homework,
)
from .setting import homework_taught_by, teaching_groups_taught_by

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
    "help_at_home",
    "help_at_home_pl",
    "help_at_home_ur",
)


def _to_return(prefix: str = "") -> Q:
    """Marked (a mark or feedback) and not yet returned: what `homework_return` returns."""
    return Q(**{f"{prefix}returned_at__isnull": True}) & (
        Q(**{f"{prefix}mark__gt": ""}) | Q(**{f"{prefix}feedback__gt": ""})
    )


def on_register(prefix: str = "") -> Q:
    """The assignments a register lists and counts: a pupil on roll today, or one who has
    left but handed work in (it may still be marked and returned). A leaver's other
    assignments stay on record, off the registers and the marking queue."""
    return access.on_roll(timezone.localdate(), f"{prefix}pupil") | Q(
        **{f"{prefix}status__in": HANDED_IN}
    )


def homework_with_marking_counts(homework: QuerySet[Homework], *, now) -> QuerySet[Homework]:
    """Each homework with its pupils counted by where their work stands, in the same query."""
    handed_in = Q(assignments__status__in=HANDED_IN)
    listed = on_register("assignments__")
    return homework.annotate(
        pupil_count=Count("assignments", filter=listed),
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
    own = homework_with_marking_counts(homework_taught_by(user).defer(*LIST_DEFERRED), now=now)
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


def register_for(homework: Homework, *, now: datetime | None = None) -> Register:
    """Two queries and a prefetch: attachments, assignments with their pupils, and the
    files they handed in. What apps above homework add to the register's rows is read by
    their own registrations (homework/register_actions.py)."""
    now = now or timezone.now()
    rows = list(
        homework.assignments.filter(on_register())
        .select_related("pupil")
        .prefetch_related("files")
        .order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )
    today = timezone.localdate()
    for row in rows:
        row.has_left = row.pupil.left_on is not None and row.pupil.left_on <= today
        row.status_label = row.display_status(now)
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
