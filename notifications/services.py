from django.db import transaction

from school.models import GuardianLink

from .models import Notification
from .tasks import send_email_message


def email_queue(*, subject: str, body: str, to: list[str], html_body: str | None = None) -> None:
    """Queue an email for the worker once the surrounding transaction has committed."""
    transaction.on_commit(
        lambda: send_email_message.delay(subject=subject, body=body, to=to, html_body=html_body)
    )


def notifications_queue(*, events) -> int:
    """Write one outbox row per guardian with parental responsibility for each event,
    in the caller's transaction. `events` are (pupil_id, kind, context) triples; returns
    how many rows were written (two queries, however many events)."""
    events = list(events)
    links = GuardianLink.objects.filter(
        pupil_id__in={pupil_id for pupil_id, _, _ in events}, parental_responsibility=True
    ).values_list("pupil_id", "guardian_id", "guardian__school_id")
    guardians_of = {}
    for pupil_id, guardian_id, school_id in links:
        guardians_of.setdefault(pupil_id, []).append((guardian_id, school_id))
    rows = [
        Notification(
            school_id=school_id,
            guardian_id=guardian_id,
            pupil_id=pupil_id,
            kind=kind,
            context=context,
        )
        for pupil_id, kind, context in events
        for guardian_id, school_id in guardians_of.get(pupil_id, [])
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)
