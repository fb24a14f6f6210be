"""Meetings the ladder adds: the engine gives each one to the holder of the step's role
for the pupil, and the meeting services arrange, hold, cancel and reassign them with an
audit entry each, telling invited parents of dates, changes and cancellations."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from sanctions.models import AuditEntry, EscalationStep, Meeting, MeetingWith, Sanction
from sanctions.notices import MEETING_ARRANGED, MEETING_CANCELLED, SANCTION_CANCELLED
from sanctions.selectors.meetings import may_change, may_reassign, meetings_visible_to
from sanctions.services import SanctionError
from sanctions.services.meetings import (
    meeting_arrange,
    meeting_cancel,
    meeting_reassign,
    meeting_record_held,
)
from sanctions.services.misses import miss_excuse, miss_record, miss_void
from sanctions.services.policy import policy_current
from tests.factories import PupilFactory
from tests.sanctions.helpers import overdue_assignments

Status = Meeting.Status


def record(world, assignments, *, recorder=None):
    return miss_record(recorder=recorder or world.teacher, assignments=assignments)


def meeting_for(
    world,
    pupil=None,
    *,
    cycle=2,
    meeting_with=MeetingWith.FORM_TUTOR,
    owner=None,
    status=Status.TO_ARRANGE,
    parents_invited=True,
    proposed_at=None,
    place="",
):
    """A sanction with its meeting, made directly (the engine's own path is tested below)."""
    pupil = pupil or world.pupil
    sanction = Sanction.objects.create(
        school=world.school,
        pupil=pupil,
        academic_year=world.academic_year,
        cycle=cycle,
        policy=policy_current(school=world.school),
        step_number=min(cycle, 4),
        detention_minutes=60,
        meeting_with=meeting_with,
        parents_invited=parents_invited,
    )
    return Meeting.objects.create(
        school=world.school,
        sanction=sanction,
        pupil=pupil,
        meeting_with=meeting_with,
        owner=owner,
        parents_invited=parents_invited,
        status=status,
        proposed_at=proposed_at,
        place=place,
    )


def in_days(days, hour=16):
    local = timezone.localtime() + datetime.timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)


def told(pupil, kind):
    return list(Notification.objects.filter(pupil=pupil, kind=kind).order_by("pk"))


def audit_of(meeting):
    return list(
        AuditEntry.objects.filter(sanction=meeting.sanction_id, action__startswith="meeting_")
        .order_by("pk")
        .values_list("action", "actor", "reason")
    )


# The engine ------------------------------------------------------------------------------


def test_each_cycle_with_a_meeting_gives_it_to_the_holder_of_the_role(world):
    assignments = overdue_assignments(world, world.pupil, 12)
    record(world, assignments[:3])
    assert not Meeting.objects.exists()  # cycle 1: a detention only

    record(world, assignments[3:6])
    tutor_meeting = Meeting.objects.get()
    assert (tutor_meeting.meeting_with, tutor_meeting.owner) == (
        MeetingWith.FORM_TUTOR,
        world.teacher,  # the form tutor of 7A
    )
    assert tutor_meeting.sanction.cycle == 2
    assert (tutor_meeting.status, tutor_meeting.parents_invited) == (Status.TO_ARRANGE, True)

    record(world, assignments[6:9])
    house_meeting = Meeting.objects.get(sanction__cycle=3)
    assert (house_meeting.meeting_with, house_meeting.owner) == (
        MeetingWith.HEAD_OF_HOUSE,
        world.head_of_house,
    )

    record(world, assignments[9:12])
    year_meeting = Meeting.objects.get(sanction__cycle=4)
    assert (year_meeting.meeting_with, year_meeting.owner) == (
        MeetingWith.HEAD_OF_YEAR,
        world.head_of_year,
    )


def test_a_senior_leader_meeting_has_no_owner_until_one_arranges_it(world):
    policy = policy_current(school=world.school)
    EscalationStep.objects.filter(policy=policy, number=1).update(
        meeting_with=MeetingWith.SENIOR_LEADER
    )
    record(world, overdue_assignments(world, world.pupil, 3))
    meeting = Meeting.objects.get()
    assert (meeting.meeting_with, meeting.owner) == (MeetingWith.SENIOR_LEADER, None)

    meeting_arrange(
        actor=world.senior_leader, meeting=meeting, when=in_days(3), place="Head's office"
    )
    meeting.refresh_from_db()
    assert meeting.owner == world.senior_leader
    (notice,) = told(world.pupil, MEETING_ARRANGED)
    assert notice.context["with"] == str(world.senior_leader)


