"""One event, one message to each guardian, saying what is true when it is sent: the
third missed deadline is announced with the detention's date when it was booked at once,
or with "we will tell you the date" when it was not (and the booking, later, says when);
a missed detention comes with the exclusion day it led to; a voided miss cancels the
detention and its meeting in one message; and what is no longer true when the message is
due to go is not said. Mail goes through a real SMTP server (the smtp_sink)."""

import datetime
import zoneinfo

import pytest
from django.db import transaction
from django.urls import reverse

from notifications import delivery as sending
from notifications import services as outbox
from notifications.events import parts_of
from notifications.models import Notification
from sanctions.models import DetentionBooking, DetentionSession, Meeting, SessionKind
from sanctions.notices import DETENTION_BOOKED, MISSED_DEADLINE, SANCTION_CANCELLED, SANCTION_DUE
from sanctions.services.detentions import detention_register_save, detention_session_create
from sanctions.services.meetings import meeting_arrange
from tests.factories import GuardianFactory, GuardianLinkFactory
from tests.sanctions.helpers import overdue_assignments
from tests.smtp_sink import body_text

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Friday 4 December 2026, then the next week.
FRI, TUE, WED, THU = (datetime.date(2026, 12, d) for d in (4, 8, 9, 10))
SECOND_EMAIL = "emeka.okafor@example.org"


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


@pytest.fixture
def family(world, time_machine):
    """The pupil's two parents, each with an email address, on a Friday afternoon."""
    time_machine.move_to(at(FRI, 15), tick=False)
    second = GuardianFactory(
        school=world.school, first_name="Emeka", last_name="Okafor", email=SECOND_EMAIL
    )
    GuardianLinkFactory(guardian=second, pupil=world.pupil)
    world.addresses = sorted([world.guardian.email, SECOND_EMAIL])
    return world


def sitting(world, day, *, kind=SessionKind.DETENTION, start=(15, 30), end=(16, 30)):
    return DetentionSession.objects.create(
        school=world.school,
        kind=kind,
        date=day,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        room="B12" if kind == SessionKind.DETENTION else "Inclusion room",
        supervisor=world.teacher,
        capacity=10,
    )


def record_miss(client, world, assignment):
    client.force_login(world.teacher)
    response = client.post(
        reverse("sanctions_miss_record", args=[assignment.homework_id]),
        {"missed": [assignment.pk], "reason": ""},
    )
    assert response.status_code == 302


def record_misses(client, world, assignments, capture):
    """Each miss its own request, delivered as it commits."""
    for assignment in assignments:
        with capture(execute=True):
            record_miss(client, world, assignment)


def one_each(sink, world):
    """The messages that arrived, checked to be exactly one per guardian."""
    assert sorted(message["To"] for message in sink.messages) == world.addresses
    return sink.messages


def test_the_third_miss_sends_each_guardian_one_email_with_the_detentions_date(
    client, family, smtp_sink, django_capture_on_commit_callbacks
):
    w = family
    sitting(w, TUE)
    *first_two, third = overdue_assignments(w, w.pupil, 3)
    record_misses(client, w, first_two, django_capture_on_commit_callbacks)
    smtp_sink.messages.clear()

    record_misses(client, w, [third], django_capture_on_commit_callbacks)

    for message in one_each(smtp_sink, w):
        assert message["Subject"] == "Detention for Amara on Tuesday 8 December"
        text = body_text(message)
        assert 'Amara did not hand in "Task 2" by its deadline.' in text
        assert "so the school has set a 60-minute after-school detention" in text
        assert "The detention is on Tuesday 8 December 2026. It runs from 15:30 to 16:30." in text
        assert "Room B12." in text
        assert "as soon as it is booked" not in text
        assert "Every third missed deadline" not in text  # it is the third: said below
    (row,) = Notification.objects.filter(guardian=w.guardian, kind=SANCTION_DUE)
    assert row.status == Notification.Status.SENT
    assert Notification.objects.filter(pupil=w.pupil).count() == 3 * 2  # a row per miss each


def test_a_detention_with_no_session_yet_says_the_date_will_follow_then_the_booking_says_it(
    client, family, smtp_sink, django_capture_on_commit_callbacks
):
    w = family
    record_misses(client, w, overdue_assignments(w, w.pupil, 3), django_capture_on_commit_callbacks)
    for message in smtp_sink.messages[-2:]:
        assert message["Subject"] == "Amara has a detention"
        assert "We will tell you its date, time and room as soon as it is booked." in body_text(
            message
        )
    smtp_sink.messages.clear()

    with django_capture_on_commit_callbacks(execute=True):
        detention_session_create(
            school=w.school,
            date=TUE,
            start_time=datetime.time(15, 30),
            end_time=datetime.time(16, 30),
            room="B12",
            supervisor=w.teacher,
            capacity=10,
            created_by=w.head_of_year,
        )

    for message in one_each(smtp_sink, w):
        assert message["Subject"] == "Detention for Amara on Tuesday 8 December"
        text = body_text(message)
        assert "Amara has an after-school detention on Tuesday 8 December 2026." in text
        assert "15:30" in text and "B12" in text


