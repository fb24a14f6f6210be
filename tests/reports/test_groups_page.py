"""The report by pupil group: the tables with their definitions, the flag and the
suppression as the page shows them, the choices (year, period, grouping), the CSV, who
may read it, and its query budget at two sizes."""

import csv
import io

import pytest
from django.urls import reverse

from reports.models import ReportSettings
from school.models import RoleAssignment
from tests.conftest import staff
from tests.factories import PupilFactory
from tests.reports.fixture import TODAY, at, d, groups_school

pytestmark = pytest.mark.django_db
URL = reverse("reports_half_term_groups")
Role = RoleAssignment.Role


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


@pytest.fixture
def school():
    return groups_school()


@pytest.fixture
def leader(school):
    return staff(school.school, "slt@groups.school", (Role.SENIOR_LEADER, {}))


def table_rows(page: str, key: str) -> str:
    start = page.index(f'id="measure-{key}"')
    return page[start : page.index("</table>", start)]


def test_the_page_splits_by_pupil_premium_with_the_ratio_and_a_flag(client, school, leader):
    client.force_login(leader)
    response = client.get(URL + "?period=autumn_1")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Report by pupil characteristics 2026/27" in page
    misses = table_rows(page, "misses")
    pp = misses[misses.index("Pupil Premium") :]
    assert '<td class="text-end">5</td>' in pp[:200]  # on roll
    assert "25.0%" in pp[:300] and "50.0%" in pp[:600] and "2.00" in pp[:700]
    assert "⚑</span> Flagged" in pp[: pp.index("</tr>")]
    assert "disproportionality ratio" in page
    assert "A ratio of 1.5 or more" in page
    assert "Only counted misses count" in page  # the report's own definition


def test_a_group_of_four_shows_fewer_than_five_and_no_figure(client, school, leader):
    client.force_login(leader)
    page = client.get(URL + "?period=autumn_1").content.decode()
    sen = table_rows(page, "misses")
    sen = sen[sen.index("SEN support") :]
    row = sen[: sen.index("</tr>")]
    assert row.count("fewer than 5") == 5
    assert "Flagged" not in row
    assert "fewer than 5" in page and "the next smallest are hidden" in page


def test_the_schools_smallest_group_of_three_shows_the_group_of_four(client, school, leader):
    ReportSettings.objects.create(school=school.school, smallest_group=3)
    client.force_login(leader)
    page = client.get(URL + "?period=autumn_1").content.decode()
    sen = table_rows(page, "misses")
    row = sen[sen.index("SEN support") :]
    row = row[: row.index("</tr>")]
    assert "fewer than" not in row
    assert '<td class="text-end">4</td>' in row


def test_by_year_group_the_next_smallest_group_is_hidden_too(client, school, leader):
    client.force_login(leader)
    page = client.get(URL + "?period=autumn_1&by=year-group").content.decode()
    misses = table_rows(page, "misses")
    for label, hidden in [("Year 7", False), ("Year 8", True), ("Year 9", True)]:
        row = misses[misses.index(label) :]
        assert ("fewer than 5" in row[: row.index("</tr>")]) is hidden, label


def test_by_subject_misses_against_homework_due(client, school, leader):
    client.force_login(leader)
    page = client.get(URL + "?period=autumn_1&by=subject").content.decode()
    assert "Report by subject 2026/27" in page
    misses = table_rows(page, "misses")
    assert "Homework due" in misses and "1.41" in misses
    assert 'id="measure-detentions_set"' not in page


def test_a_half_term_the_school_has_not_entered_is_refused(client, school, leader):
    client.force_login(leader)
    page = client.get(URL + "?period=summer_2").content.decode()
    assert "The school has entered no Summer 2 for 2026/27." in page
    assert 'id="measure-misses"' not in page
    refused = client.get(URL + "?by=shoe-size").content.decode()
    assert "Choose how to split the pupils." in refused