def test_a_pupil_whose_role_has_no_holder_gets_a_meeting_without_an_owner(world):
    untutored = PupilFactory(tutor_group=world.tg_7b)  # 7B has no form tutor
    record(world, overdue_assignments(world, untutored, 6))
    assert Meeting.objects.get().owner is None


def test_voiding_a_miss_cancels_the_arranged_meeting_and_tells_parents(world):
    assignments = overdue_assignments(world, world.pupil, 6)
    misses = record(world, assignments)
    meeting = Meeting.objects.get()
    meeting_arrange(actor=world.teacher, meeting=meeting, when=in_days(2), place="Room 7A")

    miss_void(actor=world.teacher, miss=misses[4], reason="Handed in on paper")
    meeting.refresh_from_db()
    assert meeting.status == Status.CANCELLED
    assert (meeting.changed_by, meeting.sanction.status) == (
        world.teacher,
        Sanction.Status.CANCELLED,
    )
    # One message: the detention is cancelled, and the meeting with it.
    (notice,) = told(world.pupil, SANCTION_CANCELLED)
    assert notice.guardian == world.guardian
    assert "meeting_cancelled" in notice.context["parts"][0]["with"]


def test_voiding_a_miss_of_a_meeting_still_to_arrange_tells_parents_nothing_of_it(world):
    misses = record(world, overdue_assignments(world, world.pupil, 6))
    miss_void(actor=world.teacher, miss=misses[5], reason="Wrong pupil")
    assert Meeting.objects.get().status == Status.CANCELLED
    assert told(world.pupil, MEETING_CANCELLED) == []


def test_a_held_meeting_stays_held_when_its_sanction_is_cancelled(world):
    misses = record(world, overdue_assignments(world, world.pupil, 6))
    meeting = Meeting.objects.get()
    meeting_record_held(actor=world.teacher, meeting=meeting, outcome="Agreed a plan.")
    miss_excuse(actor=world.head_of_year, miss=misses[5], reason="Bereavement")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == (Status.HELD, "Agreed a plan.")


# Arranging -------------------------------------------------------------------------------


def test_arranging_dates_the_meeting_audits_it_and_tells_the_parents(world):
    meeting = meeting_for(world, owner=world.teacher)
    when = in_days(3, hour=15)
    meeting_arrange(actor=world.teacher, meeting=meeting, when=when, place="Room 7A")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.proposed_at, meeting.place) == (
        Status.ARRANGED,
        when,
        "Room 7A",
    )
    assert (meeting.changed_by, meeting.owner) == (world.teacher, world.teacher)
    assert audit_of(meeting) == [
        ("meeting_arranged", world.teacher.pk, f"{when:%d/%m/%Y} 15:00, Room 7A, with Tess Teacher")
    ]
    (notice,) = told(world.pupil, MEETING_ARRANGED)
    assert notice.guardian == world.guardian
    assert notice.context | {"at": None} == {
        "meeting_with": "form_tutor",
        "at": None,
        "date": f"{when:%d/%m/%Y}",
        "time": "15:00",
        "place": "Room 7A",
        "with": "Tess Teacher",
        "rearranged": False,
    }


def test_rearranging_is_audited_as_such_and_parents_are_told_again(world):
    meeting = meeting_for(world, owner=world.teacher)
    meeting_arrange(actor=world.teacher, meeting=meeting, when=in_days(3), place="7A")
    meeting_arrange(actor=world.head_of_year, meeting=meeting, when=in_days(4), place="Library")
    assert [a for a, _, _ in audit_of(meeting)] == ["meeting_arranged", "meeting_rearranged"]
    first, second = told(world.pupil, MEETING_ARRANGED)
    assert (first.context["rearranged"], second.context["rearranged"]) == (False, True)
    assert second.context["place"] == "Library"
    meeting.refresh_from_db()
    assert meeting.owner == world.teacher  # arranging does not take an owned meeting


