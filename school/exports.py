"""Downloads every app's pages offer: CSV exports of the lists leaders read, and files
people uploaded."""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import FileResponse, Http404, HttpResponse

# A spreadsheet reads a cell that starts with one of these as a formula (OWASP, "CSV
# injection"): names, reflections and comments come from pupils, parents and the MIS.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """`value` as a CSV cell that a spreadsheet shows as text, never runs: a text cell that
    starts like a formula gets a leading single quote. Real numbers stay numbers (a mark
    of -3 is not a formula); None is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):  # bool is an int
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class SafeWriter:
    """csv.writer's interface, every cell through `csv_cell`."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row: Iterable):
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_response(filename: str) -> tuple[HttpResponse, SafeWriter]:
    """An empty CSV download named `filename`.csv and a writer for its rows. Every CSV the
    project offers is written through this writer, so no cell can carry a formula."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response, SafeWriter(response)


def file_download(file_field, *, filename: str, content_type: str = "") -> FileResponse:
    """A stored upload, always as a file to save, never shown in the browser (an uploaded
    HTML or SVG file could otherwise run in our origin), and never cached by proxies."""
    try:
        handle = file_field.open("rb")
    except OSError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
