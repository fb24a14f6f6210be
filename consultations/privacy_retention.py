"""Consultations' line of the retention schedule (privacy/registry.py): once a
consultation has been closed for the school's period, its answers are deleted with the
record of who gave them; its questions and "you said, we did" stay."""

import datetime

from django.db.models import QuerySet

from privacy.registry import RecordKind, register_record_kind
from privacy.retention.events import rows_delete
from school.models import School

from .models import Answer, Response

OUR_SUGGESTION = "Our suggestion; confirm it with your data protection officer."


def responses_due(school: School, cutoff: datetime.date) -> QuerySet:
    return Response.objects.filter(school=school, consultation__closes_on__lt=cutoff)


register_record_kind(
    RecordKind(
        key="consultation_answers",
        label="Parents' answers to consultations",
        event="the day the consultation closed",
        default_months=24,
        guidance=OUR_SUGGESTION,
        action=(
            "Deleted, with who answered. The consultation, its questions and what the "
            "school said it changed stay; no half-term figure counts old answers."
        ),
        due=responses_due,
        apply=rows_delete,
        pupil_path=None,
        order=430,
        covers=(Response, Answer),
    )
)