def test_parents_not_invited_are_not_told_of_the_date(world):
    meeting = meeting_for(world, owner=world.teacher, parents_invited=False)
    meeting_arrange(actor=world.teacher, meeting=meeting, when=in_days(1), place="7A")
    assert Notification.objects.count() == 0
    assert [a for a, _, _ in audit_of(meeting)] == ["meeting_arranged"]


@pytest.mark.parametrize(
    ("when", "place", "error"),
    [
        (lambda: timezone.now() - datetime.timedelta(minutes=1), "7A", "in the future"),
        (lambda: in_days(1), "   ", "Give the place"),
        (lambda: in_days(1), "x" * 101, "at most 100"),
    ],
    ids=["past", "no place", "long place"],
)
def test_arranging_refuses_a_past_date_or_no_place_and_changes_nothing(world, when, place, error):
    meeting = meeting_for(world, owner=world.teacher)
    with pytest.raises(SanctionError, match=error):
        meeting_arrange(actor=world.teacher, meeting=meeting, when=when(), place=place)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.proposed_at) == (Status.TO_ARRANGE, None)
    assert not AuditEntry.objects.exists() and not Notification.objects.exists()


# Holding, cancelling, reassigning --------------------------------------------------------


def test_recording_a_meeting_as_held_keeps_the_outcome_and_tells_nobody(world):
    meeting = meeting_for(world, owner=world.teacher)
    meeting_arrange(actor=world.teacher, meeting=meeting, when=in_days(1), place="7A")
    when = Meeting.objects.get().proposed_at
    meeting_record_held(
        actor=world.teacher, meeting=meeting, outcome="  Homework diary signed nightly.  "
    )
    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome, meeting.proposed_at) == (
        Status.HELD,
        "Homework diary signed nightly.",
        when,
    )
    assert audit_of(meeting)[-1] == (
        "meeting_held",
        world.teacher.pk,
        "Homework diary signed nightly.",
    )
    assert told(world.pupil, MEETING_ARRANGED) != []  # only the arranging was told
    assert Notification.objects.exclude(kind=MEETING_ARRANGED).count() == 0


def test_a_meeting_held_without_being_arranged_here_is_dated_now(world):
    meeting = meeting_for(world, owner=world.teacher)
    now = timezone.now()
    meeting_record_held(actor=world.teacher, meeting=meeting, outcome="Met at the gate.", now=now)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.proposed_at) == (Status.HELD, now)


def test_held_needs_an_outcome(world):
    meeting = meeting_for(world, owner=world.teacher)
    with pytest.raises(SanctionError, match="Write the outcome"):
        meeting_record_held(actor=world.teacher, meeting=meeting, outcome=" ")
    assert Meeting.objects.get().status == Status.TO_ARRANGE


def test_cancelling_an_arranged_meeting_tells_parents_and_keeps_the_reason(world):
    meeting = meeting_for(world, owner=world.teacher)
    meeting_arrange(actor=world.teacher, meeting=meeting, when=in_days(2), place="7A")
    meeting_cancel(actor=world.head_of_year, meeting=meeting, reason="Met at parents' evening")
    meeting.refresh_from_db()
    assert (meeting.status, meeting.changed_by) == (Status.CANCELLED, world.head_of_year)
    assert meeting.sanction.status == Sanction.Status.TO_SCHEDULE  # the detention stands
    assert audit_of(meeting)[-1] == (
        "meeting_cancelled",
        world.head_of_year.pk,
        "Met at parents' evening",
    )
    (notice,) = told(world.pupil, MEETING_CANCELLED)
    assert (notice.guardian, notice.context["place"]) == (world.guardian, "7A")


def test_cancelling_a_meeting_never_arranged_tells_nobody(world):
    meeting = meeting_for(world, owner=world.teacher)
    meeting_cancel(actor=world.teacher, meeting=meeting, reason="Duplicate")
    assert Meeting.objects.get().status == Status.CANCELLED
    assert not Notification.objects.exists()


def test_cancelling_needs_a_reason(world):
    meeting = meeting_for(world, owner=world.teacher)
    with pytest.raises(SanctionError, match="Give a reason"):
        meeting_cancel(actor=world.teacher, meeting=meeting, reason="")
    assert Meeting.objects.get().status == Status.TO_ARRANGE


