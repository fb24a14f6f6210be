"""Homework's line of the retention schedule (privacy/registry.py): what pupils handed
in and what came back to them. The assignment itself stays (its status, due date and when
it was handed in are what the half-term figures count); what the pupil wrote and
uploaded, and the mark and feedback, go."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from privacy.registry import RecordKind, register_record_kind
from privacy.retention.events import files_remove_after_commit, year_ended_before
from school.models import School

from .models import Assignment, Homework, SubmissionFile

WORK = (
    ~Q(submission_text="")
    | ~Q(reflection="")
    | ~Q(mark="")
    | ~Q(feedback="")
    | Q(confidence__isnull=False)
    | Q(has_files=True)
    | Q(had_alternative=True)
)
# Who was given the adapted version of a homework (it says a pupil has SEN or EAL).
ALTERNATIVE = Homework.alternative_pupils.through


def work_due(school: School, cutoff: datetime.date) -> QuerySet:
    return (
        Assignment.objects.filter(school=school, due_at__lt=year_ended_before(school, cutoff))
        .annotate(
            has_files=Exists(SubmissionFile.objects.filter(assignment=OuterRef("pk"))),
            had_alternative=Exists(
                ALTERNATIVE.objects.filter(
                    homework_id=OuterRef("homework_id"), pupil_id=OuterRef("pupil_id")
                )
            ),
        )
        .filter(WORK)
    )


def work_apply(rows: QuerySet) -> int:
    pairs = list(rows.values_list("pk", "homework_id", "pupil_id"))
    ids = [pk for pk, _, _ in pairs]
    chosen = Q(pk__in=[])
    for _, homework_id, pupil_id in pairs:
        chosen |= Q(homework_id=homework_id, pupil_id=pupil_id)
    ALTERNATIVE.objects.filter(chosen).delete()
    files = SubmissionFile.objects.filter(assignment_id__in=ids)
    names = list(files.values_list("file", flat=True))
    files.delete()
    files_remove_after_commit(SubmissionFile.file.field.storage, names)
    return Assignment.objects.filter(pk__in=ids).update(
        submission_text="", reflection="", mark="", feedback="", confidence=None
    )


register_record_kind(
    RecordKind(
        key="homework_work",
        label="Homework and hand-ins",
        event="the end of the academic year the homework was due in",
        default_months=12,
        guidance=(
            "The IRMS toolkit for schools suggests keeping pupils' work for the current "
            "year plus one year: 12 months after the end of the academic year."
        ),
        action=(
            "Anonymised: what the pupil wrote and uploaded (the files are deleted), their "
            "confidence and reflection, the mark and the feedback are cleared, and so is "
            "whether they were chosen for the adapted version. The homework "
            "and whether and when it was handed in stay, so the half-term figures stay the "
            "same."
        ),
        due=work_due,
        apply=work_apply,
        order=100,
        covers=(Assignment, SubmissionFile),
    )
)
