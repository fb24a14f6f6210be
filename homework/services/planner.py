"""The pupil's side: handing work in online (and changing it until it is returned), and
the secret address of their calendar feed."""

import secrets
from collections.abc import Sequence
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from school.models import User

from ..models import Assignment, CalendarFeed, Homework, SubmissionFile
from . import HomeworkError


def submission_closed_reason(assignment: Assignment) -> str | None:
    """Why this pupil cannot hand in (or change) their work online now, or None if they can."""
    homework = assignment.homework
    if homework.status != Homework.Status.SET:
        return "This homework is no longer open."
    if homework.submission_mode != Homework.SubmissionMode.ONLINE:
        return "This homework is not handed in online."
    if assignment.is_returned:
        return "Your teacher has already returned this homework."
    if assignment.status == Assignment.Status.EXCUSED:
        return "You have been excused from this homework."
    return None


@transaction.atomic
def submission_submit(
    *,
    assignment: Assignment,
    text: str = "",
    files: Sequence[UploadedFile] = (),
    confidence: int | None = None,
    reflection: str = "",
    remove_file_ids: Sequence[int] = (),
    now: datetime | None = None,
) -> Assignment:
    """A pupil hands in online. Late work is accepted and marked late; a pupil may add to
    their work, or take files off it, until the teacher returns it."""
    now = now or timezone.now()
    assignment = (
        Assignment.objects.select_for_update().select_related("homework").get(pk=assignment.pk)
    )
    reason = submission_closed_reason(assignment)
    if reason:
        raise HomeworkError(reason)
    removed = list(assignment.files.filter(pk__in=remove_file_ids)) if remove_file_ids else []
    kept = assignment.files.exclude(pk__in=[row.pk for row in removed])
    if not text.strip() and not files and not kept.exists():
        raise HomeworkError("Write your answer or attach a file before handing in.")
    for row in removed:
        row.delete()
        transaction.on_commit(
            lambda name=row.file.name, storage=row.file.storage: storage.delete(name)
        )
    if assignment.submitted_at is None:
        assignment.submitted_at = now
        assignment.is_late = now > assignment.due_at
    assignment.status = Assignment.Status.SUBMITTED
    assignment.submission_text = text
    assignment.confidence = confidence
    assignment.reflection = reflection
    assignment.save()
    for upload in files:
        row = SubmissionFile(school_id=assignment.school_id, assignment=assignment)
        row.store(upload)
        row.save()
    return assignment


def calendar_feed_for(user: User) -> CalendarFeed:
    """The person's feed, made on first use (safe when two requests make it at once)."""
    feed, _ = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: User) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed, _ = CalendarFeed.objects.select_for_update().get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    feed.token = secrets.token_urlsafe(32)
    feed.save(update_fields=["token"])
    return feed
