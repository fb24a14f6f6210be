"""The demo school's escalation policy (seed 001's ladder), and clearing the sanctions
rows, which hold on to pupils and homework, before the demo school is rebuilt."""

from django.db.models import Q

from notifications.models import Notification

from . import services
from .models import AuditEntry, EscalationPolicy, Miss, PupilEscalation, Sanction


def demo_sanctions_build(*, school, rng, today, stdout=None) -> None:
    services.policy_current(school=school)


def demo_sanctions_delete(*, schools) -> None:
    in_demo = Q(school_id__in=[school.pk for school in schools])
    AuditEntry.objects.filter(in_demo).delete()
    Miss.objects.filter(in_demo).delete()
    Sanction.objects.filter(in_demo).delete()
    PupilEscalation.objects.filter(in_demo).delete()
    EscalationPolicy.objects.filter(in_demo).delete()
    Notification.objects.filter(in_demo).delete()
