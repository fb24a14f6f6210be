"""The escalation engine: recording, voiding and excusing missed deadlines, and turning
each completed cycle of misses into the policy's next sanction.

Invariant: for each pupil and academic year, exactly one live (not cancelled) sanction
per completed cycle, and cycles are numbered 1..k without gaps. Every change locks the
pupils' PupilEscalation rows first (in pupil order, so two requests never deadlock), and a
partial unique constraint backs the rule in the database."""

from collections import defaultdict
from collections.abc import Sequence
from typing import NamedTuple

from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from homework.models import Assignment, Homework
from notifications.notices import COMMENDATION
from notifications.services import notifications_queue
from school.calendar import academic_year_for
from school.models import AcademicYear, Pupil, RoleAssignment, School, User

from . import scheduling
from .models import (
    AuditEntry,
    Commendation,
    EscalationPolicy,
    EscalationStep,
    Meeting,
    MeetingWith,
    Miss,
    PupilEscalation,
    Sanction,
)
from .notices import (
    MEETING_CANCELLED,
    MISSED_DEADLINE,
    SANCTION_CANCELLED,
    SANCTION_DUE,
    about_miss,
    about_sanction,
)


class SanctionError(Exception):
    """A request the rules refuse; the message is shown to the person as it is."""


# Seed 001's ladder: a detention; then with a tutor meeting; then with the head of house;
# then with the head of year, repeating from there.
DEFAULT_STEPS = [
    (60, MeetingWith.NONE),
    (60, MeetingWith.FORM_TUTOR),
    (60, MeetingWith.HEAD_OF_HOUSE),
    (60, MeetingWith.HEAD_OF_YEAR),
]


def _policy_read(school: School) -> EscalationPolicy | None:
    return (
        EscalationPolicy.objects.filter(school=school, is_current=True)
        .prefetch_related("steps")
        .first()
    )


@transaction.atomic
def policy_current(*, school: School) -> EscalationPolicy:
    """The school's current ladder, created from seed 001's defaults the first time. Two
    requests creating it at the same moment both get the one that was written."""
    policy = _policy_read(school)
    if policy:
        return policy
    try:
        with transaction.atomic():  # a savepoint: the other request's insert may win
            policy = EscalationPolicy.objects.create(school=school, version=1)
            EscalationStep.objects.bulk_create(
                EscalationStep(
                    policy=policy, number=n, detention_minutes=minutes, meeting_with=meeting
                )
                for n, (minutes, meeting) in enumerate(DEFAULT_STEPS, start=1)
            )
    except IntegrityError:
        pass
    return _policy_read(school)


class PolicyStep(NamedTuple):
    detention_minutes: int
    meeting_with: str
    parents_invited: bool

    def normalised(self) -> "PolicyStep":
        """Parents are only ever invited to a meeting: without one the flag means nothing."""
        return self._replace(parents_invited=bool(self.meeting_with and self.parents_invited))


POLICY_CHANGED_ELSEWHERE = (
    "Someone else changed the policy while you were editing it, so your changes were not "
    "saved. Check the current ladder below and make your changes again."
)


def _ladder(policy: EscalationPolicy) -> tuple:
    return (
        policy.misses_per_cycle,
        policy.minimum_notice_hours,
        policy.weekend_sessions_allowed,
        tuple(
            PolicyStep(s.detention_minutes, s.meeting_with, s.parents_invited).normalised()
            for s in policy.steps.all()
        ),
    )


