"""The retention pages: the lead confirms the suggested schedule (and edits it later),
runs a dry run and a real run from the page, reads the log, and places and lifts a
pupil's legal hold from the pupil's data-protection page. The nightly task runs each
school that confirmed its schedule. Each page costs the same however many rows."""

import datetime
import html
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy.models import AccessLogEntry, LegalHold, RetentionRule, RetentionRun
from privacy.registry import record_kinds
from privacy.retention.panels import hold_panel
from privacy.retention.services import schedule_confirm
from privacy.retention.tasks import retention_nightly
from tests.factories import PupilFactory, UserFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
LATER = datetime.datetime(2029, 1, 10, 10, 0, tzinfo=LONDON)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


def suggested(**changed):
    return {
        f"months_{kind.key}": changed.get(kind.key, kind.default_months) for kind in record_kinds()
    }


def confirm(world):
    schedule_confirm(
        school=world.school,
        user=world.school_admin,
        months={kind.key: kind.default_months for kind in record_kinds()},
    )


def looked(world, pupil=None, n=1):
    for _ in range(n):
        AccessLogEntry.objects.create(
            school=world.school,
            at=timezone.now(),
            pupil=pupil or world.classmate,
            page="P",
            path="/",
        )


def test_the_lead_confirms_the_suggested_schedule_and_edits_it_later(client, world, clock):
    client.force_login(world.school_admin)
    page = html.unescape(client.get(reverse("privacy_retention")).content.decode())
    assert "Not confirmed yet" in page
    for kind in record_kinds():
        assert f"{kind.label}: months after {kind.event}" in page
        assert kind.guidance in page and kind.action in page
    assert "The IRMS toolkit for schools suggests keeping pupils' work" in page
    assert "Dry run now" not in page  # nothing to run before the school confirms

    response = client.post(reverse("privacy_retention"), suggested(homework_work=24))
    assert response.status_code == 302
    rules = {rule.kind: rule for rule in RetentionRule.objects.filter(school=world.school)}
    assert set(rules) == {kind.key for kind in record_kinds()}
    assert rules["homework_work"].months == 24 and rules["leavers"].months == 108
    assert rules["misses"].confirmed_by == world.school_admin
    page = client.get(reverse("privacy_retention")).content.decode()
    assert "Confirmed by" in page and "Dry run now" in page and 'value="24"' in page

    clock.move_to(NOW + datetime.timedelta(days=3), tick=False)
    client.force_login(world.school_admin)
    assert client.post(reverse("privacy_retention"), suggested(homework_work=12)).status_code == 302
    rule = RetentionRule.objects.get(school=world.school, kind="homework_work")
    assert rule.months == 12 and rule.confirmed_at == NOW + datetime.timedelta(days=3)
    assert not RetentionRule.objects.filter(school=world.other_school).exists()


def test_a_period_is_a_whole_number_of_months(client, world):
    client.force_login(world.school_admin)
    response = client.post(reverse("privacy_retention"), suggested(misses=0))
    assert response.status_code == 200
    assert "Keep records for at least 1 month." in response.content.decode()
    assert not RetentionRule.objects.exists()


def test_a_dry_run_from_the_page_shows_what_would_go_and_changes_nothing(client, world, clock):
    confirm(world)
    looked(world, n=3)
    clock.move_to(LATER, tick=False)
    client.force_login(world.school_admin)
    response = client.post(reverse("privacy_retention_dry_run"))
    run = RetentionRun.objects.get(school=world.school)
    assert response["Location"] == reverse("privacy_retention_run", args=[run.pk])
    assert run.dry_run and run.started_by == world.school_admin
    assert run.results["access_log"]["count"] == 3
    page = client.get(response["Location"]).content.decode()
    assert "A dry run only counts" in page and "Access log" in page
    assert "24 months (the event came before 10/01/2027)" in page
    assert AccessLogEntry.objects.count() == 3


def test_run_now_lists_what_will_go_and_the_run_removes_it(
    client, world, clock, django_capture_on_commit_callbacks
):
    confirm(world)
    looked(world, n=2)
    clock.move_to(LATER, tick=False)
    client.force_login(world.school_admin)
    page = client.get(reverse("privacy_retention_run_now")).content.decode()
    assert "Access log" in page and "Delete and anonymise these records" in page
    assert AccessLogEntry.objects.count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy_retention_run_now"))
    run = RetentionRun.objects.get(school=world.school)
    assert response["Location"] == reverse("privacy_retention_run", args=[run.pk])
    run.refresh_from_db()
    assert (run.dry_run, run.status) == (False, RetentionRun.Status.DONE)
    assert run.results["access_log"]["count"] == 2
    assert not AccessLogEntry.objects.exists()
    runs = client.get(reverse("privacy_retention_runs")).content.decode()
    assert reverse("privacy_retention_run", args=[run.pk]) in runs


def test_the_lead_places_and_lifts_a_hold_from_the_pupil_page(client, world):
    client.force_login(world.school_admin)
    pupil_page = reverse("privacy_pupil", args=[world.pupil.pk])
    assert "Place a legal hold" in client.get(pupil_page).content.decode()

    empty = client.post(reverse("privacy_retention_hold", args=[world.pupil.pk]), {"reason": " "})
    assert "Say why the pupil&#x27;s records must be kept." in empty.content.decode()
    assert not LegalHold.objects.exists()

    response = client.post(
        reverse("privacy_retention_hold", args=[world.pupil.pk]),
        {"reason": "Safeguarding case"},
    )
    assert response["Location"] == pupil_page
    hold = LegalHold.objects.get()
    assert (hold.pupil, hold.placed_by, hold.reason) == (
        world.pupil,
        world.school_admin,
        "Safeguarding case",
    )
    page = client.get(pupil_page).content.decode()
    assert "On hold" in page and "Lift the hold" in page
    schedule = client.get(reverse("privacy_retention")).content.decode()
    assert "Amara Okafor" in schedule and "Safeguarding case" in schedule

    again = client.post(
        reverse("privacy_retention_hold", args=[world.pupil.pk]), {"reason": "Twice"}, follow=True
    )
    assert "already on a legal hold" in again.content.decode()
    assert LegalHold.objects.count() == 1

    client.post(reverse("privacy_retention_hold_lift", args=[hold.pk]))
    hold.refresh_from_db()
    assert hold.lifted_by == world.school_admin and hold.lifted_at is not None
    page = client.get(pupil_page).content.decode()
    assert "Past holds" in page and "Place a legal hold" in page


