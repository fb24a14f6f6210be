"""The school calendar (school/calendar.py) at its edges: 31 August and 1 September, the
last day of the summer term, a day in the summer gap, a day before the school's first
year, an INSET day, a bank holiday, a half-term holiday and the Sundays the clocks change.
Then the pages that ask it: on the same date every page counts the same year, and a date
with no year gets a clear message, never a 500."""

import datetime

import pytest
from django.db.models import OuterRef, Subquery
from django.urls import reverse

from homework.models import Assignment
from parents.messages import staff_choices
from sanctions.models import Miss
from sanctions.services import SanctionError
from sanctions.services.misses import miss_record
from school.calendar import (
    academic_year_for,
    academic_years_for,
    half_term_for,
    school_days,
    week_start,
)
from school.models import AcademicYear, HalfTerm, NonSchoolDay, School
from tests.sanctions.helpers import overdue_assignments

D = datetime.date
Name = HalfTerm.Name


@pytest.fixture
def calendar(world):
    """Two years of the test school. 2025/26 runs in term dates (3/9/2025 to 22/7/2026,
    the last day of the summer term), then the summer gap until 2026/27 begins on
    1/9/2026 (the world's year, 1/9/2026 to 31/8/2027). Half-terms: Spring 2, Summer 1 and
    2 of 2025/26, Autumn 1 and 2 of 2026/27. Non-school days: the May Day bank holiday
    (4/5/2026), INSET on the first day of Summer 2 (1/6/2026) and of Autumn 1 (2/9/2026).
    The other school has a year beginning 1/9/2025 and no half-terms."""
    school = world.school
    earlier = AcademicYear.objects.create(
        school=school, name="2025/26", start_date=D(2025, 9, 3), end_date=D(2026, 7, 22)
    )
    for year, name, start, end in [
        (earlier, Name.SPRING_2, D(2026, 2, 23), D(2026, 4, 2)),
        (earlier, Name.SUMMER_1, D(2026, 4, 13), D(2026, 5, 22)),
        (earlier, Name.SUMMER_2, D(2026, 6, 1), D(2026, 7, 22)),
        (world.academic_year, Name.AUTUMN_1, D(2026, 9, 2), D(2026, 10, 23)),
        (world.academic_year, Name.AUTUMN_2, D(2026, 11, 2), D(2026, 12, 18)),
    ]:
        HalfTerm.objects.create(
            school=school, academic_year=year, name=name, start_date=start, end_date=end
        )
    for day, kind in [
        (D(2026, 5, 4), NonSchoolDay.Kind.BANK_HOLIDAY),
        (D(2026, 6, 1), NonSchoolDay.Kind.INSET),
        (D(2026, 9, 2), NonSchoolDay.Kind.INSET),
    ]:
        NonSchoolDay.objects.create(school=school, date=day, kind=kind)
    AcademicYear.objects.create(
        school=world.other_school,
        name="2025/26",
        start_date=D(2025, 9, 1),
        end_date=D(2026, 8, 31),
    )
    NonSchoolDay.objects.create(
        school=world.other_school, date=D(2026, 5, 4), kind=NonSchoolDay.Kind.BANK_HOLIDAY
    )
    return world


# Which academic year ----------------------------------------------------------------------

YEARS = [
    # A day before the school's first year: no year (another school's year is not ours).
    (D(2025, 9, 2), None),
    (D(2025, 9, 3), "2025/26"),
    (D(2026, 3, 29), "2025/26"),  # the Sunday the clocks go forward
    (D(2026, 7, 22), "2025/26"),  # the last day of the summer term
    (D(2026, 8, 10), "2025/26"),  # the summer gap belongs to the year just ended...
    (D(2026, 8, 31), "2025/26"),  # ...until the next year begins
    (D(2026, 9, 1), "2026/27"),
    (D(2026, 10, 25), "2026/27"),  # the Sunday the clocks go back
    (D(2027, 8, 31), "2026/27"),  # the last day of a year entered as 1/9 to 31/8
    # No 2027/28 entered: a year after 2026/27 began, no year (not last year's ladder).
    (D(2027, 9, 1), None),
]


