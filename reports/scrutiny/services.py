"""Work scrutiny's writes: the checklist, rounds and their sample, reviews and replies.
Each checks the round is still open under a lock on the round, so a review saved as the
round is closed is refused, not half-kept. The teacher hears of the first review of their
homework, and the reviewer of the teacher's first reply, by email after commit."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from notifications.services import email_queue

from ..models import (
    ScrutinyCriterion,
    ScrutinyRating,
    ScrutinyReview,
    ScrutinyRound,
    ScrutinySample,
)
from ..models.scrutiny import DEFAULT_CRITERIA
from . import ScrutinyError
from .sampling import candidates, draw

CLOSED = "The round is closed: its reviews and replies can no longer be changed."


def new_seed() -> int:
    return secrets.randbits(62)


def criteria_ensure(*, school_id: int) -> None:
    """A school's first visit gives it the default checklist (one query once seeded)."""
    if ScrutinyCriterion.objects.filter(school_id=school_id).exists():
        return
    ScrutinyCriterion.objects.bulk_create(
        [
            ScrutinyCriterion(school_id=school_id, name=name, guidance=guidance, order=i * 10)
            for i, (name, guidance) in enumerate(DEFAULT_CRITERIA, start=1)
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def criterion_save(
    *,
    school_id: int,
    criterion: ScrutinyCriterion | None,
    name: str,
    guidance: str,
    order: int,
    is_active: bool,
) -> ScrutinyCriterion:
    """Adds a criterion, or changes one. Retiring one keeps every rating given with it."""
    criterion = criterion or ScrutinyCriterion(school_id=school_id)
    if criterion.school_id != school_id:
        raise ScrutinyError("That criterion is not your school's.")
    taken = ScrutinyCriterion.objects.filter(school_id=school_id, name__iexact=name)
    if taken.exclude(pk=criterion.pk).exists():
        raise ScrutinyError(f"The checklist already has a criterion named “{name}”.")
    criterion.name = name
    criterion.guidance = guidance
    criterion.order = order
    criterion.is_active = is_active
    criterion.save()
    return criterion


@dataclass(frozen=True)
class RoundDetails:
    title: str
    period_start: datetime.date
    period_end: datetime.date
    sample_by: str
    per_group: int


@transaction.atomic
def round_create(
    *, school_id: int, created_by, details: RoundDetails, subject_ids: list[int], teacher_ids
) -> ScrutinyRound:
    """A round, not yet drawn, with a seed of its own."""
    round = ScrutinyRound.objects.create(
        school_id=school_id,
        title=details.title,
        period_start=details.period_start,
        period_end=details.period_end,
        sample_by=details.sample_by,
        per_group=details.per_group,
        seed=new_seed(),
        created_by=created_by,
    )
    round.subjects.set(subject_ids)
    round.teachers.set(teacher_ids)
    return round


def _locked(round: ScrutinyRound) -> ScrutinyRound:
    return ScrutinyRound.objects.select_for_update().get(pk=round.pk)


@transaction.atomic
def round_draw(*, round: ScrutinyRound, again: bool) -> int:
    """Draws the round's sample from its seed (`again`: from a new seed, replacing the
    sample), before any of it is reviewed; returns how many homework were drawn."""
    round = _locked(round)
    if round.is_closed:
        raise ScrutinyError("The round is closed: its sample can no longer be drawn.")
    if ScrutinyReview.objects.filter(sample__round=round).exists():
        raise ScrutinyError("Homework of this sample has been reviewed: the sample stays as it is.")
    if round.drawn_at is not None and not again:
        raise ScrutinyError("The sample is drawn already.")
    if again:
        round.seed = new_seed()
    rows = candidates(
        round,
        subject_ids=list(round.subjects.values_list("pk", flat=True)),
        teacher_ids=list(round.teachers.values_list("pk", flat=True)),
    )
    drawn = draw(
        rows,
        seed=round.seed,
        per_group=round.per_group,
        by_teacher=round.sample_by == ScrutinyRound.SampleBy.TEACHER,
    )
    ScrutinySample.objects.filter(round=round).delete()
    ScrutinySample.objects.bulk_create(
        [
            ScrutinySample(school_id=round.school_id, round=round, homework_id=pk, position=i)
            for i, pk in enumerate(drawn, start=1)
        ]
    )
    round.drawn_at = timezone.now()
    round.save(update_fields=["seed", "drawn_at"])
    return len(drawn)


@transaction.atomic
def round_close(*, round: ScrutinyRound, close: bool) -> None:
    """Closes the round (its reviews and replies are final) or opens it again."""
    round = _locked(round)
    round.closed_at = timezone.now() if close else None
    round.save(update_fields=["closed_at"])


@transaction.atomic
def review_save(
    *, sample: ScrutinySample, reviewer, ratings: dict[int, str], comment: str
) -> ScrutinyReview:
    """Saves the review of a sampled homework: a rating per criterion given (the active
    ones; a retired criterion's past rating stays) and the comment."""
    if _locked(sample.round).is_closed:
        raise ScrutinyError(CLOSED)
    review, created = ScrutinyReview.objects.update_or_create(
        sample=sample,
        defaults={
            "school_id": sample.school_id,
            "reviewer": reviewer,
            "comment": comment,
            "reviewed_at": timezone.now(),
        },
    )
    ScrutinyRating.objects.filter(review=review, criterion_id__in=list(ratings)).delete()
    ScrutinyRating.objects.bulk_create(
        [
            ScrutinyRating(
                school_id=sample.school_id, review=review, criterion_id=pk, rating=rating
            )
            for pk, rating in ratings.items()
        ]
    )
    if created:
        homework = sample.homework
        _tell(
            homework.set_by,
            "review",
            {"homework": homework, "round": sample.round, "reviewer": reviewer},
            reverse("scrutiny_reply", args=[review.pk]),
        )
    return review


@transaction.atomic
def reply_save(*, review: ScrutinyReview, reply: str) -> None:
    """The teacher's reply to the review of their homework (replacing their last one)."""
    if _locked(review.sample.round).is_closed:
        raise ScrutinyError(CLOSED)
    first = review.replied_at is None
    review.reply = reply
    review.replied_at = timezone.now()
    review.save(update_fields=["reply", "replied_at"])
    if first:
        sample = review.sample
        _tell(
            review.reviewer,
            "reply",
            {"homework": sample.homework, "round": sample.round, "teacher": sample.homework.set_by},
            reverse("scrutiny_sample", args=[sample.pk]),
        )


def _tell(user, template: str, context: dict, path: str) -> None:
    """Emails a member of staff (in the school's language) after commit."""
    if not user.email or not user.is_active:
        return
    context = {**context, "url": settings.SITE_URL.rstrip("/") + path}
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string(f"reports/scrutiny/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"reports/scrutiny/email/{template}.txt", context)
    email_queue(subject=subject, body=body, to=[user.email])