@transaction.atomic
def policy_update(
    *,
    school: School,
    actor: User,
    misses_per_cycle: int,
    minimum_notice_hours: int,
    weekend_sessions_allowed: bool,
    steps: Sequence[PolicyStep],
    based_on_version: int | None = None,
) -> EscalationPolicy | None:
    """Write the ladder as a new version and make it current; sanctions already given keep
    the version they came from, so the change applies to cycles completed from now on.
    Returns None, writing nothing, when nothing differs from the current version.
    `based_on_version` is the version the person edited: if another senior leader saved
    in between (or is saving at this moment) the change is refused, never merged."""
    steps = [PolicyStep(*step).normalised() for step in steps]
    if not steps:
        raise SanctionError("Keep at least one step on the ladder.")
    if misses_per_cycle < 1:
        raise SanctionError("A cycle needs at least one missed deadline.")
    try:
        policy_current(school=school)  # the defaults, the first time
    except IntegrityError:
        raise SanctionError(POLICY_CHANGED_ELSEWHERE) from None
    # A second request waiting on this lock finds no current row once the first commits.
    current = (
        EscalationPolicy.objects.select_for_update()
        .filter(school=school, is_current=True)
        .prefetch_related("steps")
        .first()
    )
    if current is None or based_on_version not in (None, current.version):
        raise SanctionError(POLICY_CHANGED_ELSEWHERE)
    wanted = (misses_per_cycle, minimum_notice_hours, weekend_sessions_allowed, tuple(steps))
    if wanted == _ladder(current):
        return None
    try:
        with transaction.atomic():
            EscalationPolicy.objects.filter(pk=current.pk).update(is_current=False)
            policy = EscalationPolicy.objects.create(
                school=school,
                version=current.version + 1,
                misses_per_cycle=misses_per_cycle,
                minimum_notice_hours=minimum_notice_hours,
                weekend_sessions_allowed=weekend_sessions_allowed,
                created_by=actor,
            )
            EscalationStep.objects.bulk_create(
                EscalationStep(
                    policy=policy,
                    number=number,
                    detention_minutes=step.detention_minutes,
                    meeting_with=step.meeting_with,
                    parents_invited=step.parents_invited,
                )
                for number, step in enumerate(steps, start=1)
            )
    except IntegrityError:
        # The unique (school, version) and one-current constraints: a concurrent save won.
        raise SanctionError(POLICY_CHANGED_ELSEWHERE) from None
    return policy


def _escalation_year(school_id: int, day) -> AcademicYear:
    """The year whose ladder a miss on `day` climbs (school.calendar's rule)."""
    year = academic_year_for(school_id, day)
    if year is None:
        raise SanctionError("No academic year covers this date: ask the school office to add it.")
    return year


def _lock_pupils(school_id: int, year: AcademicYear, pupil_ids) -> None:
    pupil_ids = sorted(set(pupil_ids))
    PupilEscalation.objects.bulk_create(
        [
            PupilEscalation(school_id=school_id, pupil_id=pid, academic_year=year)
            for pid in pupil_ids
        ],
        ignore_conflicts=True,
    )
    list(
        PupilEscalation.objects.select_for_update()
        .filter(academic_year=year, pupil_id__in=pupil_ids)
        .order_by("pupil_id")
        .values_list("pk", flat=True)
    )


def _audit(rows, *, actor, at, action, reason="", misses=(), sanctions=()):
    rows.extend(
        AuditEntry(
            school_id=miss.school_id,
            at=at,
            actor=actor,
            pupil_id=miss.pupil_id,
            action=action,
            miss=miss,
            reason=reason,
        )
        for miss in misses
    )
    rows.extend(
        AuditEntry(
            school_id=sanction.school_id,
            at=at,
            actor=actor,
            pupil_id=sanction.pupil_id,
            action=action,
            sanction=sanction,
            reason=reason,
        )
        for sanction in sanctions
    )


