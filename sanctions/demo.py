"""The demo school's escalation: seed 001's ladder, detention sessions on Tuesdays and
Thursdays, an internal exclusion room every school day, and the term's overdue homework
recorded as missed through the real engine, so cycles, sanctions, bookings, meetings, the
audit trail and parents' notifications build up as they would in a school. Teachers record
most (not all) of the last weeks' overdue work, a week at a time; past registers are taken
(a pupil who skipped a detention gets an exclusion day); meetings of earlier cycles have
been held, later ones arranged or still to arrange; teachers have commended some of the
homework handed in."""

import datetime
import itertools
from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from homework.models import Assignment, Homework
from notifications import events
from notifications.models import Notification
from notifications.notices import COMMENDATION
from school import access
from school.models import GuardianLink, HalfTerm, Pupil, RoleAssignment, User

from .models import (
    AuditEntry,
    Commendation,
    DetentionBooking,
    DetentionSession,
    EscalationPolicy,
    Meeting,
    Miss,
    PupilEscalation,
    Sanction,
    SessionKind,
)
from .notices import about_sanction
from .services.bookings import new_sanctions_book
from .services.detentions import (
    detention_booking_confirm,
    detention_register_save,
    detention_series_create,
)
from .services.engine import (
    BOOKING_PUPIL_FIELDS,
    _meetings_create,
    audit_extend,
    cycles_group,
    escalation_year,
    sanction_due_event,
)
from .services.meetings import meeting_arrange, meeting_record_held
from .services.misses import missed_deadline_event
from .services.policy import policy_current

RECORDED_SHARE = 0.55
# Only the last few weeks are recorded: each batch goes through the whole engine (about
# twenty queries and a scheduling pass), and a term's worth makes seeding slow.
RECORDED_WEEKS = 3
REGISTER_MARKS = {
    SessionKind.DETENTION: [
        (0.85, "attended"),
        (0.93, "absent_unauthorised"),
        (1.0, "absent_authorised"),
    ],
    SessionKind.INTERNAL_EXCLUSION: [
        (0.92, "attended"),
        (0.96, "absent_unauthorised"),
        (1.0, "absent_authorised"),
    ],
}
COMMENDED_SHARE = 0.04
MEETING_OUTCOMES = [
    "Parents and pupil agreed a homework routine at home; planner to be checked weekly.",
    "Pupil to attend homework club on Tuesdays for the rest of the half-term.",
    "Discussed organisation; tutor to check the planner each Friday.",
    "Agreed a report card for homework for three weeks, reviewed by the tutor.",
]


def demo_sanctions_build(*, school, rng, today, stdout=None) -> None:
    policy_current(school=school)
    leader = (
        User.objects.filter(
            role_assignments__school=school,
            role_assignments__role=RoleAssignment.Role.SENIOR_LEADER,
        )
        .order_by("pk")
        .first()
    )
    half_terms = HalfTerm.objects.filter(school=school).order_by("start_date")
    current = half_terms.filter(end_date__gte=today).first() or half_terms.last()
    if current is None or leader is None:
        return
    detention_series_create(
        school=school,
        start_date=half_terms.first().start_date,
        end_date=current.end_date,
        weekdays=[1, 3],
        start_time=datetime.time(15, 15),
        end_time=datetime.time(16, 15),
        room="Room 14",
        supervisor=leader,
        capacity=25,
        created_by=leader,
    )
    detention_series_create(
        school=school,
        kind=SessionKind.INTERNAL_EXCLUSION,
        start_date=half_terms.first().start_date,
        end_date=current.end_date,
        weekdays=[0, 1, 2, 3, 4],
        start_time=datetime.time(8, 45),
        end_time=datetime.time(15, 15),
        room="Internal exclusion room (R2)",
        supervisor=leader,
        capacity=6,
        created_by=leader,
    )
    _misses_record(school, rng)
    _registers_take(school, rng, leader)
    _meetings_progress(school, rng, leader)
    _commendations_award(school, rng)
    if stdout is not None:
        stdout.write(
            f"{school.name}: {Miss.objects.filter(school=school).count()} missed deadlines, "
            f"{Sanction.objects.filter(school=school).count()} sanctions, "
            f"{DetentionSession.objects.filter(school=school).count()} detention and "
            f"exclusion sessions, {Meeting.objects.filter(school=school).count()} meetings, "
            f"{Commendation.objects.filter(school=school).count()} commendations.\n"
        )


