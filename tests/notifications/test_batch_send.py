"""An event that tells many families (the Monday digest to every family) is sent by one
task in batches: every email of a batch over one connection to the mail server (a fresh
one after a failure or after delivery.MESSAGES_PER_CONNECTION messages), each row still
claimed, sent once and recorded on its own, the guardian's choice honoured, and a row
whose send failed retried on its own while the rest of the batch goes out."""

from django.core import mail

from notifications import delivery as sending
from notifications import tasks
from notifications.models import Delivery, Notification, Preference
from notifications.notices import COMMENDATION
from tests.factories import GuardianFactory, GuardianLinkFactory
from tests.smtp_sink import Sink

from .helpers import DETENTION, tell


class CountingSink(Sink):
    """Records each message's connection (the client's address and port) and can refuse
    the n-th message it is given, as a mail server that is briefly unwell would."""

    def __init__(self, refuse: int | None = None):
        super().__init__()
        self.peers: list = []
        self.refuse = refuse
        self.given = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.given += 1
        if self.given == self.refuse:
            return "451 Try again later"
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)


def _families(world, n: int) -> list:
    guardians = [world.guardian]
    for i in range(n - 1):
        guardian = GuardianFactory(school=world.school, email=f"family{i}@example.org")
        GuardianLinkFactory(guardian=guardian, pupil=world.pupil)
        guardians.append(guardian)
    return guardians


def _sink(smtp_sink, monkeypatch, **kwargs) -> CountingSink:
    """The test's SMTP server, its handler swapped for a counting one."""
    counting = CountingSink(**kwargs)
    monkeypatch.setattr(smtp_sink, "handle_DATA", counting.handle_DATA)
    return counting


def test_an_events_emails_go_over_one_connection_and_each_family_gets_one(
    world, smtp_sink, monkeypatch, django_capture_on_commit_callbacks
):
    guardians = _families(world, 5)
    sink = _sink(smtp_sink, monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        rows = tell(world.pupil, **DETENTION)

    assert sorted(m["To"] for m in sink.messages) == sorted(g.email for g in guardians)
    assert len(set(sink.peers)) == 1, "one connection for the whole batch"
    # The batch's task delivered again (acks_late) sends nothing twice.
    tasks.notifications_send.delay([row.pk for row in rows])
    assert len(sink.messages) == 5
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert {(d.status, d.attempts) for d in Delivery.objects.all()} == {("sent", 1)}
    for message in sink.messages:
        delivery = Delivery.objects.get(notification__guardian__email=message["To"])
        assert message["Message-ID"] == delivery.provider_id


def test_a_connection_carries_a_bounded_number_of_messages(
    world, smtp_sink, monkeypatch, django_capture_on_commit_callbacks
):
    _families(world, 5)
    sink = _sink(smtp_sink, monkeypatch)
    monkeypatch.setattr(sending, "MESSAGES_PER_CONNECTION", 2)

    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, **DETENTION)

    assert len(sink.messages) == 5
    assert len(set(sink.peers)) == 3


def test_a_refused_message_is_retried_on_its_own_and_the_rest_of_the_batch_goes_out(
    world, smtp_sink, monkeypatch, django_capture_on_commit_callbacks
):
    guardians = _families(world, 4)
    sink = _sink(smtp_sink, monkeypatch, refuse=2)

    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, **DETENTION)

    # Eager tasks: the refused row's retry ran at once, as its own task.
    assert sorted(m["To"] for m in sink.messages) == sorted(g.email for g in guardians)
    attempts = sorted(Delivery.objects.values_list("status", "attempts"))
    assert attempts == [("sent", 1), ("sent", 1), ("sent", 1), ("sent", 2)]
    retried = Delivery.objects.get(attempts=2)
    assert retried.provider_id == sink.messages[-1]["Message-ID"]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert len(set(sink.peers)) == 3, "a failed connection is not reused"


def test_each_guardians_choice_is_honoured_in_a_batch(world, django_capture_on_commit_callbacks):
    digest, off, now = _families(world, 3)
    Preference.objects.create(
        school=world.school, guardian=digest, kind=COMMENDATION, frequency="digest"
    )
    Preference.objects.create(school=world.school, guardian=off, kind=COMMENDATION, frequency="off")

    with django_capture_on_commit_callbacks(execute=True):
        tell(world.pupil, COMMENDATION, reason="Effort")

    assert [m.to for m in mail.outbox] == [[now.email]]
    status = dict(Notification.objects.values_list("guardian_id", "status"))
    assert status == {digest.pk: "digest", off.pk: "skipped", now.pk: "sent"}
    assert not Delivery.objects.exclude(notification__guardian=now).exists()


def test_a_row_another_run_is_sending_is_left_alone(world, django_capture_on_commit_callbacks):
    """A row claimed by an earlier run that died (still 'sending') is not sent again by
    the batch: the sweep decides about it (test_at_least_once.py)."""
    first, second = _families(world, 2)
    with django_capture_on_commit_callbacks(execute=False):
        rows = tell(world.pupil, **DETENTION)
    claimed = next(row for row in rows if row.guardian_id == first.pk)
    Delivery.objects.create(notification=claimed, channel="email", attempts=1)

    results = sending.notifications_send(notification_ids=[row.pk for row in rows])

    assert [m.to for m in mail.outbox] == [[second.email]]
    assert claimed.pk not in results
    claimed.refresh_from_db()
    assert claimed.status == Notification.Status.PENDING
