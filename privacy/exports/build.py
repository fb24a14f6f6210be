"""Building a subject access export in the background (privacy/tasks.py): every section
registered for the person's kind gives its rows (and uploads), and the ZIP holds

- report.html and report.css: a report a parent can open in any browser, no script;
- data.json: every section's rows, machine-readable;
- csv/<section>.csv: each section as a spreadsheet, formulas neutralised;
- files/<section>/<name>: the uploaded files (one missing from storage is listed as
  missing in the report and the JSON, not a failure).

The build costs a fixed number of queries per section, however many rows each has."""

import io
import json
import logging
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.core.files import File
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify

from school.exports import SafeWriter
from school.models import GuardianLink

from ..models import SubjectAccessExport
from ..registry import GUARDIAN, PUPIL, ExportSection, export_sections
from .context import RedactingContext

logger = logging.getLogger(__name__)

Status = SubjectAccessExport.Status

BUILD_FAILED = (
    "The export could not be built. Nothing was kept; start it again, and if it fails "
    "again tell the school's support contact."
)
PERSON_GONE = "The person's record no longer exists, so there is nothing to export."


@dataclass
class BuiltSection:
    section: ExportSection
    columns: list[str]
    rows: list[dict]
    files: list[dict] = field(default_factory=list)  # {"name", "path", "missing"}

    @property
    def key(self):
        return self.section.key


def _machine(value):
    """A value as data.json and the CSV files hold it: ISO dates and times in the
    school's time zone, numbers as numbers, the rest as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _readable(value) -> str:
    """A value as the report shows it: UK dates, the school's time zone."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, time):
        return f"{value:%H:%M}"
    return str(value)


def _subject(export: SubjectAccessExport):
    if export.pupil_id is not None:
        return PUPIL, export.pupil
    if export.guardian_id is not None:
        return GUARDIAN, export.guardian
    return None, None


def _context(export: SubjectAccessExport, about: str) -> RedactingContext:
    if about == PUPIL:
        allowed = [export.pupil_id]
    else:
        allowed = list(
            GuardianLink.objects.filter(guardian_id=export.guardian_id).values_list(
                "pupil_id", flat=True
            )
        )
    return RedactingContext(school_id=export.school_id, allowed_pupil_ids=allowed)


def _claim(export_id: int) -> SubjectAccessExport | None:
    """The export, now being built; None when it is not waiting (built already, or a
    task delivered twice)."""
    with transaction.atomic():
        export = (
            SubjectAccessExport.objects.select_for_update(of=("self",))
            .select_related("school", "pupil", "guardian", "requested_by")
            .filter(pk=export_id, status__in=[Status.QUEUED, Status.BUILDING])
            .first()
        )
        if export is None:
            return None
        export.status = Status.BUILDING
        export.sections_done = 0
        export.message = ""
        export.save(update_fields=["status", "sections_done", "message"])
    return export


def _section_files(section: ExportSection, subject, archive: zipfile.ZipFile) -> list[dict]:
    listed = []
    if section.files is None:
        return listed
    for name, stored in section.files(subject):
        safe = get_valid_filename(name) or "file"
        path = f"files/{section.key}/{safe}"
        entry = {"name": name, "path": path, "missing": False}
        try:
            if not stored or not stored.name:
                raise FileNotFoundError(name)
            with (
                stored.storage.open(stored.name, "rb") as source,
                archive.open(path, "w", force_zip64=True) as target,
            ):
                shutil.copyfileobj(source, target, 1024 * 1024)
        except OSError:
            logger.warning(
                "An uploaded file of export section %s is missing: %s", section.key, name
            )
            entry.update(path="", missing=True)
        listed.append(entry)
    return listed


def _csv(built: BuiltSection) -> bytes:
    stream = io.StringIO()
    writer = SafeWriter(stream)
    writer.writerow(built.columns)
    for row in built.rows:
        writer.writerow([_machine(row.get(column)) for column in built.columns])
    return ("\ufeff" + stream.getvalue()).encode("utf-8")  # Excel reads UTF-8 with a BOM


