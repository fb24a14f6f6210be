"""Marking a homework's register: marks and feedback for many pupils at once, work handed
in on paper, and returning marked work to pupils and their parents."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from school.models import User

from ..models import Assignment, Homework
from . import HomeworkError


@dataclass
class MarkEntry:
    assignment_id: int
    mark: str
    feedback: str


def _refuse_draft(homework: Homework) -> None:
    if homework.status == Homework.Status.DRAFT:
        raise HomeworkError("This homework is still a draft: set it before marking it.")


@transaction.atomic
def marking_save(
    *, teacher: User, homework: Homework, entries: Sequence[MarkEntry], now=None
) -> int:
    """Save marks and feedback for many pupils at once; returns how many changed."""
    _refuse_draft(homework)
    now = now or timezone.now()
    by_id = {
        a.pk: a for a in homework.assignments.filter(pk__in=[e.assignment_id for e in entries])
    }
    changed = []
    for entry in entries:
        assignment = by_id.get(entry.assignment_id)
        if assignment is None:
            continue
        mark, feedback = entry.mark.strip(), entry.feedback.strip()
        if (mark, feedback) == (assignment.mark, assignment.feedback):
            continue
        assignment.mark, assignment.feedback = mark, feedback
        assignment.marked_by, assignment.marked_at = teacher, now
        changed.append(assignment)
    Assignment.objects.bulk_update(changed, ["mark", "feedback", "marked_by", "marked_at"])
    return len(changed)


@transaction.atomic
def assignments_mark_paper(*, homework: Homework, assignment_ids: Sequence[int], now=None) -> int:
    """Record work handed in on paper for the ticked pupils who have not handed anything
    in: work already handed in (online or on paper) keeps its time, and a pupil excused or
    recorded as missed keeps that status."""
    _refuse_draft(homework)
    now = now or timezone.now()
    return homework.assignments.filter(pk__in=assignment_ids, status=Assignment.Status.SET).update(
        status=Assignment.Status.PAPER,
        submitted_at=now,
        is_late=now > homework.due_at,
    )


@transaction.atomic
def homework_return(*, homework: Homework, now=None) -> int:
    """Return marked work: pupils (and their parents) now see the mark and feedback."""
    _refuse_draft(homework)
    now = now or timezone.now()
    return (
        homework.assignments.filter(returned_at__isnull=True)
        .filter(~Q(mark="") | ~Q(feedback=""))
        .update(returned_at=now)
    )