def test_the_csv_holds_every_table(client, school, leader):
    client.force_login(leader)
    response = client.get(URL + "?period=autumn_1&format=csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="report-groups-groups-2026-27-characteristics.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:8] == [
        "Measure",
        "Pupil characteristics",
        "Pupils on roll",
        "% of pupils on roll",
        "Count",
        "% of the school's",
        "Ratio",
        "Flagged",
    ]
    by = {(row[0], row[1]): row for row in rows[1:]}
    assert by[("Misses recorded", "Pupil Premium")][2:8] == [
        "5",
        "25.0",
        "4",
        "50.0",
        "2.00",
        "yes",
    ]
    assert by[("Misses recorded", "SEN support")][2:10] == ["fewer than 5"] * 8
    assert by[("Handed in on time", "Pupil Premium")][8:] == ["20.0", "58.6"]
    assert {row[0] for row in rows[1:]} >= {"Club attendances", "Detentions served"}
    assert "format=csv" in client.get(URL + "?period=autumn_1").content.decode()


def test_the_page_links_to_the_settings_for_leaders_but_not_governors(client, school, leader):
    client.force_login(leader)
    assert reverse("reports_settings") in client.get(URL).content.decode()
    governor = staff(school.school, "gov@groups.school", (Role.GOVERNOR, {}))
    client.force_login(governor)
    page = client.get(URL).content.decode()
    assert reverse("reports_settings") not in page
    assert "A ratio of 1.5 or more" in page  # the settings, in the definitions


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.SENIOR_LEADER, 200),
        (Role.SCHOOL_ADMIN, 200),
        (Role.GOVERNOR, 200),
        (Role.TEACHER, 404),
        (Role.HEAD_OF_YEAR, 404),
    ],
)
def test_who_reads_the_page(client, school, role, status):
    extra = {"year_group": school.p[0].year_group} if role == Role.HEAD_OF_YEAR else {}
    client.force_login(staff(school.school, f"{role}-reader@groups.school", (role, extra)))
    assert client.get(URL).status_code == status


def test_parents_and_the_other_schools_leader_do_not_see_this_schools_rows(client, school, world):
    client.force_login(world.parent)
    assert client.get(URL).status_code == 404
    client.force_login(world.other_school_staff)
    page = client.get(URL).content.decode()
    assert "Groups School" not in page and "Other Academy" in page
    assert client.get(URL + "?school=groups").status_code == 404


def test_a_superuser_chooses_the_school(client, school, django_user_model):
    root = django_user_model.objects.create_superuser(email="root@example.com", password="x")
    client.force_login(root)
    assert "?school=groups" in client.get(URL).content.decode()
    page = client.get(URL + "?school=groups&period=autumn_1").content.decode()
    assert 'name="school" value="groups"' in page and "2.00" in page
    assert "school=groups" in page[page.index("Download CSV") - 200 :]


def _grow(school, pupils):
    b = school.builder
    for i in range(pupils):
        pupil = PupilFactory(tutor_group=school.p[0].tutor_group, pupil_premium=i % 2 == 0)
        b.miss(pupil, d(10, 12))
        sanction = b.sanction(pupil, d(10, 13), 1)
        b.booking(sanction, d(10, 14), "attended")


@pytest.mark.parametrize("more_pupils", [0, 15])
@pytest.mark.parametrize(("by", "queries"), [("characteristics", 16), ("subject", 11)])
def test_the_page_runs_a_fixed_number_of_queries(
    client, school, leader, more_pupils, by, queries, django_assert_num_queries
):
    _grow(school, more_pupils)
    client.force_login(leader)
    # Session and user (2), the user's roles (1), the school (1), its report settings (1),
    # the current year (1), the school's years (1), the half-terms (1); the split: the
    # roll, misses, sanctions, bookings, meetings, detentions served, club attendances
    # and homework due (8), or by subject misses, homework due and homework set (3).
    with django_assert_num_queries(queries):
        response = client.get(URL + f"?period=autumn_1&by={by}")
    assert response.status_code == 200
    assert f"{8 + more_pupils}" in table_rows(response.content.decode(), "misses")
