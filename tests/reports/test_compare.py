"""Before and after (/reports/half-term/compared/): each measure of a half-term beside the
same half-term of the school's previous year and the change, its CSV, the year picker, the
readers and its query budget at two sizes. The hand-built school (tests/reports/fixture.py)
gets a 2025/26 with Autumn 1 and Autumn 2 only (no Spring 1) and three counted misses in
its Autumn 1 and one in its Autumn 2."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clubs.models import Club
from reports.measures import half_term_report
from school.models import RoleAssignment
from tests.conftest import staff
from tests.factories import AcademicYearFactory, HalfTermFactory, PupilFactory
from tests.reports.fixture import TODAY, at, d, known_school

pytestmark = pytest.mark.django_db
URL = reverse("reports_half_term_compared")
Role = RoleAssignment.Role


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


def last_year_of(known):
    b = known.builder
    last = AcademicYearFactory(
        school=b.school, name="2025/26", start_date=d(9, 1, 2025), end_date=d(8, 31, 2026)
    )
    HalfTermFactory(
        academic_year=last, name="autumn_1", start_date=d(9, 3, 2025), end_date=d(10, 24, 2025)
    )
    HalfTermFactory(
        academic_year=last, name="autumn_2", start_date=d(11, 3, 2025), end_date=d(12, 19, 2025)
    )
    this_year, b.year = b.year, last
    for day in (d(9, 20, 2025), d(10, 1, 2025), d(10, 2, 2025), d(11, 12, 2025)):
        b.miss(known.ada, day)
    b.year = this_year
    return last


@pytest.fixture
def known():
    known = known_school()
    last_year_of(known)
    return known


def rows_of(client, query=""):
    response = client.get(URL + "?format=csv" + query)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_each_half_term_is_beside_last_years_of_the_same_name_with_the_change(
    client, known, leader
):
    client.force_login(leader)
    rows = rows_of(client)
    assert rows[0][:6] == ["Period", "Measure", "2026/27", "2025/26", "Change", "% change"]
    misses = {row[0]: row[2:6] for row in rows if row[1] == "Misses recorded"}
    # Autumn 1: 2 this year, 3 last year; Autumn 2: 2 and 1; the year 4 and 4. (The
    # CSV puts a quote before a sign, so that no spreadsheet reads a formula.)
    assert misses["Autumn 1"] == ["2", "3", "'-1", "'-33.3%"]
    assert misses["Autumn 2"] == ["2", "1", "'+1", "'+100%"]
    assert misses["Year"] == ["4", "4", "0", "0%"]
    assert misses["Spring 1"] == ["0", "no data for last year", "no data for last year", "–"]


def test_a_rate_changes_in_percentage_points_without_a_percent_change(client, known, leader):
    client.force_login(leader)
    rows = rows_of(client)
    on_time = next(r for r in rows if r[0] == "Autumn 1" and r[1] == "Handed in on time")
    # This year 1 of 6 due handed in on time (16.7%); last year 0 of 3 (the misses').
    assert on_time[2:6] == ["16.7%", "0.0%", "'+16.7 pts", "–"]
    # Last year's count 0: no percentage change.
    sessions = next(r for r in rows if r[0] == "Autumn 1" and r[1] == "Club sessions held")
    assert sessions[2:6] == ["2", "0", "'+2", "–"]


def test_the_page_shows_each_half_term_and_says_where_last_year_has_no_data(client, known, leader):
    client.force_login(leader)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2026/27 beside 2025/26" in page
    assert "beside 03/09/2025 – 24/10/2025" in page
    assert "Spring 1" in page and "(no data for last year)" in page
    assert "How the change is worked out" in page
    assert "year=2026%2F27&amp;format=csv" in page


def test_the_previous_year_of_the_oldest_year_is_none_so_no_data(client, known, leader):
    client.force_login(leader)
    page = client.get(URL + "?year=2025/26").content.decode()
    assert "The school has no academic year before 2025/26" in page
    rows = rows_of(client, "&year=2025/26")
    misses = next(r for r in rows if r[0] == "Autumn 1" and r[1] == "Misses recorded")
    assert misses[2:4] == ["3", "no data for last year"]


def test_a_year_not_the_schools_is_refused_and_shows_nothing(client, known, leader):
    client.force_login(leader)
    page = client.get(URL + "?year=1999/00").content.decode()
    assert "Choose one of the school&#x27;s academic years." in page
    assert "Misses recorded" not in page


@pytest.mark.parametrize("role", [Role.SENIOR_LEADER, Role.SCHOOL_ADMIN, Role.GOVERNOR])
def test_leaders_admins_and_governors_read_it(client, known, role):
    client.force_login(staff(known.school, "reader@known.school", (role, {})))
    assert client.get(URL).status_code == 200


@pytest.mark.parametrize("role", [Role.TEACHER, Role.LSA, Role.SUBJECT_LEADER])
def test_teachers_and_other_staff_get_404(client, known, role):
    scope = {"subject": known.builder.group.subject} if role == Role.SUBJECT_LEADER else {}
    client.force_login(staff(known.school, "staff@known.school", (role, scope)))
    assert client.get(URL).status_code == 404


def test_another_schools_leader_cannot_name_this_school(client, known):
    other = staff(
        known.builder.school.__class__.objects.get(slug="elsewhere"),
        "slt@elsewhere.school",
        (Role.SENIOR_LEADER, {}),
    )
    client.force_login(other)
    assert client.get(URL + "?school=known").status_code == 404
    assert "Elsewhere School" in client.get(URL).content.decode()


def test_the_report_links_to_the_comparison(client, known, leader):
    client.force_login(leader)
    page = client.get(reverse("reports_half_term")).content.decode()
    assert reverse("reports_half_term_compared") in page


def report_queries(year) -> int:
    """What one half-term report costs (its own budget: test_half_term_page.py)."""
    with CaptureQueriesContext(connection) as queries:
        half_term_report(year, today=TODAY)
    cache.clear()  # the page counts its reports afresh (kept figures: test_half_term_cache.py)
    return len(queries)


@pytest.mark.parametrize("more_pupils", [0, 12])
def test_the_page_runs_a_fixed_number_of_queries(
    client, known, leader, more_pupils, django_assert_num_queries
):
    b = known.builder
    club = Club.objects.get(school=b.school, kind=Club.Kind.HOMEWORK_CLUB)
    for _ in range(more_pupils):
        pupil = PupilFactory(tutor_group=known.ada.tutor_group)
        b.miss(pupil, d(10, 5))
        b.attend(b.club_session(club, d(10, 6)), pupil)
    per_report = report_queries(known.year)
    client.force_login(leader)
    # Session and user (2), roles (1), the school (1), the current year (1), the years
    # for the picker (1), and two reports (this year's and last year's).
    with django_assert_num_queries(6 + 2 * per_report):
        response = client.get(URL)
    assert response.status_code == 200
    assert f'<td class="text-end">{2 + more_pupils}</td>' in response.content.decode()
