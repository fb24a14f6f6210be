"""Detention sessions and booking sanctions into them: series skip non-school days, a
sanction goes to the earliest session with room after the minimum notice, flagged pupils
wait for a check, and concurrent bookings never overfill a session."""

import datetime
import threading
import zoneinfo

import pytest
from django.db import connection, connections

from notifications.models import Notification
from sanctions.models import DetentionBooking, DetentionSession, Sanction
from sanctions.notices import DETENTION_BOOKED, SANCTION_DUE
from sanctions.services.detentions import (
    SchedulingError,
    detention_booking_confirm,
    detention_series_create,
    detention_session_create,
    sanction_schedule,
)
from sanctions.services.misses import miss_record
from sanctions.services.policy import policy_current
from school.models import NonSchoolDay
from tests.factories import HalfTermFactory, PupilFactory

from .test_engine import overdue_assignments

LONDON = zoneinfo.ZoneInfo("Europe/London")
Status = DetentionBooking.Status

# A week in November 2026 (GMT): Thursday 26th to Tuesday 1st December.
THU, FRI, SAT = (
    datetime.date(2026, 11, 26),
    datetime.date(2026, 11, 27),
    datetime.date(2026, 11, 28),
)
MON, TUE = datetime.date(2026, 11, 30), datetime.date(2026, 12, 1)


def at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def session(world, day, *, capacity=10, start=(15, 30)):
    return DetentionSession.objects.create(
        school=world.school,
        date=day,
        start_time=datetime.time(*start),
        end_time=datetime.time(start[0] + 1, start[1]),
        room="B12",
        supervisor=world.teacher,
        capacity=capacity,
    )


def sanction_for(world, pupil, cycle=1):
    policy = policy_current(school=world.school)
    return Sanction.objects.create(
        school=world.school,
        pupil=pupil,
        academic_year=world.academic_year,
        cycle=cycle,
        policy=policy,
        step_number=1,
        detention_minutes=60,
    )


def notice(world, hours):
    policy = policy_current(school=world.school)
    policy.minimum_notice_hours = hours
    policy.save()


def series(world, start, end, weekdays):
    return detention_series_create(
        school=world.school,
        start_date=start,
        end_date=end,
        weekdays=weekdays,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        supervisor=world.head_of_year,
        capacity=20,
        created_by=world.head_of_year,
    ).sessions


# Series --------------------------------------------------------------------------------


def test_a_series_runs_on_the_chosen_weekdays_and_skips_weekends(world):
    sessions = series(world, datetime.date(2026, 11, 23), datetime.date(2026, 12, 6), range(7))
    days = [s.date for s in sessions]
    assert len(days) == 10
    assert all(day.weekday() < 5 for day in days)
    assert len({s.series for s in sessions}) == 1


def test_a_series_runs_at_weekends_when_the_policy_allows_them(world):
    policy = policy_current(school=world.school)
    policy.weekend_sessions_allowed = True
    policy.save()
    sessions = series(world, datetime.date(2026, 11, 23), datetime.date(2026, 11, 29), [5])
    assert [s.date for s in sessions] == [SAT]


def test_a_series_skips_bank_holidays_and_inset_days(world):
    NonSchoolDay.objects.create(
        school=world.school, date=datetime.date(2027, 5, 3), kind=NonSchoolDay.Kind.BANK_HOLIDAY
    )
    NonSchoolDay.objects.create(
        school=world.school, date=datetime.date(2027, 5, 10), kind=NonSchoolDay.Kind.INSET
    )
    sessions = series(world, datetime.date(2027, 5, 1), datetime.date(2027, 5, 31), [0])
    assert [s.date.day for s in sessions] == [17, 24, 31]


