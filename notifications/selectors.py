"""Reads shaped for the notification pages."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.db.models.expressions import RawSQL

from school.models import Guardian, GuardianLink, Pupil
from school.prepared import Fragment, Param, Prepared

from . import channels
from .models import Channel, Delivery, Notification, Preference


@dataclass
class GuardianRecord:
    guardian: Guardian
    children: list[str] = field(default_factory=list)
    frequencies: dict[str, str] = field(default_factory=dict)


def guardian_records(user) -> list[GuardianRecord]:
    """Each guardian record behind the login (one per school), with the children it is
    linked to and its chosen frequencies: three queries however many records."""
    if not getattr(user, "is_authenticated", False):
        return []
    records = {
        g.pk: GuardianRecord(g)
        for g in Guardian.objects.filter(user=user)
        .select_related("school")
        .order_by("school__name", "pk")
    }
    if not records:
        return []
    links = (
        GuardianLink.objects.filter(guardian_id__in=records)
        .select_related("pupil")
        .order_by("pupil__first_name", "pupil__last_name")
    )
    for link in links:
        records[link.guardian_id].children.append(link.pupil.first_name)
    for guardian_id, kind, frequency in Preference.objects.filter(
        guardian_id__in=records
    ).values_list("guardian_id", "kind", "frequency"):
        records[guardian_id].frequencies[kind] = frequency
    return list(records.values())


@dataclass
class FailedMessage:
    """A message that did not reach a family: its last try, and the other channel it
    could go by (empty when the guardian has no address for it)."""

    notification: Notification
    delivery: Delivery | None
    other_channel: str

    @property
    def other_channel_label(self) -> str:
        return Channel(self.other_channel).label if self.other_channel else ""


FAILED_SHOWN = 50


_FAILED = Prepared(
    lambda: (
        Notification.objects.filter(
            # The school first: its failed messages are read through the (school,
            # status, created) index, never a trust's pupils.
            school_id=Param("school"),
            status=Notification.Status.FAILED,
            pupil__in=Fragment("pupils"),
        )
        .select_related("pupil__tutor_group", "guardian")
        .prefetch_related(
            Prefetch(
                "deliveries",
                queryset=Delivery.objects.order_by("-attempted_at", "-pk"),
                to_attr="tries",
            )
        )
        .order_by("-created_at", "-pk")[: FAILED_SHOWN + 1]
    )
)


def failed_messages(
    pupils: QuerySet[Pupil] | RawSQL, *, school_id: int
) -> tuple[list[FailedMessage], bool]:
    """The newest FAILED_SHOWN messages about these pupils of the school (a queryset of
    them, or the SQL of their ids) that did not reach their family, and whether there are
    more: two queries, however many."""
    rows = _FAILED.list(school=school_id, pupils=pupils)
    failed = []
    for notification in rows[:FAILED_SHOWN]:
        last = notification.tries[0] if notification.tries else None
        tried = last.channel if last else channels.channel_for(notification.guardian)
        other = Channel.SMS if tried == Channel.EMAIL else Channel.EMAIL
        usable = channels.address_of(notification.guardian, other)
        failed.append(FailedMessage(notification, last, other if usable else ""))
    return failed, len(rows) > FAILED_SHOWN