def _cycles_complete(
    *, school_id: int, year: AcademicYear, pupil_ids, actor, now, audit, events
) -> list[Sanction]:
    """Group each pupil's open counted misses, oldest first, into complete cycles and give
    each cycle a sanction at the lowest free cycle number. Locks must already be held."""
    policy = policy_current(school=School(pk=school_id))
    size = policy.misses_per_cycle
    open_misses = defaultdict(list)
    for miss in Miss.objects.filter(
        academic_year=year,
        pupil_id__in=pupil_ids,
        status=Miss.Status.COUNTED,
        sanction__isnull=True,
    ).order_by("recorded_at", "pk"):
        open_misses[miss.pupil_id].append(miss)
    taken = defaultdict(set)
    for pupil_id, cycle in (
        Sanction.objects.filter(academic_year=year, pupil_id__in=pupil_ids)
        .exclude(status=Sanction.Status.CANCELLED)
        .values_list("pupil_id", "cycle")
    ):
        taken[pupil_id].add(cycle)

    new_sanctions, grouped = [], []
    for pupil_id, misses in open_misses.items():
        while len(misses) >= size:
            cycle = next(n for n in range(1, len(taken[pupil_id]) + 2) if n not in taken[pupil_id])
            taken[pupil_id].add(cycle)
            step = policy.step_for(cycle)
            sanction = Sanction(
                school_id=school_id,
                pupil_id=pupil_id,
                academic_year=year,
                cycle=cycle,
                policy=policy,
                step_number=step.number,
                detention_minutes=step.detention_minutes,
                meeting_with=step.meeting_with,
                parents_invited=step.parents_invited,
                created_at=now,
            )
            new_sanctions.append(sanction)
            grouped.append((sanction, misses[:size]))
            misses = misses[size:]
    Sanction.objects.bulk_create(new_sanctions)
    linked = []
    for sanction, misses in grouped:
        for miss in misses:
            miss.sanction = sanction
            linked.append(miss)
    Miss.objects.bulk_update(linked, ["sanction"])
    _audit(audit, actor=actor, at=now, action="sanction_created", sanctions=new_sanctions)
    events.extend(
        (
            s.pupil_id,
            SANCTION_DUE,
            {
                "about": about_sanction(s.pk),
                "cycle": s.cycle,
                "detention_minutes": s.detention_minutes,
                "meeting_with": s.meeting_with,
            },
        )
        for s in new_sanctions
    )
    _meetings_create([s for s in new_sanctions if s.meeting_with], now=now)
    for sanction in new_sanctions:  # a few queries per new sanction, none per pupil
        scheduling.sanction_schedule(sanction=sanction, now=now)
    return new_sanctions


MEETING_ROLE = {
    MeetingWith.FORM_TUTOR: (RoleAssignment.Role.FORM_TUTOR, "tutor_group_id"),
    MeetingWith.HEAD_OF_HOUSE: (RoleAssignment.Role.HEAD_OF_HOUSE, "house_id"),
    MeetingWith.HEAD_OF_YEAR: (RoleAssignment.Role.HEAD_OF_YEAR, "year_group_id"),
}


def meeting_owners(school_id: int, pupils) -> dict[tuple[int, str], int]:
    """(pupil id, meeting_with) -> the user who holds that role for the pupil: their form
    tutor, head of house or head of year (the longest-standing holder when a role is
    shared). A senior leader's meeting has no single holder: one of them takes it."""
    pupils = list(pupils)
    scopes = {
        (role, scope_id)
        for pupil in pupils
        for role, field in MEETING_ROLE.values()
        if (scope_id := getattr(pupil, field))
    }
    holders = {}
    for role, tg, house, year, user_id in (
        RoleAssignment.objects.filter(
            school_id=school_id,
            role__in=[role for role, _ in MEETING_ROLE.values()],
            user__is_active=True,
        )
        .filter(
            Q(tutor_group_id__in={s for r, s in scopes if r == RoleAssignment.Role.FORM_TUTOR})
            | Q(house_id__in={s for r, s in scopes if r == RoleAssignment.Role.HEAD_OF_HOUSE})
            | Q(year_group_id__in={s for r, s in scopes if r == RoleAssignment.Role.HEAD_OF_YEAR})
        )
        .order_by("-pk")
        .values_list("role", "tutor_group_id", "house_id", "year_group_id", "user_id")
    ):
        holders[(role, tg or house or year)] = user_id  # the lowest pk wins
    return {
        (pupil.pk, meeting_with): holders.get((role, getattr(pupil, field)))
        for pupil in pupils
        for meeting_with, (role, field) in MEETING_ROLE.items()
    }


