"""Sanctions' lines of the retention schedule (privacy/registry.py): misses, sanctions
and their meetings, detention registers, rewards, and the audit trail. Misses, sanctions,
bookings and meetings stay (the half-term figures count them); the words written about
the pupil go. The audit trail is deleted."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from privacy.registry import RecordKind, register_record_kind
from privacy.retention.events import (
    first_year_not_ended,
    rows_delete,
    start_of,
    year_ended_before,
)
from school.models import School

from .models import AuditEntry, Commendation, DetentionBooking, Meeting, Miss, Sanction

OUR_SUGGESTION = "Our suggestion; confirm it with your data protection officer."


def misses_due(school: School, cutoff: datetime.date) -> QuerySet:
    return Miss.objects.filter(school=school, academic_year__end_date__lt=cutoff).filter(
        ~Q(reason="") | ~Q(change_reason="")
    )


def misses_apply(rows: QuerySet) -> int:
    return rows.update(reason="", change_reason="")


def sanctions_due(school: School, cutoff: datetime.date) -> QuerySet:
    meeting_words = Meeting.objects.filter(sanction=OuterRef("pk")).filter(
        ~Q(outcome="") | ~Q(place="")
    )
    return (
        Sanction.objects.filter(school=school, academic_year__end_date__lt=cutoff)
        .annotate(meeting_words=Exists(meeting_words))
        .filter(~Q(cancel_reason="") | Q(meeting_words=True))
    )


def sanctions_apply(rows: QuerySet) -> int:
    ids = list(rows.values_list("pk", flat=True))
    Meeting.objects.filter(sanction_id__in=ids).update(outcome="", place="")
    Sanction.objects.filter(pk__in=ids).update(cancel_reason="")
    return len(ids)


def registers_due(school: School, cutoff: datetime.date) -> QuerySet:
    return DetentionBooking.objects.filter(
        school=school, session__date__lt=first_year_not_ended(school, cutoff)
    ).exclude(notes="")


def commendations_due(school: School, cutoff: datetime.date) -> QuerySet:
    return Commendation.objects.filter(
        school=school, awarded_at__lt=year_ended_before(school, cutoff)
    ).exclude(note="")


def audit_due(school: School, cutoff: datetime.date) -> QuerySet:
    return AuditEntry.objects.filter(school=school, at__lt=start_of(school, cutoff))


register_record_kind(
    RecordKind(
        key="misses",
        label="Missed homework",
        event="the end of the academic year of the miss",
        default_months=12,
        guidance=(
            "Kept as long as the homework itself (the IRMS toolkit for schools suggests the "
            "current year plus one year for pupils' work). " + OUR_SUGGESTION
        ),
        action=(
            "Anonymised: the reason given for the miss and for any change to it are "
            "cleared. The miss stays (counted, excused or recorded in error), so the "
            "half-term figures stay the same."
        ),
        due=misses_due,
        apply=misses_apply,
        order=200,
        covers=(Miss,),
    )
)
register_record_kind(
    RecordKind(
        key="sanctions",
        label="Sanctions and meetings",
        event="the end of the academic year of the sanction",
        default_months=12,
        guidance=OUR_SUGGESTION,
        action=(
            "Anonymised: the reason a sanction was cancelled, and a meeting's place and "
            "outcome, are cleared. Sanctions and meetings stay with their status, so the "
            "half-term figures stay the same."
        ),
        due=sanctions_due,
        apply=sanctions_apply,
        order=210,
        covers=(Sanction, Meeting),
    )
)
register_record_kind(
    RecordKind(
        key="detention_registers",
        label="Detention registers",
        event="the end of the academic year of the session",
        default_months=12,
        guidance=OUR_SUGGESTION,
        action=(
            "Anonymised: the notes taken at the session are cleared. Who was booked and "
            "whether they came stay, so the half-term figures stay the same."
        ),
        due=registers_due,
        apply=lambda rows: rows.update(notes=""),
        pupil_path="sanction__pupil",
        order=220,
        covers=(DetentionBooking,),
    )
)
register_record_kind(
    RecordKind(
        key="commendations",
        label="Commendations and positive contacts home",
        event="the end of the academic year of the reward",
        default_months=12,
        guidance=OUR_SUGGESTION,
        action=(
            "Anonymised: the note written with the reward is cleared; the reward and its "
            "reason stay."
        ),
        due=commendations_due,
        apply=lambda rows: rows.update(note=""),
        order=230,
        covers=(Commendation,),
    )
)
register_record_kind(
    RecordKind(
        key="sanctions_audit",
        label="Audit trail of misses and sanctions",
        event="the date of the entry",
        default_months=24,
        guidance=(
            "The trail answers a challenge to a miss or a sanction while it matters; after "
            "two years the miss and the sanction stay, anonymised, without it. " + OUR_SUGGESTION
        ),
        action=(
            "Deleted, not just cleared: an entry says who changed a pupil's miss or "
            "sanction and why, and without its reason it would be of no use. No half-term "
            "figure counts these entries."
        ),
        due=audit_due,
        apply=rows_delete,
        order=240,
        covers=(AuditEntry,),
    )
)
