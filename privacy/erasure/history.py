"""The change history of a pupil's or a guardian's record as the data protection lead
reads it: the latest changes on their page (a panel), every change as CSV."""

from django.db.models import QuerySet

from school.models import Guardian, PersonChange, Pupil

LATEST = 20
CSV_HEADER = ["When", "Field", "Was", "Became", "Changed by", "How"]


def person_changes(*, pupil: Pupil | None = None, guardian: Guardian | None = None) -> QuerySet:
    """Every change of the person's record, newest first, with who made it."""
    person = {"pupil": pupil} if pupil is not None else {"guardian": guardian}
    return (
        PersonChange.objects.filter(school_id=(pupil or guardian).school_id, **person)
        .select_related("changed_by")
        .order_by("-changed_at", "-pk")
    )


def changed_by_shown(change: PersonChange) -> str:
    user = change.changed_by
    if user is None:
        return "The product" if change.source != PersonChange.Source.IMPORT else "MIS import"
    return user.get_full_name() or user.email
