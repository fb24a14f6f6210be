"""Sanctions in a subject access export: misses (counted, voided and excused, with their
reasons), the ladder's count, sanctions, detention and internal exclusion bookings with
what the register says of the pupil (never who else was there), meetings, commendations
and the audit trail of changes (privacy/registry.py)."""

from privacy.registry import PUPIL, ExportSection, register_export_section

from .models import (
    AuditEntry,
    Commendation,
    DetentionBooking,
    DetentionSession,
    Meeting,
    Miss,
    PupilEscalation,
    Sanction,
)


def pupil_misses(pupil, context):
    misses = (
        Miss.objects.filter(pupil=pupil)
        .select_related(
            "assignment__homework__teaching_group__subject",
            "academic_year",
            "recorded_by",
            "changed_by",
            "sanction",
        )
        .order_by("recorded_at", "pk")
    )
    for miss in misses:
        homework = miss.assignment.homework
        yield {
            "Homework": homework.title,
            "Subject": homework.teaching_group.subject.name,
            "Academic year": str(miss.academic_year),
            "Status": miss.get_status_display(),
            "Reason": context.redact(miss.reason),
            "Recorded by": context.staff_name(miss.recorded_by),
            "Recorded": miss.recorded_at,
            "Changed by": context.staff_name(miss.changed_by),
            "Changed": miss.changed_at,
            "Why it changed": context.redact(miss.change_reason),
            "Sanction (cycle)": miss.sanction.cycle if miss.sanction else None,
        }


def pupil_escalation(pupil, context):
    rows = PupilEscalation.objects.filter(pupil=pupil).select_related("academic_year")
    for row in rows.order_by("academic_year__start_date"):
        yield {"Academic year": str(row.academic_year), "Misses counted": row.counted_misses}


def pupil_sanctions(pupil, context):
    sanctions = (
        Sanction.objects.filter(pupil=pupil)
        .select_related("academic_year")
        .order_by("created_at", "pk")
    )
    for sanction in sanctions:
        yield {
            "Academic year": str(sanction.academic_year),
            "Cycle": sanction.cycle,
            "Step": sanction.step_number,
            "Detention minutes": sanction.detention_minutes,
            "Meeting with": sanction.get_meeting_with_display(),
            "Parents invited": "Yes" if sanction.parents_invited else "No",
            "Status": sanction.get_status_display(),
            "Given": sanction.created_at,
            "Cancelled": sanction.cancelled_at,
            "Why it was cancelled": context.redact(sanction.cancel_reason),
        }


def pupil_detentions(pupil, context):
    bookings = (
        DetentionBooking.objects.filter(sanction__pupil=pupil)
        .select_related("sanction", "session__supervisor", "changed_by")
        .order_by("session__date", "session__start_time", "pk")
    )
    for booking in bookings:
        session = booking.session
        yield {
            "Kind": session.get_kind_display(),
            "Date": session.date,
            "From": session.start_time,
            "To": session.end_time,
            "Room": session.room,
            "Supervisor": context.staff_name(session.supervisor),
            "For cycle": booking.sanction.cycle,
            "Status": booking.get_status_display(),
            "Restorative activity done": "Yes" if booking.restorative_done else "No",
            "Homework completed": "Yes" if booking.homework_completed else "No",
            "Notes": context.redact(booking.notes),
            "Changed by": context.staff_name(booking.changed_by),
            "Changed": booking.changed_at,
        }


def pupil_meetings(pupil, context):
    meetings = (
        Meeting.objects.filter(pupil=pupil)
        .select_related("sanction", "owner", "changed_by")
        .order_by("created_at", "pk")
    )
    for meeting in meetings:
        yield {
            "With": meeting.get_meeting_with_display(),
            "Owner": context.staff_name(meeting.owner),
            "For cycle": meeting.sanction.cycle,
            "Parents invited": "Yes" if meeting.parents_invited else "No",
            "Status": meeting.get_status_display(),
            "When": meeting.proposed_at,
            "Place": meeting.place,
            "Outcome": context.redact(meeting.outcome),
            "Changed by": context.staff_name(meeting.changed_by),
            "Changed": meeting.changed_at,
        }


def pupil_commendations(pupil, context):
    commendations = (
        Commendation.objects.filter(pupil=pupil)
        .select_related("awarded_by", "assignment__homework")
        .order_by("awarded_at", "pk")
    )
    for commendation in commendations:
        yield {
            "Kind": commendation.get_kind_display(),
            "Reason": commendation.get_reason_display(),
            "Note": context.redact(commendation.note),
            "Homework": commendation.assignment.homework.title if commendation.assignment else "",
            "Awarded by": context.staff_name(commendation.awarded_by),
            "Awarded": commendation.awarded_at,
        }


def pupil_audit(pupil, context):
    entries = (
        AuditEntry.objects.filter(pupil=pupil)
        .select_related("actor", "sanction")
        .order_by("at", "pk")
    )
    for entry in entries:
        yield {
            "When": entry.at,
            "Who": context.staff_name(entry.actor) or "The system",
            "What": entry.action,
            "Miss": entry.miss_id,
            "Sanction (cycle)": entry.sanction.cycle if entry.sanction else None,
            "Reason": context.redact(entry.reason),
        }


def _section(key, title, rows, covers, description, order):
    register_export_section(
        ExportSection(
            key=key,
            title=title,
            about=PUPIL,
            covers=covers,
            rows=rows,
            description=description,
            order=order,
        )
    )


_section(
    "pupil_misses",
    "Missed deadlines",
    pupil_misses,
    (Miss,),
    "Every missed homework deadline recorded, including those voided (recorded in error) "
    "or excused, with the reasons given.",
    30,
)
_section(
    "pupil_escalation",
    "Misses counted each year",
    pupil_escalation,
    (PupilEscalation,),
    "How many misses the ladder counted in each academic year.",
    31,
)
_section(
    "pupil_sanctions",
    "Sanctions",
    pupil_sanctions,
    (Sanction,),
    "Each sanction a cycle of misses earned, and whether it was served or cancelled.",
    32,
)
_section(
    "pupil_detentions",
    "Detentions and internal exclusion",
    pupil_detentions,
    (DetentionBooking, DetentionSession),
    "Each session the pupil was booked into and what its register says of the pupil "
    "(other pupils in the session are not listed).",
    33,
)
_section(
    "pupil_meetings",
    "Meetings",
    pupil_meetings,
    (Meeting,),
    "Meetings with the pupil and their parents, and their outcomes.",
    34,
)
_section(
    "pupil_commendations",
    "Commendations",
    pupil_commendations,
    (Commendation,),
    "Commendations and positive contacts home.",
    35,
)
_section(
    "pupil_audit",
    "Changes to misses and sanctions",
    pupil_audit,
    (AuditEntry,),
    "Who recorded or changed a miss or a sanction, when, and why.",
    36,
)
