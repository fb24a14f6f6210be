"""Writes for homework: setting it (for several classes at once), editing, archiving,
pupils handing it in, and teachers marking and returning it."""

import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from school.models import Pupil, School, Subject, TeachingGroup, User

from .formatting import instructions_to_html
from .models import (
    Assignment,
    Attachment,
    CalendarFeed,
    FrequencyRule,
    Homework,
    KeyStagePolicy,
    SchemeOfWorkUnit,
    SubmissionFile,
)
from .selectors import handed_in_assignments


class HomeworkError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""


@dataclass
class HomeworkDetails:
    """What a teacher fills in when setting homework, shared by every class it is set for."""

    title: str
    instructions: str
    set_on: date
    due_at: datetime
    estimated_minutes: int
    submission_mode: str = Homework.SubmissionMode.ONLINE
    resource_links: str = ""
    alternative_instructions: str = ""
    alternative_for_eal: bool = False
    alternative_for_sen: bool = False
    alternative_for_young_carers: bool = False
    alternative_pupil_ids: Sequence[int] = field(default_factory=list)
    unit: SchemeOfWorkUnit | None = None

    def apply_to(self, homework: Homework) -> None:
        for name in (
            "title",
            "instructions",
            "set_on",
            "due_at",
            "estimated_minutes",
            "submission_mode",
            "resource_links",
            "alternative_instructions",
            "alternative_for_eal",
            "alternative_for_sen",
            "alternative_for_young_carers",
            "unit",
        ):
            setattr(homework, name, getattr(self, name))
        homework.instructions_html = instructions_to_html(self.instructions)
        homework.alternative_instructions_html = instructions_to_html(self.alternative_instructions)


def needs_alternative(homework: Homework, pupil: Pupil, chosen_ids: Iterable[int]) -> bool:
    """Whether this pupil sees the alternative version of the task."""
    if not homework.has_alternative:
        return False
    return (
        pupil.pk in set(chosen_ids)
        or (homework.alternative_for_eal and pupil.eal)
        or (homework.alternative_for_sen and bool(pupil.sen))
        or (homework.alternative_for_young_carers and pupil.young_carer)
    )


def _new_assignment(homework: Homework, pupil: Pupil, chosen_ids) -> Assignment:
    return Assignment(
        school_id=homework.school_id,
        homework=homework,
        pupil=pupil,
        due_at=homework.due_at,
        uses_alternative=needs_alternative(homework, pupil, chosen_ids),
    )


def _pupils_by_group(groups: Sequence[TeachingGroup], pupil_ids) -> dict[int, list[Pupil]]:
    through = TeachingGroup.pupils.through.objects.filter(
        teachinggroup_id__in=[g.pk for g in groups]
    ).select_related("pupil")
    if pupil_ids is not None:
        through = through.filter(pupil_id__in=pupil_ids)
    by_group = {group.pk: [] for group in groups}
    for row in through:
        by_group[row.teachinggroup_id].append(row.pupil)
    return by_group