def test_reassigning_gives_the_meeting_to_another_member_of_staff(world):
    meeting = meeting_for(world, owner=world.teacher)
    meeting_reassign(
        actor=world.head_of_year, meeting=meeting, owner=world.other_teacher, reason="Tutor away"
    )
    meeting.refresh_from_db()
    assert meeting.owner == world.other_teacher
    (entry,) = audit_of(meeting)
    assert entry[0] == "meeting_reassigned" and entry[2].endswith(": Tutor away")
    assert not Notification.objects.exists()  # nothing arranged yet: nothing to tell


def test_reassigning_an_arranged_meeting_tells_parents_whom_they_will_meet(world):
    meeting = meeting_for(world, owner=world.teacher)
    meeting_arrange(actor=world.teacher, meeting=meeting, when=in_days(2), place="7A")
    meeting_reassign(actor=world.head_of_year, meeting=meeting, owner=world.head_of_year)
    latest = told(world.pupil, MEETING_ARRANGED)[-1]
    assert latest.context["with"] == str(world.head_of_year)


@pytest.mark.parametrize("who", ["other_school_staff", "pupil_user", "parent", "inactive", "same"])
def test_reassigning_only_to_another_active_member_of_our_staff(world, who):
    meeting = meeting_for(world, owner=world.teacher)
    if who == "inactive":
        world.other_teacher.is_active = False
        world.other_teacher.save()
    owner = {
        "pupil_user": world.pupil.user,
        "inactive": world.other_teacher,
        "same": world.teacher,
    }.get(who) or getattr(world, who)
    with pytest.raises(SanctionError):
        meeting_reassign(actor=world.head_of_year, meeting=meeting, owner=owner)
    assert Meeting.objects.get().owner == world.teacher
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("closed", [Status.HELD, Status.CANCELLED])
@pytest.mark.parametrize("change", ["arrange", "held", "cancel", "reassign"])
def test_a_held_or_cancelled_meeting_cannot_be_changed(world, closed, change):
    meeting = meeting_for(world, owner=world.teacher, status=closed)
    calls = {
        "arrange": lambda: meeting_arrange(
            actor=world.teacher, meeting=meeting, when=in_days(1), place="7A"
        ),
        "held": lambda: meeting_record_held(actor=world.teacher, meeting=meeting, outcome="Again"),
        "cancel": lambda: meeting_cancel(actor=world.teacher, meeting=meeting, reason="Again"),
        "reassign": lambda: meeting_reassign(
            actor=world.head_of_year, meeting=meeting, owner=world.head_of_year
        ),
    }
    with pytest.raises(SanctionError, match=f"has been {closed.label.lower()}"):
        calls[change]()
    meeting.refresh_from_db()
    assert (meeting.status, meeting.owner, meeting.proposed_at) == (closed, world.teacher, None)
    assert not AuditEntry.objects.exists() and not Notification.objects.exists()


# Who sees which meetings -----------------------------------------------------------------


def test_visibility_follows_the_pastoral_roles(world):
    mine = meeting_for(world, owner=world.teacher)  # Amara, 7A, Brunel, year 7
    classmate = meeting_for(world, world.classmate, owner=None)  # 7B, Curie, year 7
    year8 = meeting_for(world, world.year8_pupil, owner=world.head_of_house)  # 8A, Brunel
    given = meeting_for(world, world.year8_other, owner=world.teacher)  # 8A, Curie

    def seen(user):
        return set(meetings_visible_to(user))

    assert seen(world.teacher) == {mine, given}  # tutees', and the one given to them
    assert seen(world.head_of_year) == {mine, classmate}
    assert seen(world.head_of_house) == {mine, year8}
    assert seen(world.senior_leader) == {mine, classmate, year8, given}
    for outsider in ("other_teacher", "school_admin", "parent", "other_school_staff"):
        assert seen(getattr(world, outsider)) == set(), outsider
    assert seen(world.pupil.user) == set()


def test_a_tutor_who_is_not_the_owner_reads_but_may_not_change(world):
    meeting = meeting_for(world, meeting_with=MeetingWith.HEAD_OF_HOUSE, owner=world.head_of_house)
    assert meeting in meetings_visible_to(world.teacher)
    assert not may_change(world.teacher, meeting)
    assert may_change(world.head_of_house, meeting)
    assert may_change(world.head_of_year, meeting)
    assert may_reassign(world.senior_leader, meeting)
    assert not may_reassign(world.other_school_staff, meeting)
