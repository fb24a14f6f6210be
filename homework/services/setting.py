"""Setting homework: for several of a teacher's classes at once, with chosen pupils, an
alternative version, a scheme-of-work unit and attachments; editing it, setting a draft,
and deleting it (or archiving it once work is handed in)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from school import access
from school.models import Pupil, TeachingGroup, User

from ..formatting import instructions_to_html
from ..models import Assignment, Attachment, Homework, SchemeOfWorkUnit
from ..selectors.setting import handed_in_assignments
from . import HomeworkError


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
    help_at_home: str = ""
    help_at_home_pl: str = ""
    help_at_home_ur: str = ""
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
            "help_at_home",
            "help_at_home_pl",
            "help_at_home_ur",
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


def _on_roll_day(set_on: date) -> date:
    """The day a pupil must still be on roll to be given homework: today, or the day it
    is set when that is later (a leaver is never given new homework)."""
    return max(timezone.localdate(), set_on)


def _pupils_by_group(
    groups: Sequence[TeachingGroup], pupil_ids, *, day: date
) -> dict[int, list[Pupil]]:
    through = (
        TeachingGroup.pupils.through.objects.filter(teachinggroup_id__in=[g.pk for g in groups])
        .filter(access.on_roll(day, "pupil"))
        .select_related("pupil")
    )
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
    _refuse_archived(teaching_groups)
    details = _with_unit(details, teaching_groups, new_unit_title)
    if any(a.school_id != teaching_groups[0].school_id for a in copy_attachments):
        raise HomeworkError("Those attachments belong to another school.")
    by_group = _pupils_by_group(teaching_groups, pupil_ids, day=_on_roll_day(details.set_on))
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


def _refuse_archived(groups: Sequence[TeachingGroup]) -> None:
    """Classes archived by a new academic year are read-only: they stay in history, and no
    homework is set, changed or published for them."""
    archived = [group.name for group in groups if group.archived_on is not None]
    if archived:
        names = ", ".join(archived)
        raise HomeworkError(
            f"{names} {'is an archived class' if len(archived) == 1 else 'are archived classes'}"
            " of a past academic year: homework can no longer be set or changed for "
            f"{'it' if len(archived) == 1 else 'them'}. Choose a class of this year."
        )


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
    already handed something in; pupils added get one. A pupil who has left keeps the
    assignment they had and is never given a new one."""
    _refuse_archived([homework.teaching_group])
    details = _with_unit(details, [homework.teaching_group], new_unit_title)
    details.apply_to(homework)
    homework.whole_group = pupil_ids is None
    homework.save()
    day = _on_roll_day(homework.set_on)
    on_roll = access.on_roll(day, "pupil")
    # A leaver's assignment stays as it was: the form no longer lists them.
    homework.alternative_pupils.set(
        list(homework.teaching_group.pupils.filter(pk__in=details.alternative_pupil_ids))
        + list(homework.alternative_pupils.exclude(access.on_roll(day)))
    )
    wanted = _pupils_by_group([homework.teaching_group], pupil_ids, day=day)[
        homework.teaching_group_id
    ]
    wanted_ids = {pupil.pk for pupil in wanted}
    assignments = homework.assignments.all()
    assignments.exclude(pupil_id__in=wanted_ids).filter(on_roll).filter(
        status=Assignment.Status.SET, submitted_at__isnull=True
    ).delete()
    existing = set(assignments.values_list("pupil_id", flat=True))
    chosen = set(details.alternative_pupil_ids)
    Assignment.objects.bulk_create(
        _new_assignment(homework, pupil, chosen) for pupil in wanted if pupil.pk not in existing
    )
    homework.assignments.filter(on_roll).update(due_at=homework.due_at, uses_alternative=False)
    if homework.has_alternative:
        eligible = Q(pupil_id__in=chosen)
        if homework.alternative_for_eal:
            eligible |= Q(pupil__eal=True)
        if homework.alternative_for_sen:
            eligible |= ~Q(pupil__sen="")
        if homework.alternative_for_young_carers:
            eligible |= Q(pupil__young_carer=True)
        homework.assignments.filter(on_roll).filter(eligible).update(uses_alternative=True)
    homework.attachments.filter(pk__in=remove_attachment_ids).delete()
    _attachments_add([homework], files)
    return homework


@transaction.atomic
def homework_publish(*, homework: Homework) -> Homework:
    """Set a draft. Pupils who have left since it was drafted are not given it (their
    draft assignments go, as nothing can have been handed in for a draft)."""
    if homework.status != Homework.Status.DRAFT:
        raise HomeworkError("Only a draft can be set.")
    _refuse_archived([homework.teaching_group])
    homework.status = Homework.Status.SET
    homework.save(update_fields=["status", "updated_at"])
    homework.assignments.exclude(access.on_roll(_on_roll_day(homework.set_on), "pupil")).filter(
        status=Assignment.Status.SET, submitted_at__isnull=True
    ).delete()
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