@transaction.atomic
def homework_set(
    *,
    teacher: User,
    teaching_groups: Sequence[TeachingGroup],
    details: HomeworkDetails,
    pupil_ids: Sequence[int] | None = None,
    files: Sequence[UploadedFile] = (),
    as_draft: bool = False,
    copied_from: Homework | None = None,
    new_unit_title: str = "",
    copy_attachments: Sequence[Attachment] = (),
) -> list[Homework]:
    """Set one homework for each of the teacher's chosen classes, for the whole class or
    for the chosen pupils, with each pupil's assignment written in bulk. A new unit title
    makes (or reuses) that scheme-of-work unit; `copy_attachments` (from the homework
    being set again) are attached without storing their files again."""
    if not teaching_groups:
        raise HomeworkError("Choose at least one class.")
    taught = set(teacher.teaching_groups.values_list("pk", flat=True))
    if any(group.pk not in taught for group in teaching_groups):
        raise HomeworkError("You can set homework only for classes you teach.")
    details = _with_unit(details, teaching_groups, new_unit_title)
    if any(a.school_id != teaching_groups[0].school_id for a in copy_attachments):
        raise HomeworkError("Those attachments belong to another school.")
    by_group = _pupils_by_group(teaching_groups, pupil_ids)
    if pupil_ids is not None and not any(by_group.values()):
        raise HomeworkError("Choose at least one pupil from these classes.")

    homeworks = []
    for group in teaching_groups:
        homework = Homework(
            school_id=group.school_id,
            teaching_group=group,
            set_by=teacher,
            status=Homework.Status.DRAFT if as_draft else Homework.Status.SET,
            whole_group=pupil_ids is None,
            copied_from=copied_from,
        )
        details.apply_to(homework)
        homeworks.append(homework)
    Homework.objects.bulk_create(homeworks)

    chosen = set(details.alternative_pupil_ids)
    Homework.alternative_pupils.through.objects.bulk_create(
        Homework.alternative_pupils.through(homework_id=homework.pk, pupil_id=pupil.pk)
        for homework in homeworks
        for pupil in by_group[homework.teaching_group_id]
        if pupil.pk in chosen
    )
    Assignment.objects.bulk_create(
        _new_assignment(homework, pupil, chosen)
        for homework in homeworks
        for pupil in by_group[homework.teaching_group_id]
    )
    _attachments_add(homeworks, files)
    Attachment.objects.bulk_create(
        Attachment(
            school_id=homework.school_id,
            homework=homework,
            file=source.file.name,
            original_name=source.original_name,
            size=source.size,
            content_type=source.content_type,
        )
        for source in copy_attachments
        for homework in homeworks
    )
    return homeworks


def _with_unit(
    details: HomeworkDetails, teaching_groups: Sequence[TeachingGroup], new_unit_title: str
) -> HomeworkDetails:
    """The details with their unit checked against the classes' subject and year, or with
    the unit of that new title."""
    if not (details.unit or new_unit_title.strip()):
        return details
    pairs = {(group.subject_id, group.year_group_id) for group in teaching_groups}
    if len(pairs) > 1:
        raise HomeworkError(
            "A scheme-of-work unit belongs to one subject and year: choose classes of the "
            "same subject and year, or leave the unit empty."
        )
    if new_unit_title.strip():
        unit = unit_get_or_create(teaching_group=teaching_groups[0], title=new_unit_title)
        return replace(details, unit=unit)
    if (details.unit.subject_id, details.unit.year_group_id) not in pairs:
        raise HomeworkError("That unit belongs to another subject or year than these classes.")
    return details


@transaction.atomic
def unit_get_or_create(*, teaching_group: TeachingGroup, title: str) -> SchemeOfWorkUnit:
    """The scheme-of-work unit of the class's subject and year with this title (in any
    letter case), made the first time it is used."""
    title = " ".join(title.split())[:200]
    if not title:
        raise HomeworkError("Give the new unit a title.")
    scope = {
        "school_id": teaching_group.school_id,
        "subject_id": teaching_group.subject_id,
        "year_group_id": teaching_group.year_group_id,
    }
    unit = SchemeOfWorkUnit.objects.filter(title__iexact=title, **scope).first()
    if unit is None:
        unit, _ = SchemeOfWorkUnit.objects.get_or_create(title=title, **scope)
    return unit


def _attachments_add(homeworks: Sequence[Homework], files: Sequence[UploadedFile]) -> None:
    """Store each file once and attach it to every homework of the batch."""
    rows = []
    for upload in files:
        first = Attachment(school_id=homeworks[0].school_id, homework=homeworks[0])
        first.store(upload)
        rows.append(first)
        rows.extend(
            Attachment(
                school_id=homework.school_id,
                homework=homework,
                file=first.file.name,
                original_name=first.original_name,
                size=first.size,
                content_type=first.content_type,
            )
            for homework in homeworks[1:]
        )
    Attachment.objects.bulk_create(rows)


