"""The retention schedule's line for sign-in links: a link not used for the school's
period is deleted (a leaver's link that their kept login would otherwise hold for ever),
one used since is kept, a pupil on a legal hold keeps theirs, and a link goes with its
login at once."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from privacy.models import LegalHold
from privacy.registry import record_kind, record_kinds
from privacy.retention.engine import run_schedule
from privacy.retention.services import schedule_confirm
from sso.models import IdentityLink

from .conftest import provider_for

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=LONDON)
A_YEAR_ON = datetime.datetime(2027, 12, 2, 10, 0, tzinfo=LONDON)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def provider(world, idp_a):
    return provider_for(world.school, idp_a, domains=["test.school"])


def link(world, provider, user, subject):
    return IdentityLink.objects.create(
        school=world.school,
        provider=provider,
        user=user,
        issuer=provider.issuer,
        subject=subject,
        email=user.email,
    )


def confirm(world):
    schedule_confirm(
        school=world.school,
        user=world.school_admin,
        months={kind.key: kind.default_months for kind in record_kinds()},
    )


def test_the_schedule_lists_sign_in_links_for_a_year_by_default():
    kind = record_kind("sso_links")

    assert kind is not None
    assert kind.default_months == 12
    assert IdentityLink in kind.covers


def test_links_unused_for_the_period_are_deleted_and_used_ones_kept(
    world, provider, clock, django_capture_on_commit_callbacks
):
    unused = link(world, provider, world.classmate.user, "classmate-sub")
    used = link(world, provider, world.teacher, "teacher-sub")
    held = link(world, provider, world.pupil.user, "pupil-sub")
    LegalHold.objects.create(
        school=world.school, pupil=world.pupil, reason="Claim", placed_at=timezone.now()
    )
    confirm(world)
    clock.move_to(datetime.datetime(2027, 6, 1, 9, 0, tzinfo=LONDON), tick=False)
    IdentityLink.objects.filter(pk=used.pk).update(last_signed_in_at=timezone.now())
    clock.move_to(A_YEAR_ON, tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        done = run_schedule(school=world.school, dry_run=False)

    assert done.results["sso_links"]["count"] == 1
    assert set(IdentityLink.objects.values_list("pk", flat=True)) == {used.pk, held.pk}
    assert not IdentityLink.objects.filter(pk=unused.pk).exists()


def test_nothing_is_deleted_before_the_period(
    world, provider, clock, django_capture_on_commit_callbacks
):
    kept = link(world, provider, world.teacher, "teacher-sub")
    confirm(world)
    clock.move_to(datetime.datetime(2027, 11, 30, 9, 0, tzinfo=LONDON), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        done = run_schedule(school=world.school, dry_run=False)

    assert done.results["sso_links"]["count"] == 0
    assert IdentityLink.objects.filter(pk=kept.pk).exists()


def test_a_link_goes_with_its_login(world, provider):
    user = world.classmate.user
    link(world, provider, user, "classmate-sub")

    user.delete()

    assert not IdentityLink.objects.exists()