def test_voiding_a_miss_cancels_the_detention_and_its_meeting_in_one_message(
    client, family, smtp_sink, django_capture_on_commit_callbacks
):
    w = family
    sitting(w, TUE)
    assignments = overdue_assignments(w, w.pupil, 6)
    record_misses(client, w, assignments, django_capture_on_commit_callbacks)
    meeting = Meeting.objects.get()  # the second step's meeting with the form tutor
    with django_capture_on_commit_callbacks(execute=True):
        meeting_arrange(actor=w.teacher, meeting=meeting, when=at(WED, 16), place="Room 7A")
    smtp_sink.messages.clear()
    miss = assignments[4].misses.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("sanctions_miss_void", args=[miss.pk]), {"reason": "Handed in on paper"}
        )

    assert response.status_code == 302
    for message in one_each(smtp_sink, w):
        assert message["Subject"] == "Amara's detention is cancelled"
        text = body_text(message)
        assert "so the detention it led to is cancelled." in text
        assert "The meeting about Amara on Wednesday 9 December 2026 at 16:00 is cancelled." in text
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED


def test_a_missed_detention_is_told_with_the_exclusion_day_it_led_to(
    family, smtp_sink, time_machine, django_capture_on_commit_callbacks, client
):
    w = family
    detention = sitting(w, TUE)
    sitting(w, THU, kind=SessionKind.INTERNAL_EXCLUSION, start=(8, 45), end=(15, 15))
    record_misses(client, w, overdue_assignments(w, w.pupil, 3), django_capture_on_commit_callbacks)
    booking = DetentionBooking.objects.get(session=detention)
    smtp_sink.messages.clear()
    time_machine.move_to(at(TUE, 16, 45), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        detention_register_save(
            session=detention,
            marks={booking.pk: (DetentionBooking.Status.ABSENT_UNAUTHORISED, "")},
            actor=w.teacher,
        )

    for message in one_each(smtp_sink, w):
        assert message["Subject"] == "Amara missed a detention"
        text = body_text(message)
        assert "Amara did not attend the detention on Tuesday 8 December 2026." in text
        assert "Amara will spend Thursday 10 December 2026 in internal exclusion" in text
        assert "It runs from 08:45 to 15:15." in text
        assert "we will tell you the date" not in text


def test_what_is_no_longer_true_when_the_message_goes_is_not_said(
    client, family, smtp_sink, django_capture_on_commit_callbacks, time_machine
):
    """The mail queue was down while the third miss was recorded and the first one then
    undone: when the sweep sends them, the detention (cancelled in between) is not
    announced; the family hears of the third miss and of the cancellation."""
    w = family
    sitting(w, TUE)
    first, *others = overdue_assignments(w, w.pupil, 3)
    record_misses(client, w, [first, others[0]], django_capture_on_commit_callbacks)
    smtp_sink.messages.clear()
    last_before = Notification.objects.latest("pk").pk
    with django_capture_on_commit_callbacks(execute=False):  # nothing reaches the broker
        record_miss(client, w, others[1])
        outbox_void = reverse("sanctions_miss_void", args=[first.misses.get().pk])
        assert client.post(outbox_void, {"reason": "Recorded in error"}).status_code == 302
    assert smtp_sink.messages == []

    time_machine.move_to(at(FRI, 15, 10), tick=False)
    for notification_id in sending.notifications_sweep():
        sending.notification_send(notification_id=notification_id)

    texts = {message["To"]: [] for message in smtp_sink.messages}
    for message in smtp_sink.messages:
        texts[message["To"]].append(body_text(message))
    assert sorted(texts) == w.addresses
    for told in texts.values():
        assert len(told) == 2  # the third miss; the detention cancelled
        assert not any("The detention is on" in text for text in told)
        assert any('Amara did not hand in "Task 2"' in text for text in told)
    third, cancelled = Notification.objects.filter(
        guardian=w.guardian, pk__gt=last_before
    ).order_by("pk")
    assert (third.status, cancelled.status) == ("sent", "sent")
    assert third.kind == MISSED_DEADLINE  # restated: its detention part is gone
    assert cancelled.kind == SANCTION_CANCELLED


@pytest.mark.django_db(transaction=True)
def test_a_committed_third_miss_is_one_email_per_guardian(client, world, smtp_sink, time_machine):
    """As in production, with no test transaction around it: the event is the request's
    transaction, committed, then delivered."""
    time_machine.move_to(at(FRI, 15), tick=False)
    sitting(world, TUE)
    assignments = overdue_assignments(world, world.pupil, 3)
    for assignment in assignments[:2]:
        record_miss(client, world, assignment)
    smtp_sink.messages.clear()

    record_miss(client, world, assignments[2])

    (message,) = smtp_sink.messages  # the pupil has one guardian here
    assert message["Subject"] == "Detention for Amara on Tuesday 8 December"
    assert "The detention is on Tuesday 8 December 2026." in body_text(message)
    assert Notification.objects.filter(pupil=world.pupil).count() == 3


# The rule itself, for any kind: "thing:<n>" is about something no app checks at send time.
DUE = {"about": "thing:1", "cycle": 1, "detention_minutes": 60}
BOOKED = {"about": "thing:1", "date": "2026-12-08", "start_time": "15:30", "room": "B12"}


def rows_of(pupil):
    return list(Notification.objects.filter(pupil=pupil).order_by("pk"))


def test_what_one_transaction_tells_a_guardian_about_a_child_is_one_row(world):
    with transaction.atomic():
        outbox.notifications_queue(events=[(world.pupil.pk, DETENTION_BOOKED, BOOKED)])
        outbox.notifications_queue(
            events=[
                (world.pupil.pk, MISSED_DEADLINE, {"homework": "Poem"}),
                (world.pupil.pk, SANCTION_DUE, DUE),
                (world.classmate.pk, MISSED_DEADLINE, {"homework": "Poem"}),
            ]
        )

    mine, classmates = rows_of(world.pupil), rows_of(world.classmate)
    assert len(mine) == len(classmates) == 1
    (row,) = mine
    assert row.kind == SANCTION_DUE
    assert [part["kind"] for part in row.context["parts"]] == ["missed_deadline", "sanction_due"]
    assert row.context["parts"][1]["with"] == {"detention_booked": BOOKED}
    assert classmates[0].context == {"homework": "Poem"}  # a plain event keeps its context


def test_each_transaction_is_its_own_event(world):
    for _ in range(2):
        with transaction.atomic():
            outbox.notifications_queue(events=[(world.pupil.pk, SANCTION_DUE, DUE)])
    assert len(rows_of(world.pupil)) == 2


def test_a_transaction_that_holds_many_events_keeps_a_message_for_each(world):
    """The demo's made-up term is built in one transaction, event after event."""
    term = transaction.atomic()
    term.holds_many_events = True
    with term:
        for _ in range(2):
            with transaction.atomic():
                outbox.notifications_queue(events=[(world.pupil.pk, SANCTION_DUE, DUE)])
    assert len(rows_of(world.pupil)) == 2


def test_a_cancellation_of_what_the_same_event_announced_leaves_nothing_to_tell(world):
    with transaction.atomic():
        outbox.notifications_queue(events=[(world.pupil.pk, SANCTION_DUE, DUE)])
        outbox.notifications_queue(events=[(world.pupil.pk, DETENTION_BOOKED, BOOKED)])
        outbox.notifications_queue(
            events=[(world.pupil.pk, SANCTION_CANCELLED, {"about": "thing:1"})]
        )
    assert rows_of(world.pupil) == []


def test_the_last_word_about_the_same_thing_wins(world):
    moved = {**BOOKED, "date": "2026-12-10"}
    with transaction.atomic():
        outbox.notifications_queue(events=[(world.pupil.pk, DETENTION_BOOKED, BOOKED)])
        outbox.notifications_queue(events=[(world.pupil.pk, DETENTION_BOOKED, moved)])
    (row,) = rows_of(world.pupil)
    assert row.context == moved


def test_an_event_rolled_back_to_a_savepoint_is_in_no_message(world):
    with transaction.atomic():
        outbox.notifications_queue(events=[(world.pupil.pk, SANCTION_DUE, DUE)])
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox.notifications_queue(
                events=[(world.pupil.pk, MISSED_DEADLINE, {"homework": "Undone"})]
            )
            raise RuntimeError("this part of the event failed")
        outbox.notifications_queue(events=[(world.pupil.pk, DETENTION_BOOKED, BOOKED)])

    told = [part["kind"] for row in rows_of(world.pupil) for part in parts_of(row)]
    assert "missed_deadline" not in told
    assert "sanction_due" in told


def test_a_family_unlinked_before_the_message_goes_is_not_told(
    client, family, smtp_sink, django_capture_on_commit_callbacks
):
    """The school removed the second parent's link while the mail queue was down: when
    the sweep sends the waiting messages, only the parent still linked hears of the miss."""
    w = family
    (assignment,) = overdue_assignments(w, w.pupil, 1)
    with django_capture_on_commit_callbacks(execute=False):  # nothing reaches the broker
        record_miss(client, w, assignment)
    second = w.pupil.guardian_links.get(guardian__email=SECOND_EMAIL)
    second.delete()

    for notification_id in sending.notifications_sweep(now=at(FRI, 16)):
        sending.notification_send(notification_id=notification_id)

    assert [message["To"] for message in smtp_sink.messages] == [w.guardian.email]
    unlinked = Notification.objects.get(guardian_id=second.guardian_id)
    assert unlinked.status == Notification.Status.SUPERSEDED
    assert not unlinked.deliveries.exists()
