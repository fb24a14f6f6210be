"""Reads for the escalation policy page."""

from ..models import EscalationPolicy


def policy_versions(school_id: int) -> list[EscalationPolicy]:
    """Every version of the school's ladder, newest (the current one) first, with its
    steps and author: two queries however many versions and steps."""
    return list(
        EscalationPolicy.objects.filter(school_id=school_id)
        .select_related("created_by")
        .prefetch_related("steps")
        .order_by("-version")
    )
