"""Seeding the demo school writes parents' notifications as its term's history: they are
marked sent when they were written, and nothing is delivered to the invented addresses."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db.models import Count

from notifications.models import Delivery, Notification
from sanctions.notices import MISSED_DEADLINE


@pytest.mark.django_db(transaction=True)
def test_the_demo_outbox_is_history_not_mail_to_send():
    call_command("seed_demo", "--pupils", "40", "--force", verbosity=0)

    written = Notification.objects.all()
    assert written.exists()
    assert set(written.values_list("status", flat=True)) == {Notification.Status.SENT}
    assert not written.filter(sent_at__isnull=True).exists()
    assert not Delivery.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_each_event_of_the_demo_term_keeps_its_own_message():
    # The whole term is seeded in one transaction, but each miss recorded in it is an
    # event of its own: a family hears of each (notifications/services.py, events).
    call_command("seed_demo", "--pupils", "40", "--force", verbosity=0)

    most = (
        Notification.objects.filter(kind=MISSED_DEADLINE)
        .values("guardian_id", "pupil_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert most["n"] > 1


@pytest.mark.django_db(transaction=True)
def test_seeding_queues_no_delivery_for_the_terms_history(monkeypatch):
    from notifications import tasks

    queued = []
    monkeypatch.setattr(
        tasks.notifications_send, "apply_async", lambda *args, **kwargs: queued.append(args)
    )

    call_command("seed_demo", "--pupils", "40", "--force", verbosity=0)

    assert Notification.objects.exists()
    assert queued == []
