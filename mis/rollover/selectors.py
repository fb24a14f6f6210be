"""Reads for the new academic year's page: who may start it, which year it starts from,
and the next year's calendar pre-filled from that year's pattern."""

import datetime

from school import access
from school.calendar import academic_year_for, england_bank_holidays
from school.models import AcademicYear, HalfTerm, NonSchoolDay, RoleAssignment

from .services import DayOff, NewYear, a_year_later, same_weekday_a_year_later, year_name_for


def may_start_new_year(user) -> bool:
    """School admins of their own school only."""
    return access.has_role(user, RoleAssignment.Role.SCHOOL_ADMIN)


def year_to_roll_over(school_id: int, today: datetime.date) -> AcademicYear | None:
    """The year the page starts the next one from: the school calendar's year of today
    (in the summer gap, the year just ended)."""
    return academic_year_for(school_id, today)


def rolled_over_into(year: AcademicYear) -> AcademicYear | None:
    """The year that followed `year` (the next to start after it), if entered."""
    return (
        AcademicYear.objects.filter(school_id=year.school_id, start_date__gt=year.start_date)
        .order_by("start_date")
        .first()
    )


def bank_holidays_in_term(
    half_terms: list[tuple[str, datetime.date, datetime.date]],
) -> list[DayOff]:
    """England's bank holidays on weekdays inside these half-terms."""
    if not half_terms:
        return []
    first = min(start for _, start, _ in half_terms)
    last = max(end for _, _, end in half_terms)
    days = []
    for calendar_year in range(first.year, last.year + 1):
        for day, name in england_bank_holidays(calendar_year).items():
            in_term = any(start <= day <= end for _, start, end in half_terms)
            if in_term and day.weekday() < 5:
                days.append(DayOff(day, NonSchoolDay.Kind.BANK_HOLIDAY, name))
    return days


def entered_year(year: AcademicYear) -> NewYear | None:
    """The next year as the school has already entered it (in the admin), with its
    half-terms and days off; None if it has not (three queries at most)."""
    after = rolled_over_into(year)
    if after is None:
        return None
    return NewYear(
        name=after.name,
        start_date=after.start_date,
        end_date=after.end_date,
        half_terms=[
            (term.name, term.start_date, term.end_date)
            for term in HalfTerm.objects.filter(academic_year=after).order_by("start_date")
        ],
        days_off=[
            DayOff(day.date, day.kind, day.description)
            for day in NonSchoolDay.objects.filter(
                school_id=year.school_id, date__range=(after.start_date, after.end_date)
            ).order_by("date")
        ],
    )


def next_year_defaults(year: AcademicYear) -> NewYear:
    """The year after `year`: as the school entered it already, if it did; else as `year`'s
    pattern suggests (three queries): dates a year on, each half-term and INSET day on the
    same weekday nearest the same date, and England's bank holidays that fall in the new
    half-terms. One-off closures are not carried over."""
    entered = entered_year(year)
    if entered is not None:
        return entered
    half_terms = [
        (
            term.name,
            same_weekday_a_year_later(term.start_date),
            same_weekday_a_year_later(term.end_date),
        )
        for term in HalfTerm.objects.filter(academic_year=year).order_by("start_date")
    ]
    inset = [
        DayOff(same_weekday_a_year_later(day.date), day.kind, day.description)
        for day in NonSchoolDay.objects.filter(
            school_id=year.school_id,
            kind=NonSchoolDay.Kind.INSET,
            date__range=(year.start_date, year.end_date),
        ).order_by("date")
    ]
    start = a_year_later(year.start_date)
    return NewYear(
        name=year_name_for(start),
        start_date=start,
        end_date=a_year_later(year.end_date),
        half_terms=half_terms,
        days_off=inset + bank_holidays_in_term(half_terms),
    )