@transaction.atomic
def homework_update(
    *,
    homework: Homework,
    details: HomeworkDetails,
    pupil_ids: Sequence[int] | None = None,
    files: Sequence[UploadedFile] = (),
    remove_attachment_ids: Sequence[int] = (),
    new_unit_title: str = "",
) -> Homework:
    """Change a homework. Pupils taken off it lose their assignment unless they have
    already handed something in; pupils added get one."""
    details = _with_unit(details, [homework.teaching_group], new_unit_title)
    details.apply_to(homework)
    homework.whole_group = pupil_ids is None
    homework.save()
    homework.alternative_pupils.set(
        homework.teaching_group.pupils.filter(pk__in=details.alternative_pupil_ids)
    )
    wanted = _pupils_by_group([homework.teaching_group], pupil_ids)[homework.teaching_group_id]
    wanted_ids = {pupil.pk for pupil in wanted}
    assignments = homework.assignments.all()
    assignments.exclude(pupil_id__in=wanted_ids).filter(
        status=Assignment.Status.SET, submitted_at__isnull=True
    ).delete()
    existing = set(assignments.values_list("pupil_id", flat=True))
    chosen = set(details.alternative_pupil_ids)
    Assignment.objects.bulk_create(
        _new_assignment(homework, pupil, chosen) for pupil in wanted if pupil.pk not in existing
    )
    homework.assignments.update(due_at=homework.due_at, uses_alternative=False)
    if homework.has_alternative:
        eligible = Q(pupil_id__in=chosen)
        if homework.alternative_for_eal:
            eligible |= Q(pupil__eal=True)
        if homework.alternative_for_sen:
            eligible |= ~Q(pupil__sen="")
        if homework.alternative_for_young_carers:
            eligible |= Q(pupil__young_carer=True)
        homework.assignments.filter(eligible).update(uses_alternative=True)
    homework.attachments.filter(pk__in=remove_attachment_ids).delete()
    _attachments_add([homework], files)
    return homework


@transaction.atomic
def homework_publish(*, homework: Homework) -> Homework:
    if homework.status != Homework.Status.DRAFT:
        raise HomeworkError("Only a draft can be set.")
    homework.status = Homework.Status.SET
    homework.save(update_fields=["status", "updated_at"])
    return homework


@transaction.atomic
def homework_delete(*, homework: Homework) -> str:
    """Delete a homework nobody has handed in; archive one with work handed in, so that
    the pupils' work, marks and feedback stay on record. Returns what was done."""
    if handed_in_assignments(homework).exists():
        homework.status = Homework.Status.ARCHIVED
        homework.save(update_fields=["status", "updated_at"])
        return "archived"
    homework.delete()
    return "deleted"


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


@dataclass
class MarkEntry:
    assignment_id: int
    mark: str
    feedback: str


def _refuse_draft(homework: Homework) -> None:
    if homework.status == Homework.Status.DRAFT:
        raise HomeworkError("This homework is still a draft: set it before marking it.")


@transaction.atomic
def marking_save(
    *, teacher: User, homework: Homework, entries: Sequence[MarkEntry], now=None
) -> int:
    """Save marks and feedback for many pupils at once; returns how many changed."""
    _refuse_draft(homework)
    now = now or timezone.now()
    by_id = {
        a.pk: a for a in homework.assignments.filter(pk__in=[e.assignment_id for e in entries])
    }
    changed = []
    for entry in entries:
        assignment = by_id.get(entry.assignment_id)
        if assignment is None:
            continue
        mark, feedback = entry.mark.strip(), entry.feedback.strip()
        if (mark, feedback) == (assignment.mark, assignment.feedback):
            continue
        assignment.mark, assignment.feedback = mark, feedback
        assignment.marked_by, assignment.marked_at = teacher, now
        changed.append(assignment)
    Assignment.objects.bulk_update(changed, ["mark", "feedback", "marked_by", "marked_at"])
    return len(changed)


@transaction.atomic
def assignments_mark_paper(*, homework: Homework, assignment_ids: Sequence[int], now=None) -> int:
    """Record work handed in on paper for the ticked pupils who have not handed anything
    in: work already handed in (online or on paper) keeps its time, and a pupil excused or
    recorded as missed keeps that status."""
    _refuse_draft(homework)
    now = now or timezone.now()
    return homework.assignments.filter(pk__in=assignment_ids, status=Assignment.Status.SET).update(
        status=Assignment.Status.PAPER,
        submitted_at=now,
        is_late=now > homework.due_at,
    )


@transaction.atomic
def homework_return(*, homework: Homework, now=None) -> int:
    """Return marked work: pupils (and their parents) now see the mark and feedback."""
    _refuse_draft(homework)
    now = now or timezone.now()
    return (
        homework.assignments.filter(returned_at__isnull=True)
        .filter(~Q(mark="") | ~Q(feedback=""))
        .update(returned_at=now)
    )


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


