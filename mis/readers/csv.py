"""Reading a CSV export of the school's MIS into rows a kind compares with the school.

A school's export comes in whatever its spreadsheet wrote: UTF-8 with or without the
byte-order mark Excel adds, Windows-1252 (Excel's "CSV (Comma delimited)" on a UK
Windows machine), UTF-16 ("Unicode text"), separated by commas, semicolons or tabs. The
first line names the columns. The admin maps a column of the file to each field of the
kind once (saved as a ColumnMapping); `mapping_suggest` proposes one from the headers.

A cell that a spreadsheet would run as a formula is refused, never stored: the people
and groups we import are shown and exported again, and the export helper
(school/exports.py) should never be the only thing between a formula and a spreadsheet."""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from mis.kinds import FileKind, FileRejected, RowError

MAX_BYTES = 20 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
NOT_CSV = "This does not look like a CSV file"
# What a file that is not text starts with, and what to tell the admin it is.
SIGNATURES = {
    b"PK\x03\x04": "an Excel workbook (.xlsx) or another zipped file",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
    b"%PDF": "a PDF document",
    b"<?xml": "an XML file (a Common Transfer File is imported as its own kind)",
}
SAVE_AS_CSV = 'Open it in the spreadsheet and save it as "CSV (Comma delimited)", then upload that.'
# "-3" or "+44 7700 900123" starts like a formula but is a number or a phone number.
NUMBER_OR_PHONE = re.compile(r"[+-]?[0-9][0-9 ().-]*\Z")


@dataclass
class CsvRow:
    """One line of the file: its number (the header is line 1) and the text of each
    mapped field, trimmed. A field whose column is not in the file is absent, so a kind
    can tell "not given" (leave as it is) from "given blank"."""

    line: int
    values: dict[str, str]
    headers: dict[str, str] = field(repr=False)

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name, default)

    def error(self, name: str, message: str) -> RowError:
        """A RowError on this line, in the column of the file that holds `name`."""
        return RowError(self.line, self.headers.get(name, name), message)


@dataclass
class CsvTable:
    """The rows of a file under a mapping. `headers` maps each field found to the file's
    own header for it; `errors` are the cells refused while reading. `complete` is False
    when rows were left out for those errors, so that a kind does not take someone as
    missing from a full list because their line was refused."""

    headers: dict[str, str]
    rows: list[CsvRow]
    errors: list[RowError]
    complete: bool

    def has(self, name: str) -> bool:
        return name in self.headers


def normalised(text: str) -> str:
    """A header or a field's name as compared: "Staff Code", "staff_code" and
    "STAFF CODE" are the same column."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def csv_decode(content: bytes) -> str:
    """The file's text, or FileRejected: too big, empty, or not text at all. Never fails
    on an encoding: what is not UTF-8 is read as Windows-1252."""
    if len(content) > MAX_BYTES:
        size = len(content) / (1024 * 1024)
        raise FileRejected(
            f"The file is {size:.1f} MB; the import takes files of up to "
            f"{MAX_BYTES // (1024 * 1024)} MB. Export fewer columns or split the file."
        )
    if not content.strip():
        raise FileRejected("The file is empty.")
    for signature, what in SIGNATURES.items():
        if content.lstrip().startswith(signature):
            raise FileRejected(f"{NOT_CSV}: it is {what}. {SAVE_AS_CSV}")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = content.decode("utf-16", errors="replace")
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252", errors="replace")
    if _looks_binary(text):
        raise FileRejected(f"{NOT_CSV}: it holds characters no text file has. {SAVE_AS_CSV}")
    return unicodedata.normalize("NFC", text)


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:65536]
    odd = sum(
        1 for char in sample if (ord(char) < 32 and char not in "\t\r\n\f") or char == "\ufffd"
    )
    return odd > max(2, len(sample) // 100)


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever splits the header line into most columns."""
    first_line = text.lstrip("\r\n").splitlines()[0] if text.strip() else ""
    return max(
        DELIMITERS,
        key=lambda d: (len(next(csv.reader([first_line], delimiter=d))), -DELIMITERS.index(d)),
    )


