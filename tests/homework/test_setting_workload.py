"""The workload panel of the homework form: the chosen pupils' minutes already due on the
due date (most and average) and in its week (most), across all subjects, and a warning
(never a block) when the new task would take pupils over their key stage's nightly cap.

Hand-built: Amara (in 7x/Ma1 and 7x/En1) has 60 minutes of English due on Tuesday
15/09/2026 and 30 on Thursday 17/09; Bartek (7x/Ma1 only) has nothing. The Year 7 cap is
90 minutes a night."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from homework.models import KeyStagePolicy
from homework.services.compliance import policy_defaults_create
from homework.services.setting import HomeworkDetails, homework_set
from tests.factories import YearGroupFactory

from .test_setting_form import add_class, form_data, monday_world, new_pupils

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def setting_world(time_machine, world, settings, tmp_path):
    return monday_world(time_machine, world, settings, tmp_path)


def english(world, title, day, minutes, **extra):
    (homework,) = homework_set(
        teacher=world.other_teacher,
        teaching_groups=[world.english_7],
        details=HomeworkDetails(
            title=title,
            instructions="Read.",
            set_on=datetime.date(2026, 9, 14),
            due_at=datetime.datetime(2026, 9, day, 16, 0, tzinfo=LONDON),
            estimated_minutes=minutes,
        ),
        **extra,
    )
    return homework


@pytest.fixture
def busy_week(setting_world):
    w = setting_world
    policy_defaults_create(school=w.school)
    english(w, "Essay", 15, 60)
    english(w, "Reading log", 17, 30)
    english(w, "Unset draft", 15, 45, as_draft=True)  # drafts do not count
    return w


def panel(client, world, **params):
    client.force_login(world.teacher)
    query = {
        "teaching_groups": [world.maths_7.pk],
        "due_on": "15/09/2026",
        "estimated_minutes": "45",
        **params,
    }
    response = client.get(reverse("homework_workload"), query, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def test_panel_sums_the_day_and_the_week_across_subjects(client, busy_week):
    text = panel(client, busy_week)
    assert 'Pupils</dt> <dd class="col-sm-6"> 2 </dd>' in text
    assert "Already due on Tuesday 15/09/2026" in text
    assert "most 60 min, average 30 min" in text
    assert 'Already due that week (Monday to Sunday)</dt> <dd class="col-sm-6"> most 90 min' in text


def test_panel_on_another_day_of_the_week(client, busy_week):
    text = panel(client, busy_week, due_on="17/09/2026")
    assert "most 30 min, average 15 min" in text
    assert "most 90 min" in text


def test_panel_warns_when_pupils_would_go_over_the_nightly_cap(client, busy_week):
    text = panel(client, busy_week, estimated_minutes="45")
    assert "1 pupil would have more than 90 minutes due on 15/09/2026" in text
    assert "You can still set it." in text
    assert "would have more than" not in panel(client, busy_week, estimated_minutes="30")


def test_the_cap_comes_from_the_schools_key_stage_policy(client, busy_week):
    KeyStagePolicy.objects.filter(school=busy_week.school, key_stage=3).update(
        nightly_cap_minutes=40
    )
    text = panel(client, busy_week, estimated_minutes="45")
    assert "2 pupils would have more than 40 minutes due on 15/09/2026" in text


def test_chosen_pupils_only_are_counted(client, busy_week):
    w = busy_week
    text = panel(client, w, audience="chosen", pupils=[w.classmate.pk])
    assert "most 0 min, average 0 min" in text
    assert "would have more than" not in text


def test_pupils_and_classes_the_teacher_does_not_teach_are_ignored(client, busy_week):
    w = busy_week
    # 8x/Ma1 is another teacher's class; Chidi is not in 7x/Ma1
    text = panel(
        client,
        w,
        teaching_groups=[w.maths_7.pk, w.maths_8.pk, w.english_7.pk],
        audience="chosen",
        pupils=[w.classmate.pk, w.year8_pupil.pk],
    )
    assert 'Pupils</dt> <dd class="col-sm-6"> 1 </dd>' in text
    only_foreign = panel(client, w, teaching_groups=[w.maths_8.pk])
    assert "No pupils chosen yet." in only_foreign


def test_the_homework_being_edited_is_not_counted_twice(client, busy_week):
    w = busy_week
    (maths,) = homework_set(
        teacher=w.teacher,
        teaching_groups=[w.maths_7],
        details=HomeworkDetails(
            title="Fractions",
            instructions="Do it.",
            set_on=datetime.date(2026, 9, 14),
            due_at=datetime.datetime(2026, 9, 15, 16, 0, tzinfo=LONDON),
            estimated_minutes=20,
        ),
    )
    assert "most 80 min, average 50 min" in panel(client, w)
    assert "most 60 min, average 30 min" in panel(client, w, homework=maths.pk)
    # someone else's homework id is not excluded
    essay = w.english_7.homework.get(title="Essay")
    assert "most 80 min, average 50 min" in panel(client, w, homework=essay.pk)


def test_panel_asks_for_classes_and_a_due_date_first(client, busy_week):
    assert "Choose classes and a due date" in panel(client, busy_week, due_on="")
    assert "Choose classes and a due date" in panel(client, busy_week, teaching_groups=[])


def test_panel_mentions_a_non_school_day(client, busy_week):
    assert "Saturday 19/09/2026 is not a school day (a weekend)" in panel(
        client, busy_week, due_on="19/09/2026"
    )


def test_check_workload_button_shows_the_panel_after_a_post(client, busy_week):
    w = busy_week
    client.force_login(w.teacher)
    response = client.post(
        reverse("homework_new"),
        form_data([w.maths_7], due_on="15/09/2026", estimated_minutes="45", action="workload"),
    )
    text = " ".join(response.content.decode().split())
    assert "most 60 min, average 30 min" in text
    assert "1 pupil would have more than 90 minutes due on 15/09/2026" in text
    assert not w.maths_7.homework.exists()


def test_over_the_cap_is_a_warning_not_a_block(client, busy_week):
    w = busy_week
    client.force_login(w.teacher)
    response = client.post(
        reverse("homework_new"),
        form_data([w.maths_7], due_on="15/09/2026", estimated_minutes="45"),
    )
    assert response.status_code == 302
    assert w.maths_7.homework.count() == 1


def test_classes_of_two_key_stages_warn_against_each_cap(client, busy_week):
    w = busy_week
    year10 = add_class(
        w, "10x/Ma1", new_pupils(w, 2), year_group=YearGroupFactory(school=w.school, number=10)
    )
    text = panel(client, w, teaching_groups=[w.maths_7.pk, year10.pk], estimated_minutes="100")
    assert 'Pupils</dt> <dd class="col-sm-6"> 4 </dd>' in text
    assert "2 pupils would have more than 90 minutes due on 15/09/2026 (key stage 3)" in text
    assert "would have more than 120 minutes" not in text  # KS4's cap is 120
    text = panel(client, w, teaching_groups=[w.maths_7.pk, year10.pk], estimated_minutes="130")
    assert "2 pupils would have more than 120 minutes due on 15/09/2026 (key stage 4)" in text
    assert "most 60 min, average 15 min" in text


# session, user, roles, the teacher's classes, the pupils of the chosen classes, the
# assignments due that week, the key stage's cap, the non-school day, the half-terms
WORKLOAD_BUDGET = 9


@pytest.mark.parametrize("extra_pupils", [0, 40])
def test_workload_query_budget_does_not_grow_with_pupils(
    client, busy_week, django_assert_num_queries, extra_pupils
):
    w = busy_week
    w.maths_7.pupils.add(*new_pupils(w, extra_pupils))
    client.force_login(w.teacher)
    url = reverse("homework_workload")
    query = {"teaching_groups": [w.maths_7.pk], "due_on": "15/09/2026", "estimated_minutes": 45}
    with django_assert_num_queries(WORKLOAD_BUDGET):
        response = client.get(url, query)
    assert f"> {2 + extra_pupils} </dd>" in " ".join(response.content.decode().split())
