"""Reads for the export pages: one export (of the lead's school), the exports about a
person (their page's panel) and the school's log of every export."""

from school.models import School

from ..models import SubjectAccessExport

PANEL_EXPORTS = 10
EXPORTS_PER_PAGE = 50


def exports_of_school(school: School):
    return (
        SubjectAccessExport.objects.filter(school=school)
        .select_related("requested_by", "downloaded_by")
        .order_by("-requested_at", "-pk")
    )


def exports_about(*, pupil=None, guardian=None) -> list[SubjectAccessExport]:
    person = {"pupil": pupil} if pupil is not None else {"guardian": guardian}
    return list(
        SubjectAccessExport.objects.filter(school_id=(pupil or guardian).school_id, **person)
        .select_related("requested_by", "downloaded_by")
        .order_by("-requested_at", "-pk")[:PANEL_EXPORTS]
    )


def export_progress(export: SubjectAccessExport) -> dict:
    total = export.sections_total
    done = min(export.sections_done, total) if total else 0
    return {"done": done, "total": total, "percent": round(100 * done / total) if total else 0}
