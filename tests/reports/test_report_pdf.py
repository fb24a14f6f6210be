"""The half-term report as a PDF for a governors' meeting (?format=pdf): a real PDF whose
text holds the measures, their definitions and numbers, for the same readers as the page
and in a fixed number of queries; a school name in Welsh, Greek or Cyrillic prints."""

import importlib
import io
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from reports.models import ReportSettings
from school.models import RoleAssignment
from tests.conftest import staff
from tests.factories import SchoolFactory
from tests.reports.fixture import TODAY, at
from tests.reports.test_half_term_page import _grow

pytestmark = pytest.mark.django_db
URL = reverse("reports_half_term")
Role = RoleAssignment.Role
NUMBER = re.compile(r"[\d.,]+%?( \([\d.]+%\))?|–")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(at(TODAY), tick=False)


def _text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("role", [Role.SENIOR_LEADER, Role.GOVERNOR])
def test_a_leader_or_governor_downloads_the_report_as_a_pdf(client, known, role):
    client.force_login(staff(known.school, "reader@known.school", (role, {})))
    response = client.get(URL + "?format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="half-term-report-known-2026-27.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    assert set(response["Cache-Control"].split(", ")) == {"private", "no-store"}
    text = _text(response)
    assert "Half-term report 2026/27" in text
    assert known.school.name in text
    assert "Generated 9 December 2026 at 12:00" in text
    for words in ["Autumn 1", "Autumn 2", "Spring 1", "Misses recorded", "2 (66.7%)"]:
        assert words in text
    assert "Only counted misses count" in text  # a definition, in small print
    assert "Half-term by half-term" in text  # the trend charts
    assert "Page 1 of" in text


def test_the_pdf_numbers_are_the_pages(client, known):
    client.force_login(staff(known.school, "slt@known.school", (Role.SENIOR_LEADER, {})))
    text = _text(client.get(URL + "?format=pdf"))
    row = text.split("\nMisses recorded\n", 1)[1].split("\nPupils with at least one miss")[0]
    cells = [line.strip() for line in row.splitlines() if NUMBER.fullmatch(line.strip())]
    assert cells == ["2", "2", "0", "4"]  # Autumn 1, Autumn 2, Spring 1, the year


def test_a_school_name_in_welsh_greek_or_cyrillic_prints(client, known):
    known.school.name = "Ysgol Gyfun Llŷn · Σχολείο · Школа № 5"
    known.school.save(update_fields=["name"])
    client.force_login(staff(known.school, "slt@known.school", (Role.SENIOR_LEADER, {})))
    response = client.get(URL + "?format=pdf")
    assert response.status_code == 200
    assert "Ysgol Gyfun Llŷn · Σχολείο · Школа № 5" in _text(response)


@pytest.mark.parametrize("who", ["teacher", "head_of_year", "parent", "pupil"])
def test_teachers_parents_and_pupils_get_404_not_a_pdf(client, world, who):
    user = world.pupil.user if who == "pupil" else getattr(world, who)
    client.force_login(user)
    response = client.get(URL + "?format=pdf")
    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")


def test_another_schools_leader_cannot_ask_for_this_schools_pdf(client, known):
    client.force_login(staff(SchoolFactory(), "slt@other.school", (Role.SENIOR_LEADER, {})))
    response = client.get(URL + f"?format=pdf&school={known.school.slug}")
    assert response.status_code == 404
    own = client.get(URL + "?format=pdf")  # their school has no year yet: no PDF to make
    assert own["Content-Type"].startswith("text/html")
    assert known.school.name not in own.content.decode()


def test_the_pdf_runs_the_pages_queries_whatever_the_size_of_the_school(client, known):
    client.force_login(staff(known.school, "slt@known.school", (Role.SENIOR_LEADER, {})))
    counts = []
    for more_pupils in [0, 15]:
        _grow(known, more_pupils)
        # The PDF reads what the page reads (its budget, named in test_half_term_page.py:
        # session, user, roles, school, years, half-terms and each measure family's
        # aggregates, and families' engagement with the school's report settings), then
        # for the splits by Pupil Premium and SEN the split by characteristic's one query
        # per family (8): the roll, misses, sanctions, bookings, meetings, detentions
        # served, club attendances and homework due. Nothing per pupil, group or half-term.
        with CaptureQueriesContext(connection) as page:
            client.get(URL)
        cache.clear()  # counted afresh, as the page was (kept figures: test_half_term_cache.py)
        with CaptureQueriesContext(connection) as pdf:
            response = client.get(URL + "?format=pdf")
        assert response["Content-Type"] == "application/pdf"
        counts.append((len(page), len(pdf)))
    assert counts[0] == counts[1]
    assert counts[0][1] == counts[0][0] + 8


def test_the_pdf_splits_the_year_by_pupil_premium_and_sen(client, known):
    client.force_login(staff(known.school, "slt@known.school", (Role.SENIOR_LEADER, {})))
    text = _text(client.get(URL + "?format=pdf"))
    assert "By Pupil Premium" in text
    assert "By special educational needs (SEN support and EHCP)" in text
    # The known school has four pupils: every group is under the default five, so its
    # figures are hidden, never printed.
    assert "Pupil Premium: fewer than 5 pupils on roll: its figures are not shown" in text
    assert "SEN support: fewer than 5 pupils on roll" in text
    assert "EHC plan (EHCP): fewer than 5 pupils on roll" in text


def test_the_pdf_prints_a_groups_figures_ratio_and_flag(client, known):
    from school.models import Pupil
    from tests.factories import PupilFactory

    ReportSettings.objects.create(school=known.school, smallest_group=1)
    Pupil.objects.filter(pk=known.ada.pk).update(pupil_premium=True)
    for _ in range(4):
        PupilFactory(tutor_group=known.ada.tutor_group)
    client.force_login(staff(known.school, "slt@known.school", (Role.SENIOR_LEADER, {})))
    text = _text(client.get(URL + "?format=pdf"))
    part = text.split("By Pupil Premium", 1)[1].split("By special educational needs")[0]
    assert "Pupil Premium: 1 pupil on roll, 14.3% of the roll" in part
    assert "Misses recorded" in part and "Ratio" in part and "yes" in part


@pytest.mark.parametrize("found", ["vera", "none"])
def test_without_debians_fonts_the_pdf_falls_back_and_still_prints(
    client, known, monkeypatch, found
):
    fonts = importlib.import_module("reports.pdf.fonts")  # the module, not its function
    missing = Path("/nowhere/DejaVuSans.ttf")
    candidates = [(missing, missing)] + (fonts._FONT_CANDIDATES[1:] if found == "vera" else [])
    monkeypatch.setattr(fonts, "_FONT_CANDIDATES", candidates)
    monkeypatch.setattr(fonts, "_fonts", None)
    known.school.name = "Ysgol Gyfun Llŷn · Школа № 5 · 学校"
    known.school.save(update_fields=["name"])
    client.force_login(staff(known.school, "slt@known.school", (Role.SENIOR_LEADER, {})))
    response = client.get(URL + "?format=pdf")
    assert fonts.fonts()[0] == ("Report-Vera" if found == "vera" else "Helvetica")
    assert response.status_code == 200
    assert "Misses recorded" in _text(response)
