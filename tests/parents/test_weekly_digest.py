"""The weekly homework digest: on Monday each family hears what is set for each child that
week (Monday to Sunday), one outbox row per guardian with parental responsibility; a
child with nothing due gets nothing; a week is written once; the Celery task sends it."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from homework.services.setting import HomeworkDetails, homework_set
from notifications.models import Notification
from parents import tasks
from parents.digest import weekly_digest_write
from parents.notices import WEEKLY_DIGEST
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory

MONDAY = datetime.date(2026, 11, 23)


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(timezone.make_aware(datetime.datetime(2026, 11, 23, 7, 0)), tick=False)


def homework_due(world, group, title, day, hour=9):
    homework_set(
        teacher=world.teacher,
        teaching_groups=[group],
        details=HomeworkDetails(
            title=title,
            instructions="Do it.",
            set_on=MONDAY - datetime.timedelta(days=3),
            due_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour))),
            estimated_minutes=30,
        ),
    )


def test_each_family_hears_this_weeks_homework_only(world, monday):
    homework_due(world, world.maths_7, "Fractions", MONDAY + datetime.timedelta(days=2))
    homework_due(world, world.maths_7, "Decimals", MONDAY + datetime.timedelta(days=6), 20)
    homework_due(world, world.maths_7, "Next week", MONDAY + datetime.timedelta(days=7))

    written = weekly_digest_write(school=world.school, week_start=MONDAY)

    digests = Notification.objects.filter(kind=WEEKLY_DIGEST)
    by_pupil = {n.pupil: n for n in digests}
    assert set(by_pupil) == {world.pupil, world.classmate}  # both in maths_7, both have parents
    assert written == 2
    tasks = by_pupil[world.pupil].context["tasks"]
    assert [t["title"] for t in tasks] == ["Fractions", "Decimals"]
    assert tasks[0]["subject"] == "Maths" and tasks[1]["due"] == "2026-11-29T20:00:00+00:00"
    assert by_pupil[world.pupil].guardian == world.guardian
    assert by_pupil[world.classmate].guardian == world.other_guardian
    assert not digests.filter(pupil=world.year8_pupil).exists()  # nothing due: no digest


def test_a_week_is_written_once(world, monday):
    homework_due(world, world.maths_7, "Fractions", MONDAY + datetime.timedelta(days=2))
    assert weekly_digest_write(school=world.school, week_start=MONDAY) == 2
    assert weekly_digest_write(school=world.school, week_start=MONDAY) == 0
    assert Notification.objects.filter(kind=WEEKLY_DIGEST).count() == 2


def test_a_guardian_without_parental_responsibility_is_not_told(world, monday):
    stepdad = GuardianFactory(school=world.school, email="step@example.org")
    GuardianLinkFactory(guardian=stepdad, pupil=world.pupil, parental_responsibility=False)
    homework_due(world, world.maths_7, "Fractions", MONDAY + datetime.timedelta(days=2))

    weekly_digest_write(school=world.school, week_start=MONDAY)

    assert not Notification.objects.filter(guardian=stepdad).exists()


@pytest.mark.parametrize("pupils", [1, 25])
def test_writing_costs_the_same_queries_for_one_pupil_or_many(world, monday, pupils):
    extra = PupilFactory.create_batch(pupils - 1, tutor_group=world.tg_7a)
    for pupil in extra:
        GuardianLinkFactory(guardian=GuardianFactory(school=world.school), pupil=pupil)
    world.maths_7.pupils.add(*extra)
    homework_due(world, world.maths_7, "Fractions", MONDAY + datetime.timedelta(days=2))

    with CaptureQueriesContext(connection) as queries:
        weekly_digest_write(school=world.school, week_start=MONDAY)

    # The week already written?, the week's homework, the guardians, the bulk insert (and
    # the savepoint pair of the transaction).
    assert len(queries) == 6, [q["sql"][:60] for q in queries]


def test_the_monday_task_sends_the_digest_email(world, monday, django_capture_on_commit_callbacks):
    world.guardian.email = "ngozi@example.org"
    world.guardian.save()
    homework_due(world, world.maths_7, "Fractions", MONDAY + datetime.timedelta(days=2))

    with django_capture_on_commit_callbacks(execute=True):
        tasks.weekly_digests_write.delay()

    sent = [m for m in mail.outbox if "ngozi@example.org" in m.to]
    assert len(sent) == 1
    assert "Fractions" in sent[0].body
