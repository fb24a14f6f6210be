"""Reads for the detention and internal exclusion pages: the sessions a person sees, the
check list, who waits for a place, a session's register and when it opens."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from school import access
from school.links import id_url, short_day
from school.models import AcademicYear, RoleAssignment
from school.placements import as_placed_each

from ..models import (
    DetentionBooking,
    DetentionSession,
    Sanction,
    SessionKind,
)
from ..stages import stage_of, stage_prefetch

Role = RoleAssignment.Role


def left_by_session(booking: str = "", session_date: str = "session__date") -> Q:
    """Bookings (through `booking`, e.g. "bookings__") of a pupil who has left by the day
    of their session: off its register and its lists, their place free for someone else,
    and never announced. The sanction and its earlier sittings stay on the record."""
    return Q(**{f"{booking}sanction__pupil__left_on__lte": F(session_date)})


def _year_of_then(year: AcademicYear, day: datetime.date) -> AcademicYear | None:
    """The sanction's academic year when `day` (its session's, or today for a sanction
    still waiting) falls in it: its pupil is then shown in their groups of that year once
    it has been rolled over. A later day (a sanction of last year served in the new one)
    shows the groups of now."""
    return year if day <= year.end_date else None


def bookings_as_placed(bookings: list[DetentionBooking]) -> list[DetentionBooking]:
    """Each booking's pupil in the groups they were in on its session's day, when that
    day belongs to a rolled-over year (school/placements.py: one query, none otherwise)."""
    as_placed_each(
        (
            _year_of_then(booking.sanction.academic_year, booking.session.date),
            booking.sanction.pupil,
        )
        for booking in bookings
    )
    return bookings


DETENTION_ROLES = (Role.HEAD_OF_YEAR, Role.HEAD_OF_HOUSE, Role.SENIOR_LEADER)


def detention_sessions_visible_to(user, kind: str | None = None) -> QuerySet[DetentionSession]:
    """The school's sessions (of this kind: detentions or internal exclusion days) for
    heads of year and house and senior leaders; the sessions they supervise for anyone
    else. `taken`: the places filled."""
    if not access.is_staff_member(user):
        return DetentionSession.objects.none()
    sessions = DetentionSession.objects.filter(school_id=user.school_id)
    if kind is not None:
        sessions = sessions.filter(kind=kind)
    if not access.has_role(user, *DETENTION_ROLES):
        sessions = sessions.filter(supervisor=user)
    return sessions.select_related("supervisor", "school").annotate(
        taken=Count(
            "bookings",
            filter=Q(bookings__status__in=DetentionBooking.LIVE)
            & ~Q(bookings__sanction__status=Sanction.Status.CANCELLED)
            & ~left_by_session("bookings__", "date"),
        )
    )


def upcoming_session_rows(user, kind: str, *, url_name: str, shown: int):
    """The first `shown` sessions of this kind from today that the person sees, each with
    its register's address (URL `url_name`), day and times written once (`url`, `day`,
    `times`)."""
    sessions = detention_sessions_visible_to(user, kind).filter(date__gte=timezone.localdate())
    # Without the school's join, which a list does not read (a register page does).
    sessions = list(sessions.select_related(None).select_related("supervisor")[:shown])
    session_url = id_url(url_name)
    for session in sessions:
        session.url = session_url(session.pk)
        session.day = short_day(session.date)
        session.times = f"{session.start_time:%H:%M}–{session.end_time:%H:%M}"
    return sessions


def detention_viewer(user) -> bool:
    """Who may open the detentions pages (one query for a supervisor without a pastoral
    role, none otherwise)."""
    if access.has_role(user, *DETENTION_ROLES):
        return True
    return (
        access.is_staff_member(user)
        and DetentionSession.objects.filter(school_id=user.school_id, supervisor=user).exists()
    )


def detention_creator(user) -> bool:
    return access.has_role(user, Role.HEAD_OF_YEAR, Role.SENIOR_LEADER)


def _year_and_house(user, pupil: str) -> Q:
    """The viewer's year and house pupils (nobody for a viewer with neither role)."""
    return Q(**{f"{pupil}__year_group_id__in": access.scope_ids(user, Role.HEAD_OF_YEAR)}) | Q(
        **{f"{pupil}__house_id__in": access.scope_ids(user, Role.HEAD_OF_HOUSE)}
    )


def bookings_to_check(user) -> QuerySet[DetentionBooking]:
    """Bookings of flagged pupils awaiting a check: the viewer's year and house pupils,
    or the school's for senior leaders."""
    if not access.is_staff_member(user):
        return DetentionBooking.objects.none()
    bookings = DetentionBooking.objects.filter(
        school_id=user.school_id,
        status=DetentionBooking.Status.NEEDS_CHECK,
        # Said again of the sanction (the booking's school is its sanction's): the plan
        # then reads this school's sanctions, not a trust's.
        sanction__school_id=user.school_id,
    ).exclude(Q(sanction__status=Sanction.Status.CANCELLED) | left_by_session())
    if not access.has_role(user, Role.SENIOR_LEADER):
        bookings = bookings.filter(_year_and_house(user, "sanction__pupil"))
    return bookings.select_related(
        "session",
        "sanction__academic_year",
        "sanction__pupil__tutor_group",
        "sanction__pupil__year_group",
    ).order_by("session__date", "session__start_time", "sanction__pupil__last_name", "pk")


