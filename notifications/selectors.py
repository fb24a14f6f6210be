"""Reads shaped for the notification pages."""

from dataclasses import dataclass, field

from school.models import Guardian, GuardianLink

from .models import Preference


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