def _misses_record(school, rng) -> None:
    """Teachers record most of the last weeks' overdue work, a week at a time: one batch
    per teacher and Friday, each what one call of `miss_record` does, and an event of its
    own (the family hears of it in one message). Written in bulk, batch after batch, with
    the engine's own parts: its ladder rule (`cycles_group`) on each batch's pupils, its
    meetings and bookings for each batch's new sanctions, its parents' events; the running
    counts refreshed once at the end, as the last batch's refresh would leave them."""
    now = timezone.now()
    overdue = (
        Assignment.objects.filter(
            school=school,
            status=Assignment.Status.SET,
            homework__status=Homework.Status.SET,
            due_at__lt=now - datetime.timedelta(days=1),
            due_at__gte=now - datetime.timedelta(weeks=RECORDED_WEEKS),
        )
        .select_related("homework__teaching_group__subject")
        .order_by("due_at", "homework_id", "pupil_id")
    )
    batches = {}
    for assignment in overdue:
        if rng.random() >= RECORDED_SHARE:
            continue
        homework = assignment.homework
        due_day = timezone.localdate(homework.due_at)
        friday = due_day + datetime.timedelta(days=(4 - due_day.weekday()) % 7)
        recorded_at = max(
            timezone.make_aware(datetime.datetime.combine(friday, datetime.time(16, 0))),
            homework.due_at + datetime.timedelta(hours=1),
        )
        recorded_at = min(recorded_at, now)
        batches.setdefault((recorded_at, homework.set_by_id), []).append(assignment)
    if not batches:
        return
    teachers = User.objects.in_bulk({teacher_id for _, teacher_id in batches})
    policy = policy_current(school=school)
    years, off_roll, ladders, order = {}, {}, {}, {}
    recorded = []  # one (teacher, recorded_at, misses, [(sanction, its misses)]) a batch
    for (recorded_at, teacher_id), assignments in sorted(batches.items()):
        day = timezone.localdate(recorded_at)
        if day not in years:
            years[day] = escalation_year(school.pk, day)
            off_roll[day] = set(
                Pupil.objects.filter(school=school)
                .exclude(access.on_roll(day))
                .values_list("pk", flat=True)
            )
        year, teacher = years[day], teachers[teacher_id]
        misses = [
            Miss(
                school_id=a.school_id,
                assignment=a,
                pupil_id=a.pupil_id,
                academic_year=year,
                reason="",
                recorded_by=teacher,
                recorded_at=recorded_at,
            )
            for a in assignments
            if a.pupil_id not in off_roll[day]
        ]
        open_misses, taken = ladders.setdefault(year.pk, (defaultdict(list), defaultdict(set)))
        for miss in misses:
            order[id(miss)] = len(order)  # the order they are written in: their pks
            open_misses[miss.pupil_id].append(miss)
        # The engine reads the batch's pupils' open misses by (recorded_at, pk).
        first = {
            pupil_id: open_misses[pupil_id][0]
            for pupil_id in {a.pupil_id for a in assignments}
            if open_misses[pupil_id]
        }
        grouped = cycles_group(
            {
                pupil_id: open_misses[pupil_id]
                for pupil_id in sorted(
                    first, key=lambda pid: (first[pid].recorded_at, order[id(first[pid])])
                )
            },
            taken,
            school_id=school.pk,
            year=year,
            policy=policy,
            now=recorded_at,
        )
        for sanction, cycle_misses in grouped:
            for miss in cycle_misses:
                miss.sanction = sanction
            open_misses[sanction.pupil_id] = open_misses[sanction.pupil_id][len(cycle_misses) :]
        recorded.append((teacher, recorded_at, misses, grouped))

    sanctions = [sanction for *_, grouped in recorded for sanction, _ in grouped]
    Sanction.objects.bulk_create(sanctions, batch_size=1000)
    misses = [miss for _, _, batch, _ in recorded for miss in batch]
    Miss.objects.bulk_create(misses, batch_size=1000)
    Assignment.objects.filter(pk__in=[miss.assignment_id for miss in misses]).update(
        status=Assignment.Status.MISSED
    )
    pupils = {
        pupil.pk: pupil
        for pupil in Pupil.objects.filter(pk__in={s.pupil_id for s in sanctions})
        .select_related("school")
        .only(*BOOKING_PUPIL_FIELDS)
    }
    audit, told, batch_of = [], [], {}
    for teacher, recorded_at, batch, grouped in recorded:
        new_sanctions = [sanction for sanction, _ in grouped]
        audit_extend(audit, actor=teacher, at=recorded_at, action="miss_recorded", misses=batch)
        audit_extend(
            audit, actor=teacher, at=recorded_at, action="sanction_created", sanctions=new_sanctions
        )
        said = [missed_deadline_event(miss) for miss in batch]
        said += [sanction_due_event(sanction) for sanction in new_sanctions]
        told.append(said)
        batch_of.update({about_sanction(sanction.pk): said for sanction in new_sanctions})
    # The batches recorded at the same moment have their new sanctions' meetings arranged
    # and detentions booked together, in the batches' order: each booking is the one the
    # batch's own call would have made (the earliest session with room from that moment),
    # and its parents' event goes to its batch.
    for recorded_at, batches_then in itertools.groupby(recorded, key=lambda batch: batch[1]):
        new_sanctions = [sanction for *_, grouped in batches_then for sanction, _ in grouped]
        if not new_sanctions:
            continue
        _meetings_create([s for s in new_sanctions if s.meeting_with], pupils, now=recorded_at)
        booked = []
        new_sanctions_book(
            sanctions=new_sanctions,
            pupils=pupils,
            school=school,
            policy=policy,
            now=recorded_at,
            events=booked,
        )
        for event in booked:
            batch_of[event[2]["about"]].append(event)
    AuditEntry.objects.bulk_create(audit, batch_size=1000)
    _escalations_write(school, batches, years, misses, sanctions)
    _messages_write(school, told)


