"""Internal exclusion days and the non-attendance rule: a pupil absent from their
detention without an authorised reason is booked into the earliest exclusion day with
room, the policy's notice away; an authorised absence rebooks the same kind of session;
attending serves the sanction; a corrected register takes the exclusion day back."""

import datetime

import pytest

from notifications.models import Notification
from sanctions.models import (
    AuditEntry,
    DetentionBooking,
    DetentionSession,
    Sanction,
    SessionKind,
)
from sanctions.notices import DETENTION_MISSED, EXCLUSION_BOOKED, EXCLUSION_CANCELLED
from sanctions.selectors.detentions import waiting_for_a_place
from sanctions.services.detentions import (
    RegisterOutcome,
    detention_register_save,
    detention_series_create,
    detention_session_create,
)
from sanctions.services.policy import policy_current
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory

from .test_detentions_scheduling import MON, TUE, at, sanction_for, session

Status = DetentionBooking.Status
IE = SessionKind.INTERNAL_EXCLUSION
WED, THU = TUE + datetime.timedelta(days=1), TUE + datetime.timedelta(days=2)
AFTER_MONDAY = at(MON, 16, 30)  # the Monday detention's register is taken as it ends


def exclusion_day(world, day, *, capacity=5):
    return DetentionSession.objects.create(
        school=world.school,
        kind=IE,
        date=day,
        start_time=datetime.time(8, 45),
        end_time=datetime.time(15, 15),
        room="Inclusion room",
        supervisor=world.senior_leader,
        capacity=capacity,
    )


def booked(world, pupil, day_session, *, cycle=1):
    return DetentionBooking.objects.create(
        school=world.school,
        sanction=sanction_for(world, pupil, cycle),
        session=day_session,
        kind=day_session.kind,
    )


def take_register(day_session, marks, *, actor, now=AFTER_MONDAY):
    """marks: booking -> mark (or (mark, notes))."""
    return detention_register_save(
        session=day_session,
        marks={b.pk: (mark, "") if isinstance(mark, str) else mark for b, mark in marks.items()},
        actor=actor,
        now=now,
    )


def live_exclusion(sanction):
    return sanction.bookings.get(kind=IE, status__in=DetentionBooking.LIVE)


# The non-attendance rule -----------------------------------------------------------------


def test_an_unauthorised_absence_books_the_earliest_exclusion_day_the_notice_away(world):
    monday = session(world, MON)
    exclusion_day(world, TUE)  # 08:45 on Tuesday is less than 24 hours away
    session(world, TUE)  # a detention session with room: never used for the exclusion
    wednesday = exclusion_day(world, WED)
    exclusion_day(world, THU)
    truant = booked(world, world.pupil, monday)
    outcome = take_register(monday, {truant: Status.ABSENT_UNAUTHORISED}, actor=world.teacher)
    truant.refresh_from_db()
    assert truant.status == Status.ABSENT_UNAUTHORISED
    exclusion = live_exclusion(truant.sanction)
    assert (exclusion.session, exclusion.kind, exclusion.status) == (wednesday, IE, Status.BOOKED)
    assert truant.sanction.bookings.filter(kind=SessionKind.DETENTION).count() == 1
    assert outcome.excluded_on == [WED] and outcome.to_exclude == 0
    truant.sanction.refresh_from_db()
    assert truant.sanction.status == Sanction.Status.TO_SCHEDULE


def test_the_exclusion_day_respects_a_longer_notice(world):
    policy = policy_current(school=world.school)
    policy.minimum_notice_hours = 48
    policy.save()
    monday = session(world, MON)
    exclusion_day(world, WED)  # 08:45 Wednesday: 40 hours and a quarter after the register
    thursday = exclusion_day(world, THU)
    truant = booked(world, world.pupil, monday)
    take_register(monday, {truant: Status.ABSENT_UNAUTHORISED}, actor=world.teacher)
    assert live_exclusion(truant.sanction).session == thursday


