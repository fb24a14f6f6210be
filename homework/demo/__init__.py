"""A term of homework for the demo school (`manage.py seed_demo`), registered with
school's demo builder in `HomeworkConfig.ready()`, split like the app's areas: setting
(setting.py, with the tasks each subject sets in tasks_core.py and tasks_other.py),
pupils handing in and teachers marking (marking.py), and the school's policy.

Each class sets homework at the frequency of the default policy (seed 002: KS3 English,
maths and science weekly, other KS3 subjects fortnightly; KS4 and KS5 weekly in the core
subjects and fortnightly in the others), on its own lesson day, due a week later at 08:30
or in the next lesson. Past work has the outcomes a school sees: most handed in (some
late, a few on paper), the rest still outstanding (for the apps above homework to record
as missed), and most older work marked, with feedback, and returned.

Everything comes from the `rng` school's builder hands over and from dates relative to the
academic year and `today`, so the same seed on the same day builds the same homework.
Rows go in with `bulk_create`; the assignments (about 100,000 a school) as plain tuples
through `school.demo.rows.rows_insert` (COPY on PostgreSQL), so memory stays flat."""

from collections import defaultdict
from datetime import date

from django.db.models import Q
from django.utils import timezone

from school.demo.rows import rows_insert
from school.models import Pupil, TeachingGroup

from ..models import (
    Assignment,
    CalendarFeed,
    FrequencyRule,
    Homework,
    KeyStagePolicy,
    SchemeOfWorkUnit,
)
from ..services.compliance import policy_defaults_create
from .marking import ASSIGNMENT_COLUMNS, assignment_row, diligence_of
from .setting import (
    DemoCalendar,
    drafts_create,
    homework_row,
    instructions_render,
    schedule,
    units_create,
)


def demo_homework_build(*, school, rng, today: date, stdout) -> None:
    """Fill one demo school with a policy, scheme-of-work units and a term of homework."""
    policy_defaults_create(school=school)
    now = timezone.now()
    calendar = DemoCalendar(school, today)
    if calendar.first_day is None:
        return
    groups = list(
        TeachingGroup.objects.filter(school=school)
        .select_related("subject", "year_group")
        .order_by("pk")
    )
    teacher_of = {}
    for group_id, user_id in (
        TeachingGroup.teachers.through.objects.filter(teachinggroup__school=school)
        .order_by("pk")
        .values_list("teachinggroup_id", "user_id")
    ):
        teacher_of.setdefault(group_id, user_id)
    members = defaultdict(list)
    for group_id, pupil_id in (
        TeachingGroup.pupils.through.objects.filter(teachinggroup__school=school)
        .order_by("pupil_id")
        .values_list("teachinggroup_id", "pupil_id")
    ):
        members[group_id].append(pupil_id)
    pupils = {
        pk: (eal, bool(sen), email)
        for pk, eal, sen, email in Pupil.objects.filter(school=school)
        .order_by("pk")
        .values_list("pk", "eal", "sen", "user__email")
    }
    diligence = {pk: diligence_of(rng, email) for pk, (_, _, email) in pupils.items()}
    units = units_create(school, groups)

    homeworks = []
    for group in groups:
        for set_on, due_at in schedule(rng, calendar, group):
            homeworks.append(homework_row(rng, group, teacher_of[group.pk], set_on, due_at, units))
    homeworks += drafts_create(rng, school, calendar, groups, teacher_of, units)
    instructions_render(homeworks)
    Homework.objects.bulk_create(homeworks, batch_size=1000)

    marking = {user_id: rng.uniform(0.55, 0.85) for user_id in sorted(set(teacher_of.values()))}

    def assignment_rows():
        for homework in homeworks:
            for pupil_id in members[homework.teaching_group_id]:
                eal, sen, _ = pupils[pupil_id]
                yield assignment_row(
                    rng, homework, pupil_id, eal, sen, diligence[pupil_id], marking, now
                )

    total = rows_insert(Assignment, ASSIGNMENT_COLUMNS, assignment_rows())
    drafts = sum(1 for homework in homeworks if homework.status == Homework.Status.DRAFT)
    stdout.write(
        f"{school.name}: {len(homeworks) - drafts} homework set from "
        f"{calendar.first_day:%d/%m/%Y} to {calendar.last_day:%d/%m/%Y} ({drafts} drafts), "
        f"{total} pupil assignments.\n"
    )


def demo_homework_delete(*, schools) -> None:
    """Remove the demo schools' homework rows, which hold on to their pupils, classes and
    teachers."""
    school_ids = [school.pk for school in schools]
    in_demo = Q(school_id__in=school_ids)
    # Deleting the homework takes its assignments, attachments and handed-in files with
    # it; the collector reads only their keys.
    Homework.objects.filter(in_demo).delete()
    SchemeOfWorkUnit.objects.filter(in_demo).delete()
    FrequencyRule.objects.filter(in_demo).delete()
    KeyStagePolicy.objects.filter(in_demo).delete()
    CalendarFeed.objects.filter(user__school_id__in=school_ids).delete()
