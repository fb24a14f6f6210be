"""Downloads every app's pages offer: CSV exports of the lists leaders read, and files
people uploaded."""

import csv

from django.http import FileResponse, Http404, HttpResponse


def csv_response(filename: str) -> tuple[HttpResponse, "csv._writer"]:
    """An empty CSV download named `filename`.csv and a writer for its rows."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response, csv.writer(response)


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