def test_each_guardian_is_told_of_the_exclusion_day(world):
    second = GuardianFactory(school=world.school)
    GuardianLinkFactory(guardian=second, pupil=world.pupil)
    monday = session(world, MON)
    exclusion_day(world, WED)
    truant = booked(world, world.pupil, monday)
    take_register(monday, {truant: Status.ABSENT_UNAUTHORISED}, actor=world.teacher)
    # One message each: the missed detention, with the exclusion day it led to.
    told = Notification.objects.filter(pupil=world.pupil)
    assert {n.guardian for n in told} == {world.guardian, second}
    assert {n.kind for n in told} == {DETENTION_MISSED}
    (part,) = told[0].context["parts"]
    assert part["with"]["exclusion_booked"] == {
        "about": f"sanction:{truant.sanction_id}",
        "date": "2026-12-02",
        "start_time": "08:45",
        "end_time": "15:15",
        "room": "Inclusion room",
    }


def test_the_missed_detention_and_the_exclusion_booking_are_audited(world):
    monday = session(world, MON)
    exclusion_day(world, WED)
    truant = booked(world, world.pupil, monday)
    take_register(
        monday,
        {truant: (Status.ABSENT_UNAUTHORISED, "Walked out of school")},
        actor=world.teacher,
    )
    entries = AuditEntry.objects.filter(sanction=truant.sanction).order_by("pk")
    assert [(e.action, e.actor, e.pupil, e.at) for e in entries] == [
        ("internal_exclusion_booked", world.teacher, world.pupil, AFTER_MONDAY),
        ("detention_missed", world.teacher, world.pupil, AFTER_MONDAY),
    ]
    assert entries[0].reason == "Internal exclusion 02/12/2026"
    assert entries[1].reason == "Detention 30/11/2026: Walked out of school"


@pytest.mark.parametrize(
    "flag",
    [{"young_carer": True}, {"sen": "ehcp"}, {"travel_note": "Bus 42 leaves at 15:40"}],
    ids=["young carer", "SEN", "travel note"],
)
def test_a_flagged_pupil_is_booked_straight_into_the_exclusion_day(world, flag):
    pupil = PupilFactory(tutor_group=world.tg_7a, **flag)
    GuardianLinkFactory(guardian=world.guardian, pupil=pupil)
    monday = session(world, MON)
    exclusion_day(world, WED)
    truant = booked(world, pupil, monday)
    take_register(monday, {truant: Status.ABSENT_UNAUTHORISED}, actor=world.teacher)
    assert live_exclusion(truant.sanction).status == Status.BOOKED
    (told,) = Notification.objects.filter(pupil=pupil)
    assert "exclusion_booked" in told.context["parts"][0]["with"]


def test_a_full_exclusion_day_is_skipped_and_the_last_truant_waits(world):
    monday = session(world, MON)
    wednesday = exclusion_day(world, WED, capacity=1)
    thursday = exclusion_day(world, THU, capacity=1)
    truants = [booked(world, p, monday) for p in (world.pupil, world.classmate, world.year8_pupil)]
    outcome = take_register(
        monday, dict.fromkeys(truants, Status.ABSENT_UNAUTHORISED), actor=world.teacher
    )
    assert sorted(outcome.excluded_on) == [WED, THU] and outcome.to_exclude == 1
    assert wednesday.bookings.count() == thursday.bookings.count() == 1
    waiting = list(waiting_for_a_place(world.school.pk, IE))
    assert len(waiting) == 1
    assert not waiting[0].bookings.filter(kind=IE).exists()


def test_with_no_exclusion_day_the_pupil_waits_until_one_is_added(world):
    monday = session(world, MON)
    truant = booked(world, world.pupil, monday)
    other = booked(world, world.classmate, monday)  # attends: never waits for exclusion
    outcome = take_register(
        monday,
        {truant: Status.ABSENT_UNAUTHORISED, other: Status.ATTENDED},
        actor=world.teacher,
    )
    assert outcome.to_exclude == 1 and outcome.excluded_on == []
    assert list(waiting_for_a_place(world.school.pk, IE)) == [truant.sanction]
    assert list(waiting_for_a_place(world.school.pk, SessionKind.DETENTION)) == []

    added = detention_session_create(
        school=world.school,
        kind=IE,
        date=WED,
        start_time=datetime.time(8, 45),
        end_time=datetime.time(15, 15),
        room="Inclusion room",
        supervisor=None,
        capacity=4,
        created_by=world.head_of_year,
        now=at(TUE, 8),
    )
    (day,) = added.sessions
    assert (day.kind, added.booked) == (IE, 1)
    assert live_exclusion(truant.sanction).session == day
    assert list(waiting_for_a_place(world.school.pk, IE)) == []
    assert Notification.objects.filter(kind=EXCLUSION_BOOKED, pupil=world.pupil).exists()
    assert AuditEntry.objects.get(action="internal_exclusion_booked").actor == world.head_of_year


