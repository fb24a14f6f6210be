"""The half-term report page draws a trend chart per measure (inline SVG named by the
measure, its numbers in words), links the PDF and offers a Print button."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from school.models import AcademicYear
from tests.reports.fixture import TODAY, at, d

pytestmark = pytest.mark.django_db
URL = reverse("reports_half_term")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


def test_each_measure_has_a_trend_chart_named_by_the_measure(client, known, leader):
    client.force_login(leader)
    response = client.get(URL)
    page = response.content.decode()
    report = response.context["report"]
    svgs = re.findall(r'<svg class="chart"[^>]*role="img"[^>]*>', page)
    assert len(svgs) == len(report.measures)
    for measure in report.measures:
        assert f'aria-labelledby="trend-{measure.key}-title"' in page
        assert f'<title id="trend-{measure.key}-title">{escape(measure.label)}</title>' in page
    assert (
        '<desc id="trend-misses-desc">Misses recorded by half-term. '
        "Autumn 1: 2; Autumn 2: 2; Spring 1: 0.</desc>"
    ) in page
    # The Year column is in the table, not on the line.
    assert "Year: 4" not in page
    assert "css/reports.css" in page and "js/report-print.js" in page
    svg_part = page[page.index('<svg class="chart"') :]
    assert " style=" not in svg_part and "<style" not in svg_part


def test_the_page_links_the_pdf_and_the_csv_and_offers_print(client, known, leader):
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert 'href="?year=2026%2F27&amp;format=pdf">Download PDF' in page
    assert 'href="?year=2026%2F27&amp;format=csv">Download CSV' in page
    # Shown by report-print.js: without JavaScript it could do nothing.
    assert re.search(r"<button[^>]*data-print-button\s+hidden>", page)


def test_a_year_without_half_terms_has_no_charts(client, known, leader):
    AcademicYear.objects.create(
        school=known.school, name="2025/26", start_date=d(9, 1, 2025), end_date=d(8, 31, 2026)
    )
    client.force_login(leader)
    page = client.get(URL + "?year=2025/26").content.decode()
    assert "only the year is shown" in page
    assert "<svg" not in page
    assert "format=pdf" in page


def test_a_superusers_links_name_the_school(client, known, django_user_model):
    admin = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    client.force_login(admin)
    page = client.get(URL + f"?school={known.school.slug}").content.decode()
    assert f"?school={known.school.slug}&amp;year=2026%2F27&amp;format=pdf" in page
    response = client.get(URL + f"?school={known.school.slug}&format=pdf")
    assert response["Content-Type"] == "application/pdf"
