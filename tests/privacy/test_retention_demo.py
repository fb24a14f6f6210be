"""The demo school (`manage.py seed_demo`) years later: a dry run counts what the
schedule would remove and changes nothing; the real run deletes and anonymises it (some
pupils having left), and the half-term figures (misses per half-term on the sanctions
dashboard, club take-up, the outcomes of homework) stay exactly the same. A second run
finds nothing."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count

from clubs.selectors.takeup import club_takeup
from homework.models import Assignment, SubmissionFile
from parents.models import Message
from privacy.models import RetentionRun
from privacy.registry import record_kinds
from privacy.retention.engine import run_schedule
from privacy.retention.services import schedule_confirm
from sanctions.forms.dashboard import DashboardFilters
from sanctions.models import Miss, Sanction
from sanctions.selectors.dashboard import dashboard_for
from sanctions.services.policy import policy_current
from school.calendar import academic_year_for
from school.models import Pupil, RoleAssignment, School

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()
# Nine years and more after the leavers left in July 2027.
YEARS_LATER = datetime.datetime(2036, 9, 10, 10, 0, tzinfo=LONDON)


def figures(school, leader):
    """What the half-term measures show for the demo's autumn term, read as of then."""
    year = academic_year_for(school.pk, TODAY)
    board = dashboard_for(
        leader,
        DashboardFilters(None, user=leader, year=year),
        today=TODAY,
        policy=policy_current(school=school),
        year=year,
    )
    _, takeups = club_takeup(leader, today=TODAY)
    return {
        "trend": [(row.half_term.pk, row.misses) for row in board.trend],
        "dashboard": sorted((row.pupil.pk, row.counted, row.completed) for row in board.pupils),
        "served": board.served,
        "clubs": [
            (
                takeup.club.pk,
                [
                    (p.label, p.sessions, p.attendances, p.unique_pupils, p.rewards)
                    for p in takeup.half_terms
                ],
                [(g.key, g.attendees) for g in takeup.year.groups],
            )
            for takeup in takeups
        ],
        "outcomes": dict(
            Assignment.objects.filter(school=school)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "submitted": Assignment.objects.filter(school=school, submitted_at__isnull=False).count(),
        "misses": dict(
            Miss.objects.filter(school=school)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        ),
        "sanctions": Sanction.objects.filter(school=school).count(),
        "pupils": Pupil.objects.filter(school=school).count(),
    }


def test_the_demo_school_years_later_loses_what_is_past_its_period_and_keeps_its_figures(
    time_machine, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    time_machine.move_to(NOW, tick=False)
    call_command("seed_demo", "--pupils", "40", "--force", stdout=StringIO())
    school = School.objects.get(slug="demo")
    leader = (
        RoleAssignment.objects.filter(school=school, role=RoleAssignment.Role.SENIOR_LEADER)
        .select_related("user")
        .first()
        .user
    )
    leavers = list(
        Pupil.objects.filter(school=school, misses__isnull=False).distinct().order_by("pk")[:3]
    )
    Pupil.objects.filter(pk__in=[p.pk for p in leavers]).update(left_on=datetime.date(2027, 7, 21))
    before = figures(school, leader)
    assert before["trend"] and sum(m for _, m in before["trend"]) > 0
    assert before["clubs"]
    schedule_confirm(
        school=school,
        user=leader,
        months={kind.key: kind.default_months for kind in record_kinds()},
    )

    time_machine.move_to(YEARS_LATER, tick=False)
    messages = Message.objects.filter(school=school).count()
    dry = run_schedule(school=school, dry_run=True)
    assert dry.results["homework_work"]["count"] > 0
    assert dry.results["leavers"]["count"] == 3
    assert Pupil.objects.filter(school=school, anonymised_at__isnull=False).count() == 0
    assert Message.objects.filter(school=school).count() == messages

    with django_capture_on_commit_callbacks(execute=True):
        done = run_schedule(school=school, dry_run=False)
    assert done.status == RetentionRun.Status.DONE
    assert {key: r["count"] for key, r in done.results.items()} == {
        key: r["count"] for key, r in dry.results.items()
    }
    assert Pupil.objects.filter(school=school, anonymised_at__isnull=False).count() == 3
    assert not Assignment.objects.filter(school=school).exclude(submission_text="").exists()
    assert not SubmissionFile.objects.filter(school=school).exists()
    assert not Message.objects.filter(school=school).exists()

    assert figures(school, leader) == before
    again = run_schedule(school=school, dry_run=False)
    assert all(result["count"] == 0 for result in again.results.values())
