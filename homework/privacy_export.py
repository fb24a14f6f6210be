"""Homework in a subject access export: every assignment of the pupil with what they
handed in, the files, the mark and the feedback (privacy/registry.py)."""

from django.db.models import Exists, OuterRef

from privacy.registry import PUPIL, ExportSection, register_export_section

from .models import Assignment, Homework, SubmissionFile


def pupil_homework(pupil, context):
    chosen = Homework.alternative_pupils.through.objects.filter(
        homework_id=OuterRef("homework_id"), pupil_id=pupil.pk
    )
    assignments = (
        Assignment.objects.filter(pupil=pupil)
        .select_related("homework__teaching_group__subject", "homework__set_by", "marked_by")
        .prefetch_related("files")
        .annotate(chosen_for_alternative=Exists(chosen))
        .order_by("due_at", "pk")
    )
    for assignment in assignments:
        homework = assignment.homework
        yield {
            "Homework": homework.title,
            "Subject": homework.teaching_group.subject.name,
            "Class": homework.teaching_group.name,
            "Set by": context.staff_name(homework.set_by),
            "Set on": homework.set_on,
            "Due": assignment.due_at,
            "Alternative version": (
                "Yes" if assignment.uses_alternative or assignment.chosen_for_alternative else "No"
            ),
            "Status": assignment.get_status_display(),
            "Handed in": assignment.submitted_at,
            "Late": "Yes" if assignment.is_late else "No",
            "What was handed in": context.redact(assignment.submission_text),
            "Files": ", ".join(f.original_name for f in assignment.files.all()),
            "Confidence (1-5)": assignment.confidence,
            "Reflection": context.redact(assignment.reflection),
            "Mark": assignment.mark,
            "Feedback": context.redact(assignment.feedback),
            "Marked by": context.staff_name(assignment.marked_by),
            "Marked": assignment.marked_at,
            "Returned": assignment.returned_at,
        }


def pupil_homework_files(pupil):
    files = SubmissionFile.objects.filter(assignment__pupil=pupil).order_by("uploaded_at", "pk")
    for upload in files:
        yield f"{upload.pk}-{upload.original_name}", upload.file


register_export_section(
    ExportSection(
        key="pupil_homework",
        title="Homework",
        about=PUPIL,
        covers=(Assignment, Homework, Homework.alternative_pupils.through, SubmissionFile),
        rows=pupil_homework,
        files=pupil_homework_files,
        description="Every homework set for the pupil, what they handed in (the files are in "
        "the files folder), the mark and the teacher's feedback.",
        order=20,
    )
)
