"""A club session's register (seed 001): the session's rota staff and leaders tick in
the pupils who booked, find walk-ins by name, check pupils out, and mark "worked
effectively" for the reward once a pupil has stayed the policy's minutes (default 30).
The reward is the Attendance row on the pupil's record, and parents are told as a
commendation. Each row shows the pupil's overdue and due-tomorrow homework so that staff
can help with it."""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from homework.models import Assignment, Homework
from notifications.notices import COMMENDATION
from notifications.services import notifications_queue
from school import access
from school.models import Pupil, User

from .models import Attendance, Booking, Club, ClubSession, RotaSlot
from .rota import club_policy

SEARCH_MIN_LENGTH = 2
SEARCH_SHOWN = 20


class RegisterError(Exception):
    """A request the register's rules refuse; the message is shown as it is."""


# Who may take the register ----------------------------------------------------------------


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


# Reads for the page -----------------------------------------------------------------------


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
    bookings = Booking.objects.filter(session=session, status=Booking.Status.BOOKED).select_related(
        "pupil__year_group", "pupil__tutor_group"
    )
    attendances = Attendance.objects.filter(session=session).select_related(
        "pupil__year_group", "pupil__tutor_group"
    )
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
    """The pupils of the club's school in its year groups (all years when it names none)."""
    pupils = Pupil.objects.filter(school_id=club.school_id)
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


# Writes ------------------------------------------------------------------------------------


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


def _check_open(session: ClubSession, now: datetime.datetime) -> None:
    refusal = register_refusal(session, now)
    if refusal:
        raise RegisterError(refusal)


@transaction.atomic
def attendance_check_in(*, session: ClubSession, pupil: Pupil, actor: User, now=None) -> Attendance:
    """Tick a pupil in: one who booked, or a walk-in of the club's year groups."""
    now = now or timezone.now()
    _check_open(session, now)
    booked = Booking.objects.filter(
        session=session, pupil=pupil, status=Booking.Status.BOOKED
    ).exists()
    if not booked and not pupils_for_club(session.club).filter(pk=pupil.pk).exists():
        raise RegisterError(f"{pupil.full_name} is not in the year groups this club is for.")
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                school_id=session.school_id,
                session=session,
                pupil=pupil,
                checked_in_at=now,
                checked_in_by=actor,
            )
    except IntegrityError:
        raise RegisterError(f"{pupil.full_name} is already checked in.") from None


def _locked_attendance(session: ClubSession, pupil: Pupil) -> Attendance:
    attendance = Attendance.objects.select_for_update().filter(session=session, pupil=pupil).first()
    if attendance is None:
        raise RegisterError(f"{pupil.full_name} is not checked in.")
    return attendance


@transaction.atomic
def attendance_check_out(
    *, session: ClubSession, pupil: Pupil, actor: User, now=None
) -> Attendance:
    """Tick a pupil out; their time in the club is from check-in to now."""
    now = now or timezone.now()
    attendance = _locked_attendance(session, pupil)
    if attendance.checked_out_at is not None:
        raise RegisterError(f"{pupil.full_name} is already checked out.")
    attendance.checked_out_at = max(now, attendance.checked_in_at)
    attendance.checked_out_by = actor
    attendance.save(update_fields=["checked_out_at", "checked_out_by"])
    return attendance


@transaction.atomic
def attendance_reward(*, session: ClubSession, pupil: Pupil, actor: User, now=None) -> Attendance:
    """Mark that the pupil worked effectively: only once they have stayed the policy's
    minutes (to check-out, or to now while still in). Parents are told as a commendation."""
    now = now or timezone.now()
    attendance = _locked_attendance(session, pupil)
    if attendance.worked_effectively:
        raise RegisterError(f"{pupil.full_name} already has the reward for this session.")
    needed = club_policy(session.school_id).reward_minutes
    stayed = minutes_between(attendance.checked_in_at, attendance.checked_out_at or now)
    if stayed < needed:
        raise RegisterError(
            f"{pupil.full_name} has been in the club for {stayed} minutes: the reward needs "
            f"at least {needed} minutes of work."
        )
    attendance.worked_effectively = True
    attendance.rewarded_by = actor
    attendance.rewarded_at = now
    attendance.save(update_fields=["worked_effectively", "rewarded_by", "rewarded_at"])
    notifications_queue(
        events=[
            (
                pupil.pk,
                COMMENDATION,
                # Facts, not a sentence: the family reads them in their own language.
                {
                    "kind": "club_reward",
                    "club": session.club.name,
                    "club_kind": session.club.kind,
                    "minutes": stayed,
                },
            )
        ]
    )
    return attendance
