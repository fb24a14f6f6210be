"""Which column of a school's CSV file is which field: the file's own headers, the mapping
saved for the school and kind, and what to offer the admin (a preset asked for, the saved
mapping, else the suggestion of mis/readers/csv.py from the headers and presets)."""

from ..kinds import FileKind
from ..models import ColumnMapping
from ..readers.csv import csv_headers, mapping_suggest, normalised, preset_detect


def file_headers(content: bytes) -> list[str]:
    """The names on the first line of the file, each once, blanks left out; raises
    FileRejected for a file that is not a CSV at all."""
    headers = []
    for header in csv_headers(content):
        if header and header not in headers:
            headers.append(header)
    return headers


def mapping_saved(school_id: int, kind_key: str) -> dict[str, str]:
    saved = ColumnMapping.objects.filter(school_id=school_id, kind=kind_key).first()
    return dict(saved.columns) if saved else {}


def _in(header: str, headers: list[str]) -> str | None:
    """The file's own spelling of `header`, compared as the reader compares them."""
    wanted = normalised(header)
    return next((h for h in headers if normalised(h) == wanted), None)


def mapping_fits(kind: FileKind, mapping: dict[str, str], headers: list[str]) -> bool:
    """Whether the file can be read with this mapping as it is: every required field has
    a column, and every column the mapping names is in the file."""
    fields = {column.name for column in kind.columns}
    return all(mapping.get(column.name) for column in kind.columns if column.required) and all(
        field in fields and _in(header, headers) for field, header in mapping.items() if header
    )


def _present(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    found = {}
    for field, header in mapping.items():
        if header and (own := _in(header, headers)):
            found[field] = own
    return found


def mapping_to_offer(
    kind: FileKind, headers: list[str], *, school_id: int, preset: str | None = None
) -> dict[str, str]:
    """What the column page starts from: the preset asked for; else the school's saved
    mapping (its columns still in the file); else the preset the headers match, filled
    up with suggestions field by field."""
    if preset and preset in kind.presets:
        return _present(kind.presets[preset], headers)
    if saved := _present(mapping_saved(school_id, kind.key), headers):
        return saved
    offer = mapping_suggest(kind, headers)
    if detected := preset_detect(kind, headers):
        offer.update(_present(kind.presets[detected], headers))
    return offer
