"""Clubs in a subject access export: the pupil's bookings of homework club and study
sessions, and their visits (never who else came) (privacy/registry.py)."""

from django.utils import timezone

from privacy.registry import PUPIL, ExportSection, register_export_section

from .models import Attendance, Booking, Club, ClubSession


def pupil_club_bookings(pupil, context):
    bookings = (
        Booking.objects.filter(pupil=pupil)
        .select_related("session__club", "booked_by")
        .order_by("session__date", "session__start_time", "pk")
    )
    for booking in bookings:
        session = booking.session
        yield {
            "Club": session.club.name,
            "Date": session.date,
            "From": session.start_time,
            "To": session.end_time,
            "Room": session.room,
            "Session": session.get_status_display(),
            "Booking": booking.get_status_display(),
            "Booked": booking.booked_at,
            "Booked by": context.staff_name(booking.booked_by),
            "Cancelled": booking.cancelled_at,
        }


def pupil_club_visits(pupil, context):
    visits = (
        Attendance.objects.filter(pupil=pupil)
        .select_related("session__club", "checked_in_by", "checked_out_by", "rewarded_by")
        .order_by("checked_in_at", "pk")
    )
    for visit in visits:
        yield {
            "Club": visit.session.club.name,
            "Date": visit.session.date,
            "Checked in": timezone.localtime(visit.checked_in_at).time().replace(microsecond=0),
            "Checked in by": context.staff_name(visit.checked_in_by),
            "Checked out": (
                timezone.localtime(visit.checked_out_at).time().replace(microsecond=0)
                if visit.checked_out_at
                else None
            ),
            "Checked out by": context.staff_name(visit.checked_out_by),
            "Minutes": visit.minutes,
            "Worked effectively": "Yes" if visit.worked_effectively else "No",
            "Rewarded by": context.staff_name(visit.rewarded_by),
            "Rewarded": visit.rewarded_at,
        }


register_export_section(
    ExportSection(
        key="pupil_club_bookings",
        title="Club bookings",
        about=PUPIL,
        covers=(Booking, ClubSession, Club),
        rows=pupil_club_bookings,
        description="Each homework club or study session the pupil booked.",
        order=50,
    )
)
register_export_section(
    ExportSection(
        key="pupil_club_visits",
        title="Club visits",
        about=PUPIL,
        covers=(Attendance,),
        rows=pupil_club_visits,
        description="Each visit to a club session as its register records it (other pupils "
        "at the session are not listed).",
        order=51,
    )
)