def _escalations_write(school, batches, years, misses, sanctions) -> None:
    """The running counts of each pupil the batches recorded misses for, as the batches'
    `pupils_lock` and `counts_refresh` leave them on a new school: every miss written
    counts, those without a sanction are open, every sanction is live. (Counting them in
    SQL under the build's transaction, where the new rows have no statistics yet, would
    scan the year's misses once a pupil.)"""
    rows = {}
    for (recorded_at, _), assignments in batches.items():
        year = years[timezone.localdate(recorded_at)]
        for a in assignments:
            rows.setdefault(
                (year.pk, a.pupil_id),
                PupilEscalation(school_id=school.pk, pupil_id=a.pupil_id, academic_year=year),
            )
    for miss in misses:
        row = rows[(miss.academic_year.pk, miss.pupil_id)]
        row.counted_misses += 1
        row.open_misses += miss.sanction_id is None
    for sanction in sanctions:
        rows[(sanction.academic_year.pk, sanction.pupil_id)].live_sanctions += 1
    PupilEscalation.objects.bulk_create([rows[key] for key in sorted(rows)], batch_size=1000)


def _messages_write(school, told) -> None:
    """The parents' messages of these events (each a list of (pupil id, kind, context)),
    as `notifications_queue` writes them: one row per guardian with parental
    responsibility and child on roll, what one event says about the child merged in it."""
    guardians_of = {}
    for pupil_id, guardian_id, guardian_school_id in GuardianLink.objects.filter(
        access.on_roll(timezone.localdate(), "pupil"),
        pupil__school=school,
        parental_responsibility=True,
    ).values_list("pupil_id", "guardian_id", "guardian__school_id"):
        guardians_of.setdefault(pupil_id, []).append((guardian_id, guardian_school_id))
    rows = []
    for said in told:
        entries = {}
        for pupil_id, kind, context in said:
            for guardian_id, guardian_school_id in guardians_of.get(pupil_id, []):
                key = (guardian_id, pupil_id)
                _, parts = entries.get(key, (guardian_school_id, []))
                entries[key] = (
                    guardian_school_id,
                    events.parts_merge(parts, kind, context),
                )
        for (guardian_id, pupil_id), (guardian_school_id, parts) in entries.items():
            if parts:
                kind, context = events.row_fields(parts)
                rows.append(
                    Notification(
                        school_id=guardian_school_id,
                        guardian_id=guardian_id,
                        pupil_id=pupil_id,
                        kind=kind,
                        context=context,
                    )
                )
    Notification.objects.bulk_create(rows, batch_size=1000)


