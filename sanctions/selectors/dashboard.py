"""Reads for the head of year / head of house dashboard and the pupil timeline, each in a
fixed number of queries however many pupils, misses, bookings and meetings there are:
every number is a grouped count in the database or the length of a list the page shows,
never a count of rows loaded only to be counted."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cached_property
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Collate, Greatest
from django.utils import timezone

from homework.models import Assignment
from notifications.models import Notification
from notifications.selectors import FailedMessage, failed_messages
from school import access
from school.calendar import academic_year_for, week_start
from school.models import (
    AcademicYear,
    HalfTerm,
    Pupil,
    RoleAssignment,
    Subject,
)
from school.placements import as_placed_in, in_groups_then, placed_this_year
from school.prepared import Fragment, Param, Prepared

from ..models import (
    AuditEntry,
    Commendation,
    DetentionBooking,
    DetentionSession,
    EscalationPolicy,
    EscalationStep,
    Meeting,
    Miss,
    Sanction,
)
from ..stages import SanctionStage, Stage, stage_of, stage_prefetch
from .detentions import left_by_session

if TYPE_CHECKING:  # the form reads from here: a type only, not an import cycle
    from ..forms.dashboard import DashboardFilters

Role = RoleAssignment.Role
DASHBOARD_ROLES = (Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, *access.SCHOOL_WIDE_ROLES)
PASTORAL_ROLES = (Role.FORM_TUTOR, *DASHBOARD_ROLES)

FLAGS = {
    "pp": ("PP", Q(pupil_premium=True)),
    "fsm": ("FSM", Q(free_school_meals=True)),
    "sen": ("SEN", ~Q(sen="")),
    "eal": ("EAL", Q(eal=True)),
    "young_carer": ("Young carer", Q(young_carer=True)),
}


def may_use_dashboard(user) -> bool:
    return access.has_role(user, *DASHBOARD_ROLES)


def dashboard_scope(user, year: AcademicYear | None = None) -> Q:
    """The pupils the dashboard covers: the viewer's years and houses, or the school. In a
    year that has been rolled over, a head of year's pupils are those in their year then
    (school/placements.py), so last year's dashboard reads as it was."""
    if access.is_school_wide(user):
        return Q(school_id=user.school_id)
    return Q(school_id=user.school_id) & (
        in_groups_then(year, year_group_ids=access.scope_ids(user, Role.HEAD_OF_YEAR))
        | Q(house_id__in=access.scope_ids(user, Role.HEAD_OF_HOUSE))
    )


@dataclass
class PupilRow:
    pupil: Pupil
    counted: int
    open: int
    completed: int
    to_next: int
    next_step: EscalationStep
    in_subject: int | None


@dataclass
class TrendRow:
    half_term: HalfTerm
    misses: int


@dataclass
class PendingRow:
    """A sanction not yet served and where it stands (sanctions/stages.py), each worked
    out once however often the page and its lists read it."""

    sanction: Sanction
    where: SanctionStage

    @property
    def stage(self) -> str:
        return self.where.stage

    @cached_property
    def label(self) -> str:
        return self.where.label

    @property
    def detention(self) -> DetentionBooking | None:
        return self.where.detention

    @property
    def exclusion(self) -> DetentionBooking | None:
        return self.where.exclusion

    @cached_property
    def booking(self) -> DetentionBooking | None:
        return self.where.booking


@dataclass
class AbsenceRow:
    """A detention or exclusion day missed without an authorised reason, and where its
    sanction stands since (the same words as everywhere else)."""

    booking: DetentionBooking
    where: SanctionStage

    @property
    def label(self) -> str:
        return self.where.label

    @property
    def exclusion(self) -> DetentionBooking | None:
        """The exclusion day booked for the missed detention, when there is one."""
        return self.where.exclusion


