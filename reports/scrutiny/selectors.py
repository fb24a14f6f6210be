"""Work scrutiny's reads, shaped for its pages, each a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from homework.models import Assignment, Attachment

from ..models import ScrutinyCriterion, ScrutinyRating, ScrutinyReview, ScrutinyRound
from ..models import ScrutinySample as Sample
from . import access

FEEDBACK_SHOWN = 5


def criteria_of(school_id: int, *, active_only: bool = False) -> list[ScrutinyCriterion]:
    criteria = ScrutinyCriterion.objects.filter(school_id=school_id)
    if active_only:
        criteria = criteria.filter(is_active=True)
    return list(criteria.order_by("order", "name"))


def rounds_for_list(user) -> list[ScrutinyRound]:
    """The rounds this leader sees, newest period first, each with how many of its sampled
    homework (of the leader's subjects) there are, are reviewed and have a reply (one
    query)."""
    subject_ids = access.led_subject_ids(user)
    mine = (
        Q()
        if subject_ids is None
        else Q(samples__homework__teaching_group__subject_id__in=subject_ids)
    )
    return list(
        access.rounds_visible_to(user)
        .annotate(
            sampled=Count("samples", filter=mine, distinct=True),
            reviewed=Count("samples__review", filter=mine, distinct=True),
            replied=Count(
                "samples__review",
                filter=mine & Q(samples__review__replied_at__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-period_start", "-pk")
    )


def samples_of(user, round: ScrutinyRound) -> list[Sample]:
    """The round's sampled homework this leader sees, by department, teacher and date,
    with its review if any (one query)."""
    return list(
        access.samples_visible_to(user)
        .filter(round=round)
        .select_related("homework__teaching_group__subject", "homework__set_by", "review__reviewer")
        .order_by(
            "homework__teaching_group__subject__name",
            "homework__set_by__last_name",
            "homework__set_by__first_name",
            "homework__set_on",
            "pk",
        )
    )


def sample_for_page(user, sample_id: int) -> Sample | None:
    return (
        access.samples_visible_to(user)
        .select_related(
            "round",
            "homework__teaching_group__subject",
            "homework__teaching_group__year_group",
            "homework__set_by",
            "homework__unit",
            "review__reviewer",
        )
        .filter(pk=sample_id)
        .first()
    )


@dataclass(frozen=True)
class Marking:
    given: int
    handed_in: int
    marked: int
    with_feedback: int
    returned: int
    feedback: list[str]


def marking_of(homework) -> Marking:
    """How the homework was marked: how many pupils it was given to, handed it in, were
    marked, given feedback and had it returned, and a few of the feedback comments
    (two queries)."""
    assignments = Assignment.objects.filter(school_id=homework.school_id, homework=homework)
    counts = assignments.aggregate(
        given=Count("pk"),
        handed_in=Count(
            "pk", filter=Q(status__in=[Assignment.Status.SUBMITTED, Assignment.Status.PAPER])
        ),
        marked=Count("pk", filter=Q(marked_at__isnull=False)),
        with_feedback=Count("pk", filter=~Q(feedback="")),
        returned=Count("pk", filter=Q(returned_at__isnull=False)),
    )
    feedback = list(
        assignments.exclude(feedback="")
        .order_by("marked_at", "pk")
        .values_list("feedback", flat=True)[:FEEDBACK_SHOWN]
    )
    return Marking(**counts, feedback=feedback)


def attachments_of(homework) -> list[Attachment]:
    return list(Attachment.objects.filter(school_id=homework.school_id, homework=homework))


def ratings_of(review: ScrutinyReview | None) -> list[ScrutinyRating]:
    """The review's ratings in the checklist's order, retired criteria too (one query)."""
    if review is None:
        return []
    return list(
        ScrutinyRating.objects.filter(school_id=review.school_id, review=review)
        .select_related("criterion")
        .order_by("criterion__order", "criterion__name")
    )


def own_reviews_for_list(user) -> QuerySet[ScrutinyReview]:
    """The reviews of this teacher's homework, newest first, with their ratings (two
    queries)."""
    return (
        access.own_reviews(user)
        .select_related("sample__round", "sample__homework__teaching_group__subject", "reviewer")
        .prefetch_related(
            Prefetch(
                "ratings",
                ScrutinyRating.objects.select_related("criterion").order_by(
                    "criterion__order", "criterion__name"
                ),
            )
        )
        .order_by("-reviewed_at", "-pk")
    )