def test_a_detention_series_does_not_book_pupils_waiting_for_an_exclusion_day(world):
    monday = session(world, MON)
    truant = booked(world, world.pupil, monday)
    take_register(monday, {truant: Status.ABSENT_UNAUTHORISED}, actor=world.teacher)
    added = detention_series_create(
        school=world.school,
        start_date=TUE,
        end_date=THU,
        weekdays=[1, 2, 3],
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        supervisor=None,
        capacity=4,
        created_by=world.head_of_year,
        now=at(TUE, 8),
    )
    assert added.booked == 0
    assert truant.sanction.bookings.count() == 1


# The exclusion day's register ------------------------------------------------------------


def excluded(world, pupil=None):
    """A pupil who missed Monday's detention, booked into Wednesday's exclusion day."""
    monday = session(world, MON)
    truant = booked(world, pupil or world.pupil, monday)
    take_register(monday, {truant: Status.ABSENT_UNAUTHORISED}, actor=world.teacher)
    return truant, live_exclusion(truant.sanction)


def test_attending_the_exclusion_day_serves_the_sanction(world):
    wednesday = exclusion_day(world, WED)
    truant, exclusion = excluded(world)
    assert exclusion.session == wednesday
    take_register(
        wednesday, {exclusion: Status.ATTENDED}, actor=world.senior_leader, now=at(WED, 15)
    )
    exclusion.refresh_from_db()
    assert exclusion.status == Status.ATTENDED
    truant.sanction.refresh_from_db()
    assert truant.sanction.status == Sanction.Status.SERVED
    served = AuditEntry.objects.get(action="sanction_served")
    assert (served.actor, served.reason) == (world.senior_leader, "Internal exclusion 02/12/2026")


def test_an_authorised_absence_from_the_exclusion_day_moves_it_to_the_next_day(world):
    wednesday = exclusion_day(world, WED)
    session(world, THU)  # a detention session: never the rebooking
    friday = exclusion_day(world, THU + datetime.timedelta(days=1))
    _, exclusion = excluded(world)
    outcome = take_register(
        wednesday,
        {exclusion: (Status.ABSENT_AUTHORISED, "Hospital appointment")},
        actor=world.senior_leader,
        now=at(WED, 9),
    )
    assert outcome.rebooked == 1
    exclusion.refresh_from_db()
    assert (exclusion.status, exclusion.notes) == (Status.REBOOKED, "Hospital appointment")
    assert live_exclusion(exclusion.sanction).session == friday


def test_an_authorised_absence_with_no_later_day_waits_and_is_booked_when_one_is_added(world):
    wednesday = exclusion_day(world, WED)
    _, exclusion = excluded(world)
    outcome = take_register(
        wednesday, {exclusion: Status.ABSENT_AUTHORISED}, actor=world.senior_leader, now=at(WED, 9)
    )
    assert outcome.to_rebook == 1
    assert list(waiting_for_a_place(world.school.pk, IE)) == [exclusion.sanction]
    added = detention_session_create(
        school=world.school,
        kind=IE,
        date=MON + datetime.timedelta(days=7),
        start_time=datetime.time(8, 45),
        end_time=datetime.time(15, 15),
        room="Inclusion room",
        supervisor=None,
        capacity=4,
        created_by=world.head_of_year,
        now=at(WED, 10),
    )
    assert added.booked == 1
    exclusion.refresh_from_db()
    # Marked rebooked, so a later change to Wednesday's register cannot double-book.
    assert exclusion.status == Status.REBOOKED
    take_register(
        wednesday, {exclusion: Status.ATTENDED}, actor=world.senior_leader, now=at(WED, 11)
    )
    exclusion.refresh_from_db()
    assert exclusion.status == Status.REBOOKED


