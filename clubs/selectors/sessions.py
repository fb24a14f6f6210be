"""Reads for clubs, their sessions and bookings: who sees and runs them, the coming
sessions with their places and staff, a pupil's bookings and visits, the booked pupils
who did not come, and the panels clubs adds to the planner and the pupil's page."""

import datetime
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from school import access
from school.calendar import academic_year_for
from school.models import Pupil, RoleAssignment, School, User
from school.placements import as_placed_by, placement_on

from ..models import Attendance, Booking, Club, ClubSession, RotaSlot

Role = RoleAssignment.Role


LEADER_ROLES = (Role.SENIOR_LEADER, Role.HEAD_OF_YEAR, Role.SCHOOL_ADMIN)


UPCOMING_DAYS = 28


UPCOMING_SHOWN = 100


NO_SHOW_DAYS = 28


def club_leader(user) -> bool:
    """Leaders add clubs of any kind and run every club of their school."""
    return access.has_role(user, *LEADER_ROLES)


def club_creator(user) -> bool:
    """Leaders add clubs; teachers offer their own study sessions."""
    return club_leader(user) or access.has_role(user, Role.TEACHER)


def club_manager(user, club: Club) -> bool:
    """Who adds and cancels the club's sessions: leaders and the club's own leader."""
    return club.school_id == user.school_id and (club_leader(user) or club.leader_id == user.pk)


def clubs_user(user) -> bool:
    """The clubs pages are for the school's staff and pupils (parents see their child's
    clubs on their overview)."""
    return access.is_staff_member(user) or access.is_pupil(user)


def no_shows_viewer(user) -> bool:
    return access.has_role(user, Role.FORM_TUTOR, *LEADER_ROLES)


def booked_pupil_gone(booking: str = "") -> Q:
    """Bookings (through `booking`) of a pupil who has left by the session's day: off its
    register and lists, and their place free. Attendances already taken stay."""
    return Q(**{f"{booking}pupil__left_on__lte": F(f"{booking}session__date")})