@pytest.mark.parametrize("day,expected", YEARS, ids=[str(day) for day, _ in YEARS])
def test_a_day_belongs_to_the_year_that_began_last_and_no_year_outside_them(
    calendar, django_assert_num_queries, day, expected
):
    with django_assert_num_queries(1):
        year = academic_year_for(calendar.school, day)
    assert (year.name if year else None) == expected
    assert academic_year_for(calendar.school.pk, day) == year


def test_the_same_rule_inside_a_query_across_schools(calendar):
    """Pages listing several schools' pupils (a parent's children) ask the same rule in a
    subquery: every edge gives the same year as the one-school question."""
    for day, expected in YEARS:
        names = dict(
            School.objects.annotate(
                year_name=Subquery(academic_years_for(OuterRef("pk"), day).values("name"))
            ).values_list("slug", "year_name")
        )
        assert names["test"] == expected, day
        assert names["other"] == ("2025/26" if day < D(2026, 9, 1) else None), day


# Which half-term --------------------------------------------------------------------------

HALF_TERMS = [
    (D(2026, 1, 5), "Spring 2 2025/26"),  # before the first entered: the first
    (D(2026, 3, 29), "Spring 2 2025/26"),
    (D(2026, 5, 4), "Summer 1 2025/26"),  # a bank holiday is inside its half-term
    (D(2026, 5, 26), "Summer 2 2025/26"),  # the half-term holiday: the one coming
    (D(2026, 7, 22), "Summer 2 2025/26"),  # the last day of the summer term
    (D(2026, 8, 10), "Autumn 1 2026/27"),  # the summer gap: the one coming
    (D(2026, 9, 1), "Autumn 1 2026/27"),
    (D(2026, 12, 25), "Autumn 2 2026/27"),  # after the last entered: the last
]


@pytest.mark.parametrize("day,expected", HALF_TERMS, ids=[str(day) for day, _ in HALF_TERMS])
def test_a_day_belongs_to_its_half_term_else_the_one_coming_else_the_last(
    calendar, django_assert_num_queries, day, expected
):
    with django_assert_num_queries(1):
        assert str(half_term_for(calendar.school, day)) == expected


def test_a_school_with_no_half_terms_has_no_half_term(calendar):
    assert half_term_for(calendar.other_school, D(2026, 5, 26)) is None


# Which days are school days ---------------------------------------------------------------


def test_school_days_skip_weekends_bank_holidays_inset_days_and_the_half_term_holiday(
    calendar, django_assert_num_queries
):
    with django_assert_num_queries(2):
        days = school_days(school_id=calendar.school.pk, start=D(2026, 5, 1), end=D(2026, 6, 5))
    assert days == [
        D(2026, 5, 1),
        *[D(2026, 5, n) for n in (5, 6, 7, 8)],  # not Monday 4/5, the bank holiday
        *[D(2026, 5, n) for n in range(11, 16)],
        *[D(2026, 5, n) for n in range(18, 23)],
        # 25-29/5 is the half-term holiday; Monday 1/6 is an INSET day
        *[D(2026, 6, n) for n in range(2, 6)],
    ]


@pytest.mark.parametrize(
    "start,end,expected",
    [
        # the last day of the summer term, then the summer gap
        (D(2026, 7, 20), D(2026, 7, 24), [D(2026, 7, 20), D(2026, 7, 21), D(2026, 7, 22)]),
        # 31/8 and 1/9 are before Autumn 1; 2/9 is INSET; teaching starts on the 3rd
        (D(2026, 8, 31), D(2026, 9, 3), [D(2026, 9, 3)]),
    ],
    ids=["end-of-summer-term", "31-august-1-september"],
)
def test_school_days_at_the_ends_of_the_year(calendar, start, end, expected):
    assert school_days(school_id=calendar.school.pk, start=start, end=end) == expected


def test_the_sunday_the_clocks_change_is_one_day_like_any_other(calendar):
    """Counted by date, never by adding hours: 29/3/2026 (23 hours long) is there once
    when weekends are asked for (a Saturday detention series), and not otherwise."""
    school_id = calendar.school.pk
    start, end = D(2026, 3, 27), D(2026, 3, 30)
    assert school_days(school_id=school_id, start=start, end=end, weekends=True) == [
        D(2026, 3, 27),
        D(2026, 3, 28),
        D(2026, 3, 29),
        D(2026, 3, 30),
    ]
    assert school_days(school_id=school_id, start=start, end=end) == [
        D(2026, 3, 27),
        D(2026, 3, 30),
    ]