@dataclass
class Dashboard:
    year: AcademicYear | None
    policy: EscalationPolicy | None
    subject: Subject | None = None
    today: date | None = None
    pupils: list[PupilRow] = field(default_factory=list)  # the first `pupils_shown`
    pupils_total: int = 0  # all the pupils listed, shown or not
    pending: list[PendingRow] = field(default_factory=list)
    served: int = 0
    week: tuple[date, date] | None = None
    sessions: list[DetentionSession] = field(default_factory=list)
    meetings: list[Meeting] = field(default_factory=list)
    absences: list[AbsenceRow] = field(default_factory=list)
    trend: list[TrendRow] = field(default_factory=list)
    half_term_now: TrendRow | None = None
    failed: list[FailedMessage] = field(default_factory=list)
    failed_cut: bool = False
    # The pupils' and sanctions' rows as the page writes them (the view's _rows_shown).
    pupils_html: str = ""
    pending_html: str = ""

    @property
    def trend_max(self) -> int:
        return max((row.misses for row in self.trend), default=0)

    def _at(self, *stages) -> list[PendingRow]:
        return [row for row in self.pending if row.stage in stages]

    # Read by the summary and again by the lists (and their CSV): made once a request.
    @cached_property
    def to_check(self) -> list[PendingRow]:
        return self._at(Stage.TO_CHECK)

    @cached_property
    def exclusions(self) -> list[PendingRow]:
        """Exclusion days booked and not yet marked, soonest first."""
        rows = self._at(Stage.EXCLUSION_BOOKED, Stage.EXCLUSION_TO_CHECK)
        return sorted(rows, key=lambda r: (r.exclusion.session.date, r.exclusion.session.pk))

    @cached_property
    def waiting_exclusion(self) -> list[PendingRow]:
        return self._at(Stage.WAITING_EXCLUSION, Stage.EXCLUSION_TO_REBOOK)