DEFAULT_NIGHTLY_CAPS = {3: 90, 4: 120, 5: 180}
CORE_SUBJECT_CODES = ("En", "Ma", "Sc")


@transaction.atomic
def policy_defaults_create(*, school) -> None:
    """Seed 002's guidance: in KS3, English, maths and science weekly and every other
    subject fortnightly, about an hour each; in KS4 and KS5 departments decide."""
    for key_stage, cap in DEFAULT_NIGHTLY_CAPS.items():
        KeyStagePolicy.objects.get_or_create(
            school=school, key_stage=key_stage, defaults={"nightly_cap_minutes": cap}
        )
    FrequencyRule.objects.get_or_create(
        school=school, key_stage=3, subject=None, defaults={"every_weeks": 2, "minutes": 60}
    )
    for subject in Subject.objects.filter(school=school, code__in=CORE_SUBJECT_CODES):
        FrequencyRule.objects.get_or_create(
            school=school, key_stage=3, subject=subject, defaults={"every_weeks": 1, "minutes": 60}
        )
    for key_stage in (4, 5):
        FrequencyRule.objects.get_or_create(
            school=school,
            key_stage=key_stage,
            subject=None,
            defaults={"set_by_department": True, "every_weeks": 1, "minutes": 60},
        )


@dataclass(frozen=True)
class RuleEntry:
    """One frequency rule as a senior leader wants it; subject None: every other subject."""

    key_stage: int
    subject_id: int | None
    every_weeks: int
    minutes: int
    set_by_department: bool = False


@transaction.atomic
def policy_update(*, school, nightly_caps: dict[int, int], rules: Sequence[RuleEntry]) -> None:
    """Replace the school's nightly caps and frequency rules with these, all or nothing.
    Rules are matched by key stage and subject: kept ones are updated, missing ones
    deleted, new ones created."""
    School.objects.select_for_update().filter(pk=school.pk).first()  # one editor at a time
    keys = [(rule.key_stage, rule.subject_id) for rule in rules]
    if len(set(keys)) != len(keys):
        raise HomeworkError("Each key stage may have only one rule per subject.")
    for key_stage in (3, 4, 5):
        if (key_stage, None) not in keys:
            raise HomeworkError(f"KS{key_stage} needs a rule for other subjects.")
    if any(rule.key_stage not in (3, 4, 5) for rule in rules):
        raise HomeworkError("Rules are for KS3, KS4 or KS5.")
    subject_ids = {rule.subject_id for rule in rules if rule.subject_id is not None}
    if len(subject_ids) != Subject.objects.filter(school=school, pk__in=subject_ids).count():
        raise HomeworkError("Choose subjects of your own school.")
    if any(rule.every_weeks < 1 or rule.minutes < 1 for rule in rules) or any(
        minutes < 1 for minutes in nightly_caps.values()
    ):
        raise HomeworkError("Minutes and weeks must be at least 1.")

    for key_stage, minutes in nightly_caps.items():
        KeyStagePolicy.objects.update_or_create(
            school=school, key_stage=key_stage, defaults={"nightly_cap_minutes": minutes}
        )
    existing = {
        (rule.key_stage, rule.subject_id): rule
        for rule in FrequencyRule.objects.filter(school=school)
    }
    wanted = dict(zip(keys, rules, strict=True))
    FrequencyRule.objects.filter(
        pk__in=[rule.pk for key, rule in existing.items() if key not in wanted]
    ).delete()
    changed, created = [], []
    for key, entry in wanted.items():
        row = existing.get(key) or FrequencyRule(
            school=school, key_stage=entry.key_stage, subject_id=entry.subject_id
        )
        values = (entry.every_weeks, entry.minutes, entry.set_by_department)
        if row.pk and values == (row.every_weeks, row.minutes, row.set_by_department):
            continue
        row.every_weeks, row.minutes, row.set_by_department = values
        (changed if row.pk else created).append(row)
    FrequencyRule.objects.bulk_update(changed, ["every_weeks", "minutes", "set_by_department"])
    FrequencyRule.objects.bulk_create(created)