def _registers_take(school, rng, leader) -> None:
    """The head of year has checked the flagged pupils of past sessions, and the
    supervisor has taken those sessions' registers."""
    now = timezone.now()
    sessions = DetentionSession.objects.filter(school=school, date__lt=timezone.localdate(now))
    for booking in DetentionBooking.objects.filter(
        session__in=sessions, status=DetentionBooking.Status.NEEDS_CHECK
    ).select_related("session"):
        morning = datetime.datetime.combine(booking.session.date, datetime.time(8, 0))
        detention_booking_confirm(booking=booking, actor=leader, now=timezone.make_aware(morning))
    for session in sessions.order_by("date", "start_time", "pk"):
        bookings = session.bookings.filter(status=DetentionBooking.Status.BOOKED).order_by("pk")
        marks, activities = {}, {}
        for booking in bookings:
            draw = rng.random()
            marks[booking.pk] = (
                next(mark for edge, mark in REGISTER_MARKS[session.kind] if draw < edge),
                "",
            )
            activities[booking.pk] = {"restorative"} | (
                {"homework"} if rng.random() < 0.8 else set()
            )
        if marks:
            ended = timezone.make_aware(datetime.datetime.combine(session.date, session.end_time))
            detention_register_save(
                session=session, marks=marks, activities=activities, actor=leader, now=ended
            )


def _meetings_progress(school, rng, leader) -> None:
    """Meetings of sanctions more than a week old were held (a few days after the
    sanction); newer ones are arranged for the coming days, or still to arrange."""
    now = timezone.now()
    for meeting in (
        Meeting.objects.filter(school=school, status=Meeting.Status.TO_ARRANGE)
        .select_related("sanction", "owner")
        .order_by("created_at", "pk")
    ):
        actor = meeting.owner or leader
        created = meeting.sanction.created_at
        if now - created > datetime.timedelta(days=7):
            booked_at = created + datetime.timedelta(hours=2)
            held_at = _school_afternoon(created + datetime.timedelta(days=3))
            meeting_arrange(
                actor=actor, meeting=meeting, when=held_at, place="Meeting room 1", now=booked_at
            )
            meeting_record_held(
                actor=actor,
                meeting=meeting,
                outcome=rng.choice(MEETING_OUTCOMES),
                now=held_at + datetime.timedelta(minutes=30),
            )
        elif rng.random() < 0.5:
            meeting_arrange(
                actor=actor,
                meeting=meeting,
                when=_school_afternoon(now + datetime.timedelta(days=rng.randint(1, 6))),
                place="Meeting room 1",
                now=now,
            )


