"""The escalation engine: turning each completed cycle of counted misses into the policy's
next sanction (with its meeting and its booking), and cancelling what a change undoes.

Invariant: for each pupil and academic year, exactly one live (not cancelled) sanction
per completed cycle, and cycles are numbered 1..k without gaps. Every change locks the
pupils' PupilEscalation rows first (in pupil order, so two requests never deadlock), and a
partial unique constraint backs the rule in the database."""

from collections import defaultdict

from django.db import connection, models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from school.calendar import academic_year_for
from school.models import AcademicYear, Pupil, RoleAssignment, School

from ..models import (
    AuditEntry,
    Meeting,
    MeetingWith,
    Miss,
    PupilEscalation,
    Sanction,
)
from ..notices import (
    MEETING_CANCELLED,
    SANCTION_DUE,
    about_sanction,
)
from . import SanctionError
from .bookings import new_sanctions_book
from .policy import policy_current


def escalation_year(school_id: int, day) -> AcademicYear:
    """The year whose ladder a miss on `day` climbs (school.calendar's rule)."""
    year = academic_year_for(school_id, day)
    if year is None:
        raise SanctionError("No academic year covers this date: ask the school office to add it.")
    return year


def pupils_lock(school_id: int, year: AcademicYear, pupil_ids) -> None:
    """Each pupil's PupilEscalation row for the year, created when missing, and locked
    until the transaction ends, in pupil order (so two requests never deadlock), in one
    query: an insert that meets an existing row updates it, which locks it as
    select_for_update would (and one that meets a row being inserted waits for it)."""
    PupilEscalation.objects.bulk_create(
        [
            PupilEscalation(school_id=school_id, pupil_id=pid, academic_year=year)
            for pid in sorted(set(pupil_ids))
        ],
        update_conflicts=True,
        unique_fields=["pupil", "academic_year"],
        update_fields=["school"],
    )


def audit_extend(rows, *, actor, at, action, reason="", misses=(), sanctions=()):
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


def cycles_complete(
    *, school_id: int, year: AcademicYear, pupil_ids, actor, now, audit, events
) -> list[Sanction]:
    """Group each pupil's open counted misses, oldest first, into complete cycles and give
    each cycle a sanction at the lowest free cycle number (`cycle_misses`: the misses it
    completes), with its meeting and its detention booked. Locks must already be held.
    A fixed number of queries however many pupils complete a cycle."""
    policy = policy_current(school=School(pk=school_id))
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
        .order_by()  # the default ordering would join the pupils and their school
        .values_list("pupil_id", "cycle")
    ):
        taken[pupil_id].add(cycle)

    grouped = cycles_group(
        open_misses, taken, school_id=school_id, year=year, policy=policy, now=now
    )
    new_sanctions = [sanction for sanction, _misses in grouped]
    Sanction.objects.bulk_create(new_sanctions)
    for sanction, misses in grouped:
        sanction.cycle_misses = misses
        for miss in misses:
            miss.sanction = sanction
    if grouped:
        # One UPDATE, a branch a sanction (bulk_update would build one a miss).
        Miss.objects.filter(pk__in=[miss.pk for _, misses in grouped for miss in misses]).update(
            sanction=Case(
                *(
                    When(pk__in=[miss.pk for miss in misses], then=Value(sanction.pk))
                    for sanction, misses in grouped
                ),
                output_field=models.BigIntegerField(),
            )
        )
    audit_extend(audit, actor=actor, at=now, action="sanction_created", sanctions=new_sanctions)
    events.extend(sanction_due_event(s) for s in new_sanctions)
    if new_sanctions:
        pupils = {
            pupil.pk: pupil
            for pupil in Pupil.objects.filter(pk__in={s.pupil_id for s in new_sanctions})
            .select_related("school")
            .only(*BOOKING_PUPIL_FIELDS)
        }
        _meetings_create([s for s in new_sanctions if s.meeting_with], pupils, now=now)
        new_sanctions_book(
            sanctions=new_sanctions,
            pupils=pupils,
            school=next(iter(pupils.values())).school,
            policy=policy,
            now=now,
            events=events,
        )
    return new_sanctions