def _count(queryset: QuerySet, pupil_ref: str = "pk") -> Coalesce:
    counts = (
        queryset.filter(pupil_id=OuterRef(pupil_ref))
        .order_by()
        .values("pupil_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def _written_once(subquery: QuerySet) -> RawSQL:
    """A subquery several of the page's queries filter by, turned into SQL once: Django
    would build it again inside each (about half a millisecond of Python each time)."""
    sql, params = subquery.order_by().query.sql_with_params()
    return RawSQL(sql, params)


def _live_places(prefix: str = "bookings__") -> Q:
    return Q(**{f"{prefix}status__in": DetentionBooking.LIVE}) & ~Q(
        **{f"{prefix}sanction__status": Sanction.Status.CANCELLED}
    )


def week_of(today: date) -> tuple[date, date]:
    """Monday to Sunday of the week holding `today`."""
    monday = week_start(today)
    return monday, monday + timedelta(days=6)


_THIS_YEAR = object()  # dashboard_for's year when the caller has not read it


# What the pupils' list, its CSV and the rolled-over year's groups read of each pupil.
_PUPIL_COLUMNS = (
    "first_name",
    "last_name",
    "tutor_group__name",
    "pupil_premium",
    "free_school_meals",
    "sen",
    "eal",
    "young_carer",
    "looked_after",
    "travel_note",
)


def _by_code(column: str):
    """A name column ordered as Python compares strings (by code point), whatever the
    database's collation."""
    return Collate(column, "C") if connection.vendor == "postgresql" else F(column)


_SERVED = -1  # the served sanctions' row of _trend_and_served (no half-term's id)


def _trend_and_served(
    half_terms, *, school_id, year, pupil_ids: RawSQL, sanction_ids: RawSQL, subject
) -> dict[int, int]:
    """The counted misses of the pupils (in the subject, when one is chosen) in each
    half-term (by its id; each half-term from its first day's midnight to the one after
    its last, in the school's time zone, as the misses' local dates), and the sanctions
    served (under _SERVED), in one query written as SQL: the ORM built the trend's CASE
    and the count in ~2.5 ms of Python, against a tenth of that here."""
    quote = connection.ops.quote_name

    def column(model, name: str) -> str:
        return f"{quote(model._meta.db_table)}.{quote(model._meta.get_field(name).column)}"

    sql = (
        f"SELECT %s, COUNT(*) FROM {quote(Sanction._meta.db_table)} "
        f"WHERE {column(Sanction, 'id')} IN ({sanction_ids.sql}) "
        f"AND {column(Sanction, 'status')} = %s"
    )
    params = [_SERVED, *sanction_ids.params, Sanction.Status.SERVED]
    if half_terms:
        recorded_at = column(Miss, "recorded_at")
        which, bounds = [], []
        for ht in half_terms:
            which.append(f"WHEN {recorded_at} >= %s AND {recorded_at} < %s THEN %s")
            bounds += [_midnight(ht.start_date), _midnight(ht.end_date + timedelta(days=1)), ht.pk]
        in_subject, subject_params = "", []
        if subject is not None:
            assignments = _written_once(
                Assignment.objects.filter(homework__teaching_group__subject=subject).values("pk")
            )
            in_subject = f" AND {column(Miss, 'assignment')} IN ({assignments.sql})"
            subject_params = list(assignments.params)
        sql = (
            f"SELECT CASE {' '.join(which)} END, COUNT(*) FROM {quote(Miss._meta.db_table)} "
            f"WHERE {column(Miss, 'school')} = %s AND {column(Miss, 'academic_year')} = %s "
            f"AND {column(Miss, 'status')} = %s AND {column(Miss, 'pupil')} IN ({pupil_ids.sql})"
            f"{in_subject} GROUP BY 1 UNION ALL {sql}"
        )
        params = [
            *bounds,
            school_id,
            year.pk,
            Miss.Status.COUNTED,
            *pupil_ids.params,
            *subject_params,
            *params,
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {key: n for key, n in cursor.fetchall() if key is not None}


def _midnight(day: date) -> datetime:
    """The start of `day` in the school's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _sanctions_of(school, pupils, subject_sanctions=None) -> QuerySet[Sanction]:
    """The sanctions of these pupils (those of `subject_sanctions` only, when given)."""
    sanctions = Sanction.objects.filter(school_id=school, pupil__in=pupils)
    if subject_sanctions is not None:
        sanctions = sanctions.filter(pk__in=subject_sanctions)
    return sanctions


# The dashboard's lists, each of one shape whoever looks (the viewer's pupils and their
# sanctions come as subqueries): built and compiled once a connection.
_PENDING = Prepared(
    lambda subject: (
        _sanctions_of(
            Param("school"),
            Fragment("pupils"),
            Fragment("subject_sanctions") if subject else None,
        )
        .filter(academic_year_id=Param("year"), status=Sanction.Status.TO_SCHEDULE)
        .select_related("pupil__tutor_group")
        # What the lists, their CSV and the stages read.
        .only(
            "status",
            "cycle",
            "step_number",
            "detention_minutes",
            "meeting_with",
            "created_at",
            "pupil__first_name",
            "pupil__last_name",
            "pupil__tutor_group__name",
        )
        .order_by("created_at", "pk")
    )
)
_SESSIONS = Prepared(
    lambda: (
        DetentionSession.objects.filter(
            school_id=Param("school"),
            date__gte=Param("monday", DateField()),
            date__lte=Param("sunday", DateField()),
        )
        .select_related("supervisor")
        .annotate(
            taken=Count("bookings", filter=_live_places() & ~left_by_session("bookings__", "date")),
            mine=Count(
                "bookings", filter=_live_places() & Q(bookings__sanction__in=Fragment("sanctions"))
            ),
        )
        .order_by("date", "start_time", "pk")
    )
)
_MEETINGS_TO_ARRANGE = Prepared(
    lambda: (
        Meeting.objects.filter(
            school_id=Param("school"),
            status=Meeting.Status.TO_ARRANGE,
            sanction__in=Fragment("sanctions"),
        )
        .select_related("owner", "pupil__tutor_group", "sanction")
        # What the list and its CSV read (a third of the columns: ~0.5 ms less to build).
        .only(
            "pupil_id",
            "meeting_with",
            "parents_invited",
            "created_at",
            "owner__first_name",
            "owner__last_name",
            "owner__email",
            "pupil__first_name",
            "pupil__last_name",
            "pupil__tutor_group__name",
            "sanction__cycle",
        )
        .order_by("created_at", "pk")
    )
)
_ABSENCES = Prepared(
    lambda: (
        DetentionBooking.objects.filter(
            school_id=Param("school"),
            status=DetentionBooking.Status.ABSENT_UNAUTHORISED,
            session__date__gte=Param("start", DateField()),
            session__date__lte=Param("end", DateField()),
            sanction__in=Fragment("sanctions"),
        )
        .select_related("session", "sanction__pupil__tutor_group")
        # What the list, its CSV and the sanction's stage read.
        .only(
            "notes",
            "status",
            "session__kind",
            "session__date",
            "sanction__status",
            "sanction__pupil__first_name",
            "sanction__pupil__last_name",
            "sanction__pupil__tutor_group__name",
        )
        .order_by("-session__date", "-session__start_time", "-pk")
    )
)


def dashboard_for(
    user,
    filters: "DashboardFilters",
    *,
    today: date,
    policy,
    year=_THIS_YEAR,
    pupils_shown: int | None = None,
) -> Dashboard:
    """Queries: the academic year, the pupils with their counts, the pending sanctions,
    this week's sessions, the meetings to arrange, the unauthorised absences, the
    bookings both lists' stages are read from (the exclusion days that followed the
    absences among them), the half-terms, the trend with the served count, and the
    messages that did not reach a family with their tries (eleven, whatever the numbers).
    `pupils_shown`: how many of the pupils closest to their next sanction are built
    (None: all of them, as the CSV lists them); `pupils_total` counts them all."""
    if year is _THIS_YEAR:
        year = academic_year_for(user.school_id, today)
    if year is None:
        return Dashboard(year=None, policy=policy)
    subject = filters.chosen_subject()
    # Pupils on roll: a leaver's misses, sanctions, meetings and messages leave the lists
    # (and the counts) and stay on their timeline.
    pupils = (
        Pupil.objects.on_roll(today)
        .filter(dashboard_scope(user, year))
        .filter(filters.pupil_filter(year))
    )
    counted = Miss.objects.filter(academic_year=year, status=Miss.Status.COUNTED)
    subject_q = Q(assignment__homework__teaching_group__subject=subject) if subject else Q()

    # The running counts the engine keeps under each pupil's lock (PupilEscalation), not
    # the year's misses counted again; only a chosen subject's misses are counted here.
    # Sorted in the database, closest to their next sanction first (more misses first,
    # then by name as Python compares strings), and only the `pupils_shown` first built,
    # with the number of them all read in the same query.
    per_cycle = policy.misses_per_cycle
    rows = (
        pupils.filter(
            escalations__school_id=user.school_id,
            escalations__academic_year=year,
            escalations__counted_misses__gt=0,
        )
        .annotate(
            counted=F("escalations__counted_misses"),
            open=F("escalations__open_misses"),
            completed=F("escalations__live_sanctions"),
            to_next=Greatest(Value(per_cycle) - F("escalations__open_misses"), Value(1)),
            listed=Window(Count("pk")),
        )
        .select_related("tutor_group")
        .only(*_PUPIL_COLUMNS)
    )
    if subject:
        rows = rows.annotate(in_subject=_count(counted.filter(subject_q))).filter(in_subject__gt=0)
    rows = rows.order_by("to_next", "-counted", _by_code("last_name"), _by_code("first_name"), "pk")
    if pupils_shown is not None:
        rows = rows[:pupils_shown]
    board = Dashboard(year=year, policy=policy, subject=subject, today=today)
    steps = list(policy.steps.all())  # policy.step_for, read once for every row
    board.pupils = [
        PupilRow(
            pupil=pupil,
            counted=pupil.counted,
            open=pupil.open,
            completed=pupil.completed,
            to_next=pupil.to_next,
            next_step=steps[min(pupil.completed + 1, len(steps)) - 1],
            in_subject=pupil.in_subject if subject else None,
        )
        for pupil in rows
    ]
    board.pupils_total = board.pupils[0].pupil.listed if board.pupils else 0

    # Every sanction of the viewer's pupils (with a miss in the subject, when one is
    # chosen); the lists below narrow it to this year. The pupils' and the sanctions'
    # subqueries are written once for the several queries that filter by them.
    pupil_ids = _written_once(pupils.values("pk"))
    subject_sanctions = (
        Miss.objects.filter(subject_q, sanction__isnull=False).values("sanction_id")
        if subject
        else None
    )
    all_sanctions = _sanctions_of(user.school_id, pupil_ids, subject_sanctions)
    all_sanction_ids = _written_once(all_sanctions.values("pk"))
    sanction_ids = _written_once(all_sanctions.filter(academic_year=year).values("pk"))
    chosen = {"subject_sanctions": subject_sanctions} if subject else {}
    pending = _PENDING.list(
        subject is not None, school=user.school_id, pupils=pupil_ids, year=year.pk, **chosen
    )

    board.week = week_of(today)
    board.sessions = _SESSIONS.list(
        school=user.school_id,
        monday=board.week[0],
        sunday=board.week[1],
        sanctions=sanction_ids,
    )
    board.meetings = _MEETINGS_TO_ARRANGE.list(school=user.school_id, sanctions=all_sanction_ids)
    absences = _ABSENCES.list(
        school=user.school_id,
        start=year.start_date,
        end=year.end_date,
        sanctions=all_sanction_ids,
    )
    # The bookings each stage is read from, for the sanctions to serve and those the
    # absences belong to, in one query.
    prefetch_related_objects(
        [*pending, *(booking.sanction for booking in absences)], stage_prefetch("bookings")
    )
    board.pending = [PendingRow(sanction, stage_of(sanction)) for sanction in pending]
    board.absences = [AbsenceRow(booking, stage_of(booking.sanction)) for booking in absences]

    half_terms = list(HalfTerm.objects.filter(academic_year=year).order_by("start_date"))
    counts = _trend_and_served(
        half_terms,
        school_id=user.school_id,
        year=year,
        pupil_ids=pupil_ids,
        sanction_ids=sanction_ids,
        subject=subject,
    )
    board.served = counts.pop(_SERVED, 0)
    if half_terms:
        board.trend = [TrendRow(ht, counts.get(ht.pk, 0)) for ht in half_terms]
        board.half_term_now = next(
            (
                row
                for row in board.trend
                if row.half_term.start_date <= today <= row.half_term.end_date
            ),
            None,
        )
    # Messages to these pupils' families that did not reach them (two queries).
    board.failed, board.failed_cut = failed_messages(pupil_ids, school_id=user.school_id)
    # A rolled-over year shows each pupil in the groups they were in then (one query).
    as_placed_in(
        year,
        [row.pupil for row in board.pupils]
        + [row.sanction.pupil for row in board.pending]
        + [meeting.pupil for meeting in board.meetings]
        + [row.booking.sanction.pupil for row in board.absences]
        + [failed.notification.pupil for failed in board.failed],
    )
    return board


def pastoral_pupils(user) -> QuerySet[Pupil]:
    """Pupils whose timeline this person may open: visible to them, and in their care as
    form tutor, head of year or house, or school-wide. A subject teacher as such: none."""
    if not access.has_role(user, *PASTORAL_ROLES):
        return Pupil.objects.none()
    visible = access.pupils_visible_to(user).filter(school_id=user.school_id)
    if access.is_school_wide(user):
        return visible
    return visible.filter(
        Q(tutor_group_id__in=access.scope_ids(user, Role.FORM_TUTOR))
        | Q(year_group_id__in=access.scope_ids(user, Role.HEAD_OF_YEAR))
        | Q(house_id__in=access.scope_ids(user, Role.HEAD_OF_HOUSE))
        # Last year's, in the summer after the next year was started (its dashboard).
        | placed_this_year(
            user.school_id,
            timezone.localdate(),
            year_group_ids=access.scope_ids(user, Role.HEAD_OF_YEAR),
            tutor_group_ids=access.scope_ids(user, Role.FORM_TUTOR),
        )
    )


def may_excuse_for(user, pupil: Pupil) -> bool:
    """The pupil's form tutor, head of year, or a senior leader (as misses_excusable_by)."""
    return (
        access.has_role(user, Role.SENIOR_LEADER)
        or pupil.tutor_group_id in access.scope_ids(user, Role.FORM_TUTOR)
        or pupil.year_group_id in access.scope_ids(user, Role.HEAD_OF_YEAR)
    )


@dataclass
class Timeline:
    misses: list[Miss]
    sanctions: list[Sanction]
    bookings: list[DetentionBooking]
    meetings: list[Meeting]
    commendations: list[Commendation]
    audit: list[AuditEntry]
    told: list[Notification] = field(default_factory=list)


TOLD_SHOWN = 100


# The timeline's reads, of one shape for every pupil: built and compiled once a connection.
def _of_the_pupil(model, *related: str, order: tuple[str, ...]) -> Prepared:
    return Prepared(
        lambda: (
            model.objects.filter(school_id=Param("school"), pupil_id=Param("pupil"))
            .select_related(*related)
            .order_by(*order)
        )
    )


_SANCTIONS = _of_the_pupil(Sanction, "academic_year", order=("-created_at", "-pk"))
_BOOKINGS = Prepared(
    lambda: (
        DetentionBooking.objects.filter(
            school_id=Param("school"), sanction__pupil_id=Param("pupil")
        )
        .select_related("session", "changed_by")
        .order_by("-session__date", "-session__start_time", "-pk")
    )
)
_MISSES = _of_the_pupil(
    Miss,
    "academic_year",
    "assignment__homework__teaching_group__subject",
    "assignment__homework__set_by",
    "recorded_by",
    "changed_by",
    "sanction",
    order=("-recorded_at", "-pk"),
)
_MEETINGS = _of_the_pupil(Meeting, "owner", "sanction", order=("-created_at", "-pk"))
_COMMENDATIONS = _of_the_pupil(
    Commendation, "awarded_by", "assignment__homework", order=("-awarded_at", "-pk")
)
_AUDIT = _of_the_pupil(AuditEntry, "actor", order=("-at", "-pk"))
_TOLD = Prepared(
    lambda: (
        Notification.objects.filter(school_id=Param("school"), pupil_id=Param("pupil"))
        .select_related("guardian")
        .prefetch_related("deliveries")
        .order_by("-created_at", "-pk")[:TOLD_SHOWN]
    )
)


def timeline_of(pupil: Pupil) -> Timeline:
    """Every miss, sanction, detention and exclusion booking, meeting, commendation and
    audit entry of the pupil, newest first (each sanction with where it stands, read from
    the same bookings), and the latest messages to their parents with whether each
    reached them (eight queries)."""
    mine = {"school": pupil.school_id, "pupil": pupil.pk}
    sanctions = _SANCTIONS.list(**mine)
    bookings = _BOOKINGS.list(**mine)
    _stage_bookings_set(sanctions, bookings)
    return Timeline(
        misses=_MISSES.list(**mine),
        sanctions=[_staged(sanction) for sanction in sanctions],
        bookings=bookings,
        meetings=_MEETINGS.list(**mine),
        commendations=_COMMENDATIONS.list(**mine),
        audit=[_labelled(entry) for entry in _AUDIT.list(**mine)],
        told=_TOLD.list(**mine),
    )


def _stage_bookings_set(sanctions: list[Sanction], bookings: list[DetentionBooking]) -> None:
    """What stage_prefetch would read for each sanction (its bookings but those replaced
    by a later one, oldest first), from the pupil's bookings read newest first; each
    booking's sanction is the one listed."""
    by_pk = {sanction.pk: sanction for sanction in sanctions}
    for sanction in sanctions:
        sanction.stage_bookings = []
    for booking in reversed(bookings):
        sanction = by_pk[booking.sanction_id]
        booking.sanction = sanction
        if booking.status != DetentionBooking.Status.REBOOKED:
            sanction.stage_bookings.append(booking)


ACTION_LABELS = {
    "miss_recorded": "Missed deadline recorded",
    "miss_voided": "Missed deadline undone (recorded in error)",
    "miss_excused": "Missed deadline excused",
    "sanction_created": "Sanction due",
    "sanction_cancelled": "Sanction cancelled",
    "sanction_served": "Sanction served",
    "detention_missed": "Detention missed without an authorised reason",
    "internal_exclusion_booked": "Internal exclusion day booked",
    "internal_exclusion_missed": "Internal exclusion day missed without an authorised reason",
    "internal_exclusion_cancelled": "Internal exclusion day cancelled (register corrected)",
    "meeting_arranged": "Meeting arranged",
    "meeting_rearranged": "Meeting moved to another date",
    "meeting_held": "Meeting held",
    "meeting_cancelled": "Meeting cancelled",
    "meeting_reassigned": "Meeting passed to another member of staff",
    "commendation_recorded": "Commendation recorded",
}


def _staged(sanction: Sanction) -> Sanction:
    sanction.where = stage_of(sanction)
    return sanction


def _labelled(entry: AuditEntry) -> AuditEntry:
    entry.label = ACTION_LABELS.get(entry.action, entry.action.replace("_", " ").capitalize())
    return entry
