"""A detention or internal exclusion register opens only once its session has started (and
may be corrected any time after), and whatever is booked after a missed session starts
after that session ended: an exclusion day is never booked before the detention it
punishes, however early the register is taken or however short the school's notice."""

import datetime

import pytest
from django.urls import reverse

from notifications.models import Notification
from sanctions.models import AuditEntry, DetentionBooking, DetentionSession, SessionKind
from sanctions.notices import DETENTION_MISSED
from sanctions.services.detentions import (
    SchedulingError,
    detention_register_save,
    detention_series_create,
    detention_session_create,
)
from sanctions.services.policy import policy_current

from .helpers import when_it_starts
from .test_detentions_scheduling import FRI, TUE, at, notice, sanction_for, session

Status = DetentionBooking.Status
IE = SessionKind.INTERNAL_EXCLUSION
MON_BEFORE = TUE - datetime.timedelta(days=1)  # Monday 30/11/2026
WED, THU = TUE + datetime.timedelta(days=1), TUE + datetime.timedelta(days=2)


def exclusion_day(world, day, *, start=(8, 45), end=(15, 15), capacity=5):
    return DetentionSession.objects.create(
        school=world.school,
        kind=IE,
        date=day,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        room="Inclusion room",
        supervisor=world.senior_leader,
        capacity=capacity,
    )


def booked(world, pupil, day_session):
    return DetentionBooking.objects.create(
        school=world.school,
        sanction=sanction_for(world, pupil),
        session=day_session,
        kind=day_session.kind,
    )


REGISTER = {SessionKind.DETENTION: "sanctions_detention", IE: "sanctions_exclusion"}


def _session_of(world, kind):
    return session(world, TUE) if kind == SessionKind.DETENTION else exclusion_day(world, TUE)


# The register opens when the session starts ----------------------------------------------


@pytest.mark.parametrize("kind", [SessionKind.DETENTION, IE], ids=["detention", "exclusion"])
def test_before_the_session_starts_the_register_page_says_when_it_opens(
    client, world, time_machine, kind
):
    day_session = _session_of(world, kind)
    booked(world, world.pupil, day_session)
    time_machine.move_to(at(FRI, 16), tick=False)
    client.force_login(world.head_of_year)
    page = client.get(reverse(f"{REGISTER[kind]}_session", args=[day_session.pk]))
    text = page.content.decode()
    opens = f"{day_session.start_time:%H:%M} on Tuesday 01/12/2026"
    assert f"The register opens when the session starts, at {opens}." in text
    assert "Okafor, Amara" in text  # the list of pupils booked can be printed
    assert 'name="mark_' not in text and "Save the register" not in text


@pytest.mark.parametrize("kind", [SessionKind.DETENTION, IE], ids=["detention", "exclusion"])
def test_a_register_posted_before_the_session_starts_is_refused_and_changes_nothing(
    client, world, time_machine, kind
):
    """The issue's case: Tuesday's register marked on the Friday before."""
    day_session = _session_of(world, kind)
    exclusion_day(world, MON_BEFORE + datetime.timedelta(days=7))
    truant = booked(world, world.pupil, day_session)
    time_machine.move_to(at(FRI, 16), tick=False)
    client.force_login(world.head_of_year)
    response = client.post(
        reverse(f"{REGISTER[kind]}_register", args=[day_session.pk]),
        {f"mark_{truant.pk}": "absent_unauthorised", f"notes_{truant.pk}": "Not there"},
    )
    assert response.status_code == 400
    assert "The register opens when the session starts" in response.content.decode()
    assert "nothing was saved" in response.content.decode()
    truant.refresh_from_db()
    assert (truant.status, truant.notes) == (Status.BOOKED, "")
    assert DetentionBooking.objects.count() == 1  # no exclusion day booked
    assert not AuditEntry.objects.filter(sanction=truant.sanction).exists()
    assert not Notification.objects.filter(kind=DETENTION_MISSED).exists()


def test_the_service_refuses_a_register_before_its_session_starts(world):
    tuesday = session(world, TUE)
    truant = booked(world, world.pupil, tuesday)
    with pytest.raises(SchedulingError, match="opens when the session starts"):
        detention_register_save(
            session=tuesday,
            marks={truant.pk: (Status.ABSENT_UNAUTHORISED, "")},
            actor=world.teacher,
            now=at(TUE, 15, 29),
        )
    truant.refresh_from_db()
    assert truant.status == Status.BOOKED


def test_the_register_opens_at_the_start_and_can_be_corrected_days_after(
    client, world, time_machine
):
    tuesday = session(world, TUE)
    came = booked(world, world.pupil, tuesday)
    client.force_login(world.teacher)  # the supervisor
    url = reverse("sanctions_detention_register", args=[tuesday.pk])
    when_it_starts(time_machine, tuesday)
    page = client.get(reverse("sanctions_detention_session", args=[tuesday.pk]))
    assert 'name="mark_' in page.content.decode()
    assert client.post(url, {f"mark_{came.pk}": "absent_authorised"}).status_code == 302
    time_machine.move_to(at(FRI + datetime.timedelta(days=7), 9), tick=False)
    assert client.post(url, {f"mark_{came.pk}": "attended"}).status_code == 302
    came.refresh_from_db()
    assert came.status == Status.ATTENDED


