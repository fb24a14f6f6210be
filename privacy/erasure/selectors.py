"""Reads for the erasure pages."""

from django.db.models import Exists, OuterRef, QuerySet

from school.models import Guardian, GuardianLink


def guardians_unlinked(school_id: int) -> QuerySet:
    """The school's guardian records, not erased, that no child is linked to any more:
    the parents removed from a pupil, whom the lead may erase."""
    return (
        Guardian.objects.filter(school_id=school_id, erased_at__isnull=True)
        .exclude(Exists(GuardianLink.objects.filter(guardian=OuterRef("pk"))))
        .order_by("last_name", "first_name", "pk")
    )


def guardian_children(guardian: Guardian) -> list[GuardianLink]:
    return list(
        guardian.links.select_related("pupil").order_by("pupil__last_name", "pupil__first_name")
    )
