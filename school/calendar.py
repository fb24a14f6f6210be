"""The school calendar, the one place that answers "which days are school days", "which
academic year is it", "which half-term is it" and "when does this week start". Every page,
email and job asks here, so that on the same date two pages cannot count different years.

The day asked about is always the school's own date: pages run with the time zone of the
school being viewed (school.middleware.SchoolTimeZoneMiddleware), and jobs that work per
school compute their day inside `school_time_zone(school)`.

The rules:

- School days: a weekday (unless weekends are asked for) inside a half-term and not a
  bank holiday, INSET day or closure. A school that has not entered its half-terms yet
  counts every weekday that is not such a non-school day.

- The academic year of a day: the year that has begun most recently by that day, for at
  most twelve months from its start. So a year runs from its start date until the next
  year's start date: the summer gap after a year's last day belongs to the year just
  ended. Its records are the ones that still matter in August (the take-up report, the
  ladder, the agreement families signed), nothing of the next year has happened yet, and
  a late miss recorded in the holiday counts with the homework's own year. A school that
  has not entered its next year gets no year a year after the last one began (rather than
  last year's escalation counts running on), and a day before the school's first year has
  no year either: nothing can belong to a year that has not begun. Callers get None and
  say so (the office is asked to add the year); they never guess.

- The year a school's groups are for (`groups_year_for`): the academic year of the day,
  until the school starts the next year from it (mis/rollover: pupils moved up, new tutor
  groups formed, classes archived, usually in the summer); from then on, that next year.
  New tutor groups and classes, by hand or by an import, are formed for it, while the
  pages of the year just ended (the ladder, the agreement, its dashboard) still read
  that year, as above.

- The half-term of a day: the half-term holding it; in a holiday, the half-term coming
  next (the week off is spent planning for it: the club rota's staff minutes look ahead),
  and after the last half-term entered, that last one. A day before the first half-term
  gets the first one; a school with none entered gets None.

- The week: Monday to Sunday; `week_start(day)` is its Monday.

- Bank holidays: `england_bank_holidays(year)` gives England and Wales's by the standing
  rules, for a school entering its days off (the demo, the new academic year's page)."""

import datetime
import zoneinfo

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils import timezone

from .models import AcademicYear, HalfTerm, NonSchoolDay, School


def _school_id(school: School | int) -> int:
    return school if isinstance(school, int) else school.pk


def school_days(
    *, school_id: int, start: datetime.date, end: datetime.date, weekends: bool = False
) -> list[datetime.date]:
    """The days from start to end (inclusive) on which the school is open (two queries)."""
    closed = set(
        NonSchoolDay.objects.filter(
            school_id=school_id, date__gte=start, date__lte=end
        ).values_list("date", flat=True)
    )
    # The overlapping half-terms, plus any one of the school's, to tell "no half-terms
    # entered" from "outside the half-terms" in the same query.
    any_term = HalfTerm.objects.filter(school_id=school_id).order_by("pk").values("pk")[:1]
    terms = list(
        HalfTerm.objects.filter(school_id=school_id)
        .filter(Q(end_date__gte=start, start_date__lte=end) | Q(pk__in=any_term))
        .values_list("start_date", "end_date")
    )
    days, day = [], start
    while day <= end:
        in_term = not terms or any(a <= day <= b for a, b in terms)
        if in_term and day not in closed and (weekends or day.weekday() < 5):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _a_year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def year_start_window(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The academic year of `day` is the one that began after the first date and on or
    before the second, the latest such (the module's rule; for a query written in SQL)."""
    return _a_year_before(day), day


def academic_years_for(school, day: datetime.date) -> QuerySet[AcademicYear]:
    """The academic year of `day` (see the module's rule) as a query of at most one row.
    `school` is a School, its id, or an OuterRef, so that a page listing several schools'
    pupils asks the same rule in a subquery."""
    if isinstance(school, School):
        school = school.pk
    after, until = year_start_window(day)
    return AcademicYear.objects.filter(
        school_id=school, start_date__lte=until, start_date__gt=after
    ).order_by("-start_date")[:1]


def academic_year_for(school: School | int, day: datetime.date) -> AcademicYear | None:
    """The academic year `day` belongs to (one query): the year that has begun most
    recently, the summer gap counting with the year just ended; None before the school's
    first year or over a year after its latest one began."""
    return academic_years_for(school, day).first()


def groups_year_for(school: School | int, day: datetime.date) -> AcademicYear | None:
    """The academic year new groups are formed for on `day` (see the module's rule): the
    year of the day, or the next year once the school has started it (two queries at
    most)."""
    year = academic_year_for(school, day)
    if year is None or year.rolled_over_at is None:
        return year
    return (
        AcademicYear.objects.filter(school_id=year.school_id, start_date__gt=year.start_date)
        .order_by("start_date")
        .first()
    )


def half_term_for(school: School | int, day: datetime.date) -> HalfTerm | None:
    """The half-term of `day` (one query): the one holding it, else the one coming next,
    else the one that ended last."""
    not_over = Q(end_date__gte=day)
    return (
        HalfTerm.objects.filter(school_id=_school_id(school))
        .select_related("academic_year")
        .annotate(over=Case(When(not_over, then=Value(0)), default=Value(1)))
        .order_by(
            "over",  # the half-terms not yet over first, the earliest of them
            Case(When(not_over, then=F("start_date"))).asc(nulls_last=True),
            "-end_date",  # else the latest to end
        )
        .first()
    )


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of the week (Monday to Sunday) that holds `day`."""
    return day - datetime.timedelta(days=day.weekday())


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The time zone of this name; an unknown name (typed into the admin) is the site's
    own (settings.TIME_ZONE), so that a typo cannot take a school's pages down."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        return timezone.get_default_timezone()


def school_time_zone(school: School) -> timezone.override:
    """Inside, `timezone.localdate()`, `localtime()` and `__date` lookups are the
    school's: a job that works per school computes each school's day in it."""
    return timezone.override(zone_named(school.time_zone))


# England's bank holidays -------------------------------------------------------------


def england_bank_holidays(year: int) -> dict[datetime.date, str]:
    """England and Wales bank holidays in a calendar year, by the standing rules (one-off
    holidays such as coronations are not included)."""

    def substitute(day: datetime.date, taken: set) -> datetime.date:
        while day.weekday() >= 5 or day in taken:
            day += datetime.timedelta(days=1)
        return day

    easter = _easter_sunday(year)
    may_first = datetime.date(year, 5, 1)
    may_first_monday = may_first + datetime.timedelta(days=(7 - may_first.weekday()) % 7)
    holidays = {
        substitute(datetime.date(year, 1, 1), set()): "New Year's Day",
        easter - datetime.timedelta(days=2): "Good Friday",
        easter + datetime.timedelta(days=1): "Easter Monday",
        may_first_monday: "Early May bank holiday",
        _last_monday(year, 5): "Spring bank holiday",
        _last_monday(year, 8): "Summer bank holiday",
    }
    christmas = substitute(datetime.date(year, 12, 25), set())
    holidays[christmas] = "Christmas Day"
    holidays[substitute(datetime.date(year, 12, 26), {christmas})] = "Boxing Day"
    return dict(sorted(holidays.items()))


def _easter_sunday(year: int) -> datetime.date:
    # The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return datetime.date(year, month, day + 1)


def _last_monday(year: int, month: int) -> datetime.date:
    last = datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=last.weekday())