# Whatever follows a missed session starts after it ended ---------------------------------


def test_the_exclusion_day_is_booked_after_the_missed_detention_on_its_day(world):
    """Friday's register for Tuesday's detention used to book Monday's exclusion day. The
    register now waits for Tuesday, and Monday is in the past by then."""
    tuesday = session(world, TUE)
    exclusion_day(world, MON_BEFORE)
    exclusion_day(world, WED)  # 08:45 on Wednesday: under 24 hours after the register
    thursday = exclusion_day(world, THU)
    truant = booked(world, world.pupil, tuesday)
    outcome = detention_register_save(
        session=tuesday,
        marks={truant.pk: (Status.ABSENT_UNAUTHORISED, "")},
        actor=world.teacher,
        now=at(TUE, 16, 30),
    )
    assert outcome.excluded_on == [THU]
    assert truant.sanction.bookings.get(kind=IE).session == thursday


def test_with_no_notice_the_exclusion_day_still_starts_after_the_detention_ends(world):
    notice(world, 0)
    tuesday = session(world, TUE)  # 15:30 to 16:30
    exclusion_day(world, TUE, start=(16, 0), end=(17, 0))  # overlaps the detention
    after = exclusion_day(world, TUE, start=(16, 30), end=(18, 0))
    truant = booked(world, world.pupil, tuesday)
    detention_register_save(
        session=tuesday,
        marks={truant.pk: (Status.ABSENT_UNAUTHORISED, "")},
        actor=world.teacher,
        now=at(TUE, 15, 45),  # taken during the detention
    )
    assert truant.sanction.bookings.get(kind=IE).session == after


def test_an_exclusion_day_added_later_is_used_only_if_after_the_missed_detention(world):
    """The rule holds in the scheduling service, whichever way the day is booked: here by
    adding exclusion days while the pupil waits for one."""
    notice(world, 0)
    tuesday = session(world, TUE)
    truant = booked(world, world.pupil, tuesday)
    outcome = detention_register_save(
        session=tuesday,
        marks={truant.pk: (Status.ABSENT_UNAUTHORISED, "")},
        actor=world.teacher,
        now=at(TUE, 15, 40),
    )
    assert outcome.to_exclude == 1
    added = detention_session_create(
        school=world.school,
        kind=IE,
        date=TUE,
        start_time=datetime.time(16, 0),
        end_time=datetime.time(17, 0),
        room="Inclusion room",
        supervisor=None,
        capacity=5,
        created_by=world.head_of_year,
        now=at(TUE, 15, 50),
    )
    assert added.booked == 0
    assert not truant.sanction.bookings.filter(kind=IE).exists()
    added = detention_series_create(
        school=world.school,
        kind=IE,
        start_date=WED,
        end_date=WED,
        weekdays=[WED.weekday()],
        start_time=datetime.time(8, 45),
        end_time=datetime.time(15, 15),
        room="Inclusion room",
        supervisor=None,
        capacity=5,
        created_by=world.head_of_year,
        now=at(TUE, 15, 55),
    )
    assert added.booked == 1
    assert truant.sanction.bookings.get(kind=IE).session.date == WED


def test_a_detention_rebooked_after_an_authorised_absence_starts_after_the_one_missed(world):
    notice(world, 0)
    tuesday = session(world, TUE)  # 15:30 to 16:30
    session(world, TUE, start=(16, 0))  # a second room, overlapping the first
    later = session(world, TUE, start=(16, 30))
    excused = booked(world, world.pupil, tuesday)
    outcome = detention_register_save(
        session=tuesday,
        marks={excused.pk: (Status.ABSENT_AUTHORISED, "Sent home ill")},
        actor=world.teacher,
        now=at(TUE, 15, 35),
    )
    assert outcome.rebooked == 1
    assert excused.sanction.bookings.get(status=Status.BOOKED).session == later


def test_the_booking_rule_reads_the_schools_notice_when_it_is_longer(world):
    """The later of the two: 48 hours' notice after Tuesday's register is Thursday."""
    policy = policy_current(school=world.school)
    policy.minimum_notice_hours = 48
    policy.save()
    tuesday = session(world, TUE)
    exclusion_day(world, WED)
    thursday = exclusion_day(world, THU, start=(15, 30), end=(17, 0))
    truant = booked(world, world.pupil, tuesday)
    detention_register_save(
        session=tuesday,
        marks={truant.pk: (Status.ABSENT_UNAUTHORISED, "")},
        actor=world.teacher,
        now=at(TUE, 15, 30),
    )
    assert truant.sanction.bookings.get(kind=IE).session == thursday
