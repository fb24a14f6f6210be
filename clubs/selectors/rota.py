"""Reads for the staff rota: who may volunteer and who leads, the coming sessions with
their staff, the gaps, and each person's minutes this half-term against the target."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import (
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)
from django.utils import timezone

from school import access
from school.models import HalfTerm, RoleAssignment, User

from ..models import Club, ClubPolicy, ClubSession, RotaSlot

Role = RoleAssignment.Role


ROTA_ROLES = (Role.TEACHER, Role.LSA)


ROTA_WEEKS = 6


def club_policy(school_id: int) -> ClubPolicy:
    """The school's club rules, or the defaults (unsaved) when it has none yet."""
    return ClubPolicy.objects.filter(school_id=school_id).first() or ClubPolicy(school_id=school_id)


def is_rota_staff(user) -> bool:
    """Teachers and learning support assistants volunteer for the rota."""
    return access.has_role(user, *ROTA_ROLES)


def clubs_led_by(user) -> QuerySet[Club]:
    """The clubs whose rota this person leads: every club of the school for senior
    leaders and school admins, otherwise the clubs they lead."""
    if not access.is_staff_member(user):
        return Club.objects.none()
    clubs = Club.objects.filter(school_id=user.school_id)
    if access.is_school_wide(user):
        return clubs
    return clubs.filter(leader=user)


def is_club_leader(user) -> bool:
    """Senior leaders, school admins and anyone leading an active club (read once per
    request)."""
    if not access.is_staff_member(user):
        return False
    if access.is_school_wide(user):
        return True
    cached = getattr(user, "_leads_a_club", None)
    if cached is None:
        cached = Club.objects.filter(school_id=user.school_id, leader=user, is_active=True).exists()
        user._leads_a_club = cached
    return cached


def rota_viewer(user) -> bool:
    return is_rota_staff(user) or is_club_leader(user)


def rota_staff_of(school_id: int) -> QuerySet[User]:
    """The school's teachers and learning support assistants, by name."""
    return User.objects.filter(
        Exists(
            RoleAssignment.objects.filter(
                user=OuterRef("pk"), school_id=school_id, role__in=ROTA_ROLES
            )
        ),
        school_id=school_id,
        is_active=True,
    ).order_by("last_name", "first_name", "pk")


def upcoming_rota_sessions(school_id: int, *, today: datetime.date) -> QuerySet[ClubSession]:
    """The homework club sessions of the next weeks (today's included, over or not: their
    registers are open all day) with their clubs and who is on (two queries)."""
    return (
        ClubSession.objects.filter(
            school_id=school_id,
            date__gte=today,
            date__lt=today + datetime.timedelta(weeks=ROTA_WEEKS),
            status=ClubSession.Status.SCHEDULED,
            club__kind=Club.Kind.HOMEWORK_CLUB,
            club__is_active=True,
        )
        .select_related("club")
        .prefetch_related(
            Prefetch(
                "rota",
                queryset=RotaSlot.objects.select_related("staff").order_by(
                    "staff__last_name", "staff__first_name"
                ),
            )
        )
        .order_by("date", "start_time", "pk")
    )


@dataclass
class StaffMinutes:
    staff: User
    minutes: int  # on the rota this half-term, sessions still to come included
    to_come: int  # of which in sessions from today on
    target: int

    @property
    def short_by(self) -> int:
        return max(self.target - self.minutes, 0)

    @property
    def met(self) -> bool:
        return self.minutes >= self.target


def _minutes(duration: datetime.timedelta | None) -> int:
    return int(duration.total_seconds() // 60) if duration else 0


def staff_minutes(
    school_id: int, half_term: HalfTerm, *, target: int, today: datetime.date
) -> list[StaffMinutes]:
    """Each teacher and learning support assistant with their rota minutes in the
    half-term's homework club sessions (cancelled sessions do not count), fewest first
    (two queries)."""
    length = ExpressionWrapper(
        F("session__end_time") - F("session__start_time"), output_field=DurationField()
    )
    totals = (
        RotaSlot.objects.filter(
            school_id=school_id,
            session__date__gte=half_term.start_date,
            session__date__lte=half_term.end_date,
            session__status=ClubSession.Status.SCHEDULED,
            session__club__kind=Club.Kind.HOMEWORK_CLUB,
        )
        .values("staff_id")
        .annotate(total=Sum(length), to_come=Sum(length, filter=Q(session__date__gte=today)))
    )
    by_staff = {row["staff_id"]: row for row in totals}
    rows = []
    for person in rota_staff_of(school_id):
        row = by_staff.get(person.pk, {})
        rows.append(
            StaffMinutes(
                staff=person,
                minutes=_minutes(row.get("total")),
                to_come=_minutes(row.get("to_come")),
                target=target,
            )
        )
    rows.sort(key=lambda r: (r.minutes, r.staff.last_name, r.staff.first_name, r.staff.pk))
    return rows


def rota_gaps(sessions, clubs_led_ids: set[int]) -> list[ClubSession]:
    """Of the listed sessions, those of the leader's clubs short of staff."""
    return [
        session
        for session in sessions
        if session.club_id in clubs_led_ids and len(session.rota.all()) < session.staff_needed
    ]


def session_over(
    session: ClubSession, now: datetime.datetime, zone: ZoneInfo | None = None
) -> bool:
    """Whether the session has ended, in the school's time zone (`zone`, or read from
    `session.school`)."""
    local = timezone.localtime(now, zone or ZoneInfo(session.school.time_zone))
    return (session.date, session.end_time) <= (local.date(), local.time())