def _school_afternoon(moment) -> datetime.datetime:
    """16:00 on that day, or on the Monday after when it falls at a weekend."""
    day = timezone.localdate(moment)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 0)))


def _commendations_award(school, rng) -> None:
    """A few pieces of homework handed in over the last weeks were commended by the
    teacher who set them. Written in bulk: the rows `commendation_record` writes for each
    (the commendation, its audit entry and a message to each guardian with parental
    responsibility, one event each), without its thousands of round trips."""
    now = timezone.now()
    handed_in = (
        Assignment.objects.filter(
            school=school,
            status__in=[Assignment.Status.SUBMITTED, Assignment.Status.PAPER],
            submitted_at__gte=now - datetime.timedelta(weeks=RECORDED_WEEKS),
        )
        .order_by("submitted_at", "pk")
        .values_list("pk", "pupil_id", "homework__set_by_id", "homework__title", "submitted_at")
    )
    kinds = list(Commendation.Kind.values)
    reasons = [Commendation.Reason.COMPLETED_HOMEWORK, Commendation.Reason.HIGH_STANDARD]
    chosen = []
    for assignment_id, pupil_id, teacher_id, title, submitted_at in handed_in:
        if rng.random() >= COMMENDED_SHARE or teacher_id is None:
            continue
        kind, reason = rng.choice(kinds), rng.choice(reasons)
        awarded_at = min(submitted_at + datetime.timedelta(days=2), now)
        chosen.append((assignment_id, pupil_id, teacher_id, title, kind, reason, awarded_at))
    guardians_of = {}
    for pupil_id, guardian_id, guardian_school_id in GuardianLink.objects.filter(
        access.on_roll(timezone.localdate(), "pupil"),
        pupil__school=school,
        parental_responsibility=True,
    ).values_list("pupil_id", "guardian_id", "guardian__school_id"):
        guardians_of.setdefault(pupil_id, []).append((guardian_id, guardian_school_id))
    commendations, entries, messages = [], [], []
    for assignment_id, pupil_id, teacher_id, title, kind, reason, awarded_at in chosen:
        commendations.append(
            Commendation(
                school_id=school.pk,
                pupil_id=pupil_id,
                kind=kind,
                reason=reason,
                note="",
                assignment_id=assignment_id,
                awarded_by_id=teacher_id,
                awarded_at=awarded_at,
            )
        )
        label = Commendation.Reason(reason).label
        entries.append(
            AuditEntry(
                school_id=school.pk,
                at=awarded_at,
                actor_id=teacher_id,
                pupil_id=pupil_id,
                action="commendation_recorded",
                reason=f"{Commendation.Kind(kind).label}: {label}"[:300],
            )
        )
        facts = {"kind": kind, "commendation_reason": reason, "note": "", "homework": title}
        message_kind, context = events.row_fields(events.parts_merge([], COMMENDATION, facts))
        for guardian_id, guardian_school_id in guardians_of.get(pupil_id, []):
            messages.append(
                Notification(
                    school_id=guardian_school_id,
                    guardian_id=guardian_id,
                    pupil_id=pupil_id,
                    kind=message_kind,
                    context=context,
                )
            )
    Commendation.objects.bulk_create(commendations, batch_size=1000)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    Notification.objects.bulk_create(messages, batch_size=1000)


def demo_sanctions_delete(*, schools) -> None:
    in_demo = Q(school_id__in=[school.pk for school in schools])
    Commendation.objects.filter(in_demo).delete()
    Meeting.objects.filter(in_demo).delete()
    AuditEntry.objects.filter(in_demo).delete()
    DetentionBooking.objects.filter(in_demo).delete()
    Miss.objects.filter(in_demo).delete()
    Sanction.objects.filter(in_demo).delete()
    DetentionSession.objects.filter(in_demo).delete()
    PupilEscalation.objects.filter(in_demo).delete()
    EscalationPolicy.objects.filter(in_demo).delete()
    Notification.objects.filter(in_demo).delete()