def check_list(user) -> list[DetentionBooking]:
    """The detentions page's check list: bookings_to_check as placed, each with its row's
    addresses and its session's day and time written once (`pupil_url`, `session_url`,
    `confirm_url`, `when`)."""
    # Without the year group's join, which the page does not show (planning drops ~0.5 ms).
    bookings = bookings_to_check(user).select_related(None)
    bookings = bookings.select_related(
        "session", "sanction__academic_year", "sanction__pupil__tutor_group"
    )
    bookings = bookings_as_placed(list(bookings))
    pupil_url = id_url("pupil_detail")
    session_url = id_url("sanctions_detention_session")
    confirm_url = id_url("sanctions_booking_confirm")
    for booking in bookings:
        session = booking.session
        booking.pupil_url = pupil_url(booking.sanction.pupil_id)
        booking.session_url = session_url(session.pk)
        booking.confirm_url = confirm_url(booking.pk)
        booking.when = f"{short_day(session.date)} {session.start_time:%H:%M}"
    return bookings


WAITING_SHOWN = 200


def sanctions_waiting(user, kind: str) -> list[Sanction]:
    """Sanctions waiting for a place of this kind (no session with room yet), oldest
    first: the viewer's year and house pupils, or the school's for senior leaders.
    `missed_on`: for exclusion days, the date of the detention missed without a reason;
    `where`: where each stands (sanctions/stages.py); `pupil_url`, and `since`: the day it
    has waited since (the detention missed, for exclusion days), written once."""
    if not access.is_staff_member(user):
        return []
    waiting = waiting_for_a_place(user.school_id, kind)
    if not access.has_role(user, Role.SENIOR_LEADER):
        waiting = waiting.filter(_year_and_house(user, "pupil"))
    if kind == SessionKind.INTERNAL_EXCLUSION:
        missed = DetentionBooking.objects.filter(
            sanction=OuterRef("pk"),
            kind=SessionKind.DETENTION,
            status=DetentionBooking.Status.ABSENT_UNAUTHORISED,
        ).order_by("-session__date")
        waiting = waiting.annotate(missed_on=Subquery(missed.values("session__date")[:1]))
    waiting = list(
        waiting.select_related("academic_year", "pupil__tutor_group").prefetch_related(
            stage_prefetch()
        )[:WAITING_SHOWN]
    )
    pupil_url = id_url("sanctions_pupil")
    for sanction in waiting:
        sanction.where = stage_of(sanction)
        sanction.pupil_url = pupil_url(sanction.pupil_id)
        sanction.since = short_day(
            sanction.missed_on
            if kind == SessionKind.INTERNAL_EXCLUSION
            else timezone.localdate(sanction.created_at)
        )
    # Last year's sanctions still waiting in the summer: their pupils in the groups of then.
    today = timezone.localdate()
    as_placed_each((_year_of_then(s.academic_year, today), s.pupil) for s in waiting)
    return waiting


def register_bookings(session: DetentionSession) -> list[DetentionBooking]:
    """A session's register, by pupil name (cancelled sanctions and pupils who had left by
    the session's day left out). The page shows them through bookings_as_placed."""
    return list(
        session.bookings.exclude(sanction__status=Sanction.Status.CANCELLED)
        .exclude(left_by_session())
        .select_related(
            "session",
            "sanction__academic_year",
            "sanction__pupil__tutor_group",
            "sanction__pupil__year_group",
        )
        .order_by("sanction__pupil__last_name", "sanction__pupil__first_name", "pk")
    )


Status = DetentionBooking.Status


def register_opens_at(session: DetentionSession) -> datetime.datetime:
    """A register is taken once its session has started (and may be corrected after)."""
    return datetime.datetime.combine(
        session.date, session.start_time, tzinfo=ZoneInfo(session.school.time_zone)
    )


def register_open(session: DetentionSession, now=None) -> bool:
    return (now or timezone.now()) >= register_opens_at(session)


def register_not_open_message(session: DetentionSession) -> str:
    opens = register_opens_at(session)
    return (
        f"The register opens when the session starts, at {opens:%H:%M} on "
        f"{opens:%A %d/%m/%Y}: nothing was saved."
    )


def waiting_for_a_place(school_id: int, kind: str) -> QuerySet[Sanction]:
    """Open sanctions with no live booking of this kind that need one: every detention
    not yet booked; for exclusion days, those whose detention was missed without an
    authorised reason. A pupil who has left waits for nothing: their sanction stays on
    record, unbooked."""
    bookings = DetentionBooking.objects.filter(sanction=OuterRef("pk"))
    waiting = Sanction.objects.filter(
        access.on_roll(timezone.localdate(), "pupil"),
        school_id=school_id,
        status=Sanction.Status.TO_SCHEDULE,
    ).exclude(Exists(bookings.filter(kind=kind, status__in=DetentionBooking.LIVE)))
    if kind == SessionKind.INTERNAL_EXCLUSION:
        waiting = waiting.filter(
            Exists(bookings.filter(kind=SessionKind.DETENTION, status=Status.ABSENT_UNAUTHORISED))
        )
    return waiting.order_by("created_at", "pk")
