"""The half-term report page: the table with each measure's definition, the year picker,
the CSV of the same table, and its query budget at two sizes."""

import csv
import io

import pytest
from django.urls import reverse

from school.models import AcademicYear
from tests.reports.fixture import TODAY, at, d

pytestmark = pytest.mark.django_db
URL = reverse("reports_half_term")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


def test_the_page_shows_each_measure_by_half_term_with_its_definition(client, known, leader):
    client.force_login(leader)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Half-term report 2026/27" in page
    for label in ["Autumn 1", "Autumn 2", "Spring 1", "Year"]:
        assert label in page
    assert "<summary>Misses recorded</summary>" in page
    assert "voided) or excused does not" in page
    assert '<td class="text-end">2 (66.7%)</td>' in page
    assert "selected>2026/27</option>" in page


def test_the_csv_is_the_same_table(client, known, leader):
    client.force_login(leader)
    response = client.get(URL + "?format=csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="half-term-report-known-2026-27.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Measure", "Autumn 1", "Autumn 2", "Spring 1", "Year", "Definition"]
    misses = next(row for row in rows if row[0] == "Misses recorded")
    assert misses[1:5] == ["2", "2", "0", "4"]
    assert "excused" in misses[5]


def test_the_year_picker_shows_another_year_and_refuses_one_not_the_schools(client, known, leader):
    AcademicYear.objects.create(
        school=known.school, name="2025/26", start_date=d(9, 1, 2025), end_date=d(8, 31, 2026)
    )
    client.force_login(leader)
    page = client.get(URL + "?year=2025/26").content.decode()
    assert "Half-term report 2025/26" in page
    assert "Misses recorded" in page
    assert "only the year is shown" in page
    refused = client.get(URL + "?year=1999/00").content.decode()
    assert "Choose one of the school&#x27;s academic years." in refused
    assert "Misses recorded" not in refused
    csv_link = client.get(URL + "?year=2025/26").content.decode()
    assert "year=2025%2F26&amp;format=csv" in csv_link


def test_a_school_without_a_year_is_told_so(client, world):
    client.force_login(world.other_school_staff)  # the other school has no year
    page = client.get(URL).content.decode()
    assert "The school has no academic year yet" in page


def _grow(known, pupils):
    from tests.factories import PupilFactory

    b = known.builder
    for _ in range(pupils):
        pupil = PupilFactory(tutor_group=known.ada.tutor_group)
        b.miss(pupil, d(10, 5))
        sanction = b.sanction(pupil, d(10, 6), 1)
        b.booking(sanction, d(10, 9), "attended")


@pytest.mark.parametrize("more_pupils", [0, 15])
def test_the_page_runs_a_fixed_number_of_queries(
    client, known, leader, more_pupils, django_assert_max_num_queries
):
    _grow(known, more_pupils)
    client.force_login(leader)
    # Session and user (2), the user's roles (1), the school (1), the current year (1),
    # the school's years for the picker (1), the half-terms (1), misses, the roll and
    # misses per pupil (3),
    # sanctions by step, bookings, meetings and "not re-offended" (4), homework set and
    # handed in (2), set against the frequency policy (2), club nights and attendances
    # (2), club newcomers' misses before and after (2).
    # Work scrutiny's ratings (1). Families' engagement: the report settings, the
    # year's sent consultations, the families, the conversations (4).
    with django_assert_max_num_queries(27):
        response = client.get(URL)
    assert response.status_code == 200
    assert f'<td class="text-end">{2 + more_pupils}</td>' in response.content.decode()