def test_a_school_with_no_half_terms_entered_counts_every_weekday_but_its_closures(calendar):
    days = school_days(school_id=calendar.other_school.pk, start=D(2026, 5, 1), end=D(2026, 5, 8))
    assert days == [D(2026, 5, 1), *[D(2026, 5, n) for n in (5, 6, 7, 8)]]


@pytest.mark.parametrize(
    "day,monday",
    [
        (D(2026, 11, 23), D(2026, 11, 23)),  # a Monday is its own week's start
        (D(2026, 11, 22), D(2026, 11, 16)),  # a Sunday ends the week before
        (D(2026, 3, 29), D(2026, 3, 23)),  # the clocks go forward
        (D(2026, 10, 25), D(2026, 10, 19)),  # the clocks go back
        (D(2027, 1, 3), D(2026, 12, 28)),  # across the new year
        (D(2026, 9, 1), D(2026, 8, 31)),  # a week shared by two years starts in the gap
    ],
)
def test_a_week_runs_monday_to_sunday(day, monday):
    assert week_start(day) == monday


# The pages that ask ----------------------------------------------------------------------


def year_pages(client, world):
    """The year each page counts: the sanctions dashboard, the clubs take-up, the
    agreement editor and the parent's child page."""
    client.force_login(world.head_of_year)
    board = client.get(reverse("sanctions_dashboard")).context["board"]
    year = client.get(reverse("clubs_takeup")).context["year"]
    client.force_login(world.senior_leader)
    editor = client.get(reverse("parents_agreement_edit")).context["page"]
    client.force_login(world.parent)
    child = client.get(reverse("parents_child", args=[world.pupil.pk])).context["page"]
    return {
        "dashboard": board.year,
        "take-up": year,
        "agreement": editor.year,
        "child": child.year_name,
    }


def test_in_the_summer_gap_every_page_counts_the_year_just_ended(client, calendar, time_machine):
    """The bug this calendar fixes: on 10/8/2026 the dashboard found no year while the
    take-up and the agreement counted 2025/26."""
    time_machine.move_to(datetime.datetime(2026, 8, 10, 12, 0, tzinfo=datetime.UTC), tick=False)
    years = year_pages(client, calendar)
    assert {page: str(year) for page, year in years.items()} == dict.fromkeys(years, "2025/26")


def test_before_the_first_year_every_page_says_there_is_no_year(client, world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 10, 12, 0, tzinfo=datetime.UTC), tick=False)
    assert set(year_pages(client, world).values()) == {None}
    client.force_login(world.head_of_year)
    assert "No academic year covers today" in client.get(reverse("sanctions_dashboard")).text
    client.force_login(world.senior_leader)
    assert "No academic year is set up yet" in client.get(reverse("parents_agreement_edit")).text


def test_a_miss_recorded_in_the_summer_gap_counts_in_the_year_just_ended(calendar, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 10, 12, 0, tzinfo=datetime.UTC), tick=False)
    assignments = overdue_assignments(calendar, calendar.pupil, 1)
    (miss,) = miss_record(recorder=calendar.teacher, assignments=assignments)
    assert miss.academic_year.name == "2025/26"


def test_a_miss_with_no_year_is_refused_with_a_message_and_changes_nothing(world, time_machine):
    time_machine.move_to(datetime.datetime(2026, 8, 10, 12, 0, tzinfo=datetime.UTC), tick=False)
    assignments = overdue_assignments(world, world.pupil, 1)
    with pytest.raises(SanctionError, match="No academic year covers this date"):
        miss_record(recorder=world.teacher, assignments=assignments)
    assert not Miss.objects.exists()
    assert Assignment.objects.get(pk=assignments[0].pk).status == Assignment.Status.SET


def test_a_parent_may_write_to_the_teachers_of_this_years_classes_only(calendar):
    """The child's classes are the world's 2026/27 ones: in the summer gap before it they
    are not this year's yet (only the form tutor is offered); from 1/9 they are."""

    def offered(day):
        return {
            choice.user.email: choice.roles for choice in staff_choices(calendar.pupil, today=day)
        }

    assert offered(D(2026, 8, 10)) == {"teacher@test.school": ["form tutor"]}
    assert offered(D(2026, 9, 1)) == {
        "teacher@test.school": ["form tutor", "Maths teacher"],
        "other.teacher@test.school": ["English teacher"],
    }
