"""A parent's personal calendar feed (iCal, like the pupils' one in homework's planner):
their children's homework due dates, confirmed detention and exclusion places, arranged
meetings, and the key dates of their children's year groups. It is reached by a secret
address (homework.models.CalendarFeed, one per login; resetting it kills the old one),
read without a login, and holds only the children the login is linked to now.

Queries, whatever the number of children or rows: the feed with its login, the children,
the homework, the places, the meetings, the key dates and their years (seven)."""

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from homework.models import Assignment, CalendarFeed, Homework
from sanctions.models import DetentionBooking, Meeting, Sanction
from school import access
from school.calendar import zone_named
from school.key_dates import key_dates_for_pupils
from school.models import KeyDate, Pupil, User

from .sql import statement

HOMEWORK_WEEKS_BACK = 8


def feed_guardian(token: str) -> User | None:
    """The guardian whose secret calendar address this is; None for an unknown token, a
    login switched off, or a login that is nobody's guardian (a pupil's token)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, user__is_active=True, user__guardian_records__isnull=False)
        .first()
    )
    return feed.user if feed else None


@dataclass
class FeedEvent:
    uid: str
    summary: str
    description: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date
    path: str = ""  # a page of the site, made absolute by the view


def _children(user) -> list[Pupil]:
    today = timezone.localdate()
    children = (
        access.pupils_visible_to(user)
        .filter(pk__in=access.guardian_links_of(user).values("pupil_id"))
        .select_related("school")
        .order_by("first_name", "pk")
    )
    return [child for child in children if child.left_on is None or child.left_on > today]


def feed_events(user, *, now: datetime.datetime | None = None) -> list[FeedEvent]:
    """Everything in the guardian's feed, each event named with the child it is about."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    children = _children(user)
    if not children:
        return []
    names = {child.pk: child.first_name for child in children}
    school_ids = {child.school_id for child in children}
    zones = {child.school_id: zone_named(child.school.time_zone) for child in children}
    mine = {"school_id__in": school_ids, "pupil_id__in": list(names)}
    events = []

    assignments = (
        Assignment.objects.filter(
            **mine,
            homework__status=Homework.Status.SET,
            due_at__gte=now - datetime.timedelta(weeks=HOMEWORK_WEEKS_BACK),
        )
        .exclude(status=Assignment.Status.EXCUSED)
        .select_related("homework__teaching_group__subject")
        .only(
            "pk",
            "pupil_id",
            "due_at",
            "homework__title",
            "homework__estimated_minutes",
            "homework__teaching_group__subject__name",
        )
        .order_by("due_at", "pk")
    )
    for row in assignments:
        homework = row.homework
        events.append(
            FeedEvent(
                uid=f"parent-homework-{row.pk}",
                summary=_("%(child)s: %(subject)s homework due")
                % {"child": names[row.pupil_id], "subject": homework.teaching_group.subject.name},
                description=_("%(title)s (about %(minutes)s minutes)")
                % {"title": homework.title, "minutes": homework.estimated_minutes},
                start=row.due_at,
                end=row.due_at + datetime.timedelta(minutes=15),
                path=reverse("parents_child", args=[row.pupil_id]),
            )
        )

    bookings = (
        DetentionBooking.objects.filter(
            school_id__in=school_ids,
            sanction__pupil_id__in=list(names),
            status=DetentionBooking.Status.BOOKED,
            session__date__gte=today,
        )
        .exclude(sanction__status=Sanction.Status.CANCELLED)
        .exclude(sanction__pupil__left_on__lte=F("session__date"))
        .select_related("session", "sanction")
        .order_by("session__date", "session__start_time", "pk")
    )
    for booking in bookings:
        session = booking.session
        zone = zones[booking.school_id]
        events.append(
            FeedEvent(
                uid=f"parent-place-{booking.pk}",
                summary=_("%(child)s: %(what)s")
                % {"child": names[booking.sanction.pupil_id], "what": session.get_kind_display()},
                description=_("Room %(room)s") % {"room": session.room},
                start=datetime.datetime.combine(session.date, session.start_time, tzinfo=zone),
                end=datetime.datetime.combine(session.date, session.end_time, tzinfo=zone),
                path=reverse("parents_child", args=[booking.sanction.pupil_id]),
            )
        )

    meetings = Meeting.objects.filter(
        **mine,
        status=Meeting.Status.ARRANGED,
        proposed_at__gte=datetime.datetime.combine(
            today, datetime.time.min, tzinfo=timezone.get_current_timezone()
        ),
    ).order_by("proposed_at", "pk")
    for meeting in meetings:
        events.append(
            FeedEvent(
                uid=f"parent-meeting-{meeting.pk}",
                summary=_("%(child)s: meeting at school") % {"child": names[meeting.pupil_id]},
                description=meeting.place,
                start=meeting.proposed_at,
                end=meeting.proposed_at + datetime.timedelta(minutes=30),
                path=reverse("parents_child", args=[meeting.pupil_id]),
            )
        )

    by_year: dict[int, list[str]] = {}
    for child in children:
        by_year.setdefault(child.year_group_id, []).append(child.first_name)
    key_dates = key_dates_for_pupils(
        children, since=today - datetime.timedelta(weeks=HOMEWORK_WEEKS_BACK)
    )
    for key_date in key_dates:
        who = sorted(
            {name for year in key_date.year_groups.all() for name in by_year.get(year.pk, [])}
        )
        zone = zones[key_date.school_id]
        if key_date.start_time:
            start = datetime.datetime.combine(key_date.date, key_date.start_time, tzinfo=zone)
            end_time = (
                key_date.end_time
                or (
                    datetime.datetime.combine(key_date.date, key_date.start_time)
                    + datetime.timedelta(hours=1)
                ).time()
            )
            end = datetime.datetime.combine(key_date.last_day, end_time, tzinfo=zone)
        else:
            start, end = key_date.date, key_date.last_day + datetime.timedelta(days=1)
        events.append(
            FeedEvent(
                uid=f"key-date-{key_date.pk}",
                summary=f"{key_date.title} ({', '.join(who)})" if who else key_date.title,
                description="\n".join(
                    part for part in (str(key_date.get_kind_display()), key_date.details) if part
                ),
                start=start,
                end=end,
                path=reverse("parents_overview"),
            )
        )
    return events


