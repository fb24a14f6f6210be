"""Families' engagement on the half-term report's page, CSV and PDF: who sees it (the
report's readers, a governor and a trust leader among them; teachers and parents get
404), its definitions beside the figures, and a fixed number of queries whatever the
number of families."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from reports.measures import engagement as measures
from reports.models import ReportSettings
from school.models import Guardian, RoleAssignment
from tests.conftest import staff
from tests.factories import PupilFactory
from tests.reports.engagement_fixture import TODAY, Family, at, d, engagement_school, parent

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role
URL = reverse("reports_half_term")
QUERIES = 27


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


@pytest.fixture
def world():
    return engagement_school()


def reader(world, role=Role.SENIOR_LEADER):
    return staff(world.school, f"{role}@engage.school", (role, {}))


@pytest.mark.parametrize("role", [Role.SENIOR_LEADER, Role.SCHOOL_ADMIN, Role.GOVERNOR])
def test_the_reports_readers_see_the_section(client, world, role):
    client.force_login(reader(world, role))
    page = client.get(URL).content.decode()
    assert "Families' engagement" in page
    assert "Signed off the week at least 2 times" in page


def test_a_trust_leader_sees_it_for_the_school_they_name(client, world):
    client.force_login(reader(world, Role.TRUST_LEADER))
    page = client.get(URL + "?school=engage").content.decode()
    assert "Families' engagement" in page


@pytest.mark.parametrize("who", ["teacher", "parent"])
def test_teachers_and_parents_get_404(client, world, who):
    user = world.teacher if who == "teacher" else world.ada_mum.guardian.user
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert client.get(URL + "?format=csv").status_code == 404


def test_the_page_shows_each_definition_and_the_flag(client, world):
    client.force_login(reader(world))
    page = client.get(URL).content.decode()
    for text in (measures.FAMILIES, measures.ACCOUNTS, measures.OPENED, measures.REPLY_TIME):
        assert text.replace("'", "&#x27;").replace('"', "&quot;")[:80] in page
    assert "Language: Polish" in page
    assert "not reached" in page  # the EAL family did not open the portal in Autumn 1
    assert "1 h 30 min" in page


def test_the_csv_has_each_measure_by_group_with_its_definition(client, world):
    client.force_login(reader(world))
    response = client.get(URL + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_label = {row[0]: row for row in rows}
    assert by_label["Families: All families"][1:4] == [
        "3 (100.0% of families)",
        "2 (100.0% of families)",
        "2 (100.0% of families)",
    ]
    assert by_label["Families: All families"][-1] == measures.FAMILIES
    assert by_label["Opened the parents' pages: English as an additional language (EAL)"][1] == (
        "0 of 1 (0.0%), ratio 0.00, flagged"
    )
    assert by_label["Median time to answer a parent: All families"][2] == (
        "14 h 0 min (2 of 3 answered)"
    )
    assert any(row[-1].startswith("A group with fewer than 1 families") for row in rows)


def test_the_pdf_has_the_section(client, world):
    client.force_login(reader(world))
    response = client.get(URL + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def _grow(world, families):
    """More families, each with a child, a visit, a signature, sign-offs and a question."""
    agreement = world.ada_mum.guardian.signatures.first().agreement
    for i in range(families):
        child = PupilFactory(tutor_group=world.tg_b, pupil_premium=i % 2 == 0)
        family = Family(
            world,
            parent(
                world.school,
                f"family{i}@example.org",
                d(9, 3),
                Guardian.Language.URDU if i % 3 else Guardian.Language.ENGLISH,
                child,
            ),
        )
        family.visit(d(9, 16), d(11, 16))
        family.sign(agreement, child, d(9, 21))
        family.sign_off(child, d(9, 14))
        family.answer(world.first)
        family.ask(child, at(d(11, 16), 9), reply_after=datetime.timedelta(hours=i + 1))


@pytest.mark.parametrize("more", [0, 12])
def test_the_page_runs_a_fixed_number_of_queries(client, world, more, django_assert_num_queries):
    _grow(world, more)
    client.force_login(reader(world))
    # The report's own (tests/reports/test_half_term_page.py: session and user, roles,
    # school, current year, the picker's years, the half-terms, and its seventeen
    # counting queries), then families' engagement: the report settings, the year's
    # sent consultations, the families with what each did, and the conversations with
    # their first replies (four).
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200


def test_the_sign_off_setting_is_saved_and_checked(client, world):
    client.force_login(reader(world))
    settings_url = reverse("reports_settings")
    page = client.get(settings_url).content.decode()
    assert 'name="sign_off_weeks" value="2"' in page
    response = client.post(
        settings_url, {"flag_ratio": "1.5", "smallest_group": "2", "sign_off_weeks": "0"}
    )
    assert "greater than or equal to 1" in response.content.decode()
    assert ReportSettings.for_school(world.school.pk).sign_off_weeks == 2
    client.post(settings_url, {"flag_ratio": "1.5", "smallest_group": "2", "sign_off_weeks": "3"})
    assert ReportSettings.for_school(world.school.pk).sign_off_weeks == 3
    assert "Signed off the week at least 3 times" in client.get(URL).content.decode()