def test_an_unauthorised_absence_from_the_exclusion_day_is_recorded_and_books_nothing(world):
    wednesday = exclusion_day(world, WED)
    exclusion_day(world, THU)
    session(world, THU)
    truant, exclusion = excluded(world)
    outcome = take_register(
        wednesday,
        {exclusion: Status.ABSENT_UNAUTHORISED},
        actor=world.senior_leader,
        now=at(WED, 9),
    )
    assert (outcome.absent_unauthorised, outcome.excluded_on, outcome.to_exclude) == (1, [], 0)
    exclusion.refresh_from_db()
    assert exclusion.status == Status.ABSENT_UNAUTHORISED
    assert truant.sanction.bookings.count() == 2
    assert AuditEntry.objects.filter(action="internal_exclusion_missed").count() == 1


# Corrected registers ---------------------------------------------------------------------


def test_a_register_corrected_to_attended_takes_back_the_exclusion_day(world):
    wednesday = exclusion_day(world, WED)
    truant, exclusion = excluded(world)
    monday = truant.session
    take_register(monday, {truant: Status.ATTENDED}, actor=world.head_of_year, now=at(MON, 18))
    assert not DetentionBooking.objects.filter(pk=exclusion.pk).exists()
    assert wednesday.bookings.count() == 0
    truant.sanction.refresh_from_db()
    assert truant.sanction.status == Sanction.Status.SERVED
    cancelled = AuditEntry.objects.get(action="internal_exclusion_cancelled")
    assert (cancelled.actor, cancelled.sanction) == (world.head_of_year, truant.sanction)
    told = Notification.objects.get(kind=EXCLUSION_CANCELLED)
    assert (told.pupil, told.context["date"]) == (truant.sanction.pupil, WED.isoformat())


def test_a_register_corrected_to_authorised_rebooks_the_detention_instead(world):
    exclusion_day(world, WED)
    wednesday = session(world, WED)
    truant, exclusion = excluded(world)
    take_register(truant.session, {truant: Status.ABSENT_AUTHORISED}, actor=world.head_of_year)
    assert not truant.sanction.bookings.filter(kind=IE).exists()
    assert truant.sanction.bookings.get(status=Status.BOOKED).session == wednesday


def test_an_exclusion_day_already_attended_is_not_taken_back(world):
    wednesday = exclusion_day(world, WED)
    truant, exclusion = excluded(world)
    take_register(
        wednesday, {exclusion: Status.ATTENDED}, actor=world.senior_leader, now=at(WED, 15)
    )
    take_register(truant.session, {truant: Status.ATTENDED}, actor=world.head_of_year)
    exclusion.refresh_from_db()
    assert exclusion.status == Status.ATTENDED
    assert not AuditEntry.objects.filter(action="internal_exclusion_cancelled").exists()


def test_marking_the_same_absence_twice_books_one_exclusion_day(world):
    exclusion_day(world, WED)
    exclusion_day(world, THU)
    truant, _ = excluded(world)
    outcome = take_register(
        truant.session,
        {truant: (Status.ABSENT_UNAUTHORISED, "Seen leaving at 15:20")},
        actor=world.teacher,
    )
    assert outcome.excluded_on == []
    assert truant.sanction.bookings.filter(kind=IE).count() == 1


def test_a_cancelled_sanction_on_the_register_is_left_alone(world):
    monday = session(world, MON)
    exclusion_day(world, WED)
    truant = booked(world, world.pupil, monday)
    Sanction.objects.filter(pk=truant.sanction_id).update(status=Sanction.Status.CANCELLED)
    outcome = take_register(monday, {truant: Status.ABSENT_UNAUTHORISED}, actor=world.teacher)
    assert outcome == RegisterOutcome()
    truant.refresh_from_db()
    assert truant.status == Status.BOOKED
    assert not DetentionBooking.objects.filter(kind=IE).exists()


def test_a_place_freed_by_a_corrected_register_goes_to_a_pupil_waiting(world):
    wednesday = exclusion_day(world, WED, capacity=1)
    monday = session(world, MON)
    first = booked(world, world.pupil, monday)
    second = booked(world, world.classmate, monday)
    take_register(
        monday,
        {first: Status.ABSENT_UNAUTHORISED, second: Status.ABSENT_UNAUTHORISED},
        actor=world.teacher,
    )
    assert live_exclusion(first.sanction).session == wednesday
    assert not second.sanction.bookings.filter(kind=IE).exists()  # the day was full

    take_register(monday, {first: Status.ATTENDED}, actor=world.head_of_year)

    assert not first.sanction.bookings.filter(kind=IE).exists()
    assert live_exclusion(second.sanction).session == wednesday