def cycles_group(open_misses, taken, *, school_id, year, policy, now) -> list:
    """The ladder's rule, without the database: each pupil's open counted misses (a dict
    pupil id -> misses, oldest first), `size` at a time, complete cycles; each complete
    cycle gets a new (unsaved) sanction at the lowest cycle number not in `taken` (pupil
    id -> cycle numbers of live sanctions, updated here), on the policy's step for that
    cycle. Returns [(sanction, the misses it completes)], pupils in `open_misses` order."""
    size = policy.misses_per_cycle
    grouped = []
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
            grouped.append((sanction, misses[:size]))
            misses = misses[size:]
    return grouped


def sanction_due_event(sanction: Sanction):
    """The outbox event telling parents of a new sanction."""
    return (
        sanction.pupil_id,
        SANCTION_DUE,
        {
            "about": about_sanction(sanction.pk),
            "cycle": sanction.cycle,
            "detention_minutes": sanction.detention_minutes,
            "meeting_with": sanction.meeting_with,
        },
    )


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


# What booking a new sanction and arranging its meeting read of its pupil (one query).
BOOKING_PUPIL_FIELDS = (
    "pk",
    "tutor_group_id",
    "house_id",
    "year_group_id",
    "young_carer",
    "sen",
    "travel_note",
    "left_on",
    "school__id",
    "school__time_zone",
)


def _meetings_create(sanctions: list[Sanction], pupils: dict[int, Pupil], *, now) -> list[Meeting]:
    if not sanctions:
        return []
    owners = meeting_owners(
        sanctions[0].school_id, [pupils[pid] for pid in {s.pupil_id for s in sanctions}]
    )
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


def sanction_meeting_cancel(sanction: Sanction, *, actor, now, reason, audit, events) -> None:
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


def _counts_update_sql(how_many: int) -> str:
    """counts_refresh's UPDATE for `how_many` pupils: one scalar count a running count,
    written as SQL (the ORM's three nested subqueries cost ~3 ms of Python to build on
    every miss recorded)."""
    quote = connection.ops.quote_name

    def table(model) -> str:
        return quote(model._meta.db_table)

    def column(model, name: str) -> str:
        return f"{table(model)}.{quote(model._meta.get_field(name).column)}"

    row = table(PupilEscalation)
    miss = (
        f"SELECT COUNT(*) FROM {table(Miss)} WHERE {column(Miss, 'pupil')} = "
        f"{column(PupilEscalation, 'pupil')} AND {column(Miss, 'academic_year')} = %s "
        f"AND {column(Miss, 'status')} = %s"
    )
    live = (
        f"SELECT COUNT(*) FROM {table(Sanction)} WHERE {column(Sanction, 'pupil')} = "
        f"{column(PupilEscalation, 'pupil')} AND {column(Sanction, 'academic_year')} = %s "
        f"AND {column(Sanction, 'status')} <> %s"
    )
    return (
        f"UPDATE {row} SET {quote('counted_misses')} = ({miss}), "
        f"{quote('open_misses')} = ({miss} AND {column(Miss, 'sanction')} IS NULL), "
        f"{quote('live_sanctions')} = ({live}) "
        f"WHERE {column(PupilEscalation, 'academic_year')} = %s "
        f"AND {column(PupilEscalation, 'pupil')} IN ({', '.join(['%s'] * how_many)})"
    )


def counts_refresh(year: AcademicYear, pupil_ids) -> None:
    """The pupils' running counts (PupilEscalation), from their misses and sanctions of
    the year, in one UPDATE; called under the pupils' locks after every change."""
    pupil_ids = sorted(set(pupil_ids))
    if not pupil_ids:
        return
    counted, cancelled = Miss.Status.COUNTED, Sanction.Status.CANCELLED
    with connection.cursor() as cursor:
        cursor.execute(
            _counts_update_sql(len(pupil_ids)),
            [year.pk, counted, year.pk, counted, year.pk, cancelled, year.pk, *pupil_ids],
        )