def csv_lines(text: str):
    """(line number, cells) for every line with something in it, the header first."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if any(cell.strip() for cell in cells):
                yield line, cells
    except csv.Error as error:
        raise FileRejected(
            f"{NOT_CSV}: line {start} could not be read ({error}). {SAVE_AS_CSV}"
        ) from None


def csv_headers(content: bytes) -> list[str]:
    """The column names on the first line of the file (to map them)."""
    text = csv_decode(content)
    for line, cells in csv_lines(text):
        if line != 1:
            break
        return [cell.strip() for cell in cells]
    raise FileRejected(
        "The first line of the file should name its columns, and it is empty. "
        "Export the file with its column headers."
    )


def _candidates(kind: FileKind, name: str, label: str) -> list[str]:
    names = [name, label]
    names += [preset[name] for preset in kind.presets.values() if preset.get(name)]
    return [normalised(candidate) for candidate in names]


def mapping_suggest(kind: FileKind, headers: list[str]) -> dict[str, str]:
    """A mapping {field: header} from the file's headers: a header that is, ignoring
    case, spaces and punctuation, the field's name, its label or a preset's header for it."""
    found = {}
    by_normalised: dict[str, str] = {}
    for header in headers:
        by_normalised.setdefault(normalised(header), header)
    for column in kind.columns:
        for candidate in _candidates(kind, column.name, column.label):
            if candidate in by_normalised:
                found[column.name] = by_normalised[candidate]
                break
    return found


def preset_detect(kind: FileKind, headers: list[str]) -> str | None:
    """The name of the preset ("SIMS", "Arbor", ...) whose headers the file has most of,
    if it has all of that preset's required ones."""
    present = {normalised(header) for header in headers}
    required = {column.name for column in kind.columns if column.required}
    best, best_count = None, 0
    for name, preset in kind.presets.items():
        if not all(normalised(preset.get(f, "")) in present for f in required):
            continue
        count = sum(1 for header in preset.values() if normalised(header) in present)
        if count > best_count:
            best, best_count = name, count
    return best


def _resolve(kind: FileKind, headers: list[str], mapping: dict) -> dict[str, int]:
    """The file's column (its index) for each field the mapping names and the file has;
    a field the mapping leaves out is suggested from the headers."""
    index = {}
    for position, header in enumerate(headers):
        index.setdefault(normalised(header), position)
    suggested = mapping_suggest(kind, headers)
    found, missing = {}, []
    for column in kind.columns:
        wanted = mapping[column.name] if column.name in mapping else suggested.get(column.name)
        position = index.get(normalised(wanted)) if wanted else None
        if position is not None:
            found[column.name] = position
        elif column.required:
            missing.append(f'{column.label} ("{wanted}")' if wanted else column.label)
    if missing:
        raise FileRejected(
            f"The file has no column for {', '.join(missing)}. Is this the right kind of "
            f"file? It should be {kind.label}. Its columns are: {', '.join(headers)}."
        )
    return found


def formula_problem(raw: str) -> str | None:
    """Why a cell is refused as a formula, or None: it starts with =, +, - or @ and is
    not a number or phone number, or it starts with a tab or carriage return."""
    if raw[:1] in ("\t", "\r"):
        return "starts with a tab or a line break, which a spreadsheet can run as a formula"
    value = raw.strip()
    if len(value) < 2 or value[0] not in "=+-@":
        return None
    if value[0] in "+-" and NUMBER_OR_PHONE.match(value):
        return None
    return (
        f'"{value[:40]}" starts with "{value[0]}", so a spreadsheet would run it as a '
        "formula; the import never stores formulas. Correct the cell in the file."
    )


def csv_read(*, kind: FileKind, content: bytes, mapping: dict) -> CsvTable:
    """The file's rows under `mapping` ({field: header}; fields it leaves out are
    suggested). Raises FileRejected for a file that cannot be read or lacks a required
    column; a refused cell is a RowError and its row is left out."""
    text = csv_decode(content)
    lines = csv_lines(text)
    first = next(lines, None)
    if first is None or first[0] != 1:
        raise FileRejected(
            "The first line of the file should name its columns, and it is empty. "
            "Export the file with its column headers."
        )
    headers = [cell.strip() for cell in first[1]]
    positions = _resolve(kind, headers, mapping)
    names = {name: headers[position] for name, position in positions.items()}
    rows, errors, complete = [], [], True
    for line, cells in lines:
        values, refused = {}, False
        for name, position in positions.items():
            raw = cells[position] if position < len(cells) else ""
            problem = formula_problem(raw)
            if problem:
                errors.append(RowError(line, names[name], problem))
                refused = True
            values[name] = "\n".join(
                " ".join(part.split()) for part in raw.splitlines() if part.strip()
            )
        if refused:
            complete = False
        else:
            rows.append(CsvRow(line=line, values=values, headers=names))
    return CsvTable(headers=names, rows=rows, errors=errors, complete=complete)