def _meetings_create(sanctions: list[Sanction], *, now) -> list[Meeting]:
    if not sanctions:
        return []
    pupils = Pupil.objects.filter(pk__in={s.pupil_id for s in sanctions}).only(
        "pk", "tutor_group_id", "house_id", "year_group_id"
    )
    owners = meeting_owners(sanctions[0].school_id, pupils)
    return Meeting.objects.bulk_create(
        Meeting(
            school_id=s.school_id,
            sanction=s,
            pupil_id=s.pupil_id,
            meeting_with=s.meeting_with,
            owner_id=owners.get((s.pupil_id, s.meeting_with)),
            parents_invited=s.parents_invited,
            created_at=now,
        )
        for s in sanctions
    )


def meeting_cancelled_event(meeting: Meeting):
    """The outbox event telling parents an arranged meeting is off, with its date."""
    when = timezone.localtime(meeting.proposed_at)
    return (
        meeting.pupil_id,
        MEETING_CANCELLED,
        {
            "about": about_sanction(meeting.sanction_id),
            "meeting_with": meeting.meeting_with,
            "at": when.isoformat(),
            "date": f"{when:%d/%m/%Y}",
            "time": f"{when:%H:%M}",
            "place": meeting.place,
        },
    )


def _meeting_cancel(sanction: Sanction, *, actor, now, reason, audit, events) -> None:
    """The sanction is cancelled: so is its meeting unless held; parents who had been
    given a date are told. The row is locked so that a meeting being arranged at the same
    moment is either cancelled with its parents told, or arranged after (and refused)."""
    meeting = (
        Meeting.objects.select_for_update()
        .filter(sanction=sanction, status__in=Meeting.OPEN)
        .first()
    )
    if meeting is None:
        return
    if meeting.status == Meeting.Status.ARRANGED and meeting.parents_invited:
        events.append(meeting_cancelled_event(meeting))
    meeting.status, meeting.changed_by, meeting.changed_at = Meeting.Status.CANCELLED, actor, now
    meeting.save(update_fields=["status", "changed_by", "changed_at"])
    audit.append(
        AuditEntry(
            school_id=meeting.school_id,
            at=now,
            actor=actor,
            pupil_id=meeting.pupil_id,
            action="meeting_cancelled",
            sanction=sanction,
            reason=reason,
        )
    )


@transaction.atomic
def miss_record(
    *,
    recorder: User,
    assignments: Sequence[Assignment],
    reason: str = "",
    now=None,
) -> list[Miss]:
    """Record missed deadlines for many pupils at once (a whole class from a register).
    A pupil who already has a counted miss for that homework, or who handed it in or was
    excused, is skipped. The number of queries does not grow with the number of pupils."""
    now = now or timezone.now()
    assignments = list(assignments)
    if not assignments:
        return []
    school_id = assignments[0].school_id
    year = _escalation_year(school_id, timezone.localdate(now))
    pupil_ids = [a.pupil_id for a in assignments]
    _lock_pupils(school_id, year, pupil_ids)

    fresh = Assignment.objects.filter(
        pk__in=[a.pk for a in assignments],
        status=Assignment.Status.SET,
        homework__status=Homework.Status.SET,
        due_at__lte=now,
    ).exclude(misses__status=Miss.Status.COUNTED)
    fresh = list(fresh.select_related("homework__teaching_group__subject"))
    misses = Miss.objects.bulk_create(
        Miss(
            school_id=a.school_id,
            assignment=a,
            pupil_id=a.pupil_id,
            academic_year=year,
            reason=reason,
            recorded_by=recorder,
            recorded_at=now,
        )
        for a in fresh
    )
    Assignment.objects.filter(pk__in=[a.pk for a in fresh]).update(status=Assignment.Status.MISSED)
    audit, events = [], []
    _audit(audit, actor=recorder, at=now, action="miss_recorded", reason=reason, misses=misses)
    events.extend(
        (
            m.pupil_id,
            MISSED_DEADLINE,
            {
                "about": about_miss(m.pk),
                "assignment": m.assignment_id,
                "homework": m.assignment.homework.title,
                "subject": m.assignment.homework.teaching_group.subject.name,
                "due": timezone.localtime(m.assignment.due_at).strftime("%d/%m/%Y %H:%M"),
            },
        )
        for m in misses
    )
    _cycles_complete(
        school_id=school_id,
        year=year,
        pupil_ids=pupil_ids,
        actor=recorder,
        now=now,
        audit=audit,
        events=events,
    )
    _counts_refresh(year, pupil_ids)
    AuditEntry.objects.bulk_create(audit)
    notifications_queue(events=events)
    return misses


