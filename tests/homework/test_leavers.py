"""A pupil who has left is given no new homework (set, set again from a draft or added by
an edit), is not offered in the form's class list nor counted in its workload, and drops
off a homework's register and the marking queue unless they handed work in; the homework
they already had stays on record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment, Homework, KeyStagePolicy
from homework.services.compliance import policy_defaults_create
from homework.services.planner import submission_submit
from homework.services.setting import HomeworkDetails, homework_set
from tests.factories import PupilFactory

from .test_setting_form import MONDAY, form_data

NEW = "Times tables"


def leave(pupil, *, on=None):
    pupil.left_on = on or timezone.localdate()
    pupil.save(update_fields=["left_on"])


@pytest.fixture
def monday(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


@pytest.fixture
def hw(monday, homework_world):
    return homework_world


def test_new_homework_goes_to_the_class_without_its_leaver(client, hw):
    leave(hw.pupil)
    client.force_login(hw.teacher)

    response = client.post(reverse("homework_new"), form_data([hw.maths_7], title=NEW))

    assert response.status_code == 302
    new = Homework.objects.filter(teaching_group=hw.maths_7).get(title=NEW, set_on=MONDAY.date())
    assert list(new.assignments.values_list("pupil_id", flat=True)) == [hw.classmate.pk]
    # the homework they were given before they left stays theirs
    assert Assignment.objects.filter(pk=hw.pupil_maths_assignment.pk).exists()


def test_a_pupil_leaving_after_the_day_homework_is_set_is_still_given_it(client, hw):
    leave(hw.pupil, on=MONDAY.date() + datetime.timedelta(days=1))
    client.force_login(hw.teacher)

    client.post(reverse("homework_new"), form_data([hw.maths_7], title=NEW))

    new = Homework.objects.filter(teaching_group=hw.maths_7).get(title=NEW, set_on=MONDAY.date())
    assert new.assignments.filter(pupil=hw.pupil).exists()


def test_homework_set_ahead_for_a_day_after_a_pupil_leaves_skips_them(client, hw):
    leave(hw.pupil, on=MONDAY.date() + datetime.timedelta(days=2))
    client.force_login(hw.teacher)

    client.post(reverse("homework_new"), form_data([hw.maths_7], title=NEW, set_on="16/09/2026"))

    new = Homework.objects.filter(teaching_group=hw.maths_7).get(
        title=NEW, set_on=datetime.date(2026, 9, 16)
    )
    assert not new.assignments.filter(pupil=hw.pupil).exists()


def test_chosen_pupils_cannot_include_a_leaver(client, hw):
    leave(hw.pupil)
    client.force_login(hw.teacher)

    response = client.post(
        reverse("homework_new"),
        form_data([hw.maths_7], title=NEW, audience="chosen", pupils=[hw.pupil.pk]),
    )

    assert response.status_code == 200  # the form again, with the error under the list
    assert "pupils" in response.context["form"].errors
    assert not Homework.objects.filter(teaching_group=hw.maths_7).filter(title=NEW).exists()


def test_the_form_lists_and_counts_only_pupils_on_roll(client, hw):
    leave(hw.pupil)
    client.force_login(hw.teacher)

    response = client.get(reverse("homework_new"), {"teaching_groups": [hw.maths_7.pk]})

    page = response.content.decode()
    assert f'value="{hw.classmate.pk}"' in page
    assert f'name="pupils" value="{hw.pupil.pk}"' not in page
    assert "Amara" not in page
    (group,) = [g for g in response.context["form"].groups if g.pk == hw.maths_7.pk]
    assert group.pupil_count == 1


def test_the_workload_panel_leaves_a_leaver_out(client, hw):
    leave(hw.pupil)
    client.force_login(hw.teacher)

    response = client.get(
        reverse("homework_workload"),
        {"teaching_groups": [hw.maths_7.pk], "due_on": "17/09/2026", "estimated_minutes": "30"},
    )

    assert response.status_code == 200
    assert response.context["workload"]["panel"].pupil_count == 1


def test_editing_homework_keeps_a_leavers_assignment_and_adds_nobody(client, hw):
    leave(hw.pupil)
    client.force_login(hw.teacher)
    data = form_data([], title="Fractions, part 2", action="save")
    data.pop("teaching_groups")

    response = client.post(reverse("homework_edit", args=[hw.maths_homework.pk]), data)

    assert response.status_code == 302
    assert set(hw.maths_homework.assignments.values_list("pupil_id", flat=True)) == {
        hw.pupil.pk,
        hw.classmate.pk,
    }


def test_a_draft_set_after_a_pupil_left_is_not_given_to_them(client, hw):
    leave(hw.pupil)
    client.force_login(hw.teacher)

    response = client.post(reverse("homework_publish", args=[hw.draft_homework.pk]))

    assert response.status_code == 302
    assert list(hw.draft_homework.assignments.values_list("pupil_id", flat=True)) == [
        hw.classmate.pk
    ]


def register(client, user, homework):
    client.force_login(user)
    response = client.get(reverse("homework_register", args=[homework.pk]))
    assert response.status_code == 200
    return response


def test_a_leaver_drops_off_the_register_and_its_csv(client, homework_world):
    w = homework_world
    leave(w.pupil)

    response = register(client, w.teacher, w.maths_homework)

    assert [row.pupil for row in response.context["register"].rows] == [w.classmate]
    client.force_login(w.teacher)
    csv_text = client.get(
        reverse("homework_register", args=[w.maths_homework.pk]), {"format": "csv"}
    ).content.decode()
    assert "Okafor" not in csv_text and "Nowak" in csv_text


def test_a_leaver_who_handed_work_in_stays_on_the_register_marked_as_left(client, homework_world):
    w = homework_world
    submission_submit(assignment=w.pupil_maths_assignment, text="My answers")
    leave(w.pupil, on=timezone.localdate() - datetime.timedelta(days=1))

    response = register(client, w.teacher, w.maths_homework)

    rows = {row.pupil.pk: row for row in response.context["register"].rows}
    assert set(rows) == {w.pupil.pk, w.classmate.pk}
    left_on = w.pupil.left_on.strftime("%d/%m/%Y")
    assert f"Left {left_on}" in response.content.decode()


def test_the_marking_queue_no_longer_waits_for_a_leaver(client, homework_world, time_machine):
    w = homework_world
    time_machine.move_to(w.maths_homework.due_at + datetime.timedelta(hours=1), tick=False)
    client.force_login(w.teacher)

    def overdue():
        home = client.get(reverse("homework_home")).context["page"]
        (row,) = [hw for hw in home.to_mark if hw.pk == w.maths_homework.pk]
        return row.pupil_count, row.overdue_count

    assert overdue() == (2, 2)
    leave(w.pupil)
    assert overdue() == (1, 1)


@pytest.mark.parametrize("leavers", [0, 20])
def test_the_register_keeps_its_query_budget_with_leavers(
    client, homework_world, django_assert_num_queries, leavers
):
    w = homework_world
    pupils = PupilFactory.create_batch(leavers, tutor_group=w.tg_7a)
    w.maths_7.pupils.add(*pupils)
    Assignment.objects.bulk_create(
        Assignment(
            school=w.school, homework=w.maths_homework, pupil=p, due_at=w.maths_homework.due_at
        )
        for p in pupils
    )
    for pupil in pupils:
        leave(pupil)
    client.force_login(w.teacher)
    # session, user, roles, the homework (+ may the viewer mark?, class, subject, year, set
    # by, unit), its attachments, the assignments on the register (+ pupils), their files,
    # what the apps above homework add to the rows
    with django_assert_num_queries(8):
        response = client.get(reverse("homework_register", args=[w.maths_homework.pk]))
    assert len(response.context["register"].rows) == 2


def test_the_heaviest_nights_ahead_leave_a_leaver_out(client, world):
    policy_defaults_create(school=world.school)
    cap = KeyStagePolicy.objects.get(school=world.school, key_stage=3).nightly_cap_minutes
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    homework_set(
        teacher=world.teacher,
        teaching_groups=[world.maths_7],
        details=HomeworkDetails(
            title="A long task",
            instructions="Do it.",
            set_on=timezone.localdate(),
            due_at=tomorrow,
            estimated_minutes=cap + 30,
        ),
    )
    client.force_login(world.senior_leader)

    def over_cap_tomorrow():
        nights = client.get(reverse("homework_compliance")).context["nights"]
        return nights[1].over_cap[3]

    assert over_cap_tomorrow() == 2  # Amara and Bartek
    leave(world.pupil)
    assert over_cap_tomorrow() == 1


def test_editing_homework_leaves_a_leavers_assignment_as_it_was(client, hw):
    before = Assignment.objects.get(pk=hw.pupil_maths_assignment.pk)
    assert before.uses_alternative  # Amara is EAL: the homework has a version for EAL
    leave(hw.pupil)
    client.force_login(hw.teacher)
    data = form_data([], title="Fractions, part 2", action="save", due_on="21/09/2026")
    data.pop("teaching_groups")

    response = client.post(reverse("homework_edit", args=[hw.maths_homework.pk]), data)

    assert response.status_code == 302
    after = Assignment.objects.get(pk=before.pk)
    assert (after.due_at, after.uses_alternative) == (before.due_at, True)
    moved = Assignment.objects.get(pk=hw.classmate_maths_assignment.pk)
    assert timezone.localtime(moved.due_at).date() == datetime.date(2026, 9, 21)
