"""The daily job reminds the families who have not answered, two days before a
consultation closes, once."""

from consultations import notices, services
from consultations.models import Question
from consultations.tasks import closing_reminders_send
from notifications.models import Notification

from .conftest import consultation_build


def test_two_days_before_it_closes_the_families_not_answering_are_reminded_once(world):
    consultation = consultation_build(world, closes_in=2)
    consultation_build(world, closes_in=3)  # not yet
    consultation_build(world, opens_in=1, closes_in=2)  # not open yet: nothing to remind
    services.response_save(
        consultation=consultation,
        guardian_id=world.guardian.pk,
        answers={consultation.q[Question.Kind.SCALE].pk: "3"},
        language="en-gb",
    )
    assert closing_reminders_send() == 1
    reminders = Notification.objects.filter(kind=notices.CONSULTATION_REMINDER)
    assert list(reminders.values_list("guardian_id", flat=True)) == [world.other_guardian.pk]
    assert closing_reminders_send() == 0
    assert reminders.count() == 1


def test_a_leaders_reminder_the_day_before_is_not_repeated(world):
    consultation = consultation_build(world, closes_in=2)
    services.reminders_send(consultation=consultation, actor=world.senior_leader)
    assert closing_reminders_send() == 0
    assert Notification.objects.filter(kind=notices.CONSULTATION_REMINDER).count() == 2


def test_beat_runs_it_daily(settings):
    from homework_mgmt.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["consultations-closing-reminders"]
    assert entry["task"] == closing_reminders_send.name
    assert closing_reminders_send.name in app.tasks