def test_a_series_skips_the_holidays_between_half_terms(world):
    HalfTermFactory(
        academic_year=world.academic_year,
        start_date=datetime.date(2026, 9, 2),
        end_date=datetime.date(2026, 10, 23),
    )
    sessions = series(world, datetime.date(2026, 10, 19), datetime.date(2026, 11, 6), [0, 2])
    assert [s.date for s in sessions] == [datetime.date(2026, 10, 19), datetime.date(2026, 10, 21)]


def test_a_single_session_is_never_created_on_a_bank_holiday(world):
    NonSchoolDay.objects.create(school=world.school, date=MON, kind=NonSchoolDay.Kind.BANK_HOLIDAY)
    with pytest.raises(SchedulingError, match="not a school day"):
        detention_session_create(
            school=world.school,
            date=MON,
            start_time=datetime.time(15, 30),
            end_time=datetime.time(16, 30),
            room="B12",
            supervisor=None,
            capacity=10,
            created_by=world.head_of_year,
        )
    assert not DetentionSession.objects.exists()


def test_a_series_with_no_school_day_is_refused(world):
    with pytest.raises(SchedulingError, match="No school day"):
        series(world, SAT, SAT + datetime.timedelta(days=1), [5, 6])
    assert not DetentionSession.objects.exists()


# Scheduling ----------------------------------------------------------------------------


def test_a_sanction_is_booked_into_the_earliest_session_and_parents_are_told(world):
    later = session(world, TUE)
    earliest = session(world, MON)
    booking = sanction_schedule(sanction=sanction_for(world, world.pupil), now=at(FRI, 15))
    assert booking.session == earliest != later
    assert booking.status == Status.BOOKED
    told = Notification.objects.get(kind=DETENTION_BOOKED)
    assert told.pupil == world.pupil
    assert told.context == {
        "about": f"sanction:{booking.sanction_id}",
        "date": "2026-11-30",
        "start_time": "15:30",
        "end_time": "16:30",
        "room": "B12",
    }


@pytest.mark.parametrize(
    ("recorded", "booked_on"), [(at(FRI, 15), MON), (at(FRI, 16), TUE)], ids=["72h", "71.5h"]
)
def test_a_friday_miss_goes_to_monday_only_with_the_full_notice(world, recorded, booked_on):
    notice(world, 72)
    session(world, SAT)  # weekends are not allowed by the policy
    session(world, MON)
    session(world, TUE)
    booking = sanction_schedule(sanction=sanction_for(world, world.pupil), now=recorded)
    assert booking.session.date == booked_on


def test_a_session_less_than_24_hours_away_is_skipped(world):
    session(world, FRI)  # 23.5 hours after a Thursday 16:00 miss
    monday = session(world, MON)
    booking = sanction_schedule(sanction=sanction_for(world, world.pupil), now=at(THU, 16))
    assert booking.session == monday


def test_a_weekend_session_is_used_when_the_policy_allows_weekends(world):
    policy = policy_current(school=world.school)
    policy.weekend_sessions_allowed = True
    policy.save()
    saturday = session(world, SAT, start=(9, 0))
    session(world, MON)
    booking = sanction_schedule(sanction=sanction_for(world, world.pupil), now=at(FRI, 8))
    assert booking.session == saturday


def test_a_session_on_a_day_later_closed_is_skipped(world):
    session(world, MON)
    tuesday = session(world, TUE)
    NonSchoolDay.objects.create(school=world.school, date=MON, kind=NonSchoolDay.Kind.CLOSURE)
    booking = sanction_schedule(sanction=sanction_for(world, world.pupil), now=at(FRI, 9))
    assert booking.session == tuesday


def test_a_full_session_is_skipped(world):
    full = session(world, MON, capacity=1)
    tuesday = session(world, TUE)
    first = sanction_schedule(sanction=sanction_for(world, world.pupil), now=at(FRI, 9))
    second = sanction_schedule(sanction=sanction_for(world, world.classmate), now=at(FRI, 9))
    assert (first.session, second.session) == (full, tuesday)


