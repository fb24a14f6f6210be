"""Reading a school's CSV export, whatever wrote it: encodings, separators, the column
mapping and its presets, formula-looking cells, the size limit and files that are not
CSV at all."""

import pytest

from mis.kinds import FileRejected, kind_named
from mis.readers.csv import (
    MAX_BYTES,
    csv_headers,
    csv_read,
    formula_problem,
    mapping_suggest,
    preset_detect,
)

from .csv_helpers import csv_text, sample

STAFF = kind_named("staff")
NAMES = [("Zoë", "Brontë"), ("Siân", "Lloyd")]


def names(table):
    return [(row.get("first_name"), row.get("last_name")) for row in table.rows]


@pytest.mark.parametrize(
    "file_name",
    [
        "staff_sims.csv",  # UTF-8, no BOM, SIMS headers
        "staff_arbor_bom.csv",  # UTF-8 with BOM, Arbor headers
        "staff_bromcom_cp1252.csv",  # Windows-1252, Bromcom headers
        "staff_semicolon.csv",  # separated by semicolons, a quoted cell holding them
    ],
)
def test_every_encoding_and_separator_reads_the_same_names(file_name):
    table = csv_read(kind=STAFF, content=sample(file_name), mapping={})

    assert names(table)[:2] == NAMES
    assert table.rows[0].get("email") == "z.bronte@northfield.example"
    assert table.rows[0].get("roles") == "Teacher; Head of year 7"
    assert table.rows[0].line == 2
    assert not table.errors


def test_the_bom_does_not_stick_to_the_first_header():
    assert csv_headers(sample("staff_arbor_bom.csv"))[0] == "First Name"


def test_utf16_and_tabs_as_excel_unicode_text_writes_them():
    content = "Forename\tSurname\tWork Email Address\nSiân\tLloyd\ts@x.example\n"
    table = csv_read(kind=STAFF, content=content.encode("utf-16"), mapping={})

    assert names(table) == [("Siân", "Lloyd")]


def test_a_windows_1252_byte_no_utf8_has_never_fails_to_decode():
    content = b"Forename,Surname,Work Email Address\n\x80uro\x9d,Sm\xefth,a@b.example\n"

    table = csv_read(kind=STAFF, content=content, mapping={})

    assert table.rows[0].get("first_name").startswith("€uro")
    assert table.rows[0].get("last_name") == "Smïth"


@pytest.mark.parametrize("preset", ["SIMS", "Arbor", "Bromcom"])
def test_each_preset_is_suggested_from_its_own_headers(preset):
    headers = list(STAFF.presets[preset].values())

    assert mapping_suggest(STAFF, headers) == STAFF.presets[preset]
    assert preset_detect(STAFF, headers) == preset


def test_headers_match_ignoring_case_spaces_and_punctuation():
    suggested = mapping_suggest(STAFF, ["FIRST_NAME", " last name ", "E-mail", "staffcode"])

    assert suggested == {
        "first_name": "FIRST_NAME",
        "last_name": " last name ",
        "email": "E-mail",
        "staff_code": "staffcode",
    }


def test_a_saved_mapping_picks_the_columns_and_leaves_others_unread():
    content = csv_text("Given,Family,Mail,Initials,Notes", "Ann,Lee,a@x.example,ALE,=1+1")
    mapping = {"first_name": "Given", "last_name": "Family", "email": "Mail", "roles": ""}

    table = csv_read(kind=STAFF, content=content, mapping=mapping)

    assert table.rows[0].values == {"first_name": "Ann", "last_name": "Lee", "email": "a@x.example"}
    assert not table.has("roles") and not table.has("staff_code")
    assert not table.errors  # the formula is in a column nobody maps


def test_a_file_without_the_required_columns_asks_if_it_is_the_right_kind():
    with pytest.raises(FileRejected) as refused:
        csv_read(kind=STAFF, content=sample("wrong_kind.csv"), mapping={})

    message = refused.value.message
    assert "no column for First name, Last name, Email" in message
    assert "Is this the right kind of file?" in message
    assert "Its columns are: UPN, Class." in message


def test_a_mapped_column_the_file_lacks_is_named():
    content = csv_text("Forename,Surname,Email")
    with pytest.raises(FileRejected, match='no column for Email \\("Work Email Address"\\)'):
        csv_read(kind=STAFF, content=content, mapping={"email": "Work Email Address"})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"  \r\n\r\n", "The file is empty."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This does not look like a CSV file: it is an Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "This does not look like a CSV file: it is an old"),
        (b"%PDF-1.7\n", "This does not look like a CSV file: it is a PDF"),
        (bytes(range(256)) * 4, "This does not look like a CSV file"),
        (b"\n\nForename,Surname\n", "The first line of the file should name its columns"),
    ],
)
def test_files_that_are_not_csv_are_refused_with_a_reason(content, message):
    with pytest.raises(FileRejected) as refused:
        csv_read(kind=STAFF, content=content, mapping={})

    assert refused.value.message.startswith(message)


def test_a_file_over_20_mb_is_refused_before_it_is_read():
    content = b"Forename,Surname,Work Email Address\n" + b"A,B,c@d.example\n" * (
        MAX_BYTES // 16 + 1
    )

    with pytest.raises(FileRejected, match=r"The file is 20\.0 MB; .* up to 20 MB"):
        csv_read(kind=STAFF, content=content, mapping={})


def test_formula_cells_are_row_errors_with_line_and_column_and_their_rows_left_out():
    table = csv_read(kind=STAFF, content=sample("staff_formulas.csv"), mapping={})

    assert [(e.line, e.column) for e in table.errors] == [
        (3, "Forename"),
        (4, "Surname"),
        (5, "Staff Code"),
        (6, "Forename"),
        (6, "Roles"),
    ]
    assert "never stores formulas" in table.errors[0].message
    assert "tab" in table.errors[3].message
    assert names(table) == [("Zoë", "Brontë")]
    assert table.complete is False


@pytest.mark.parametrize(
    ("cell", "refused"),
    [
        ("=SUM(A1)", True),
        ("@SUM(A1)", True),
        ("+cmd", True),
        ("-2+3+cmd", True),
        ("\tTom", True),
        ("\rTom", True),
        ("-3", False),
        ("+44 7700 900123", False),
        ("-", False),
        ("Smith-Jones", False),
        ("O'Neill", False),
    ],
)
def test_what_counts_as_a_formula(cell, refused):
    assert (formula_problem(cell) is not None) is refused


def test_blank_rows_are_skipped_and_lines_count_as_the_file_does():
    content = csv_text(
        "Forename,Surname,Work Email Address",
        "Ann,Lee,a@x.example",
        ",,",
        '"Bea",Lee,"b@x',
        'example"',
        "Cy,Lee,c@x.example",
        ",,",
        "",
    )

    table = csv_read(kind=STAFF, content=content, mapping={})

    assert [row.line for row in table.rows] == [2, 4, 6]
    assert table.complete is True
