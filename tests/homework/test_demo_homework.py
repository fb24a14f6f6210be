"""`manage.py seed_demo` fills the demo school with a term of homework (homework/demo/,
registered with school's demo builder): every class sets homework at its policy
frequency, pupils' work has realistic outcomes, the same seed gives the same homework,
seeding twice changes nothing and --reset rebuilds it."""

import datetime
import re
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count, F, Q
from django.urls import reverse

from homework.models import (
    Assignment,
    FrequencyRule,
    Homework,
    KeyStagePolicy,
    SchemeOfWorkUnit,
)
from school.demo import demo_extensions
from school.models import Pupil, School, TeachingGroup, User

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Monday 23 November 2026, in the second half of the autumn term.
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def now(time_machine):
    time_machine.move_to(NOW, tick=False)
    return NOW


def seed(*args, pupils=60):
    out = StringIO()
    call_command("seed_demo", "--pupils", str(pupils), "--force", *args, stdout=out)
    return out.getvalue()


def homework_counts():
    return {
        "homework": Homework.objects.count(),
        "drafts": Homework.objects.filter(status=Homework.Status.DRAFT).count(),
        "assignments": Assignment.objects.count(),
        "units": SchemeOfWorkUnit.objects.count(),
        "rules": FrequencyRule.objects.count(),
        "caps": KeyStagePolicy.objects.count(),
        "outcomes": dict(
            Assignment.objects.values_list("status").annotate(n=Count("pk")).order_by()
        ),
    }


def homework_rows():
    return list(
        Homework.objects.order_by("teaching_group__name", "set_on", "title").values_list(
            "teaching_group__name", "title", "set_on", "due_at", "estimated_minutes"
        )
    )


def test_homework_is_registered_with_the_demo_builder():
    assert "homework" in [extension.name for extension in demo_extensions()]


def test_the_school_app_never_imports_homework():
    """DESIGN.md §4: school <- notifications <- homework; school reaches homework's demo
    data only through its extension registry."""
    school_dir = Path(settings.BASE_DIR) / "school"
    for path in school_dir.rglob("*.py"):
        source = path.read_text()
        assert not re.search(r"^\s*(from|import) homework", source, re.MULTILINE), path


def test_every_teaching_group_has_homework_set_at_its_policy_frequency():
    output = seed()

    assert "homework set from 02/09/2026 to 30/11/2026" in output
    groups = TeachingGroup.objects.annotate(
        set_count=Count("homework", filter=Q(homework__status=Homework.Status.SET))
    ).select_related("subject", "year_group")
    assert groups.exists()
    for group in groups:
        assert group.set_count > 0, group
    maths = [g.set_count for g in groups if g.subject.code == "Ma" and g.year_group.number == 7]
    art = [g.set_count for g in groups if g.subject.code == "Ar" and g.year_group.number == 7]
    # Weekly against fortnightly over the 13 teaching weeks from 2 September to 30 November
    # (the half-term week set nothing).
    assert min(maths) > max(art)
    assert max(maths) <= 13 and max(art) <= 7


def test_each_homework_has_an_assignment_for_every_pupil_in_its_class():
    seed()
    mismatched = Homework.objects.annotate(
        assigned=Count("assignments", distinct=True),
        enrolled=Count("teaching_group__pupils", distinct=True),
    ).exclude(assigned=F("enrolled"))
    assert not mismatched.exists()


def test_homework_is_realistic():
    seed()
    homework = Homework.objects.filter(status=Homework.Status.SET)

    assert homework.filter(title__startswith="Fractions: equivalent fractions practice").exists()
    assert homework.filter(title__regex=r"^Read chapter [0-9]+ of Holes").exists()
    assert not homework.filter(title__contains="{n}").exists()
    assert not homework.filter(Q(estimated_minutes__lt=20) | Q(estimated_minutes__gt=60)).exists()
    assert not homework.filter(due_at__date__lte=F("set_on")).exists()
    assert not homework.filter(instructions_html="").exists()
    modes = dict(homework.values_list("submission_mode").annotate(n=Count("pk")).order_by())
    assert modes["online"] > 5 * modes["paper"] > 0
    assert homework.filter(unit__isnull=False).count() == homework.count()
    # A few have an alternative version, which EAL pupils see.
    alternative = homework.exclude(alternative_instructions="")
    assert 0 < alternative.count() < homework.count() / 3
    assert Assignment.objects.filter(uses_alternative=True, pupil__eal=True).exists()
    assert not Assignment.objects.filter(
        uses_alternative=True, pupil__eal=False, homework__alternative_for_sen=False
    ).exists()
    # Most is due at 08:30 a week after it is set; nothing on a weekend.
    due_at_half_eight = sum(
        1
        for due in homework.values_list("due_at", flat=True)
        if due.astimezone(LONDON).time() == datetime.time(8, 30)
    )
    assert due_at_half_eight > homework.count() * 0.7
    assert not homework.filter(due_at__week_day__in=[1, 7]).exists()
    assert not homework.filter(set_on__week_day__in=[1, 7]).exists()