def test_a_cancelled_sanction_frees_its_place(world):
    monday = session(world, MON, capacity=1)
    first = sanction_for(world, world.pupil)
    sanction_schedule(sanction=first, now=at(FRI, 9))
    Sanction.objects.filter(pk=first.pk).update(status=Sanction.Status.CANCELLED)
    booking = sanction_schedule(sanction=sanction_for(world, world.classmate), now=at(FRI, 9))
    assert booking.session == monday


def test_with_no_session_with_room_the_sanction_stays_to_schedule(world):
    session(world, MON, capacity=1)
    sanction_schedule(sanction=sanction_for(world, world.pupil), now=at(FRI, 9))
    waiting = sanction_for(world, world.classmate)
    assert sanction_schedule(sanction=waiting, now=at(FRI, 9)) is None
    waiting.refresh_from_db()
    assert waiting.status == Sanction.Status.TO_SCHEDULE
    assert not waiting.bookings.exists()


def test_scheduling_twice_keeps_the_one_booking(world):
    session(world, MON)
    session(world, TUE)
    sanction = sanction_for(world, world.pupil)
    first = sanction_schedule(sanction=sanction, now=at(FRI, 9))
    again = sanction_schedule(sanction=sanction, now=at(FRI, 9))
    assert first == again
    assert sanction.bookings.count() == 1


@pytest.mark.parametrize(
    "flag",
    [{"young_carer": True}, {"sen": "support"}, {"travel_note": "Bus 42 leaves at 15:40"}],
    ids=["young carer", "SEN", "travel note"],
)
def test_a_flagged_pupil_is_booked_for_a_check_and_parents_wait(world, flag):
    session(world, MON)
    pupil = PupilFactory(tutor_group=world.tg_7a, **flag)
    booking = sanction_schedule(sanction=sanction_for(world, pupil), now=at(FRI, 9))
    assert booking.status == Status.NEEDS_CHECK
    assert not Notification.objects.filter(kind=DETENTION_BOOKED).exists()


def test_confirming_a_checked_booking_books_it_and_tells_parents(world):
    session(world, MON)
    world.pupil.young_carer = True
    world.pupil.save()
    booking = sanction_schedule(sanction=sanction_for(world, world.pupil), now=at(FRI, 9))
    detention_booking_confirm(booking=booking, actor=world.head_of_year)
    booking.refresh_from_db()
    assert (booking.status, booking.changed_by) == (Status.BOOKED, world.head_of_year)
    assert Notification.objects.filter(kind=DETENTION_BOOKED, pupil=world.pupil).exists()
    with pytest.raises(SchedulingError):
        detention_booking_confirm(booking=booking, actor=world.head_of_year)


def test_a_completed_cycle_is_booked_by_the_engine(world, time_machine):
    time_machine.move_to(at(FRI, 15), tick=False)
    monday = session(world, MON)
    misses = miss_record(
        recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 3)
    )
    sanction = misses[0].pupil.sanctions.get()
    assert sanction.bookings.get().session == monday
    # One message tells of the third miss, the detention and the session it is booked in.
    (told,) = Notification.objects.filter(pupil=world.pupil)
    assert told.kind == SANCTION_DUE
    assert told.context["parts"][-1]["with"]["detention_booked"]["date"] == MON.isoformat()


# Concurrency ---------------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL (CI runs it)"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_exceed_a_sessions_capacity(world):
    monday = session(world, MON, capacity=3)
    tuesday = session(world, TUE, capacity=3)
    sanctions = [sanction_for(world, PupilFactory(tutor_group=world.tg_7a)) for _ in range(10)]
    start = threading.Barrier(len(sanctions))
    errors = []

    def book(sanction):
        try:
            start.wait()
            sanction_schedule(sanction=sanction, now=at(FRI, 9))
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(s,)) for s in sanctions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert monday.bookings.count() == 3
    assert tuesday.bookings.count() == 3
    assert DetentionBooking.objects.count() == 6
