"""The weekly homework digest (issue 5): on Monday morning each family is told what is set
for each child for the week. One outbox row per guardian with parental responsibility;
delivery honours their preference (immediately, in the daily digest, or not at all)."""

import datetime
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from homework.models import Assignment, Homework
from notifications.models import Notification
from notifications.services import notifications_queue
from school.models import GuardianLink, School

from .notices import WEEKLY_DIGEST


@transaction.atomic
def weekly_digest_write(*, school: School, week_start: datetime.date) -> int:
    """Write the week's digest for every pupil of the school with a guardian to tell,
    listing the homework due Monday to Sunday (pupils with none get none). A week already
    written is not written again. Returns how many outbox rows were written; a fixed
    number of queries however many pupils."""
    already = Notification.objects.filter(
        school=school,
        kind=WEEKLY_DIGEST,
        context__week_start=week_start.isoformat(),
    )
    if already.exists():
        return 0
    week_end = week_start + datetime.timedelta(days=6)
    told = GuardianLink.objects.filter(pupil__school=school, parental_responsibility=True).values(
        "pupil_id"
    )
    due = (
        Assignment.objects.filter(
            school=school,
            pupil_id__in=told,
            homework__status=Homework.Status.SET,
            due_at__date__gte=week_start,
            due_at__date__lte=week_end,
        )
        .select_related("homework__teaching_group__subject")
        .order_by("pupil_id", "due_at", "pk")
    )
    tasks = defaultdict(list)
    for assignment in due:
        homework = assignment.homework
        tasks[assignment.pupil_id].append(
            {
                "title": homework.title,
                "subject": homework.teaching_group.subject.name,
                "due": timezone.localtime(assignment.due_at).isoformat(),
                "minutes": homework.estimated_minutes,
            }
        )
    return notifications_queue(
        events=[
            (
                pupil_id,
                WEEKLY_DIGEST,
                {"week_start": week_start.isoformat(), "tasks": items, "path": "/parents/"},
            )
            for pupil_id, items in tasks.items()
        ]
    )
