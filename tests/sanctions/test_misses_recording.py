"""Recording missed deadlines from a homework's register: one POST for the whole class,
only overdue work that was not handed in, never counted twice, only by the class's
teachers, in a fixed number of queries; undoing a miss recorded in error and excusing one
after a confirmation page that asks why; the third miss of a pupil earns a detention."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment
from homework.services.setting import HomeworkDetails, homework_set
from sanctions.models import AuditEntry, Miss, Sanction
from sanctions.services.misses import miss_record, miss_void
from sanctions.services.policy import policy_current
from tests.factories import PupilFactory, TeachingGroupFactory
from tests.test_permissions import PERSONAS, persona

from .permission_rows_sanctions import POST_ONLY


def overdue_homework(world, group, title="Percentages", teacher=None):
    (homework,) = homework_set(
        teacher=teacher or world.teacher,
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


def overdue_class(world, size, name="7y/Ma3"):
    """A maths class of `size` pupils of 7A (the teacher's tutor group), taught by the
    teacher, with homework due yesterday; its assignments in surname order."""
    pupils = PupilFactory.create_batch(size, tutor_group=world.tg_7a)
    group = TeachingGroupFactory(
        school=world.school,
        academic_year=world.academic_year,
        year_group=world.y7,
        subject=world.maths,
        name=name,
        teachers=[world.teacher],
        pupils=pupils,
    )
    homework = overdue_homework(world, group)
    assignments = list(
        homework.assignments.order_by("pupil__last_name", "pupil__first_name", "pupil_id")
    )
    return homework, assignments


def record_url(homework):
    return reverse("sanctions_miss_record", args=[homework.pk])


def register_url(homework):
    return reverse("homework_register", args=[homework.pk])


def record(client, user, homework, assignments, reason="", **kwargs):
    client.force_login(user)
    return client.post(
        record_url(homework), {"missed": [a.pk for a in assignments], "reason": reason}, **kwargs
    )


def make_overdue(*assignments):
    past = timezone.now() - datetime.timedelta(hours=1)
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(due_at=past)


@pytest.fixture
def big_class(homework_world):
    w = homework_world
    w.big_homework, w.big_assignments = overdue_class(w, 4)
    return w


# Recording ------------------------------------------------------------------------------


def test_ticking_three_pupils_records_three_misses_with_one_post(client, big_class):
    w = big_class
    ticked, left = w.big_assignments[:3], w.big_assignments[3]
    response = record(client, w.teacher, w.big_homework, ticked, "No work shown", follow=True)
    assert response.redirect_chain == [(register_url(w.big_homework), 302)]
    html = response.content.decode()
    assert "Recorded 3 missed deadlines." in html
    assert "detention" not in html
    misses = Miss.objects.filter(assignment__homework=w.big_homework)
    assert sorted(m.assignment_id for m in misses) == sorted(a.pk for a in ticked)
    for miss in misses:
        assert miss.status == Miss.Status.COUNTED
        assert miss.recorded_by == w.teacher and miss.reason == "No work shown"
    for assignment in ticked:
        assignment.refresh_from_db()
        assert assignment.status == Assignment.Status.MISSED
    left.refresh_from_db()
    assert left.status == Assignment.Status.SET
    # The register now shows who recorded each miss, with a way to undo it.
    for miss in misses:
        row = html[html.index(f'<tr id="pupil-{miss.assignment_id}"') :]
        row = row[: row.index("</tr>")]
        recorded = timezone.localtime(miss.recorded_at).strftime("%d/%m")
        assert f"Missed (recorded {recorded} by Tess Teacher)" in row
        assert reverse("sanctions_miss_void", args=[miss.pk]) in row
    assert f'id="missed-{left.pk}"' in html


def test_the_register_offers_a_tick_box_only_for_overdue_work_not_handed_in(client, big_class):
    w = big_class
    handed_in, overdue = w.big_assignments[0], w.big_assignments[1]
    Assignment.objects.filter(pk=handed_in.pk).update(status=Assignment.Status.PAPER)
    client.force_login(w.teacher)
    html = client.get(register_url(w.big_homework)).content.decode()
    assert f'id="missed-{overdue.pk}"' in html
    assert f'id="missed-{handed_in.pk}"' not in html
    assert reverse("sanctions_miss_record", args=[w.big_homework.pk]) in html
    # Not yet due: nothing to tick, and no form.
    html = client.get(register_url(w.maths_homework)).content.decode()
    assert 'name="missed"' not in html
    assert reverse("sanctions_miss_record", args=[w.maths_homework.pk]) not in html
    # Staff who may only read the register see no form either.
    client.force_login(w.head_of_year)
    html = client.get(register_url(w.big_homework)).content.decode()
    assert 'name="missed"' not in html


def test_a_pupil_who_handed_in_is_not_recorded(client, big_class):
    w = big_class
    handed_in = w.big_assignments[0]
    Assignment.objects.filter(pk=handed_in.pk).update(status=Assignment.Status.SUBMITTED)
    response = record(client, w.teacher, w.big_homework, [handed_in], follow=True)
    assert "Nothing was recorded" in response.content.decode()
    assert not Miss.objects.exists() and not AuditEntry.objects.exists()
    handed_in.refresh_from_db()
    assert handed_in.status == Assignment.Status.SUBMITTED


def test_work_not_yet_due_is_not_recorded(client, homework_world):
    w = homework_world
    record(client, w.teacher, w.maths_homework, [w.pupil_maths_assignment])
    assert not Miss.objects.exists()


def test_handed_in_pupils_are_skipped_and_the_others_recorded(client, big_class):
    w = big_class
    handed_in = w.big_assignments[0]
    Assignment.objects.filter(pk=handed_in.pk).update(status=Assignment.Status.PAPER)
    response = record(client, w.teacher, w.big_homework, w.big_assignments, follow=True)
    assert "Recorded 3 missed deadlines." in response.content.decode()
    assert not Miss.objects.filter(assignment=handed_in).exists()


def test_recording_twice_does_not_count_twice(client, big_class):
    w = big_class
    ticked = w.big_assignments[:2]
    record(client, w.teacher, w.big_homework, ticked)
    response = record(client, w.teacher, w.big_homework, ticked, follow=True)
    assert "Nothing was recorded" in response.content.decode()
    assert Miss.objects.count() == 2
    for assignment in ticked:
        assert assignment.misses.filter(status=Miss.Status.COUNTED).count() == 1


def test_an_assignment_of_another_homework_is_not_recorded(client, big_class):
    w = big_class
    make_overdue(w.year8_assignment)
    record(client, w.teacher, w.big_homework, [w.year8_assignment])
    assert not Miss.objects.exists()


def test_nothing_ticked_asks_to_tick(client, big_class):
    w = big_class
    response = record(client, w.teacher, w.big_homework, [], follow=True)
    assert "Tick the pupils who missed the deadline" in response.content.decode()
    assert not Miss.objects.exists()


def test_a_reason_too_long_records_nothing(client, big_class):
    w = big_class
    response = record(client, w.teacher, w.big_homework, w.big_assignments, "x" * 301, follow=True)
    assert "Nothing was recorded. A reason can be at most 300 characters" in (
        response.content.decode()
    )
    assert not Miss.objects.exists()


def test_a_teacher_of_another_class_gets_404_and_nothing_is_written(client, big_class):
    w = big_class
    response = record(client, w.other_teacher, w.big_homework, w.big_assignments)
    assert response.status_code == 404
    assert not Miss.objects.exists()
    assert all(a.status == Assignment.Status.SET for a in w.big_homework.assignments.all())


@pytest.mark.parametrize("page", POST_ONLY)
@pytest.mark.parametrize("who", PERSONAS)
def test_get_on_the_record_address_answers_405_to_the_teacher_and_404_to_others(
    client, homework_world, page, who
):
    build_url, allowed = POST_ONLY[page]
    client.force_login(persona(homework_world, who))
    response = client.get(build_url(homework_world))
    assert response.status_code == (405 if who in allowed else 404)


@pytest.mark.parametrize("who", [p for p in PERSONAS if p != "teacher"])
def test_only_the_class_teachers_may_record(client, big_class, who):
    w = big_class
    client.force_login(persona(w, who))
    response = client.post(
        record_url(w.big_homework), {"missed": [a.pk for a in w.big_assignments]}
    )
    assert response.status_code == 404
    assert not Miss.objects.exists()


def test_anonymous_records_nothing(client, big_class):
    w = big_class
    response = client.post(record_url(w.big_homework), {"missed": [w.big_assignments[0].pk]})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Miss.objects.exists()


def test_recording_30_misses_runs_as_many_queries_as_recording_1(client, homework_world):
    w = homework_world
    small, small_assignments = overdue_class(w, 1, name="7y/Ma1")
    big, big_assignments = overdue_class(w, 30, name="7y/Ma30")
    policy_current(school=w.school)  # the ladder exists, as it does after day one
    client.force_login(w.teacher)
    counts = []
    for homework, assignments in [(small, small_assignments), (big, big_assignments)]:
        with CaptureQueriesContext(connection) as queries:
            response = client.post(record_url(homework), {"missed": [a.pk for a in assignments]})
        assert response.status_code == 302
        counts.append(len(queries))
    assert Miss.objects.count() == 31
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("size", [1, 30])
def test_recording_misses_query_budget(client, homework_world, django_assert_num_queries, size):
    w = homework_world
    homework, assignments = overdue_class(w, size)
    policy_current(school=w.school)
    client.force_login(w.teacher)
    # session, user, roles, the homework (+ may the viewer mark?, class ...), the ticked
    # assignments; the engine: savepoint, academic year, escalation rows created and
    # locked (one insert), assignments still open, misses written, assignments marked
    # missed, the policy with its steps, open misses, live sanctions, counts refreshed,
    # audit, guardians (these pupils have none, so no outbox rows), release. Completing
    # cycles adds the same few queries for one pupil or thirty (test_misses_many_cycles.py).
    with django_assert_num_queries(18):
        response = client.post(record_url(homework), {"missed": [a.pk for a in assignments]})
    assert response.status_code == 302
    assert Miss.objects.count() == size


# The third miss ---------------------------------------------------------------------------


def test_the_third_miss_of_a_pupil_earns_a_detention_and_the_message_says_so(
    client, homework_world
):
    w = homework_world
    homework = [overdue_homework(w, w.maths_7, title=f"Task {n}") for n in range(3)]
    for n, hw in enumerate(homework):
        assignment = hw.assignments.get(pupil=w.pupil)
        response = record(client, w.teacher, hw, [assignment], follow=True)
        html = response.content.decode()
        if n < 2:
            assert "Recorded 1 missed deadline." in html and "detention" not in html
            assert not Sanction.objects.exists()
    assert "Recorded 1 missed deadline. 1 pupil now has a detention (parents are told)." in html
    sanction = Sanction.objects.get()
    assert (sanction.pupil, sanction.cycle, sanction.status) == (w.pupil, 1, "to_schedule")
    assert sanction.misses.count() == 3


def test_several_pupils_completing_cycles_at_once_are_counted(client, big_class):
    w = big_class
    earlier = [
        overdue_homework(w, w.big_assignments[0].homework.teaching_group, f"T{n}") for n in range(2)
    ]
    for hw in earlier:
        record(client, w.teacher, hw, list(hw.assignments.all()))
    response = record(client, w.teacher, w.big_homework, w.big_assignments[:2], follow=True)
    assert "Recorded 2 missed deadlines. 2 pupils now have a detention (parents are told)." in (
        response.content.decode()
    )
    assert Sanction.objects.count() == 2


# Undoing and excusing ---------------------------------------------------------------------


@pytest.fixture
def missed(homework_world):
    """The pupil's maths (the teacher's class) and English (the other teacher's class)
    homework, overdue and recorded as missed by their teachers. The teacher is also the
    pupil's form tutor; the other teacher is only a subject teacher to the pupil."""
    w = homework_world
    w.english_assignment = w.english_homework.assignments.get(pupil=w.pupil)
    make_overdue(w.pupil_maths_assignment, w.english_assignment)
    (w.maths_miss,) = miss_record(recorder=w.teacher, assignments=[w.pupil_maths_assignment])
    (w.english_miss,) = miss_record(recorder=w.other_teacher, assignments=[w.english_assignment])
    return w


def void_url(miss):
    return reverse("sanctions_miss_void", args=[miss.pk])


def excuse_url(miss):
    return reverse("sanctions_miss_excuse", args=[miss.pk])


def test_undo_asks_for_a_reason_then_opens_the_homework_again(client, missed):
    w = missed
    client.force_login(w.teacher)
    page = client.get(void_url(w.maths_miss))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Undo a missed deadline" in html and "Amara Okafor" in html
    assert 'name="reason"' in html
    response = client.post(void_url(w.maths_miss), {"reason": "She handed it in on paper"})
    assert response.status_code == 302
    assert response["Location"] == reverse("homework_register", args=[w.maths_homework.pk])
    w.maths_miss.refresh_from_db()
    w.pupil_maths_assignment.refresh_from_db()
    assert w.maths_miss.status == Miss.Status.VOIDED
    assert w.maths_miss.change_reason == "She handed it in on paper"
    assert w.maths_miss.changed_by == w.teacher
    assert w.pupil_maths_assignment.status == Assignment.Status.SET


def test_the_subject_teacher_may_undo_their_class_miss(client, missed):
    w = missed
    client.force_login(w.other_teacher)
    response = client.post(void_url(w.english_miss), {"reason": "Wrong pupil"})
    assert response.status_code == 302
    w.english_miss.refresh_from_db()
    assert w.english_miss.status == Miss.Status.VOIDED


def test_the_form_tutor_excuses_a_miss(client, missed):
    w = missed
    client.force_login(w.teacher)  # the pupil's tutor, not their English teacher
    page = client.get(excuse_url(w.english_miss))
    assert page.status_code == 200
    assert "Excuse a missed deadline" in page.content.decode()
    response = client.post(excuse_url(w.english_miss), {"reason": "Family bereavement"})
    assert response.status_code == 302
    # The tutor does not teach the class: back to the pupil's page.
    assert response["Location"] == reverse("pupil_detail", args=[w.pupil.pk])
    w.english_miss.refresh_from_db()
    w.english_assignment.refresh_from_db()
    assert w.english_miss.status == Miss.Status.EXCUSED
    assert w.english_miss.change_reason == "Family bereavement"
    assert w.english_assignment.status == Assignment.Status.EXCUSED


def test_the_head_of_year_excuses_a_miss(client, missed):
    w = missed
    client.force_login(w.head_of_year)
    response = client.post(excuse_url(w.maths_miss), {"reason": "Young carer: hospital visit"})
    assert response.status_code == 302
    w.maths_miss.refresh_from_db()
    assert w.maths_miss.status == Miss.Status.EXCUSED


def test_a_subject_teacher_cannot_excuse(client, missed):
    w = missed
    client.force_login(w.other_teacher)
    assert client.get(excuse_url(w.english_miss)).status_code == 404
    response = client.post(excuse_url(w.english_miss), {"reason": "Because"})
    assert response.status_code == 404
    w.english_miss.refresh_from_db()
    assert w.english_miss.status == Miss.Status.COUNTED


def test_a_teacher_of_another_class_cannot_undo(client, missed):
    w = missed
    client.force_login(w.other_teacher)
    response = client.post(void_url(w.maths_miss), {"reason": "Because"})
    assert response.status_code == 404
    w.maths_miss.refresh_from_db()
    assert w.maths_miss.status == Miss.Status.COUNTED


@pytest.mark.parametrize("url", [void_url, excuse_url])
@pytest.mark.parametrize("reason", ["", "   "])
def test_an_empty_reason_changes_nothing(client, missed, url, reason):
    w = missed
    client.force_login(w.teacher)
    response = client.post(url(w.maths_miss), {"reason": reason})
    assert response.status_code == 200
    assert "Give a reason: it is kept on the pupil&#x27;s record." in response.content.decode()
    w.maths_miss.refresh_from_db()
    w.pupil_maths_assignment.refresh_from_db()
    assert w.maths_miss.status == Miss.Status.COUNTED
    assert w.pupil_maths_assignment.status == Assignment.Status.MISSED
    assert not AuditEntry.objects.exclude(action="miss_recorded").exists()


def test_a_miss_already_changed_shows_the_rules_refusal_as_a_form_error(client, missed):
    w = missed
    miss_void(actor=w.teacher, miss=w.maths_miss, reason="Error")
    client.force_login(w.head_of_year)
    response = client.post(excuse_url(w.maths_miss), {"reason": "Illness"})
    assert response.status_code == 200
    assert "This missed deadline has already been changed." in response.content.decode()
    w.maths_miss.refresh_from_db()
    assert w.maths_miss.status == Miss.Status.VOIDED


def test_undoing_a_miss_of_a_completed_cycle_warns_then_cancels_the_detention(
    client, homework_world
):
    w = homework_world
    homework = [overdue_homework(w, w.maths_7, title=f"Task {n}") for n in range(3)]
    for hw in homework:
        record(client, w.teacher, hw, [hw.assignments.get(pupil=w.pupil)])
    miss = Miss.objects.filter(pupil=w.pupil).first()
    page = client.get(void_url(miss)).content.decode()
    assert "the detention still to be served for it will be" in page
    client.post(void_url(miss), {"reason": "Recorded in error"})
    assert Sanction.objects.get().status == Sanction.Status.CANCELLED
