"""Reads for recording a commendation: the pupil's homework a member of staff may name,
and the pupil's latest commendations."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from homework.models import Assignment, Homework
from homework.selectors.marking import homework_for_register

from ..models import Commendation

RECENT_SHOWN = 10


# The homework offered in the list: what was due in the last twelve weeks or is still due.
HOMEWORK_WINDOW = datetime.timedelta(weeks=12)


def assignments_commendable(user, pupil, *, include=None) -> QuerySet[Assignment]:
    """The pupil's homework (set, not drafts) in classes this member of staff may see,
    newest first; `include` (an id) is kept even when older than the window."""
    recent = Q(due_at__gte=timezone.now() - HOMEWORK_WINDOW)
    if include is not None:
        recent |= Q(pk=include)
    return (
        Assignment.objects.filter(
            pupil=pupil,
            homework__in=homework_for_register(user).values("pk"),
        )
        .exclude(homework__status=Homework.Status.DRAFT)
        .filter(recent)
        .select_related("homework__teaching_group__subject")
        .order_by("-due_at", "-pk")
    )


def recent_commendations(pupil) -> list[Commendation]:
    return list(
        Commendation.objects.filter(pupil=pupil)
        .select_related("awarded_by", "assignment__homework")
        .order_by("-awarded_at", "-pk")[:RECENT_SHOWN]
    )
