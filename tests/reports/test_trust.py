"""The trust view (/reports/trust/): one period's measures per school of a trust, side by
side, each the school's own report figure; its CSV, who reads it (a trust leader of this
trust, not of another, nor a school's own leaders, governors, teachers or parents), the
trust leader's menu and home page, and its query budget whatever the number of schools.

The North trust holds the hand-built school (tests/reports/fixture.py) and a second school
whose 2026/27 has an Autumn 1 (other dates) but no Autumn 2; the fixture's other school
(Elsewhere) is in the South trust."""

import csv
import io

import pytest
from django.urls import reverse

from reports.measures import half_term_report
from reports.measures.trust import trust_report
from school.models import RoleAssignment, School, Trust
from tests.conftest import staff
from tests.factories import PupilFactory
from tests.reports.fixture import TODAY, at, d, known_school, school_build
from tests.reports.test_half_term_access import GOVERNOR_PAGES
from tests.school.test_navigation import menu_of
from tests.test_permissions import PAGES

URL = reverse("reports_trust")
Role = RoleAssignment.Role


@pytest.fixture(autouse=True)
def clock(request, time_machine):
    if "homework_world" not in request.fixturenames:
        time_machine.move_to(at(TODAY), tick=False)


def second_school(slug="second", pupils=2):
    b, tutor_group = school_build(slug)
    b.year.half_terms.filter(name="autumn_1").update(start_date=d(9, 3), end_date=d(10, 16))
    b.year.half_terms.filter(name__in=["autumn_2", "spring_1"]).delete()
    for n in range(pupils):
        pupil = PupilFactory(tutor_group=tutor_group)
        b.miss(pupil, d(9, 10 + n))
        b.sanction(pupil, d(9, 11), 1)
    return b


@pytest.fixture
def trusts(db):
    known = known_school()
    north = Trust.objects.create(name="North Trust", slug="north")
    south = Trust.objects.create(name="South Trust", slug="south")
    second = second_school()
    School.objects.filter(pk__in=[known.school.pk, second.school.pk]).update(trust=north)
    School.objects.filter(slug="elsewhere").update(trust=south)
    return known, second, north, south


def cells(report, key):
    return [str(cell) for cell in report.measure(key).cells]


@pytest.mark.django_db
@pytest.mark.parametrize("period, index", [("autumn_1", 0), ("year", -1)])
def test_each_schools_column_is_its_own_reports_figure_for_its_own_period(trusts, period, index):
    known, second, north, _ = trusts
    report = trust_report(north, "2026/27", period, today=TODAY)
    assert [column.school.name for column in report.columns] == ["Known School", "Second School"]
    own = [half_term_report(school.year, today=TODAY) for school in (known, second)]
    second_index = 0 if period == "autumn_1" else -1
    for measure in report.measures:
        assert cells(report, measure.key) == [
            str(own[0].measure(measure.key).cells[index]),
            str(own[1].measure(measure.key).cells[second_index]),
        ], measure.key
        assert measure.definition == own[0].measure(measure.key).definition


@pytest.mark.django_db
def test_known_answers_for_autumn_1(trusts):
    report = trust_report(trusts[2], "2026/27", "autumn_1", today=TODAY)
    assert cells(report, "misses") == ["2", "2"]
    assert cells(report, "roll") == ["4", "2"]
    assert cells(report, "pupils_with_a_miss") == ["2 (50.0%)", "2 (100.0%)"]
    assert cells(report, "club_attendances") == ["3", "0"]


@pytest.mark.django_db
def test_a_school_without_the_half_term_shows_no_figures(trusts):
    report = trust_report(trusts[2], "2026/27", "autumn_2", today=TODAY)
    assert report.columns[1].period is None
    assert cells(report, "misses") == ["2", "–"]


@pytest.mark.django_db
def test_a_year_no_school_has_gives_no_measures(trusts):
    assert trust_report(trusts[2], "2030/31", "year", today=TODAY).measures == []


def trust_leader(school, email="trust@known.school"):
    return staff(school, email, (Role.TRUST_LEADER, {}))


