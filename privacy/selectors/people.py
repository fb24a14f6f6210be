"""The lead's search for a pupil or a guardian of their school, by name, UPN or email."""

from django.db.models import Q, QuerySet

from school.models import Guardian, Pupil

PEOPLE_PER_PAGE = 25


def pupils_found(school_id: int, words: str) -> QuerySet[Pupil]:
    query = Q()
    for word in words.split():
        query &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(upn__iexact=word)
            | Q(admission_number__iexact=word)
        )
    return (
        Pupil.objects.filter(query, school_id=school_id)
        .select_related("year_group", "tutor_group")
        .order_by("last_name", "first_name", "pk")
    )


def guardians_found(school_id: int, words: str) -> QuerySet[Guardian]:
    query = Q()
    for word in words.split():
        query &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__iexact=word)
            | Q(user__email__iexact=word)
        )
    return Guardian.objects.filter(query, school_id=school_id).order_by(
        "last_name", "first_name", "pk"
    )
