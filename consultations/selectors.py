"""Reads for the consultations' pages: who is asked, what a guardian may answer, results."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from school import access
from school.models import Guardian, GuardianLink, Pupil

from .models import Consultation, PupilGroup

# Each pupil group as a condition on pupils.
GROUP_CONDITIONS = {
    PupilGroup.PUPIL_PREMIUM: Q(pupil_premium=True),
    PupilGroup.FREE_SCHOOL_MEALS: Q(free_school_meals=True),
    PupilGroup.SEN: ~Q(sen=""),
    PupilGroup.EAL: Q(eal=True),
    PupilGroup.YOUNG_CARER: Q(young_carer=True),
}


def pupils_in_audience(consultation: Consultation, *, day: date | None = None) -> QuerySet[Pupil]:
    """The consultation's school's pupils on roll (`day`, default today) in its audience:
    its year or tutor groups (all pupils when it names none) and, when it names pupil
    groups, in at least one of them."""
    day = day or timezone.localdate()
    pupils = Pupil.objects.filter(school_id=consultation.school_id).filter(access.on_roll(day))
    year_ids = consultation.year_groups.through.objects.filter(
        consultation_id=consultation.pk
    ).values("yeargroup_id")
    tutor_ids = consultation.tutor_groups.through.objects.filter(
        consultation_id=consultation.pk
    ).values("tutorgroup_id")
    chosen = Exists(year_ids) | Exists(tutor_ids)
    pupils = pupils.filter(
        ~chosen | Q(year_group_id__in=year_ids) | Q(tutor_group_id__in=tutor_ids)
    )
    groups = [GROUP_CONDITIONS[g] for g in consultation.pupil_groups if g in GROUP_CONDITIONS]
    if groups:
        condition = Q()
        for group in groups:
            condition |= group
        pupils = pupils.filter(condition)
    return pupils


def guardians_asked(consultation: Consultation, *, day: date | None = None) -> QuerySet[Guardian]:
    """The guardians the consultation asks: at its school, linked to a pupil on roll in
    its audience; each once however many of their children are in it."""
    pupils = pupils_in_audience(consultation, day=day)
    return Guardian.objects.filter(school_id=consultation.school_id).filter(
        Exists(GuardianLink.objects.filter(guardian_id=OuterRef("pk"), pupil__in=pupils))
    )