@pytest.mark.django_db
def test_a_trust_leader_sees_their_trusts_schools_and_the_csv(client, trusts):
    known = trusts[0]
    client.force_login(trust_leader(known.school))
    page = client.get(URL).content.decode()
    assert "North Trust" in page
    assert "Known School" in page and "Second School" in page
    assert "Elsewhere School" not in page
    assert "Trust report: Year 2026/27" in page
    response = client.get(URL + "?year=2026/27&period=autumn_1&format=csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="trust-report-north-2026-27-autumn-1.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Measure", "Known School", "Second School", "Definition"]
    assert next(row for row in rows if row[0] == "Misses recorded")[1:3] == ["2", "2"]


@pytest.mark.django_db
def test_a_wrong_choice_is_refused_and_shows_nothing(client, trusts):
    client.force_login(trust_leader(trusts[0].school))
    page = client.get(URL + "?year=1999/00&period=autumn_1").content.decode()
    assert "Choose one of the trust&#x27;s academic years." in page
    assert "Misses recorded" not in page


@pytest.mark.django_db
def test_another_trusts_leader_sees_only_their_own_trust(client, trusts):
    elsewhere = School.objects.get(slug="elsewhere")
    client.force_login(trust_leader(elsewhere, "trust@elsewhere.school"))
    page = client.get(URL).content.decode()
    assert "South Trust" in page and "Elsewhere School" in page
    assert "Known School" not in page
    assert client.get(URL + "?trust=north").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.SENIOR_LEADER, Role.SCHOOL_ADMIN, Role.GOVERNOR, Role.TEACHER]
)
def test_a_schools_own_leaders_governors_and_teachers_get_404(client, trusts, role):
    client.force_login(staff(trusts[0].school, "someone@known.school", (role, {})))
    assert client.get(URL).status_code == 404


@pytest.mark.django_db
def test_a_parent_or_pupil_gets_404(client, world):
    for user in (world.parent, world.pupil.user):
        client.force_login(user)
        assert client.get(URL).status_code == 404


@pytest.mark.django_db
def test_a_trust_leader_of_a_school_in_no_trust_gets_404(client, world):
    client.force_login(trust_leader(world.school, "trust@test.school"))
    assert client.get(URL).status_code == 404


@pytest.mark.django_db
def test_a_superuser_chooses_the_trust_then_reads_it(client, trusts, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser(email="root@example.com", password="x")
    )
    choose = client.get(URL).content.decode()
    assert "?trust=north" in choose and "?trust=south" in choose
    page = client.get(URL + "?trust=north").content.decode()
    assert "Known School" in page and 'name="trust" value="north"' in page


@pytest.mark.django_db
def test_a_trust_leaders_menu_and_home_are_the_reports(client, trusts):
    leader = trust_leader(trusts[0].school)
    assert menu_of(client, leader) == [
        ("Home", reverse("home")),
        ("Half-term report", reverse("reports_half_term")),
        ("Trust report", reverse("reports_trust")),
    ]
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("reports_trust")}"' in home
    assert f'href="{reverse("reports_half_term")}"' in home


@pytest.mark.shared_world
@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_trust_leader_opens_only_home_and_the_reports(client, homework_world, page):
    client.force_login(trust_leader(homework_world.school, "trust@test.school"))
    response = client.get(PAGES[page][0](homework_world))
    # The shared world's school is in no trust: the trust view answers 404 too.
    assert response.status_code == (200 if page in GOVERNOR_PAGES else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("schools", [2, 5])
def test_the_page_runs_the_same_queries_whatever_the_number_of_schools(
    client, trusts, schools, django_assert_num_queries
):
    known, _, north, _ = trusts
    for n in range(schools - 2):
        extra = second_school(f"extra{n}", pupils=3)
        School.objects.filter(pk=extra.school.pk).update(trust=north)
    client.force_login(trust_leader(known.school))
    # The request's own (session, user, roles and the page's frame: 5), the school and
    # its trust (1), the trust's year names (1), the schools (1), their years and
    # half-terms (2), the roll, misses, bookings, meetings, detentions served, homework
    # set and due, club sessions and attendances (9).
    with django_assert_num_queries(18):
        response = client.get(URL + "?year=2026/27&period=autumn_1")
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="col" class="text-end">') == schools
