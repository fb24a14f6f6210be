"""The parents' side's lines of the retention schedule (privacy/registry.py): messages
between families and staff are deleted (threads left without a message go too); a
signature of the home-school agreement stays (that it was signed counts) without the
typed name, address and browser; a weekly sign-off stays without its comment and reply."""

import datetime

from django.db.models import Q, QuerySet

from privacy.registry import RecordKind, register_record_kind
from privacy.retention.events import rows_delete, start_of, year_ended_before
from school.models import School

from .models import Message, PortalVisit, Signature, Thread, WeeklySignOff

OUR_SUGGESTION = "Our suggestion; confirm it with your data protection officer."


def messages_due(school: School, cutoff: datetime.date) -> QuerySet:
    return Message.objects.filter(school=school, sent_at__lt=start_of(school, cutoff))


def messages_apply(rows: QuerySet) -> int:
    thread_ids = set(rows.values_list("thread_id", flat=True))
    deleted = rows_delete(rows)
    Thread.objects.filter(pk__in=thread_ids, messages__isnull=True).delete()
    return deleted


def signatures_due(school: School, cutoff: datetime.date) -> QuerySet:
    return Signature.objects.filter(
        school=school, agreement__academic_year__end_date__lt=cutoff
    ).filter(~Q(typed_name="") | Q(ip_address__isnull=False) | ~Q(user_agent=""))


def portal_visits_due(school: School, cutoff: datetime.date) -> QuerySet:
    return PortalVisit.objects.filter(school=school, day__lt=cutoff)


def sign_offs_due(school: School, cutoff: datetime.date) -> QuerySet:
    return WeeklySignOff.objects.filter(
        school=school, signed_at__lt=year_ended_before(school, cutoff)
    ).filter(~Q(comment="") | ~Q(reply=""))


register_record_kind(
    RecordKind(
        key="parent_messages",
        label="Messages between parents and staff",
        event="the date of the message",
        default_months=24,
        guidance=OUR_SUGGESTION,
        action=(
            "Deleted, with a conversation left without messages. The half-term report's "
            "time to answer a parent no longer counts their conversations."
        ),
        due=messages_due,
        apply=messages_apply,
        pupil_path="thread__pupil",
        order=400,
        covers=(Message, Thread),
    )
)
register_record_kind(
    RecordKind(
        key="agreement_signatures",
        label="Home-school agreement signatures",
        event="the end of the academic year of the agreement",
        default_months=12,
        guidance=OUR_SUGGESTION,
        action=(
            "Anonymised: the typed name, the internet address and the browser are cleared. "
            "That the agreement was signed, by which parent and when, stays."
        ),
        due=signatures_due,
        apply=lambda rows: rows.update(typed_name="", ip_address=None, user_agent=""),
        order=410,
        covers=(Signature,),
    )
)
register_record_kind(
    RecordKind(
        key="weekly_sign_offs",
        label="Weekly sign-offs and their comments",
        event="the end of the academic year of the week",
        default_months=12,
        guidance=OUR_SUGGESTION,
        action=(
            "Anonymised: the parent's comment and the tutor's reply are cleared; that the "
            "week was signed off stays."
        ),
        due=sign_offs_due,
        apply=lambda rows: rows.update(comment="", reply=""),
        order=420,
        covers=(WeeklySignOff,),
    )
)
register_record_kind(
    RecordKind(
        key="portal_visits",
        label="Days parents opened the parents' pages",
        event="the day of the visit",
        default_months=24,
        guidance=OUR_SUGGESTION,
        action=(
            "Deleted. The half-term report's families who opened the parents' pages no "
            "longer count them (two years keep this year's and last year's figures)."
        ),
        due=portal_visits_due,
        apply=rows_delete,
        pupil_path=None,
        order=430,
        covers=(PortalVisit,),
    )
)
