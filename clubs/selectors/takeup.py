"""Take-up of the clubs (seed 001: attendance per night, and whether Pupil Premium pupils
come): per club over the academic year, attendance per session and per half-term, unique
pupils, and the share of Pupil Premium, FSM, SEN and EAL pupils among those who came
against their share among the school's pupils in the club's year groups.

A fixed number of queries however many clubs, sessions and pupils: the counting is done
by the database."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from school import access
from school.calendar import academic_year_for
from school.models import AcademicYear, HalfTerm, Pupil, RoleAssignment
from school.placements import in_groups_then, year_group_id_then

from ..models import Attendance, Club, ClubSession
from .rota import clubs_led_by, is_club_leader

Role = RoleAssignment.Role
# (key, label, the pupil filter)
GROUPS = [
    ("pp", "Pupil Premium", Q(pupil_premium=True)),
    ("fsm", "FSM", Q(free_school_meals=True)),
    ("sen", "SEN", ~Q(sen="")),
    ("eal", "EAL", Q(eal=True)),
]


def takeup_viewer(user) -> bool:
    return access.has_role(user, Role.HEAD_OF_YEAR) or is_club_leader(user)


def clubs_for_takeup(user) -> QuerySet[Club]:
    """Every club of the school for heads of year, senior leaders and school admins; a
    club's leader sees the clubs they lead."""
    if access.has_role(user, Role.HEAD_OF_YEAR):
        return Club.objects.filter(school_id=user.school_id)
    return clubs_led_by(user)


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class GroupShare:
    key: str
    label: str
    attendees: int
    attendee_share: float | None
    school_share: float | None


@dataclass
class Period:
    """A half-term, or the whole year."""

    label: str
    sessions: int = 0
    attendances: int = 0
    unique_pupils: int = 0
    rewards: int = 0
    groups: list[GroupShare] = field(default_factory=list)

    @property
    def per_night(self) -> float | None:
        return round(self.attendances / self.sessions, 1) if self.sessions else None


@dataclass
class ClubTakeUp:
    club: Club
    year_label: str
    school_pupils: int
    nights: list[dict]  # date, start_time, attended
    half_terms: list[Period]
    year: Period


def _attendee_aggregates() -> dict:
    """Unique pupils and, of them, how many in each group (on Attendance rows)."""
    counts = {
        "unique": Count("pupil", distinct=True),
        "rewards": Count("pk", filter=Q(worked_effectively=True)),
    }
    counts["pp"] = Count("pupil", distinct=True, filter=Q(pupil__pupil_premium=True))
    counts["fsm"] = Count("pupil", distinct=True, filter=Q(pupil__free_school_meals=True))
    counts["sen"] = Count("pupil", distinct=True, filter=~Q(pupil__sen=""))
    counts["eal"] = Count("pupil", distinct=True, filter=Q(pupil__eal=True))
    return counts


def _groups(counts: dict, unique: int, school: dict) -> list[GroupShare]:
    return [
        GroupShare(
            key=key,
            label=label,
            attendees=counts.get(key, 0),
            attendee_share=_share(counts.get(key, 0), unique),
            school_share=_share(school.get(key, 0), school.get("total", 0)),
        )
        for key, label, _ in GROUPS
    ]


def club_takeup(user, *, today: datetime.date) -> tuple[AcademicYear | None, list[ClubTakeUp]]:
    """The take-up of each club this person may see over the academic year of `today`
    (eight queries at most, however many clubs, sessions and pupils)."""
    school_id = user.school_id
    year = academic_year_for(school_id, today)
    if year is None:
        return None, []
    half_terms = list(
        HalfTerm.objects.filter(school_id=school_id, academic_year=year).order_by("start_date")
    )
    clubs = list(clubs_for_takeup(user).prefetch_related("year_groups").order_by("name", "pk"))
    if not clubs:
        return year, []
    club_ids = [club.pk for club in clubs]
    in_year = Q(
        session__school_id=school_id,  # the sessions by the school's index (school, date)
        session__date__gte=year.start_date,
        session__date__lte=year.end_date,
        session__status=ClubSession.Status.SCHEDULED,
        session__club_id__in=club_ids,
    )

    nights: dict[int, list[dict]] = {}
    for row in (
        ClubSession.objects.filter(
            school_id=school_id,
            club_id__in=club_ids,
            date__gte=year.start_date,
            date__lte=min(year.end_date, today),
            status=ClubSession.Status.SCHEDULED,
        )
        # Joined on the school too, so that the join reads only this school's rows.
        .annotate(
            school_attendances=FilteredRelation(
                "attendances", condition=Q(attendances__school_id=school_id)
            )
        )
        .values("club_id", "pk", "date", "start_time")
        .annotate(attended=Count("school_attendances"))
        .order_by("date", "start_time", "pk")
    ):
        nights.setdefault(row["club_id"], []).append(row)

    half_term_of = Case(
        *[
            When(
                session__date__gte=ht.start_date, session__date__lte=ht.end_date, then=Value(ht.pk)
            )
            for ht in half_terms
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    # The pupils joined for their groups are read by the school (its index), not every
    # school's pupils of a trust.
    attendees = Attendance.objects.filter(in_year, school_id=school_id, pupil__school_id=school_id)
    by_half = {
        (row["session__club_id"], row["half"]): row
        for row in attendees.annotate(half=half_term_of)
        .values("session__club_id", "half")
        .annotate(attendances=Count("pk"), **_attendee_aggregates())
        .order_by()
    }
    by_year = {
        row["session__club_id"]: row
        for row in attendees.values("session__club_id")
        .annotate(attendances=Count("pk"), **_attendee_aggregates())
        .order_by()
    }

    # The school as it stands (leavers are not in it) in the year groups of the report's
    # year: in a rolled-over year, those its pupils were in then (school/placements.py).
    school_by_year_group = {
        row["year_group_then"]: row
        for row in Pupil.objects.on_roll(today)
        .filter(in_groups_then(year), school_id=school_id)
        .annotate(year_group_then=year_group_id_then(year))
        .values("year_group_then")
        .annotate(
            total=Count("pk"),
            pp=Count("pk", filter=Q(pupil_premium=True)),
            fsm=Count("pk", filter=Q(free_school_meals=True)),
            sen=Count("pk", filter=~Q(sen="")),
            eal=Count("pk", filter=Q(eal=True)),
        )
        .order_by()
    }

    results = []
    for club in clubs:
        years = [yg.pk for yg in club.year_groups.all()] or list(school_by_year_group)
        school = {
            key: sum(school_by_year_group.get(y, {}).get(key, 0) for y in years)
            for key in ("total", "pp", "fsm", "sen", "eal")
        }
        club_nights = nights.get(club.pk, [])
        periods = []
        for ht in half_terms:
            held = [n for n in club_nights if ht.start_date <= n["date"] <= ht.end_date]
            counts = by_half.get((club.pk, ht.pk), {})
            periods.append(_period(f"{ht.get_name_display()}", len(held), counts, school))
        whole = _period(f"Year {year.name}", len(club_nights), by_year.get(club.pk, {}), school)
        results.append(
            ClubTakeUp(
                club=club,
                year_label=year.name,
                school_pupils=school["total"],
                nights=club_nights,
                half_terms=periods,
                year=whole,
            )
        )
    return year, results


def _period(label: str, sessions: int, counts: dict, school: dict) -> Period:
    unique = counts.get("unique", 0)
    return Period(
        label=label,
        sessions=sessions,
        attendances=counts.get("attendances", 0),
        unique_pupils=unique,
        rewards=counts.get("rewards", 0),
        groups=_groups(counts, unique, school),
    )
