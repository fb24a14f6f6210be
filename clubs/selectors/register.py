"""Reads for a session's register: the pupils expected and in, with the homework each has
due, the walk-in search, and when the register opens."""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from homework.models import Assignment, Homework
from school import access
from school.models import Pupil
from school.placements import as_placed_by, placement_on

from ..models import Attendance, Booking, Club, ClubSession, RotaSlot
from .sessions import booked_pupil_gone

SEARCH_MIN_LENGTH = 2


SEARCH_SHOWN = 20


def sessions_registrable_by(user) -> QuerySet[ClubSession]:
    """The sessions whose register this person may take: those they are on the rota for,
    those of the clubs they lead, and every session of the school for senior leaders and
    school admins. Nobody else's, and nothing at another school."""
    if not access.is_staff_member(user):
        return ClubSession.objects.none()
    sessions = ClubSession.objects.filter(school_id=user.school_id)
    if access.is_school_wide(user):
        return sessions
    return sessions.filter(
        Exists(RotaSlot.objects.filter(session=OuterRef("pk"), staff=user)) | Q(club__leader=user)
    )


@dataclass
class HomeworkDue:
    title: str
    subject: str
    due_at: datetime.datetime
    overdue: bool
    alternative: bool


@dataclass
class RegisterRow:
    pupil: Pupil
    booked: bool
    attendance: Attendance | None
    homework: list[HomeworkDue] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.attendance is None:
            return "expected"
        return "out" if self.attendance.checked_out_at else "in"


def _zone(session: ClubSession) -> ZoneInfo:
    return ZoneInfo(session.school.time_zone)


def end_of_tomorrow(session: ClubSession, now: datetime.datetime) -> datetime.datetime:
    zone = _zone(session)
    tomorrow = timezone.localtime(now, zone).date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(tomorrow + datetime.timedelta(days=1), datetime.time(), zone)


def homework_to_help_with(
    pupil_ids, *, session: ClubSession, now: datetime.datetime
) -> dict[int, list[HomeworkDue]]:
    """Each pupil's homework not handed in that is overdue or due by the end of tomorrow
    (one query, however many pupils)."""
    if not pupil_ids:
        return {}
    assignments = (
        Assignment.objects.filter(
            school_id=session.school_id,
            pupil_id__in=pupil_ids,
            status=Assignment.Status.SET,
            homework__status=Homework.Status.SET,
            due_at__lt=end_of_tomorrow(session, now),
        )
        .select_related("homework__teaching_group__subject")
        .order_by("due_at", "pk")
    )
    found: dict[int, list[HomeworkDue]] = {}
    for assignment in assignments:
        homework = assignment.homework
        found.setdefault(assignment.pupil_id, []).append(
            HomeworkDue(
                title=homework.title,
                subject=homework.teaching_group.subject.name,
                due_at=assignment.due_at,
                overdue=assignment.due_at <= now,
                alternative=assignment.uses_alternative and homework.has_alternative,
            )
        )
    return found


def _pupils_with_groups():
    return Pupil.objects.select_related("year_group", "tutor_group")


def register_rows(session: ClubSession, *, now=None) -> list[RegisterRow]:
    """Everyone expected (booked) or checked in, by name, with their homework to help
    with (three queries)."""
    now = now or timezone.now()
    # A session of a rolled-over year: its pupils in their groups of then (one query
    # more, school/placements.py; none in the current year).
    then = placement_on(session.school_id, session.date)
    bookings = list(
        Booking.objects.filter(session=session, status=Booking.Status.BOOKED)
        .exclude(booked_pupil_gone())
        .select_related("pupil__year_group", "pupil__tutor_group")
        .annotate(placement_then=then)
    )
    attendances = list(
        Attendance.objects.filter(session=session)
        .select_related("pupil__year_group", "pupil__tutor_group")
        .annotate(placement_then=then)
    )
    as_placed_by((row.placement_then, row.pupil) for row in [*bookings, *attendances])
    rows: dict[int, RegisterRow] = {}
    for booking in bookings:
        rows[booking.pupil_id] = RegisterRow(pupil=booking.pupil, booked=True, attendance=None)
    for attendance in attendances:
        row = rows.get(attendance.pupil_id)
        if row is None:
            rows[attendance.pupil_id] = RegisterRow(
                pupil=attendance.pupil, booked=False, attendance=attendance
            )
        else:
            row.attendance = attendance
    homework = homework_to_help_with(list(rows), session=session, now=now)
    for pupil_id, row in rows.items():
        row.homework = homework.get(pupil_id, [])
    return sorted(rows.values(), key=lambda r: (r.pupil.last_name, r.pupil.first_name, r.pupil.pk))


def pupils_for_club(club: Club) -> QuerySet[Pupil]:
    """The pupils on roll of the club's school in its year groups (all years when it names
    none)."""
    pupils = Pupil.objects.on_roll(timezone.localdate()).filter(school_id=club.school_id)
    years = Club.year_groups.through.objects.filter(club_id=club.pk)
    return pupils.filter(
        Q(year_group_id__in=years.values("yeargroup_id")) | ~Exists(years.values("pk"))
    )


def walk_in_search(session: ClubSession, query: str) -> list[Pupil]:
    """Pupils of the club's year groups whose name matches, not yet on the register
    (one query)."""
    words = query.split()
    if len(query.strip()) < SEARCH_MIN_LENGTH or not words:
        return []
    found = pupils_for_club(session.club)
    for word in words[:3]:
        found = found.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return list(
        found.exclude(Exists(Attendance.objects.filter(session=session, pupil=OuterRef("pk"))))
        .select_related("year_group", "tutor_group")
        .order_by("last_name", "first_name", "pk")[:SEARCH_SHOWN]
    )


def minutes_between(start: datetime.datetime, end: datetime.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def register_opens_at(session: ClubSession) -> datetime.datetime:
    return datetime.datetime.combine(session.date, session.start_time, tzinfo=_zone(session))


def register_refusal(session: ClubSession, now: datetime.datetime) -> str:
    """Why pupils cannot be checked in now ("" when they can): the register opens when
    the session starts and closes at the end of its day."""
    if session.status != ClubSession.Status.SCHEDULED:
        return "This session is cancelled."
    opens = register_opens_at(session)
    if now < opens:
        return (
            f"The register opens when the session starts, at {opens:%H:%M} on {opens:%A %d/%m/%Y}."
        )
    if timezone.localtime(now, _zone(session)).date() != session.date:
        return f"The register is taken on the day of the session ({session.date:%d/%m/%Y})."
    return ""
