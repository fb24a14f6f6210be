"""The consultations' scheduled job (celery beat): a reminder before a consultation closes."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from school.calendar import school_time_zone

from . import services
from .models import Consultation

REMIND_BEFORE_CLOSING = timedelta(days=2)


@shared_task
def closing_reminders_send(now=None) -> int:
    """Daily (celery beat): two days before a consultation closes, by its school's clock,
    the families asked who have not answered yet are reminded, unless a leader reminded
    them in the last two days. Returns how many families were reminded."""
    now = now or timezone.now()
    day = now.date()
    families = 0
    closing = Consultation.objects.filter(
        status=Consultation.Status.SENT,
        closes_on__gte=day + REMIND_BEFORE_CLOSING - timedelta(days=1),
        closes_on__lte=day + REMIND_BEFORE_CLOSING + timedelta(days=1),
    ).select_related("school")
    for consultation in closing.order_by("pk"):
        with school_time_zone(consultation.school):
            if consultation.closes_on != timezone.localdate(now) + REMIND_BEFORE_CLOSING:
                continue
            try:
                reminded = services.reminders_send(consultation=consultation, actor=None, now=now)
            except services.ConsultationError:  # not open yet: nothing to remind of
                continue
            families += reminded.families
    return families
