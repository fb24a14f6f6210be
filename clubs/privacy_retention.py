"""Clubs' line of the retention schedule (privacy/registry.py): a booking is only the
plan to come, and goes; the attendance (who came, for how long, the reward) is what the
take-up figures count, and stays: it names the pupil only through the pupil record, which
the leavers' line anonymises."""

import datetime

from django.db.models import QuerySet

from privacy.registry import RecordKind, register_record_kind
from privacy.retention.events import first_year_not_ended, rows_delete
from school.models import School

from .models import Attendance, Booking


def bookings_due(school: School, cutoff: datetime.date) -> QuerySet:
    return Booking.objects.filter(
        school=school, session__date__lt=first_year_not_ended(school, cutoff)
    )


register_record_kind(
    RecordKind(
        key="club_bookings",
        label="Club bookings and attendance",
        event="the end of the academic year of the session",
        default_months=12,
        guidance=(
            "Kept for the year after, to compare take-up. Our suggestion; confirm it with "
            "your data protection officer."
        ),
        action=(
            "Bookings are deleted. Attendance stays (it is what the take-up figures count), "
            "naming the pupil only through their record, which the leavers' line "
            "anonymises."
        ),
        due=bookings_due,
        apply=rows_delete,
        order=300,
        covers=(Booking, Attendance),
    )
)