def test_past_work_has_mixed_outcomes_and_future_work_is_mostly_open(now):
    seed(pupils=120)
    past = Assignment.objects.filter(due_at__lt=now, homework__status=Homework.Status.SET)
    total = past.count()

    def share(**filters):
        return past.filter(**filters).count() / total

    handed_in = past.filter(status__in=[Assignment.Status.SUBMITTED, Assignment.Status.PAPER])
    assert share(status=Assignment.Status.SUBMITTED) == pytest.approx(0.8, abs=0.06)
    assert share(status=Assignment.Status.PAPER) == pytest.approx(0.05, abs=0.04)
    # Overdue work: still open, or recorded as missed by the sanctions app's demo.
    not_handed_in = share(status=Assignment.Status.SET) + share(status=Assignment.Status.MISSED)
    assert not_handed_in == pytest.approx(0.15, abs=0.06)
    assert handed_in.filter(is_late=True).count() / handed_in.count() == pytest.approx(
        0.1, abs=0.04
    )
    assert not handed_in.filter(is_late=True, submitted_at__lte=F("due_at")).exists()
    assert not handed_in.filter(is_late=False, submitted_at__gt=F("due_at")).exists()
    assert not Assignment.objects.filter(submitted_at__gt=now).exists()

    older = handed_in.filter(due_at__lt=now - datetime.timedelta(days=7))
    returned = older.filter(returned_at__isnull=False)
    assert returned.count() / older.count() == pytest.approx(0.7, abs=0.1)
    assert not returned.filter(Q(mark="") | Q(feedback="") | Q(marked_by__isnull=True)).exists()
    assert not returned.filter(returned_at__gt=now).exists()
    assert (
        not handed_in.filter(due_at__gte=now - datetime.timedelta(days=1))
        .exclude(returned_at__isnull=True)
        .exists()
    )
    online = handed_in.filter(status=Assignment.Status.SUBMITTED)
    assert not online.filter(submission_text="").exists()
    assert online.filter(confidence__isnull=False).exclude(reflection="").exists()
    assert {"7/10", "Good"} & set(returned.values_list("mark", flat=True))

    upcoming = Assignment.objects.filter(due_at__gte=now, homework__status=Homework.Status.SET)
    assert upcoming.filter(status=Assignment.Status.SET).count() > upcoming.count() * 0.6
    assert not upcoming.filter(is_late=True).exists()
    assert not upcoming.filter(returned_at__isnull=False).exists()


def test_the_demo_pupil_has_something_in_every_part_of_the_planner(now):
    seed()
    pupil = Pupil.objects.get(user__email="pupil@demo.school")
    mine = Assignment.objects.filter(pupil=pupil, homework__status=Homework.Status.SET)

    assert mine.filter(due_at__gte=now, due_at__lt=now + datetime.timedelta(days=7)).exists()
    assert mine.filter(due_at__lt=now, status=Assignment.Status.SET).exists()  # overdue
    assert mine.filter(returned_at__isnull=False).exclude(feedback="").exists()
    assert mine.filter(is_late=True).exists() or mine.filter(status="paper").exists()


def test_the_demo_teacher_has_a_handful_of_drafts_and_work_to_mark(now):
    seed()
    teacher = User.objects.get(email="teacher@demo.school")
    drafts = Homework.objects.filter(status=Homework.Status.DRAFT)

    assert 1 <= drafts.count() <= 5
    assert set(drafts.values_list("set_by", flat=True)) == {teacher.pk}
    assert not drafts.exclude(teaching_group__teachers=teacher).exists()
    assert not drafts.filter(set_on__lte=now.date()).exists()
    assert not Assignment.objects.filter(homework__in=drafts).exclude(status="set").exists()
    assert Assignment.objects.filter(
        homework__set_by=teacher, status=Assignment.Status.SUBMITTED, marked_at__isnull=True
    ).exists()


def test_the_policy_and_units_are_the_schools_own():
    seed()
    school = School.objects.get(slug="demo")

    assert dict(KeyStagePolicy.objects.values_list("key_stage", "nightly_cap_minutes")) == {
        3: 90,
        4: 120,
        5: 180,
    }
    assert FrequencyRule.objects.filter(school=school, subject__isnull=False).count() == 3
    assert not SchemeOfWorkUnit.objects.exclude(school=school).exists()
    assert not Homework.objects.exclude(unit__subject=F("teaching_group__subject")).exists()
    assert not Homework.objects.exclude(unit__year_group=F("teaching_group__year_group")).exists()


def test_seeding_twice_leaves_the_homework_as_it_was():
    seed()
    counts = homework_counts()

    output = seed()

    assert "Demo school already present" in output
    assert homework_counts() == counts
    assert counts["homework"] > 0 and counts["assignments"] > 0


def test_reset_rebuilds_the_same_homework():
    seed()
    counts = homework_counts()
    rows = homework_rows()

    output = seed("--reset")

    assert "Deleted the demo data" in output
    assert homework_counts() == counts
    assert homework_rows() == rows


def test_another_seed_gives_other_homework():
    seed()
    rows = homework_rows()
    seed("--reset", "--seed", "7")
    assert homework_rows() != rows


def test_every_school_of_a_trust_gets_homework():
    seed("--schools", "2")
    per_school = dict(Homework.objects.values_list("school__slug").annotate(n=Count("pk")))

    assert set(per_school) == {"demo", "demo-2"}
    assert not Homework.objects.filter(
        school__slug="demo-2", status=Homework.Status.DRAFT
    ).exists()  # teacher@demo.school works at the first school only


def test_reset_deletes_only_the_demo_schools_homework(world):
    """The world's school keeps its homework when the demo is rebuilt."""
    from homework.services.setting import HomeworkDetails, homework_set

    (kept,) = homework_set(
        teacher=world.teacher,
        teaching_groups=[world.maths_7],
        details=HomeworkDetails(
            title="Kept",
            instructions="Stay.",
            set_on=NOW.date(),
            due_at=NOW + datetime.timedelta(days=2),
            estimated_minutes=30,
        ),
    )
    seed()
    seed("--reset")
    assert Homework.objects.filter(pk=kept.pk).exists()
    assert kept.assignments.count() == 2


def test_demo_pages_show_real_content(client):
    seed()
    client.force_login(User.objects.get(email="admin@demo.school"))

    response = client.get(reverse("homework_compliance"))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Departments" in text and "Maths" in text
    assert re.search(r"\d+%", text)
