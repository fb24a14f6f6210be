"""The demo school's calendar: the year 2026/27, its six half-terms, five INSET days and
the bank holidays that fall in term."""

from datetime import date

from ..calendar import england_bank_holidays
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
