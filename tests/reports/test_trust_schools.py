"""A trust leader reads each school of their trust's reports (the half-term report, by
pupil group, before and after, their CSV and PDF) by naming it with ?school=<slug>, as a
superuser does; with no school named they choose among their trust's schools only. A
school of another trust answers 404, and so do the report settings and work scrutiny; a
school's own leaders still read only their school.

The North trust holds the hand-built school (Known) and Second; Elsewhere is in the South
trust (tests/reports/test_trust.py)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from school.models import RoleAssignment
from tests.conftest import staff
from tests.reports import test_trust
from tests.reports.fixture import TODAY, at
from tests.reports.test_half_term_page import _grow
from tests.reports.test_trust import second_school, trust_leader

pytestmark = pytest.mark.django_db
trusts = test_trust.trusts  # the fixture: North (Known, Second) and South (Elsewhere)
Role = RoleAssignment.Role

# Every report page of one school, and its files.
REPORT_URLS = [
    reverse("reports_half_term"),
    reverse("reports_half_term") + "?format=csv",
    reverse("reports_half_term") + "?format=pdf",
    reverse("reports_half_term_groups"),
    reverse("reports_half_term_groups") + "?format=csv",
    reverse("reports_half_term_compared"),
    reverse("reports_half_term_compared") + "?format=csv",
]
CLOSED_URLS = [
    reverse("reports_settings"),
    reverse("scrutiny_rounds"),
    reverse("scrutiny_checklist"),
    reverse("scrutiny_results"),
    reverse("scrutiny_mine"),
]
CHOOSE = "choose a school"


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


def named(url, slug):
    return f"{url}{'&' if '?' in url else '?'}school={slug}"


@pytest.fixture
def leader(client, trusts):
    """A trust leader of the North trust, assigned at Second school."""
    user = trust_leader(trusts[1].school, "trust@second.school")
    client.force_login(user)
    return user


@pytest.mark.parametrize("url", REPORT_URLS)
def test_a_trust_leader_opens_each_school_of_their_trust(client, trusts, leader, url):
    for slug in ("known", "second"):
        response = client.get(named(url, slug))
        assert response.status_code == 200, slug
        if "format" not in url:
            page = response.content.decode()
            assert {"known": "Known School", "second": "Second School"}[slug] in page
            assert f'name="school" value="{slug}"' in page  # the picker keeps the school


@pytest.mark.parametrize("url", REPORT_URLS)
def test_another_trusts_school_answers_404(client, trusts, leader, url):
    response = client.get(named(url, "elsewhere"))
    assert response.status_code == 404
    assert b"Elsewhere School" not in response.content


@pytest.mark.parametrize("url", REPORT_URLS)
def test_with_no_school_named_they_choose_among_their_trusts_schools_only(
    client, trusts, leader, url
):
    page = client.get(url.split("?")[0]).content.decode()
    assert CHOOSE in page
    assert "?school=known" in page and "?school=second" in page
    assert "elsewhere" not in page and "Elsewhere School" not in page


@pytest.mark.parametrize("url", CLOSED_URLS)
def test_report_settings_and_work_scrutiny_stay_closed(client, trusts, leader, url):
    assert client.get(url).status_code == 404
    assert client.get(named(url, "known")).status_code == 404


def test_the_csv_and_pdf_are_the_named_schools(client, trusts, leader):
    csv = client.get(named(reverse("reports_half_term"), "known") + "&format=csv")
    assert 'filename="half-term-report-known-2026-27.csv"' in csv["Content-Disposition"]
    pdf = client.get(named(reverse("reports_half_term"), "known") + "&format=pdf")
    assert 'filename="half-term-report-known-2026-27.pdf"' in pdf["Content-Disposition"]
    assert pdf.content.startswith(b"%PDF")


def test_every_link_of_the_report_keeps_the_school(client, trusts, leader):
    page = client.get(named(reverse("reports_half_term"), "known")).content.decode()
    assert f"{reverse('reports_half_term_compared')}?year=2026%2F27&amp;school=known" in page
    assert f"{reverse('reports_half_term_groups')}?school=known&amp;year=2026/27" in page
    assert 'href="?school=known&amp;year=2026%2F27&amp;format=csv"' in page
    assert 'href="?school=known&amp;year=2026%2F27&amp;format=pdf"' in page
    groups = client.get(named(reverse("reports_half_term_groups"), "known")).content.decode()
    assert f'href="{reverse("reports_half_term")}?school=known"' in groups
    assert reverse("reports_settings") not in groups
    compared = client.get(named(reverse("reports_half_term_compared"), "known"))
    assert "school=known" in compared.content.decode()


def test_the_trust_reports_column_headings_open_each_schools_report(client, trusts, leader):
    page = client.get(reverse("reports_trust") + "?year=2026/27&period=autumn_1")
    html = page.content.decode()
    for slug in ("known", "second"):
        assert f'href="{reverse("reports_half_term")}?school={slug}&amp;year=2026/27"' in html


def test_a_trust_leader_still_opens_no_pupil_page_or_list(client, trusts, leader):
    known = trusts[0]
    assert client.get(reverse("pupil_detail", args=[known.ada.pk])).status_code == 404
    tutor_group = reverse("tutor_group_detail", args=[known.ada.tutor_group_id])
    assert client.get(tutor_group).status_code == 404
    assert client.get(named(tutor_group, "known")).status_code == 404


@pytest.mark.parametrize("role", [Role.SENIOR_LEADER, Role.SCHOOL_ADMIN, Role.GOVERNOR])
def test_a_schools_own_readers_still_read_only_their_school(client, trusts, role):
    client.force_login(staff(trusts[0].school, "reader@known.school", (role, {})))
    page = client.get(reverse("reports_half_term")).content.decode()
    assert "Known School" in page and CHOOSE not in page
    for url in REPORT_URLS:
        assert client.get(named(url, "second")).status_code == 404, url
        assert client.get(named(url, "known")).status_code == 200, url


def test_a_trust_leader_of_a_school_in_no_trust_reads_that_school_only(client, trusts):
    client.force_login(trust_leader(trusts[0].school, "trust@known.school"))
    trusts[0].school.trust = None
    trusts[0].school.save()
    page = client.get(reverse("reports_half_term")).content.decode()
    assert "Known School" in page and CHOOSE not in page
    assert client.get(named(reverse("reports_half_term"), "known")).status_code == 200
    assert client.get(named(reverse("reports_half_term"), "second")).status_code == 404


def _queries(client, url) -> int:
    cache.clear()  # each reader counts afresh (kept figures: test_half_term_cache.py)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("more_pupils", [0, 15])
@pytest.mark.parametrize(
    "url",
    [
        reverse("reports_half_term"),
        reverse("reports_half_term_groups"),
        reverse("reports_half_term_compared"),
    ],
)
def test_a_trust_leader_reads_a_school_with_the_queries_of_its_own_leader(
    client, trusts, url, more_pupils
):
    """The school a trust leader names is one query, as a governor's own school is (both
    only read the reports, so the page's frame asks whether they are a parent too); the
    rest is the page's own budget (test_half_term_page.py, test_groups_page.py,
    test_compare.py), the same at any size."""
    _grow(trusts[0], more_pupils)
    client.force_login(staff(trusts[0].school, "gov@known.school", (Role.GOVERNOR, {})))
    own = _queries(client, url)
    client.force_login(trust_leader(trusts[1].school, "trust@second.school"))
    assert _queries(client, named(url, "known")) == own


@pytest.mark.parametrize("schools", [2, 5])
def test_the_choice_runs_the_same_queries_whatever_the_number_of_schools(
    client, trusts, leader, schools, django_assert_num_queries
):
    for n in range(schools - 2):
        extra = second_school(f"extra{n}", pupils=1)
        extra.school.trust = trusts[2]
        extra.school.save()
    # Session and user (2), roles (1), the leader's school (1), the count and page of
    # the trust's schools (2), the frame's "are they a parent too?" (1).
    with django_assert_num_queries(7):
        page = client.get(reverse("reports_half_term")).content.decode()
    assert page.count("?school=") == schools