def _booked_count():
    return Coalesce(
        Subquery(
            Booking.objects.filter(session=OuterRef("pk"), status=Booking.Status.BOOKED)
            .exclude(booked_pupil_gone())
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _staff_count():
    return Coalesce(
        Subquery(
            RotaSlot.objects.filter(session=OuterRef("pk"))
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def pupil_of(user) -> Pupil | None:
    # Staff are never pupils: asking them first saves staff pages a query.
    return user.pupil if not access.is_staff_member(user) and access.is_pupil(user) else None


def _open_to_year(year_group_id: int) -> Q:
    return Q(club__year_groups__isnull=True) | Q(club__year_groups=year_group_id)


def clubs_visible_to(user) -> QuerySet[Club]:
    if access.is_staff_member(user):
        return Club.objects.filter(school_id=user.school_id)
    pupil = pupil_of(user)
    if pupil is None:
        return Club.objects.none()
    return (
        Club.objects.filter(school_id=pupil.school_id, is_active=True)
        .filter(Q(year_groups__isnull=True) | Q(year_groups=pupil.year_group_id))
        .distinct()
    )


def sessions_visible_to(user) -> QuerySet[ClubSession]:
    """Staff see every session of their school; a pupil the sessions of active clubs
    open to their year."""
    sessions = ClubSession.objects.select_related("club", "club__leader", "school")
    if access.is_staff_member(user):
        return sessions.filter(school_id=user.school_id)
    pupil = pupil_of(user)
    if pupil is None:
        return sessions.none()
    return sessions.filter(
        school_id=pupil.school_id,
        club__is_active=True,
        pk__in=ClubSession.objects.filter(school_id=pupil.school_id)
        .filter(_open_to_year(pupil.year_group_id))
        .values("pk"),
    )


def with_counts(sessions: QuerySet[ClubSession]) -> QuerySet[ClubSession]:
    return sessions.annotate(booked=_booked_count(), staff_on=_staff_count())


def upcoming(sessions: QuerySet[ClubSession], school, *, now=None) -> QuerySet[ClubSession]:
    today = school_now(school, now).date()
    return sessions.filter(
        date__gte=today, date__lte=today + datetime.timedelta(days=UPCOMING_DAYS)
    ).order_by("date", "start_time", "pk")


def clubs_for_page(user) -> list[Club]:
    """The active clubs with their leader and year groups (two queries)."""
    return list(
        clubs_visible_to(user)
        .filter(is_active=True)
        .select_related("leader")
        .prefetch_related("year_groups")
        .order_by("kind", "name", "pk")
    )


def staff_sessions(user, *, now=None) -> list[ClubSession]:
    """The next four weeks' sessions of the school, with places booked and staff on."""
    return list(
        with_counts(upcoming(sessions_visible_to(user), user.school, now=now))[:UPCOMING_SHOWN]
    )


def pupil_sessions(pupil: Pupil, user, *, now=None) -> list[ClubSession]:
    """The next four weeks' sessions open to the pupil that have not started (a session
    under way or over can no longer be booked), each with places booked and whether the
    pupil has one (`mine`)."""
    local = school_now(user.school, now)
    sessions = (
        upcoming(sessions_visible_to(user), user.school, now=now)
        .exclude(date=local.date(), start_time__lte=local.time())
        .annotate(
            mine=Exists(
                Booking.objects.filter(
                    session=OuterRef("pk"), pupil=pupil, status=Booking.Status.BOOKED
                )
            )
        )
    )
    return list(with_counts(sessions)[:UPCOMING_SHOWN])


_BOOKING = Booking._meta.db_table
_NOT_COME = (
    f"NOT EXISTS(SELECT 1 FROM {Attendance._meta.db_table} v"
    f" WHERE v.session_id = {_BOOKING}.session_id AND v.pupil_id = {_BOOKING}.pupil_id)"
)


def places_to_come(bookings: QuerySet[Booking], local_now: datetime.datetime) -> QuerySet[Booking]:
    """Of these bookings, the places still to come, soonest first: booked, in a session
    not cancelled and not over, that the pupil has not come to yet. Once checked in it is
    a visit (`pupil_visits`); a session over without them is a no-show (`no_shows`).
    `local_now`: the time in the school's time zone."""
    return (
        bookings.filter(status=Booking.Status.BOOKED, session__status=ClubSession.Status.SCHEDULED)
        .filter(
            Q(session__date__gt=local_now.date())
            | Q(session__date=local_now.date(), session__end_time__gt=local_now.time())
        )
        # Written in SQL: the ORM's Exists/OuterRef cost milliseconds of Python to build
        # (the parents' overview reads the family's places on every visit).
        .filter(RawSQL(_NOT_COME, (), BooleanField()))
        .select_related("session__club")
        .order_by("session__date", "session__start_time", "pk")
    )


def pupil_bookings(pupil: Pupil, school, *, now=None, limit=UPCOMING_SHOWN) -> list[Booking]:
    """The pupil's places still to come, soonest first (one query)."""
    bookings = Booking.objects.filter(pupil=pupil, school_id=pupil.school_id)
    return list(places_to_come(bookings, school_now(school, now))[:limit])


VISITS_SHOWN = 20


def pupil_visits(pupil: Pupil, *, limit=VISITS_SHOWN) -> list[Attendance]:
    """The pupil's latest visits to clubs with their time and reward (one query)."""
    return list(
        Attendance.objects.filter(pupil=pupil, school_id=pupil.school_id)
        .select_related("session__club")
        .order_by("-checked_in_at", "-pk")[:limit]
    )


def session_bookings(session: ClubSession) -> list[Booking]:
    """Who is booked into the session, by name (one query): not a pupil who has left by
    its day. A session of a rolled-over year shows each in their groups of then (one
    query more, school/placements.py)."""
    bookings = list(
        session.bookings.filter(status=Booking.Status.BOOKED)
        .exclude(booked_pupil_gone())
        .select_related("pupil__tutor_group", "pupil__year_group")
        .annotate(placement_then=placement_on(session.school_id, session.date))
        .order_by("pupil__last_name", "pupil__first_name", "pk")
    )
    as_placed_by((booking.placement_then, booking.pupil) for booking in bookings)
    return bookings


def session_staff(session: ClubSession) -> list[User]:
    return [slot.staff for slot in session.rota.select_related("staff").order_by("pk")]


def own_booking(session: ClubSession, pupil: Pupil) -> Booking | None:
    return session.bookings.filter(pupil=pupil, status=Booking.Status.BOOKED).first()


def no_shows(user, *, now=None) -> list[Booking]:
    """Bookings of the tutor's tutees (a head of year's year, a leader's school) into
    sessions of the last four weeks that have ended with no attendance recorded, by
    tutor group and name. A session of a rolled-over year (in the summer after the next
    year was started) names its pupil's tutor group of then (one query more)."""
    local = school_now(user.school, now)
    today = local.date()
    tutees = Pupil.objects.on_roll(today).filter(
        school_id=user.school_id,
        tutor_group_id__in=access.tutor_groups_visible_to(user).values("pk"),
    )
    bookings = list(
        Booking.objects.filter(
            school_id=user.school_id,
            status=Booking.Status.BOOKED,
            pupil_id__in=tutees.values("pk"),
            session__status=ClubSession.Status.SCHEDULED,
            session__date__gte=today - datetime.timedelta(days=NO_SHOW_DAYS),
        )
        .filter(
            Q(session__date__lt=today) | Q(session__date=today, session__end_time__lte=local.time())
        )
        .exclude(
            Exists(
                Attendance.objects.filter(
                    session_id=OuterRef("session_id"), pupil_id=OuterRef("pupil_id")
                )
            )
        )
        .select_related("session__club", "pupil__tutor_group")
        .annotate(placement_then=placement_on(user.school_id, "session__date"))
        .order_by(
            "pupil__tutor_group__name",
            "pupil__last_name",
            "pupil__first_name",
            "-session__date",
            "pk",
        )
    )
    if any(booking.placement_then for booking in bookings):
        as_placed_by((booking.placement_then, booking.pupil) for booking in bookings)
        bookings.sort(
            key=lambda b: (
                b.pupil.tutor_group.name,
                b.pupil.last_name,
                b.pupil.first_name,
                -b.session.date.toordinal(),
                b.pk,
            )
        )
    return bookings


PLANNER_SHOWN = 5


RECORD_SHOWN = 5


def pupil_record_panel_context(*, pupil: Pupil, user) -> dict | None:
    """A pupil's club visits this academic year for staff on the pupil's page: how many,
    the rewards, the latest few (two queries). Parents and pupils see them on their own
    pages."""
    if not access.is_staff_member(user):
        return None
    today = timezone.localdate()
    year = academic_year_for(pupil.school_id, today)
    visits = Attendance.objects.filter(school_id=pupil.school_id, pupil=pupil)
    if year is not None:
        visits = visits.filter(session__date__gte=year.start_date)
    latest = list(
        visits.annotate(
            total=Window(Count("pk")),
            rewards=Window(Count("pk", filter=Q(worked_effectively=True))),
        )
        .select_related("session__club")
        .order_by("-checked_in_at", "-pk")[:RECORD_SHOWN]
    )
    return {
        "visits": latest,
        "total": latest[0].total if latest else 0,
        "rewards": latest[0].rewards if latest else 0,
    }


def planner_panel_context(*, pupil: Pupil, user) -> dict:
    """The pupil's next booked sessions for their planner (one query: the page is already
    in the school's time zone, school/middleware.py, so its date today needs no other)."""
    bookings = Booking.objects.filter(pupil=pupil, school_id=pupil.school_id)
    return {"bookings": list(places_to_come(bookings, timezone.localtime())[:PLANNER_SHOWN])}


def school_now(school: School, now=None) -> datetime.datetime:
    """`now` (default: the clock) in the school's time zone."""
    return (now or timezone.now()).astimezone(ZoneInfo(school.time_zone))


def session_started(session: ClubSession, now=None) -> bool:
    local = school_now(session.school, now)
    return (session.date, session.start_time) <= (local.date(), local.time())


def session_ended(session: ClubSession, now=None) -> bool:
    local = school_now(session.school, now)
    return (session.date, session.end_time) <= (local.date(), local.time())


def open_to(club: Club, pupil: Pupil, year_group_ids: Iterable[int] | None = None) -> bool:
    """Whether the pupil's year may come: a club with no year groups is open to all.
    `year_group_ids` saves the query when the caller has them."""
    if year_group_ids is None:
        year_group_ids = club.year_groups.values_list("pk", flat=True)
    year_group_ids = set(year_group_ids)
    return not year_group_ids or pupil.year_group_id in year_group_ids
