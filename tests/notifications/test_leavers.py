"""A family hears nothing new about a child who has left: no row is written about them
from their leaving day, and at send time (straight away, after the sweep, or in the daily
digest) a row goes only if it was written before that day, and only what is still true
(a detention on or after the leaving day is not). What was sent stays on record."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from notifications import delivery as sending
from notifications import services, tasks
from notifications.models import Notification, Preference
from notifications.notices import COMMENDATION
from sanctions.models import DetentionBooking, DetentionSession, Sanction
from sanctions.notices import DETENTION_BOOKED
from sanctions.services.misses import miss_record
from tests.sanctions.helpers import overdue_assignments

from .helpers import tell

LONDON = zoneinfo.ZoneInfo("Europe/London")
MON, TUE, WED = (datetime.date(2026, 11, day) for day in (23, 24, 25))


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def leave(pupil, on=None):
    pupil.left_on = on or timezone.localdate()
    pupil.save(update_fields=["left_on"])


def written_yesterday(notification):
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=1)
    )


def test_nothing_new_is_written_about_a_child_who_has_left(world):
    leave(world.pupil)

    assert tell(world.pupil, COMMENDATION, reason="Fractions effort") == []
    assert len(tell(world.year8_pupil, COMMENDATION, reason="Algebra effort")) == 1


def test_a_child_leaving_tomorrow_is_still_told_of(world):
    leave(world.pupil, timezone.localdate() + datetime.timedelta(days=1))

    assert len(tell(world.pupil, COMMENDATION, reason="Fractions effort")) == 1


def test_a_message_written_before_the_child_left_is_still_sent(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the queue was down
        (row,) = tell(world.pupil, COMMENDATION, reason="Fractions effort")
    written_yesterday(row)
    leave(world.pupil)

    assert sending.notification_send(notification_id=row.pk) == "sent"
    assert "Fractions effort" in mail.outbox[0].body


def test_a_message_written_on_the_leaving_day_is_not_sent(world):
    leave(world.pupil)
    # a row about the child written without the outbox's check (a reply, say)
    row = services.notification_write(
        school_id=world.school.pk,
        guardian_id=world.guardian.pk,
        pupil_id=world.pupil.pk,
        kind=COMMENDATION,
        context={"reason": "Fractions effort"},
    )

    assert sending.notification_send(notification_id=row.pk) == Notification.Status.SUPERSEDED
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.status == Notification.Status.SUPERSEDED and not row.deliveries.exists()


def test_the_digest_carries_what_was_written_before_the_child_left_only(
    world, django_capture_on_commit_callbacks
):
    services.preferences_save(
        guardian=world.guardian, frequencies={COMMENDATION: Preference.Frequency.DIGEST}
    )
    with django_capture_on_commit_callbacks(execute=True):
        (before,) = tell(world.pupil, COMMENDATION, reason="Fractions effort")
        (brother,) = tell(world.year8_pupil, COMMENDATION, reason="Algebra effort")
    written_yesterday(before)
    leave(world.pupil)
    after = Notification.objects.create(
        school=world.school,
        guardian=world.guardian,
        pupil=world.pupil,
        kind=COMMENDATION,
        context=before.context,
        status=Notification.Status.DIGEST,
    )

    tasks.digests_send.delay()

    (digest,) = mail.outbox
    assert "Fractions effort" in digest.body and "Algebra effort" in digest.body
    assert digest.body.count("Fractions effort") == 1
    statuses = dict(Notification.objects.values_list("pk", "status"))
    assert statuses[before.pk] == statuses[brother.pk] == Notification.Status.SENT
    assert statuses[after.pk] == Notification.Status.SUPERSEDED


@pytest.fixture
def booked(world, time_machine):
    """On Monday Amara's third miss books her into Wednesday's detention; the message
    telling her parents waits (the queue was down)."""
    time_machine.move_to(at(MON, 9), tick=False)
    DetentionSession.objects.create(
        school=world.school,
        date=WED,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        supervisor=world.teacher,
        capacity=10,
    )
    miss_record(recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 3))
    world.booking = DetentionBooking.objects.get(sanction=Sanction.objects.get(pupil=world.pupil))
    world.row = Notification.objects.get(pupil=world.pupil, kind="sanction_due")
    time_machine.move_to(at(TUE, 9), tick=False)
    return world


def test_a_detention_on_a_day_after_the_child_left_is_not_announced(booked):
    w = booked
    leave(w.pupil, TUE)

    assert sending.notification_send(notification_id=w.row.pk) == "sent"

    # written on Monday, while she was on roll: her misses and the sanction are told of,
    # but not Wednesday's detention, which she will not sit
    (message,) = mail.outbox
    assert "60-minute after-school detention" in message.body
    assert "25 November 2026" not in message.body
    w.row.refresh_from_db()
    assert DETENTION_BOOKED not in w.row.context["parts"][-1]["with"]


def test_a_detention_before_the_leaving_day_is_announced(booked):
    w = booked
    leave(w.pupil, datetime.date(2026, 11, 27))

    assert sending.notification_send(notification_id=w.row.pk) == "sent"

    (message,) = mail.outbox
    assert "The detention is on Wednesday 25 November 2026." in message.body
