"""Reads shaped for the homework pages, each in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q, Sum

from .models import Assignment, Homework, KeyStagePolicy


@dataclass
class Workload:
    """The chosen pupils' homework already due on a day and in its week (Monday to
    Sunday), across all subjects, against the key stage's nightly cap."""

    day: date
    pupil_count: int
    day_minutes_max: int = 0
    day_minutes_average: int = 0
    week_minutes_max: int = 0
    nightly_cap: int | None = None
    pupils_over_cap: list = field(default_factory=list)  # (pupil id, minutes with the new task)

    @property
    def warns(self):
        return bool(self.pupils_over_cap)


def workload_for(
    *,
    school_id: int,
    pupil_ids,
    day: date,
    key_stage: int | None = None,
    adding_minutes: int = 0,
    exclude_homework_id: int | None = None,
) -> Workload:
    pupil_ids = list(pupil_ids)
    monday = day - timedelta(days=day.weekday())
    assignments = Assignment.objects.filter(
        school_id=school_id,
        pupil_id__in=pupil_ids,
        homework__status=Homework.Status.SET,
        due_at__date__gte=monday,
        due_at__date__lte=monday + timedelta(days=6),
    ).exclude(status=Assignment.Status.EXCUSED)
    if exclude_homework_id:
        assignments = assignments.exclude(homework_id=exclude_homework_id)
    rows = assignments.values("pupil_id").annotate(
        day_minutes=Sum("homework__estimated_minutes", filter=Q(due_at__date=day)),
        week_minutes=Sum("homework__estimated_minutes"),
    )
    day_minutes = {row["pupil_id"]: row["day_minutes"] or 0 for row in rows}
    week_minutes = [row["week_minutes"] or 0 for row in rows]
    workload = Workload(day=day, pupil_count=len(pupil_ids))
    if day_minutes:
        workload.day_minutes_max = max(day_minutes.values())
        workload.day_minutes_average = round(sum(day_minutes.values()) / len(pupil_ids))
        workload.week_minutes_max = max(week_minutes)
    if key_stage is not None:
        policy = KeyStagePolicy.objects.filter(school_id=school_id, key_stage=key_stage).first()
        if policy:
            workload.nightly_cap = policy.nightly_cap_minutes
            workload.pupils_over_cap = sorted(
                (pupil_id, minutes + adding_minutes)
                for pupil_id, minutes in ((pid, day_minutes.get(pid, 0)) for pid in pupil_ids)
                if minutes + adding_minutes > policy.nightly_cap_minutes
            )
    return workload
