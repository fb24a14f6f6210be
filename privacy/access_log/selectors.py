"""Reads of the access log for the data protection lead's pages: the school's log as
filtered, a pupil's latest entries, and unusual access (staff who opened many pupils they
neither teach, tutor nor lead). Each is one query, however many entries there are."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from school.access import SCHOOL_WIDE_ROLES
from school.models import Pupil, RoleAssignment, TeachingGroup, User

from ..models import AccessLogEntry
from ..selectors.people import pupils_found

Role = RoleAssignment.Role

ENTRIES_PER_PAGE = 50
PUPIL_PANEL_ENTRIES = 5
UNUSUAL_DAYS = 7
# Roles that may open any pupil of the school: their looks are never "unusual" (they are
# listed apart, with their counts).
MAY_OPEN_ANY = (*sorted(SCHOOL_WIDE_ROLES), Role.DATA_PROTECTION_LEAD)


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the time zone of the page (the school's)."""
    return timezone.make_aware(datetime.combine(day, time.min))


@dataclass(frozen=True)
class LogFilter:
    """What the lead asked for; every part optional. `until` is the last day included."""

    since: date | None = None
    until: date | None = None
    user_id: int | None = None
    pupil_id: int | None = None
    pupil_words: str = ""
    page: str = ""


def entries_for(school_id: int, wanted: LogFilter) -> QuerySet[AccessLogEntry]:
    """The school's log, latest first, narrowed by `wanted`, each entry with its member
    of staff and pupil."""
    entries = AccessLogEntry.objects.filter(school_id=school_id)
    if wanted.since:
        entries = entries.filter(at__gte=day_start(wanted.since))
    if wanted.until:
        entries = entries.filter(at__lt=day_start(wanted.until + timedelta(days=1)))
    if wanted.user_id:
        entries = entries.filter(user_id=wanted.user_id)
    if wanted.pupil_id:
        entries = entries.filter(pupil_id=wanted.pupil_id)
    if wanted.pupil_words:
        entries = entries.filter(
            pupil_id__in=pupils_found(school_id, wanted.pupil_words).values("pk")
        )
    if wanted.page:
        entries = entries.filter(page__icontains=wanted.page)
    return entries.select_related("user", "pupil").order_by("-at", "-pk")


def latest_for_pupil(pupil: Pupil, count: int = PUPIL_PANEL_ENTRIES) -> list[AccessLogEntry]:
    return list(
        AccessLogEntry.objects.filter(school_id=pupil.school_id, pupil_id=pupil.pk)
        .select_related("user")
        .order_by("-at", "-pk")[:count]
    )


def staff_of(school_id: int) -> QuerySet[User]:
    """The people of the school who are not pupils: its staff, including those who no
    longer hold a role (their looks stay in the log)."""
    return User.objects.filter(school_id=school_id, pupil__isnull=True).order_by(
        "last_name", "first_name", "email"
    )


# Unusual access -----------------------------------------------------------------------------


def _may_open_any() -> Q:
    """The looker is a superuser, or holds a school-wide role at the entry's school now."""
    return Q(user__is_superuser=True) | Q(
        Exists(
            RoleAssignment.objects.filter(
                user_id=OuterRef("user_id"),
                school_id=OuterRef("school_id"),
                role__in=MAY_OPEN_ANY,
            )
        )
    )


def _in_their_care() -> Q:
    """The pupil is in the looker's care now: in a class they teach (or of a subject
    they lead), in a tutor group they tutor, in a year or house they lead."""
    teaches = TeachingGroup.objects.filter(
        archived_on__isnull=True, pupils=OuterRef("pupil_id"), teachers=OuterRef("user_id")
    )
    leads_subject = TeachingGroup.objects.filter(
        archived_on__isnull=True,
        pupils=OuterRef("pupil_id"),
        subject_id__in=RoleAssignment.objects.filter(
            user_id=OuterRef(OuterRef("user_id")), role=Role.SUBJECT_LEADER
        ).values("subject_id"),
    )
    leads_group = RoleAssignment.objects.filter(user_id=OuterRef("user_id")).filter(
        Q(role=Role.FORM_TUTOR, tutor_group_id=OuterRef("pupil__tutor_group_id"))
        | Q(role=Role.HEAD_OF_YEAR, year_group_id=OuterRef("pupil__year_group_id"))
        | Q(role=Role.HEAD_OF_HOUSE, house_id=OuterRef("pupil__house_id"))
    )
    return Q(Exists(teaches)) | Q(Exists(leads_subject)) | Q(Exists(leads_group))


@dataclass(frozen=True)
class Looker:
    user_id: int
    name: str
    email: str
    pupils: int  # distinct pupils opened (for the unusual list: not in their care)
    looks: int  # entries


def _lookers(entries: QuerySet[AccessLogEntry], *, at_least: int = 1) -> list[Looker]:
    rows = (
        entries.values("user_id", "user__first_name", "user__last_name", "user__email")
        .annotate(pupils=Count("pupil_id", distinct=True), looks=Count("pk"))
        .filter(pupils__gte=at_least)
        .order_by("-pupils", "user__last_name", "user__first_name", "user_id")
    )
    return [
        Looker(
            user_id=row["user_id"],
            name=f"{row['user__first_name']} {row['user__last_name']}".strip()
            or row["user__email"],
            email=row["user__email"],
            pupils=row["pupils"],
            looks=row["looks"],
        )
        for row in rows
    ]


def _window(school_id: int, since: date, until: date) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(
        school_id=school_id,
        at__gte=day_start(since),
        at__lt=day_start(until + timedelta(days=1)),
        user__isnull=False,
    )


def unusual_access(school_id: int, *, since: date, until: date, threshold: int) -> list[Looker]:
    """Staff without a school-wide role who, between `since` and `until` (both included),
    opened at least `threshold` different pupils not in their care now, with that count
    (one query)."""
    entries = _window(school_id, since, until).exclude(_may_open_any()).exclude(_in_their_care())
    return _lookers(entries, at_least=threshold)


def school_wide_access(school_id: int, *, since: date, until: date) -> list[Looker]:
    """Those who may open any pupil (school-wide roles, superusers), with the pupils they
    opened in the window (one query): listed apart, never as unusual."""
    return _lookers(_window(school_id, since, until).filter(_may_open_any()))