def _counts_refresh(year: AcademicYear, pupil_ids) -> None:
    counted = (
        Miss.objects.filter(
            academic_year=year, pupil_id=OuterRef("pupil_id"), status=Miss.Status.COUNTED
        )
        .values("pupil_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    PupilEscalation.objects.filter(academic_year=year, pupil_id__in=pupil_ids).update(
        counted_misses=Coalesce(Subquery(counted), 0)
    )


def _miss_uncount(*, actor: User, miss: Miss, status: str, reason: str, now) -> Miss:
    if not reason.strip():
        raise SanctionError("Give a reason: it is kept on the pupil's record.")
    _lock_pupils(miss.school_id, miss.academic_year, [miss.pupil_id])
    miss = Miss.objects.select_related("sanction", "academic_year").get(pk=miss.pk)
    if miss.status != Miss.Status.COUNTED:
        raise SanctionError("This missed deadline has already been changed.")
    miss.status, miss.changed_by, miss.changed_at, miss.change_reason = status, actor, now, reason
    audit, events = [], []
    _audit(audit, actor=actor, at=now, action=f"miss_{status}", reason=reason, misses=[miss])
    sanction = miss.sanction
    if sanction is not None and not sanction.is_served:
        sanction.status = Sanction.Status.CANCELLED
        sanction.cancelled_at, sanction.cancel_reason = now, reason
        sanction.save(update_fields=["status", "cancelled_at", "cancel_reason"])
        sanction.misses.update(sanction=None)
        miss.sanction = None
        _audit(
            audit,
            actor=actor,
            at=now,
            action="sanction_cancelled",
            reason=reason,
            sanctions=[sanction],
        )
        events.append(
            (
                miss.pupil_id,
                SANCTION_CANCELLED,
                {"about": about_sanction(sanction.pk), "cycle": sanction.cycle},
            )
        )
        _meeting_cancel(sanction, actor=actor, now=now, reason=reason, audit=audit, events=events)
    miss.save()
    Assignment.objects.filter(pk=miss.assignment_id).update(
        status=Assignment.Status.EXCUSED if status == Miss.Status.EXCUSED else Assignment.Status.SET
    )
    _cycles_complete(
        school_id=miss.school_id,
        year=miss.academic_year,
        pupil_ids=[miss.pupil_id],
        actor=actor,
        now=now,
        audit=audit,
        events=events,
    )
    _counts_refresh(miss.academic_year, [miss.pupil_id])
    AuditEntry.objects.bulk_create(audit)
    notifications_queue(events=events)
    return miss


@transaction.atomic
def miss_void(*, actor: User, miss: Miss, reason: str, now=None) -> Miss:
    """Undo a miss recorded in error: the homework is open again for the pupil."""
    return _miss_uncount(
        actor=actor, miss=miss, status=Miss.Status.VOIDED, reason=reason, now=now or timezone.now()
    )


@transaction.atomic
def miss_excuse(*, actor: User, miss: Miss, reason: str, now=None) -> Miss:
    """Excuse a miss for extenuating circumstances: it no longer counts."""
    return _miss_uncount(
        actor=actor, miss=miss, status=Miss.Status.EXCUSED, reason=reason, now=now or timezone.now()
    )


@transaction.atomic
def commendation_record(
    *,
    actor: User,
    pupil: Pupil,
    kind: str,
    reason: str,
    note: str = "",
    assignment: Assignment | None = None,
    now=None,
) -> Commendation:
    """Put a commendation or positive contact home on the pupil's record, with an audit
    entry, and tell each guardian with parental responsibility. `assignment` (the homework
    it is for) must be the pupil's; the caller checks the person may see it."""
    now = now or timezone.now()
    if kind not in Commendation.Kind.values:
        raise SanctionError("Choose a commendation or a positive contact home.")
    if reason not in Commendation.Reason.values:
        raise SanctionError("Choose the reason for the commendation.")
    if assignment is not None and assignment.pupil_id != pupil.pk:
        raise SanctionError("That homework is not this pupil's.")
    note = note.strip()
    commendation = Commendation.objects.create(
        school_id=pupil.school_id,
        pupil=pupil,
        kind=kind,
        reason=reason,
        note=note,
        assignment=assignment,
        awarded_by=actor,
        awarded_at=now,
    )
    label = commendation.get_reason_display()
    AuditEntry.objects.create(
        school_id=pupil.school_id,
        at=now,
        actor=actor,
        pupil=pupil,
        action="commendation_recorded",
        reason=f"{commendation.get_kind_display()}: {label}"[:300],
    )
    notifications_queue(
        events=[
            (
                pupil.pk,
                COMMENDATION,
                {
                    "kind": kind,
                    # The code: the family reads its label in their own language.
                    "commendation_reason": reason,
                    "note": note,
                    "homework": assignment.homework.title if assignment else "",
                },
            )
        ]
    )
    return commendation


@transaction.atomic
def extension_grant(
    *, actor: User, assignment: Assignment, due_at, reason: str, now=None
) -> Assignment:
    """Give one pupil more time for one homework: their own due date moves later. A
    missed deadline already recorded for it is excused (so an unserved detention of its
    cycle is cancelled and the parents told), and the homework is open again until the new
    date. The caller checks the person may grant it."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise SanctionError("Give a reason: it is kept on the pupil's record.")
    if due_at <= now:
        raise SanctionError("The new deadline must be in the future.")
    assignment = Assignment.objects.select_related("homework").get(pk=assignment.pk)
    if due_at <= assignment.due_at:
        raise SanctionError("The new deadline must be later than the current one.")
    if assignment.status not in (Assignment.Status.SET, Assignment.Status.MISSED):
        raise SanctionError("This homework has been handed in or excused: no extension needed.")
    label = f"Extension to {timezone.localtime(due_at):%d/%m/%Y %H:%M}: {reason}"
    counted = Miss.objects.filter(assignment=assignment, status=Miss.Status.COUNTED).first()
    if counted is not None:
        _miss_uncount(actor=actor, miss=counted, status=Miss.Status.EXCUSED, reason=label, now=now)
    else:
        year = _escalation_year(assignment.school_id, timezone.localdate(now))
        _lock_pupils(assignment.school_id, year, [assignment.pupil_id])
    Assignment.objects.filter(pk=assignment.pk).update(due_at=due_at, status=Assignment.Status.SET)
    AuditEntry.objects.create(
        school_id=assignment.school_id,
        at=now,
        actor=actor,
        pupil_id=assignment.pupil_id,
        action="extension_granted",
        reason=f"{assignment.homework.title}. {label}"[:300],
    )
    assignment.refresh_from_db()
    return assignment