_KEY_DATE = KeyDate._meta.db_table
_YEARS = KeyDate.year_groups.through._meta.db_table
_FOR_YEAR = (
    f"EXISTS(SELECT 1 FROM {_YEARS} y WHERE y.keydate_id = {_KEY_DATE}.id AND y.yeargroup_id = %s)"
)
_KEY_DATE_FIELDS = KeyDate._meta.concrete_fields


def upcoming_key_dates(children, *, today: datetime.date, limit: int = 8):
    """The next key dates of the children's year groups (the overview's list), each with
    `children`: the first names of the children it is for. school.key_dates'
    `key_dates_for_pupils` rule (from today, for 120 days), written once as SQL and
    prepared (parents.sql; a test compares the two), with which of the children's year
    groups each date is for (an EXISTS a year group of theirs: a family has few)."""
    by_year: dict[int, list[str]] = {}
    for child in children:
        by_year.setdefault(child.year_group_id, []).append(child.first_name)
    years = sorted(year for year in by_year if year is not None)
    if not years:
        return []
    schools = sorted({child.school_id for child in children})
    many = ", ".join
    sql = (
        "SELECT "
        + many(f'{_KEY_DATE}."{f.column}"' for f in _KEY_DATE_FIELDS)
        + "".join(f", ({_FOR_YEAR})" for _ in years)
        + f" FROM {_KEY_DATE} WHERE {_KEY_DATE}.school_id IN ({many(['%s'] * len(schools))})"
        + f" AND {_KEY_DATE}.id IN (SELECT y.keydate_id FROM {_YEARS} y"
        + f" WHERE y.yeargroup_id IN ({many(['%s'] * len(years))}))"
        + f" AND ({_KEY_DATE}.date >= %s OR {_KEY_DATE}.ends_on >= %s)"
        + f" AND {_KEY_DATE}.date <= %s"
        + f" ORDER BY {_KEY_DATE}.date ASC, {_KEY_DATE}.start_time ASC, {_KEY_DATE}.id ASC"
        + " LIMIT %s"
    )
    day = connection.ops.adapt_datefield_value
    fields = [*_KEY_DATE_FIELDS, *(BooleanField() for _ in years)]
    rows = statement("key_dates", sql, fields).rows(
        (
            *years,
            *schools,
            *years,
            day(today),
            day(today),
            day(today + datetime.timedelta(days=120)),
            limit,
        )
    )
    width = len(_KEY_DATE_FIELDS)
    db = connection.alias
    key_dates = []
    for row in rows:
        key_date = KeyDate.from_db(db, None, row[:width])
        key_date.children = sorted(
            {
                name
                for year, flag in zip(years, row[width:], strict=True)
                if flag
                for name in by_year[year]
            }
        )
        key_dates.append(key_date)
    return key_dates


# The overview's panel: the coming key dates and the way to the calendar feed -------------


def _key_dates_panel(*, user, children=None):
    """The next key dates of the guardian's children's year groups (`children`: those on
    roll, as the overview read them; else read here); None without a child at school.
    One query at most (the dates with their years), and one for the children unless given."""
    if children is None:
        children = _children(user)
    if not children:
        return None
    return {"key_dates": upcoming_key_dates(children, today=timezone.localdate())}


def key_dates_panel_register() -> None:
    from school import panels

    from .navigation import OVERVIEW

    panels.register_panel(
        OVERVIEW, "key dates", "parents/calendar/_key_dates_panel.html", _key_dates_panel, order=50
    )
