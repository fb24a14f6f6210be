"""The demo school's calendar: the year 2026/27, its six half-terms, five INSET days and
the bank holidays that fall in term."""

from datetime import date, timedelta

from ..models import AcademicYear, HalfTerm, NonSchoolDay

ACADEMIC_YEAR = ("2026/27", date(2026, 9, 1), date(2027, 8, 31))
HALF_TERMS = [
    (HalfTerm.Name.AUTUMN_1, date(2026, 9, 2), date(2026, 10, 23)),
    (HalfTerm.Name.AUTUMN_2, date(2026, 11, 2), date(2026, 12, 18)),
    (HalfTerm.Name.SPRING_1, date(2027, 1, 5), date(2027, 2, 12)),
    (HalfTerm.Name.SPRING_2, date(2027, 2, 22), date(2027, 3, 26)),
    (HalfTerm.Name.SUMMER_1, date(2027, 4, 12), date(2027, 5, 28)),
    (HalfTerm.Name.SUMMER_2, date(2027, 6, 7), date(2027, 7, 21)),
]
# Five INSET days, each the first day of a half-term.
INSET_DAYS = [
    date(2026, 9, 2),
    date(2026, 11, 2),
    date(2027, 1, 5),
    date(2027, 4, 12),
    date(2027, 6, 7),
]


def calendar_create(school):
    """The academic year with its half-terms and days off; returns the year."""
    name, start, end = ACADEMIC_YEAR
    year = AcademicYear.objects.create(school=school, name=name, start_date=start, end_date=end)
    HalfTerm.objects.bulk_create(
        [
            HalfTerm(school=school, academic_year=year, name=term, start_date=first, end_date=last)
            for term, first, last in HALF_TERMS
        ]
    )
    days = dict.fromkeys(INSET_DAYS, (NonSchoolDay.Kind.INSET, "INSET day"))
    for calendar_year in range(start.year, end.year + 1):
        for day, holiday in england_bank_holidays(calendar_year).items():
            in_term = any(first <= day <= last for _, first, last in HALF_TERMS)
            if in_term and day.weekday() < 5:
                days[day] = (NonSchoolDay.Kind.BANK_HOLIDAY, holiday)
    NonSchoolDay.objects.bulk_create(
        [
            NonSchoolDay(school=school, date=day, kind=kind, description=description)
            for day, (kind, description) in sorted(days.items())
        ]
    )
    return year


def england_bank_holidays(year: int) -> dict[date, str]:
    """England and Wales bank holidays in a calendar year, by the standing rules (one-off
    holidays such as coronations are not included)."""

    def substitute(day: date, taken: set) -> date:
        while day.weekday() >= 5 or day in taken:
            day += timedelta(days=1)
        return day

    easter = _easter_sunday(year)
    may_first_monday = date(year, 5, 1) + timedelta(days=(7 - date(year, 5, 1).weekday()) % 7)
    holidays = {
        substitute(date(year, 1, 1), set()): "New Year's Day",
        easter - timedelta(days=2): "Good Friday",
        easter + timedelta(days=1): "Easter Monday",
        may_first_monday: "Early May bank holiday",
        _last_monday(year, 5): "Spring bank holiday",
        _last_monday(year, 8): "Summer bank holiday",
    }
    christmas = substitute(date(year, 12, 25), set())
    holidays[christmas] = "Christmas Day"
    holidays[substitute(date(year, 12, 26), {christmas})] = "Boxing Day"
    return dict(sorted(holidays.items()))


def _easter_sunday(year: int) -> date:
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
    return date(year, month, day + 1)


def _last_monday(year: int, month: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=last.weekday())