def _columns(rows: list[dict]) -> list[str]:
    columns = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    return list(columns)


def _report(export, about, subject, built: list[BuiltSection], made_at) -> str:
    sections = []
    for part in built:
        sections.append(
            {
                "key": part.key,
                "title": part.section.title,
                "description": part.section.description,
                "columns": part.columns,
                "rows": [[_readable(row.get(c)) for c in part.columns] for row in part.rows],
                "single": len(part.rows) == 1,
                "pairs": (
                    [(c, _readable(part.rows[0].get(c))) for c in part.columns]
                    if len(part.rows) == 1
                    else []
                ),
                "files": part.files,
            }
        )
    return render_to_string(
        "privacy/exports/report.html",
        {
            "export": export,
            "about": "pupil" if about == PUPIL else "parent or carer",
            "subject_name": export.subject_name,
            "school": export.school,
            "made_at": made_at,
            "requested_by": export.requested_by,
            "sections": sections,
        },
    )


def _data(export, about, built: list[BuiltSection], made_at) -> bytes:
    data = {
        "export": {
            "about": about,
            "name": export.subject_name,
            "school": export.school.name,
            "made_at": _machine(made_at),
        },
        "sections": [
            {
                "key": part.key,
                "title": part.section.title,
                "description": part.section.description,
                "columns": part.columns,
                "rows": [
                    {column: _machine(row.get(column)) for column in part.columns}
                    for row in part.rows
                ],
                "files": part.files,
            }
            for part in built
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _file_name(export, made_at) -> str:
    return f"subject-access-{slugify(export.subject_name) or 'export'}-{made_at:%Y-%m-%d}.zip"


def export_build(*, export_id: int) -> SubjectAccessExport | None:
    """Build the export's ZIP and store it (status ready). Not one transaction: the
    progress (sections done) must be seen by the page while it is built."""
    export = _claim(export_id)
    if export is None:
        return None
    about, subject = _subject(export)
    if subject is None:
        SubjectAccessExport.objects.filter(pk=export.pk).update(
            status=Status.FAILED, message=PERSON_GONE, finished_at=timezone.now()
        )
        return export
    sections = export_sections(about)
    SubjectAccessExport.objects.filter(pk=export.pk).update(sections_total=len(sections))
    try:
        with timezone.override(export.school.time_zone), tempfile.TemporaryFile() as spool:
            made_at = timezone.now()
            with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
                context = _context(export, about)
                built = []
                for done, section in enumerate(sections, start=1):
                    rows = list(section.rows(subject, context))
                    part = BuiltSection(section, _columns(rows), rows)
                    part.files = _section_files(section, subject, archive)
                    built.append(part)
                    SubjectAccessExport.objects.filter(pk=export.pk).update(sections_done=done)
                for part in built:
                    archive.writestr(f"csv/{part.key}.csv", _csv(part))
                archive.writestr("data.json", _data(export, about, built, made_at))
                archive.writestr("report.html", _report(export, about, subject, built, made_at))
                archive.writestr("report.css", render_to_string("privacy/exports/report.css"))
            size = spool.tell()
            spool.seek(0)
            export.file.save(_file_name(export, made_at), File(spool), save=False)
    except Exception:
        logger.exception("Subject access export %s could not be built", export.pk)
        SubjectAccessExport.objects.filter(pk=export.pk).update(
            status=Status.FAILED, message=BUILD_FAILED, finished_at=timezone.now()
        )
        export.status = Status.FAILED
        return export
    export.size = size
    export.status = Status.READY
    export.finished_at = timezone.now()
    export.sections_done = export.sections_total = len(sections)
    export.save(
        update_fields=["file", "size", "status", "finished_at", "sections_done", "sections_total"]
    )
    return export