def test_the_actions_are_posted_and_are_for_our_leads_only(client, world):
    hold = LegalHold.objects.create(
        school=world.school, pupil=world.pupil, reason="Claim", placed_at=timezone.now()
    )
    client.force_login(world.school_admin)
    assert client.get(reverse("privacy_retention_dry_run")).status_code == 405
    assert client.get(reverse("privacy_retention_hold_lift", args=[hold.pk])).status_code == 405
    client.force_login(world.other_school_staff)
    assert client.get(reverse("privacy_retention_dry_run")).status_code == 405
    lift = client.post(reverse("privacy_retention_hold_lift", args=[hold.pk]))
    assert lift.status_code == 404
    place = client.post(reverse("privacy_retention_hold", args=[world.pupil.pk]), {"reason": "x"})
    assert place.status_code == 404
    hold.refresh_from_db()
    assert hold.lifted_at is None
    client.force_login(world.senior_leader)
    assert client.post(reverse("privacy_retention_dry_run")).status_code == 404
    assert client.post(reverse("privacy_retention"), suggested()).status_code == 404
    assert not RetentionRun.objects.exists() and not RetentionRule.objects.exists()


def test_a_superuser_chooses_the_school(client, world):
    client.force_login(UserFactory(email="root@example.org", is_superuser=True, is_staff=True))
    assert "Other Academy" in client.get(reverse("privacy_retention")).content.decode()
    response = client.post(reverse("privacy_retention") + "?school=test", suggested())
    assert response["Location"] == reverse("privacy_retention") + "?school=test"
    assert RetentionRule.objects.filter(school=world.school).count() == len(record_kinds())
    assert client.post(reverse("privacy_retention_dry_run")).status_code == 404


def test_the_nightly_task_runs_each_school_that_confirmed_its_schedule(world, clock, settings):
    from homework_mgmt.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["privacy-retention-nightly"]
    assert entry["task"] == retention_nightly.name
    assert "privacy.retention.tasks" in settings.CELERY_IMPORTS
    assert retention_nightly.name in app.tasks
    confirm(world)
    looked(world, n=2)
    AccessLogEntry.objects.create(
        school=world.other_school, at=timezone.now(), pupil=world.other_school_pupil, page="P"
    )
    clock.move_to(LATER, tick=False)
    assert retention_nightly.delay().get() == 1
    run = RetentionRun.objects.get()
    assert (run.school, run.dry_run, run.started_by) == (world.school, False, None)
    assert run.results["access_log"]["count"] == 2
    # The other school confirmed nothing: its log stays.
    assert AccessLogEntry.objects.filter(school=world.other_school).count() == 1


@pytest.mark.parametrize("extra", [0, 25])
def test_the_pages_cost_the_same_however_many_rows(
    client, world, clock, extra, django_assert_max_num_queries
):
    confirm(world)
    for n in range(extra):
        pupil = PupilFactory(tutor_group=world.tg_7a)
        LegalHold.objects.create(
            school=world.school, pupil=pupil, reason=f"Case {n}", placed_at=timezone.now()
        )
        looked(world, pupil=pupil, n=2)
        RetentionRun.objects.create(
            school=world.school, dry_run=True, started_at=timezone.now(), results={}
        )
    run = RetentionRun.objects.create(
        school=world.school, dry_run=True, started_at=timezone.now(), started_by=world.teacher
    )
    hold = LegalHold.objects.create(
        school=world.school, pupil=world.pupil, reason="Claim", placed_at=timezone.now()
    )
    LegalHold.objects.filter(pk=hold.pk).update(lifted_at=timezone.now())
    clock.move_to(LATER, tick=False)
    client.force_login(world.school_admin)
    # session, user, roles (lead), the school, the rules with who confirmed them, the
    # current holds (count, page with their pupils and who placed them), the last run.
    with django_assert_max_num_queries(8):
        assert client.get(reverse("privacy_retention")).status_code == 200
    # session, user, roles, the school; the runs: count, page with who started them.
    with django_assert_max_num_queries(6):
        assert client.get(reverse("privacy_retention_runs")).status_code == 200
    # session, user, roles, the run with its school and starter.
    with django_assert_max_num_queries(4):
        assert client.get(reverse("privacy_retention_run", args=[run.pk])).status_code == 200
    # session, user, roles, the school, the rules, then for each of the kinds: its count,
    # and for a kind counted from the end of a year, the school's years (two at most).
    kinds = len(record_kinds())
    with django_assert_max_num_queries(5 + kinds * 3):
        assert client.get(reverse("privacy_retention_run_now")).status_code == 200
    # The hold panel of the pupil's page: the pupil's holds with who placed and lifted them.
    with django_assert_max_num_queries(1):
        panel = hold_panel(pupil=world.pupil, user=world.school_admin, query="")
    assert panel["current"] is None and len(panel["past"]) == 1
