"""Recording a class's missed deadlines that complete many pupils' cycles at once: every
pupil gets their sanction, their detention booked into the earliest session with room
(a flagged pupil's place to check first, a full session passed over for the next) and
their parents told, in as many queries for thirty cycles as for one."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homework.services.setting import HomeworkDetails, homework_set
from notifications.models import Notification
from sanctions.models import (
    DetentionBooking,
    DetentionSession,
    Miss,
    PupilEscalation,
    Sanction,
)
from sanctions.notices import DETENTION_BOOKED
from sanctions.services.misses import miss_excuse, miss_record, miss_void
from sanctions.services.policy import policy_current
from tests.factories import GuardianLinkFactory, PupilFactory, TeachingGroupFactory


def _homework(world, group, title):
    (homework,) = homework_set(
        teacher=world.teacher,
        teaching_groups=[group],
        details=HomeworkDetails(
            title=title,
            instructions="Questions 1 to 10.",
            set_on=timezone.localdate() - datetime.timedelta(days=7),
            due_at=timezone.now() - datetime.timedelta(days=1),
            estimated_minutes=40,
        ),
    )
    return homework


def _class_two_misses_in(world, size, name):
    """A class of `size` pupils, each with a guardian and two misses already counted, and
    a third homework overdue: recording it completes every pupil's first cycle."""
    pupils = PupilFactory.create_batch(size, tutor_group=world.tg_7a)
    for pupil in pupils:
        GuardianLinkFactory(pupil=pupil, guardian__school=world.school)
    group = TeachingGroupFactory(
        school=world.school,
        academic_year=world.academic_year,
        year_group=world.y7,
        subject=world.maths,
        name=name,
        teachers=[world.teacher],
        pupils=pupils,
    )
    earlier = timezone.now() - datetime.timedelta(hours=2)
    for n in range(2):
        homework = _homework(world, group, f"Earlier {n}")
        miss_record(recorder=world.teacher, assignments=homework.assignments.all(), now=earlier)
    return pupils, _homework(world, group, "The third")


def _next_week(weekday: int) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 + (weekday - today.weekday()) % 7)


def _session(world, day, capacity):
    return DetentionSession.objects.create(
        school=world.school,
        date=day,
        start_time=datetime.time(15, 30),
        end_time=datetime.time(16, 30),
        room="B12",
        capacity=capacity,
    )


def _post(client, homework):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("sanctions_miss_record", args=[homework.pk]),
            {"missed": list(homework.assignments.values_list("pk", flat=True))},
            follow=False,
        )
    assert response.status_code == 302
    return len(queries)


def test_thirty_cycles_completed_at_once_cost_the_queries_of_one(client, homework_world):
    w = homework_world
    policy_current(school=w.school)
    one, one_homework = _class_two_misses_in(w, 1, "7y/Ma1")
    many, many_homework = _class_two_misses_in(w, 30, "7y/Ma30")
    flagged = many[3]
    flagged.young_carer = True
    flagged.save(update_fields=["young_carer"])
    tuesday = _session(w, _next_week(1), capacity=20)
    thursday = _session(w, _next_week(3), capacity=20)
    client.force_login(w.teacher)

    counts = [_post(client, one_homework), _post(client, many_homework)]

    assert counts[0] == counts[1], counts
    for pupil in [*one, *many]:
        sanction = Sanction.objects.get(pupil=pupil)
        assert (sanction.cycle, sanction.status) == (1, Sanction.Status.TO_SCHEDULE)
        assert Miss.objects.filter(sanction=sanction).count() == 3
        escalation = PupilEscalation.objects.get(pupil=pupil)
        assert (escalation.counted_misses, escalation.open_misses) == (3, 0)
        assert escalation.live_sanctions == 1
    # Oldest first into the earliest session with room, the rest into the next one.
    bookings = DetentionBooking.objects.filter(sanction__pupil__in=[*one, *many])
    assert bookings.count() == 31
    assert bookings.filter(session=tuesday).count() == 20
    assert bookings.filter(session=thursday).count() == 11
    assert bookings.get(sanction__pupil=one[0]).session == tuesday
    assert bookings.get(sanction__pupil=flagged).status == DetentionBooking.Status.NEEDS_CHECK
    # Each family hears of the third miss, the sanction and its date in one message; the
    # flagged pupil's family hears of the date once the place is confirmed.
    for pupil in [*one, *many]:
        (row,) = Notification.objects.filter(pupil=pupil, created_at__gte=tuesday.created_at)
        assert (DETENTION_BOOKED in str(row.context)) == (pupil != flagged), pupil


def test_sanctions_left_without_a_place_wait_for_one(client, homework_world):
    w = homework_world
    policy_current(school=w.school)
    pupils, homework = _class_two_misses_in(w, 5, "7y/Ma5")
    session = _session(w, _next_week(1), capacity=3)
    client.force_login(w.teacher)

    _post(client, homework)

    assert Sanction.objects.filter(pupil__in=pupils).count() == 5
    assert DetentionBooking.objects.filter(session=session).count() == 3
    waiting = Sanction.objects.filter(pupil__in=pupils, bookings__isnull=True)
    assert waiting.count() == 2


def test_the_running_counts_follow_an_excused_miss_and_a_void(client, homework_world):
    w = homework_world
    policy_current(school=w.school)
    (pupil,), homework = _class_two_misses_in(w, 1, "7y/Ma1")
    client.force_login(w.teacher)
    _post(client, homework)
    escalation = PupilEscalation.objects.get(pupil=pupil)
    assert (escalation.counted_misses, escalation.open_misses, escalation.live_sanctions) == (
        3,
        0,
        1,
    )
    first, second, _third = Miss.objects.filter(pupil=pupil).order_by("recorded_at", "pk")
    # Excusing a miss of the cycle cancels its unserved sanction: two misses stay open.
    miss_excuse(actor=w.head_of_year, miss=first, reason="Bereavement")
    escalation.refresh_from_db()
    assert (escalation.counted_misses, escalation.open_misses, escalation.live_sanctions) == (
        2,
        2,
        0,
    )
    miss_void(actor=w.teacher, miss=second, reason="Handed in on paper")
    escalation.refresh_from_db()
    assert (escalation.counted_misses, escalation.open_misses, escalation.live_sanctions) == (
        1,
        1,
        0,
    )
    client.force_login(w.head_of_year)
    board = client.get(reverse("sanctions_dashboard")).context["board"]
    (row,) = [r for r in board.pupils if r.pupil == pupil]
    assert (row.pupil, row.counted, row.open, row.completed) == (pupil, 1, 1, 0)
