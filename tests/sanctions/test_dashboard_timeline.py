"""A pupil's timeline of missed deadlines, sanctions, detention and exclusion bookings,
meetings, commendations and audit entries, for the staff who look after them; links to
excuse a counted miss for those who may excuse."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from sanctions.models import (
    AuditEntry,
    Commendation,
    DetentionBooking,
    Meeting,
    MeetingWith,
    Sanction,
    SessionKind,
)
from sanctions.selectors.dashboard import ACTION_LABELS
from sanctions.services.detentions import detention_register_save
from sanctions.services.misses import miss_excuse, miss_record
from sanctions.services.policy import policy_current
from tests.factories import GuardianFactory, GuardianLinkFactory, PupilFactory
from tests.sanctions.helpers import overdue_assignments

from .test_dashboard_lists import FRI, MON, TUE, _session, at

Status = DetentionBooking.Status


def _url(pupil):
    return reverse("sanctions_pupil", args=[pupil.pk])


@pytest.fixture
def timeline_world(world):
    """Amara: four misses (one sanction), then one excused, which cancels the sanction
    (and the three left earn it again)."""
    misses = miss_record(
        recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 4)
    )
    world.excused = miss_excuse(
        actor=world.head_of_year, miss=misses[0], reason="Bereavement in the family"
    )
    world.misses = misses
    return world


def test_timeline_lists_misses_sanctions_and_audit_newest_first(client, timeline_world):
    w = timeline_world
    client.force_login(w.head_of_year)
    response = client.get(_url(w.pupil))
    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert len(timeline.misses) == 4
    assert [m.recorded_at for m in timeline.misses] == sorted(
        (m.recorded_at for m in timeline.misses), reverse=True
    )
    # The excuse cancelled cycle 1's sanction; the three misses left fill it again.
    assert sorted((s.cycle, s.status) for s in timeline.sanctions) == [
        (1, Sanction.Status.CANCELLED),
        (1, Sanction.Status.TO_SCHEDULE),
    ]
    actions = [entry.action for entry in timeline.audit]
    # The excuse (cancelling cycle 1 and earning it again) comes before the recording.
    assert set(actions[:3]) == {"miss_excused", "sanction_cancelled", "sanction_created"}
    assert sorted(actions[3:]) == ["miss_recorded"] * 4 + ["sanction_created"]
    assert [e.at for e in timeline.audit] == sorted((e.at for e in timeline.audit), reverse=True)
    content = response.content.decode()
    assert "Bereavement in the family" in content
    assert "Task 0" in content
    assert "Missed deadline excused" in content


def test_excuse_links_for_counted_misses_only_and_only_for_who_may_excuse(client, timeline_world):
    w = timeline_world
    counted_links = [
        reverse("sanctions_miss_excuse", args=[m.pk]) for m in w.misses if m.pk != w.excused.pk
    ]
    client.force_login(w.teacher)  # the form tutor
    content = client.get(_url(w.pupil)).content.decode()
    assert all(link in content for link in counted_links)
    assert reverse("sanctions_miss_excuse", args=[w.excused.pk]) not in content
    client.force_login(w.head_of_house)  # sees the timeline, may not excuse
    content = client.get(_url(w.pupil)).content.decode()
    assert not any(link in content for link in counted_links)


def test_subject_teachers_and_other_schools_get_404(client, timeline_world):
    w = timeline_world
    for who in (w.other_teacher, w.subject_leader, w.other_school_staff, w.parent):
        client.force_login(who)
        assert client.get(_url(w.pupil)).status_code == 404


def test_head_of_year_7_never_opens_a_year_8_timeline(client, world):
    client.force_login(world.head_of_year)
    assert client.get(_url(world.year8_pupil)).status_code == 404


def test_timeline_shows_detentions_exclusion_days_meetings_and_commendations(
    client, world, time_machine
):
    """Amara's detention (step 1 adds a form tutor meeting) is missed without a reason;
    the exclusion day that follows is attended; the meeting is held; a teacher sends a
    positive contact home."""
    w = world
    step = policy_current(school=w.school).steps.get(number=1)
    step.meeting_with = MeetingWith.FORM_TUTOR
    step.save()
    time_machine.move_to(at(MON, 8), tick=False)
    tuesday = _session(w, TUE)
    friday = _session(w, FRI, kind=SessionKind.INTERNAL_EXCLUSION, room="IE1")
    time_machine.move_to(at(MON, 9), tick=False)
    miss_record(recorder=w.teacher, assignments=overdue_assignments(w, w.pupil, 3))
    time_machine.move_to(at(TUE, 16, 40), tick=False)
    detention = tuesday.bookings.get()
    detention_register_save(
        session=tuesday,
        marks={detention.pk: (Status.ABSENT_UNAUTHORISED, "Left at lunch")},
        actor=w.teacher,
    )
    time_machine.move_to(at(FRI, 15, 30), tick=False)
    exclusion = friday.bookings.get()
    detention_register_save(
        session=friday, marks={exclusion.pk: (Status.ATTENDED, "Worked well")}, actor=w.teacher
    )
    Meeting.objects.filter(pupil=w.pupil).update(
        status=Meeting.Status.HELD,
        proposed_at=at(FRI, 16),
        place="Room 4",
        outcome="Agreed a homework plan",
    )
    Commendation.objects.create(
        school=w.school,
        pupil=w.pupil,
        kind=Commendation.Kind.POSITIVE_CONTACT,
        reason=Commendation.Reason.HIGH_STANDARD,
        note="Superb essay on volcanoes",
        awarded_by=w.other_teacher,
        awarded_at=timezone.now(),
    )

    client.force_login(w.head_of_year)
    response = client.get(_url(w.pupil))
    timeline = response.context["timeline"]
    assert [(b.kind, b.status, b.notes) for b in timeline.bookings] == [
        (SessionKind.INTERNAL_EXCLUSION, Status.ATTENDED, "Worked well"),
        (SessionKind.DETENTION, Status.ABSENT_UNAUTHORISED, "Left at lunch"),
    ]
    (meeting,) = timeline.meetings
    assert (meeting.meeting_with, meeting.owner, meeting.status) == (
        MeetingWith.FORM_TUTOR,
        w.teacher,
        Meeting.Status.HELD,
    )
    assert reverse("sanctions_meeting", args=[meeting.pk]) in response.content.decode()
    assert [c.note for c in timeline.commendations] == ["Superb essay on volcanoes"]
    assert {"detention_missed", "sanction_served"} <= {e.action for e in timeline.audit}
    content = response.content.decode()
    for text in (
        "Tue 24/11/2026",
        "Absent (unauthorised)",
        "Left at lunch",
        "Fri 27/11/2026",
        "Internal exclusion, 08:40–15:10, IE1",
        "Worked well",
        "Form tutor",
        "Tess Teacher",
        "Held",
        "Fri 27/11/2026 16:00",
        "Agreed a homework plan",
        "Positive contact home",
        "High standard of homework",
        "Superb essay on volcanoes",
        str(w.other_teacher),
        "Detention missed without an authorised reason",
        "Sanction served",
    ):
        assert text in content, text


NEW_ACTIONS = [
    "sanction_served",
    "detention_missed",
    "internal_exclusion_booked",
    "internal_exclusion_missed",
    "internal_exclusion_cancelled",
    "meeting_arranged",
    "meeting_rearranged",
    "meeting_held",
    "meeting_cancelled",
    "meeting_reassigned",
    "commendation_recorded",
]


def test_every_audit_action_of_detentions_meetings_and_commendations_has_a_label(client, world):
    now = timezone.now()
    AuditEntry.objects.bulk_create(
        AuditEntry(
            school=world.school,
            pupil=world.pupil,
            actor=world.head_of_year,
            at=now - datetime.timedelta(minutes=n),
            action=action,
        )
        for n, action in enumerate(NEW_ACTIONS)
    )
    client.force_login(world.head_of_year)
    response = client.get(_url(world.pupil))
    labels = [entry.label for entry in response.context["timeline"].audit]
    assert labels == [ACTION_LABELS[action] for action in NEW_ACTIONS]
    content = response.content.decode()
    for label in labels:
        assert label in content
    assert "_" not in "".join(labels)


def _many_records(world, count):
    """`count` sanctions of the pupil (from cycle 101, clear of the engine's), each with
    its meeting, a detention booking in a session of its own, an audit entry, and a
    commendation."""
    policy = policy_current(school=world.school)
    for n in range(count):
        cycle = 101 + n
        sanction = Sanction.objects.create(
            school=world.school,
            pupil=world.pupil,
            academic_year=world.academic_year,
            cycle=cycle,
            policy=policy,
            step_number=1,
            detention_minutes=60,
            meeting_with=MeetingWith.FORM_TUTOR,
        )
        Meeting.objects.create(
            school=world.school,
            sanction=sanction,
            pupil=world.pupil,
            meeting_with=MeetingWith.FORM_TUTOR,
            owner=world.teacher if n % 2 else None,
        )
        DetentionBooking.objects.create(
            school=world.school,
            sanction=sanction,
            session=_session(world, TUE + datetime.timedelta(days=7 * n)),
            changed_by=world.teacher,
        )
        AuditEntry.objects.create(
            school=world.school,
            pupil=world.pupil,
            actor=world.teacher,
            at=timezone.now(),
            action="meeting_arranged",
            sanction=sanction,
        )
        Commendation.objects.create(
            school=world.school,
            pupil=world.pupil,
            kind=Commendation.Kind.COMMENDATION,
            reason=Commendation.Reason.COMPLETED_HOMEWORK,
            assignment=overdue_assignments(world, world.pupil, 1)[0],
            awarded_by=world.other_teacher,
            awarded_at=timezone.now(),
        )


@pytest.mark.parametrize("extra", [0, 10])
def test_timeline_query_count_does_not_grow_with_its_rows(
    client, world, django_assert_num_queries, extra
):
    for assignment in overdue_assignments(world, world.pupil, 1 + extra):
        # One register each: one message each (one event is one message per family).
        miss_record(recorder=world.teacher, assignments=[assignment])
    _many_records(world, 1 + extra)
    PupilFactory(tutor_group=world.tg_7a)
    client.force_login(world.head_of_year)
    # session, user, roles, pupil, misses, sanctions, their detention and exclusion
    # bookings (which their stages are read from too), meetings, commendations, audit
    # entries, messages to parents and their deliveries, where the pupil was in past years;
    # + 1: the access log's insert (privacy/access_log), after the response, reading nothing
    with django_assert_num_queries(14):
        response = client.get(_url(world.pupil))
    timeline = response.context["timeline"]
    assert len(timeline.told) >= 1 + extra  # each miss told the parents
    assert len(timeline.misses) == 1 + extra
    assert len(timeline.bookings) == 1 + extra
    assert len(timeline.meetings) >= 1 + extra  # and those of the engine's later cycles
    assert len(timeline.commendations) == 1 + extra


def test_the_timeline_says_whether_each_message_reached_the_parents(
    client, world, django_capture_on_commit_callbacks
):
    world.guardian.email = ""
    world.guardian.mobile = ""
    world.guardian.save()  # nowhere to send: the delivery fails with the reason
    other = GuardianFactory(school=world.school, email="dad@example.org", last_name="Okafor")
    GuardianLinkFactory(guardian=other, pupil=world.pupil)
    with django_capture_on_commit_callbacks(execute=True):
        miss_record(recorder=world.teacher, assignments=overdue_assignments(world, world.pupil, 1))
    client.force_login(world.head_of_year)

    response = client.get(_url(world.pupil))

    told = {n.guardian: n for n in response.context["timeline"].told}
    assert told[other].status == Notification.Status.SENT
    assert told[world.guardian].status == Notification.Status.FAILED
    html = response.content.decode()
    assert "Messages to parents (2)" in html and "Failed" in html and "by email" in html
