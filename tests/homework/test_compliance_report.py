"""The compliance report (/homework/compliance/): homework set against the frequency policy
over the last six weeks, per class for subject leaders and per department for senior
leaders, with the heaviest nights ahead; numbers checked on a hand-built school, who sees
what, the CSV exports and a query budget that does not grow with the classes."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from homework.models import Assignment, FrequencyRule, Homework, KeyStagePolicy
from homework.selectors.compliance import compliance_report, heaviest_nights, policy_caps
from homework.services.compliance import policy_defaults_create
from school.models import RoleAssignment
from tests.factories import (
    AcademicYearFactory,
    HalfTermFactory,
    PupilFactory,
    RoleFactory,
    SubjectFactory,
    TeachingGroupFactory,
    TutorGroupFactory,
    YearGroupFactory,
)

LONDON = ZoneInfo("Europe/London")
URL = reverse("homework_compliance")
# Friday 20 November 2026: the window is Saturday 10 October to today, 30 weekdays.
TODAY = datetime.date(2026, 11, 20)
WEDNESDAYS = [datetime.date(2026, 10, 14) + datetime.timedelta(weeks=n) for n in range(6)]


def make_homework(group, set_on, *, minutes=30, status=Homework.Status.SET, teacher=None):
    """A homework for the whole class with each pupil's assignment, due a week later."""
    due_at = datetime.datetime.combine(
        set_on + datetime.timedelta(days=7), datetime.time(8, 30), tzinfo=LONDON
    )
    homework = Homework.objects.create(
        school_id=group.school_id,
        teaching_group=group,
        set_by=teacher or group.teachers.first(),
        status=status,
        title=f"{group.name} homework set {set_on:%d/%m}",
        instructions="Do the task.",
        set_on=set_on,
        due_at=due_at,
        estimated_minutes=minutes,
    )
    Assignment.objects.bulk_create(
        Assignment(school_id=group.school_id, homework=homework, pupil=pupil, due_at=due_at)
        for pupil in group.pupils.all()
    )
    return homework


def hand_in(homework, pupil, *, status=Assignment.Status.SUBMITTED, feedback="", returned=True):
    moment = homework.due_at - datetime.timedelta(hours=12)
    homework.assignments.filter(pupil=pupil).update(
        status=status,
        submitted_at=moment if status != Assignment.Status.SET else None,
        mark="7/10",
        feedback=feedback,
        returned_at=moment + datetime.timedelta(days=3) if returned else None,
    )


@pytest.fixture
def today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 20, 16, 0, tzinfo=LONDON), tick=False)
    return TODAY


@pytest.fixture
def school(world, today):
    """The world with the recommended policy, an art class, a Year 10 maths class, and
    homework set over (and around) the last six weeks:

    - 7x/Ma1 (KS3 maths, weekly): six homework in the window, one of them archived
      (minutes 30 x 5 + 60), plus one before it, one draft and one set for next week;
      5 pieces of work handed in, 3 returned with written feedback;
    - 7x/Ar1 (KS3 art, fortnightly): one homework (45 minutes);
    - 8x/Ma1 (KS3 maths, weekly): three homework (20 minutes);
    - 10x/Ma1 (KS4 maths, set by the department): two homework (45 minutes);
    - 7x/En1 (KS3 English, weekly): none.
    """
    w = world
    policy_defaults_create(school=w.school)
    w.art = SubjectFactory(school=w.school, name="Art", code="Ar")
    w.art_7 = TeachingGroupFactory(
        school=w.school,
        academic_year=w.academic_year,
        year_group=w.y7,
        subject=w.art,
        name="7x/Ar1",
        teachers=[w.teacher],
        pupils=[w.pupil, w.classmate],
    )
    w.y10 = YearGroupFactory(school=w.school, number=10)
    w.maths_10 = TeachingGroupFactory(
        school=w.school,
        academic_year=w.academic_year,
        year_group=w.y10,
        subject=w.maths,
        name="10x/Ma1",
        teachers=[w.other_teacher],
    )

    w.maths_7_homework = [make_homework(w.maths_7, day) for day in WEDNESDAYS[:5]]
    w.maths_7_homework.append(
        make_homework(w.maths_7, WEDNESDAYS[5], minutes=60, status=Homework.Status.ARCHIVED)
    )
    before = make_homework(w.maths_7, WEDNESDAYS[0] - datetime.timedelta(days=7))
    hand_in(before, w.pupil, feedback="Counted in an earlier window")
    draft = make_homework(w.maths_7, WEDNESDAYS[4], status=Homework.Status.DRAFT)
    hand_in(draft, w.pupil, feedback="A draft's work never counts")
    make_homework(w.maths_7, TODAY + datetime.timedelta(days=3))  # set for next week

    first, second, third = w.maths_7_homework[:3]
    hand_in(first, w.pupil, feedback="Well done — check your working in Q4.")
    hand_in(first, w.classmate, feedback="Good method.")
    hand_in(second, w.pupil, status=Assignment.Status.PAPER, feedback="Neat work.")
    hand_in(second, w.classmate, status=Assignment.Status.PAPER)  # a mark, no feedback
    hand_in(third, w.pupil, feedback="Not returned yet.", returned=False)
    hand_in(third, w.classmate, status=Assignment.Status.SET, feedback="Please hand it in.")

    make_homework(w.art_7, WEDNESDAYS[2], minutes=45)
    for day in WEDNESDAYS[:3]:
        make_homework(w.maths_8, day, minutes=20)
    for day in WEDNESDAYS[:2]:
        make_homework(w.maths_10, day, minutes=45)

    # The other school's maths, which no report of this school may count.
    w.other_maths = SubjectFactory(school=w.other_school, name="Maths", code="Ma")
    other_group = TeachingGroupFactory(
        school=w.other_school,
        academic_year=AcademicYearFactory(school=w.other_school),
        year_group=w.other_y7,
        subject=w.other_maths,
        name="7x/Ma1",
        teachers=[w.other_school_teacher],
        pupils=[w.other_school_pupil],
    )
    for day in WEDNESDAYS:
        make_homework(other_group, day)
    return w


def report_for(w, *subjects):
    return compliance_report(
        school_id=w.school.pk, subjects=list(subjects), today=timezone.localdate()
    )


def rows_by_name(report):
    return {row.group.name: row for row in report.groups}


# The numbers -----------------------------------------------------------------------------


def test_a_weekly_class_with_six_homework_in_six_weeks_is_on_track(school):
    row = rows_by_name(report_for(school, school.maths))["7x/Ma1"]

    assert row.set_count == 6  # archived counts; draft, earlier and future homework do not
    assert row.expected == 6
    assert row.percent == 100
    assert row.status == "On track"
    assert row.average_minutes == 35  # (5 x 30 + 60) / 6


def test_returned_with_feedback_counts_handed_in_work_returned_with_written_feedback(school):
    row = rows_by_name(report_for(school, school.maths))["7x/Ma1"]

    # Handed in: both pupils for the first two homework, the pupil for the third (5).
    # Returned with feedback: both for the first, the pupil's paper copy for the second (3).
    assert (row.handed_in, row.returned_with_feedback) == (5, 3)
    assert row.feedback_rate == 60


def test_a_fortnightly_class_with_one_homework_in_six_weeks_is_a_third_of_the_way(school):
    row = rows_by_name(report_for(school, school.art))["7x/Ar1"]

    assert (row.set_count, row.expected, row.percent) == (1, 3, 33)
    assert row.status == "Below"
    assert row.average_minutes == 45
    assert row.feedback_rate is None  # nothing handed in yet


def test_a_key_stage_4_class_has_no_expectation_when_departments_decide(school):
    row = rows_by_name(report_for(school, school.maths))["10x/Ma1"]

    assert row.set_count == 2
    assert row.expected is None
    assert row.percent is None
    assert row.status == "Set by the department"


def test_a_subject_rule_overrides_the_key_stage_rule_for_other_subjects(school):
    report = report_for(school, school.maths, school.english, school.art)
    rows = rows_by_name(report)

    assert rows["8x/Ma1"].expected == 6  # maths' own weekly rule
    assert rows["7x/Ar1"].expected == 3  # KS3 "other subjects": fortnightly
    assert (rows["7x/En1"].set_count, rows["7x/En1"].percent) == (0, 0)


def test_holiday_weeks_expect_no_homework(school):
    """Autumn half-term (26-30 October) falls in the window: five teaching weeks."""
    year = school.academic_year
    HalfTermFactory(
        academic_year=year,
        start_date=datetime.date(2026, 9, 2),
        end_date=datetime.date(2026, 10, 23),
    )
    HalfTermFactory(
        academic_year=year,
        name="autumn_2",
        start_date=datetime.date(2026, 11, 2),
        end_date=datetime.date(2026, 12, 18),
    )
    report = report_for(school, school.maths, school.art)
    rows = rows_by_name(report)

    assert report.window.teaching_weeks == 5
    assert rows["8x/Ma1"].expected == 5
    assert rows["8x/Ma1"].percent == 60
    assert rows["7x/Ar1"].expected == 2.5
    assert rows["7x/Ar1"].percent == 40


def test_half_terms_covering_the_whole_window_leave_six_teaching_weeks(school):
    HalfTermFactory(
        academic_year=school.academic_year,
        start_date=datetime.date(2026, 9, 2),
        end_date=datetime.date(2026, 12, 18),
    )
    assert report_for(school, school.maths).window.teaching_weeks == 6


def test_departments_roll_up_their_classes(school):
    report = report_for(school, school.art, school.english, school.maths)
    maths = next(row for row in report.subjects if row.subject == school.maths)

    assert maths.group_count == 3
    assert maths.set_count == 11
    assert maths.expected == 12  # 7x/Ma1 and 8x/Ma1; 10x/Ma1 is set by the department
    assert maths.percent == 75  # (6 + 3) / 12
    assert maths.average_minutes == 33  # (210 + 3 x 20 + 2 x 45) / 11
    assert maths.feedback_rate == 60
    assert maths.below_count == 1


def test_classes_of_another_academic_year_are_left_out(school):
    last_year = AcademicYearFactory(
        school=school.school,
        name="2025/26",
        start_date=datetime.date(2025, 9, 1),
        end_date=datetime.date(2026, 8, 31),
    )
    TeachingGroupFactory(
        school=school.school,
        academic_year=last_year,
        year_group=school.y7,
        subject=school.maths,
        name="7x/Ma1",
    )
    assert sorted(rows_by_name(report_for(school, school.maths))) == [
        "10x/Ma1",
        "7x/Ma1",
        "8x/Ma1",
    ]


# The pages -------------------------------------------------------------------------------


def page(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    return response


def test_senior_leader_sees_the_departments_with_links_to_their_classes(client, school):
    response = page(client, school.senior_leader)
    text = response.content.decode()

    assert response.status_code == 200
    assert "Departments" in text
    for subject in (school.maths, school.english, school.art):
        assert f'href="?subject={subject.pk}"' in text
    assert "75%" in text  # maths
    assert "Heaviest nights" in text
    assert "10x/Ma1" not in text  # classes only on the drill-down
    assert "Other Academy" not in text


def test_senior_leader_drills_into_one_subject(client, school):
    response = page(client, school.senior_leader, subject=school.art.pk)
    text = response.content.decode()

    assert response.status_code == 200
    assert "Homework compliance: Art" in text
    assert "7x/Ar1" in text and "33%" in text
    assert "7x/Ma1" not in text
    assert "Heaviest nights" not in text


def test_subject_leader_sees_each_class_of_their_subject_only(client, school):
    response = page(client, school.subject_leader)
    text = response.content.decode()

    assert response.status_code == 200
    assert "7x/Ma1" in text and "8x/Ma1" in text and "10x/Ma1" in text
    assert "Set by the department" in text
    assert "On track" in text
    assert "7x/Ar1" not in text and "7x/En1" not in text
    assert "Departments" not in text and "Heaviest nights" not in text


@pytest.mark.parametrize("subject", ["art", "other_maths"])
def test_subject_leader_cannot_drill_into_another_subject(client, school, subject):
    response = page(client, school.subject_leader, subject=getattr(school, subject).pk)
    assert response.status_code == 404
    assert "7x/Ar1" not in response.content.decode()


def test_subject_leader_drills_into_their_own_subject(client, school):
    assert page(client, school.subject_leader, subject=school.maths.pk).status_code == 200


@pytest.mark.parametrize("value", ["x", "-1", "99999999", ""])
def test_a_bad_subject_answers_404(client, school, value):
    assert page(client, school.senior_leader, subject=value).status_code == 404


def test_another_schools_leader_sees_none_of_this_school(client, school):
    response = page(client, school.other_school_staff)
    text = response.content.decode()

    assert response.status_code == 200
    assert "English" not in text and "Art" not in text
    assert page(client, school.other_school_staff, subject=school.maths.pk).status_code == 404


@pytest.mark.parametrize("who", ["teacher", "head_of_year", "lsa", "parent"])
def test_people_without_a_leading_role_get_404(client, school, who):
    assert page(client, getattr(school, who)).status_code == 404


def test_without_a_policy_nothing_is_expected_and_senior_leaders_are_sent_to_set_one(
    client, school
):
    FrequencyRule.objects.filter(school=school.school).delete()
    KeyStagePolicy.objects.filter(school=school.school).delete()

    senior = page(client, school.senior_leader).content.decode()
    leader = page(client, school.subject_leader).content.decode()

    assert "no homework frequency policy yet" in senior
    assert reverse("homework_policy") in senior
    assert "A senior leader can set it up" in leader
    assert "No rule" in leader


# CSV ---------------------------------------------------------------------------------------


def csv_rows(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_departments_download_as_csv(client, school):
    rows = csv_rows(page(client, school.senior_leader, format="csv"))

    assert rows[0][:4] == ["Subject", "Classes", "Homework set", "Expected"]
    assert rows[1:] == [
        ["Art", "1", "1", "3", "33", "45", "", "1"],
        ["English", "1", "0", "6", "0", "", "", "1"],
        ["Maths", "3", "11", "12", "75", "33", "60", "1"],
    ]


def test_a_subject_leaders_classes_download_as_csv(client, school):
    rows = csv_rows(page(client, school.subject_leader, format="csv"))

    assert rows[0][:3] == ["Subject", "Class", "Year"]
    assert rows[1:] == [
        ["Maths", "7x/Ma1", "7", "KS3", "6", "6", "100", "On track", "35", "60"],
        ["Maths", "8x/Ma1", "8", "KS3", "3", "6", "50", "Below", "20", ""],
        ["Maths", "10x/Ma1", "10", "KS4", "2", "", "", "Set by the department", "45", ""],
    ]


def test_a_drill_down_downloads_its_classes(client, school):
    rows = csv_rows(page(client, school.senior_leader, subject=school.art.pk, format="csv"))
    assert [row[1] for row in rows[1:]] == ["7x/Ar1"]


def test_heaviest_nights_download_as_csv(client, school):
    rows = csv_rows(page(client, school.senior_leader, table="nights", format="csv"))

    assert rows[0][0] == "Date"
    assert [row[0] for row in rows[1:]] == [
        (TODAY + datetime.timedelta(days=n)).strftime("%d/%m/%Y") for n in range(7)
    ]


@pytest.mark.parametrize("table", ["nights", "departments", "pupils"])
def test_a_subject_leader_cannot_ask_for_another_table(client, school, table):
    assert page(client, school.subject_leader, table=table, format="csv").status_code == 404


# Heaviest nights ----------------------------------------------------------------------------


@pytest.fixture
def nights(world, time_machine):
    """Monday 12 October 2026 (British Summer Time). The pupil has 100 minutes due on
    Tuesday, one task due at 00:30 (still Monday 23:30 in UTC); the classmate 50 (plus an
    excused task and a draft); a Year 10 pupil 130 minutes on Wednesday (KS4 cap 120)."""
    time_machine.move_to(datetime.datetime(2026, 10, 12, 10, 0, tzinfo=LONDON), tick=False)
    w = world
    policy_defaults_create(school=w.school)

    def due(day, hour, minute, minutes, group, pupils, status=Homework.Status.SET):
        at = datetime.datetime(2026, 10, day, hour, minute, tzinfo=LONDON)
        homework = Homework.objects.create(
            school=w.school,
            teaching_group=group,
            set_by=w.teacher,
            status=status,
            title="Task",
            instructions="Do it.",
            set_on=datetime.date(2026, 10, 5),
            due_at=at,
            estimated_minutes=minutes,
        )
        return [
            Assignment.objects.create(school=w.school, homework=homework, pupil=p, due_at=at)
            for p in pupils
        ]

    due(13, 0, 30, 50, w.maths_7, [w.pupil])
    due(13, 8, 30, 50, w.maths_7, [w.pupil, w.classmate])
    (excused,) = due(13, 8, 30, 60, w.english_7, [w.classmate])
    excused.status = Assignment.Status.EXCUSED
    excused.save()
    due(13, 8, 30, 100, w.maths_7, [w.classmate], status=Homework.Status.DRAFT)
    due(19, 8, 30, 200, w.maths_7, [w.pupil])  # a week today: outside the seven days
    due(11, 8, 30, 200, w.maths_7, [w.pupil])  # yesterday

    y10 = YearGroupFactory(school=w.school, number=10)
    senior = PupilFactory(tutor_group=TutorGroupFactory(school=w.school, year_group=y10))
    group = TeachingGroupFactory(
        school=w.school, academic_year=w.academic_year, year_group=y10, subject=w.maths
    )
    due(14, 8, 30, 70, group, [senior])
    due(14, 15, 0, 60, group, [senior])
    return w


def test_heaviest_nights_count_pupils_over_their_key_stages_cap_each_day(nights):
    caps = policy_caps(nights.school.pk)
    result = heaviest_nights(school_id=nights.school.pk, caps=caps, today=timezone.localdate())

    assert [night.day for night in result][:3] == [
        datetime.date(2026, 10, 12),
        datetime.date(2026, 10, 13),
        datetime.date(2026, 10, 14),
    ]
    assert [night.counts for night in result] == [
        [0, 0, 0],
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
        [0, 0, 0],
    ]


def test_heaviest_nights_show_on_the_senior_leaders_page(client, nights):
    client.force_login(nights.senior_leader)
    text = client.get(URL).content.decode()

    assert "Tuesday 13/10/2026" in text
    assert "over 90 min" in text and "over 120 min" in text


def test_a_key_stage_without_a_cap_shows_no_count(nights):
    result = heaviest_nights(school_id=nights.school.pk, caps={3: 90}, today=timezone.localdate())
    assert result[1].counts == [1, None, None]


# Query budget --------------------------------------------------------------------------------


def add_maths_classes(w, count):
    """`count` more KS3 maths classes of two pupils, each with two homework in the window,
    one pupil's work handed in and returned with feedback."""
    for number in range(count):
        pupils = PupilFactory.create_batch(2, tutor_group=w.tg_7a)
        group = TeachingGroupFactory(
            school=w.school,
            academic_year=w.academic_year,
            year_group=w.y7,
            subject=w.maths,
            name=f"7y/Ma{number}",
            teachers=[w.teacher],
            pupils=pupils,
        )
        for day in WEDNESDAYS[:2]:
            homework = make_homework(group, day)
            hand_in(homework, pupils[0], feedback="Good.")


BUDGETS = {
    # session, user, roles, subjects, caps, rules, half-terms, classes with their homework
    # counted and their pupils' work summed (the homework's tallies), pupils over the cap
    # per night
    "departments": ("senior_leader", {}, 9),
    # the same without the nights
    "subject_leader": ("subject_leader", {}, 8),
    "drill_down": ("school_admin", {"subject": "maths"}, 8),
    # the departments' CSV: no nights
    "csv": ("senior_leader", {"format": "csv"}, 8),
    # session, user, roles, subjects, caps, pupils over the cap per night (no classes)
    "nights_csv": ("senior_leader", {"table": "nights", "format": "csv"}, 6),
}


@pytest.mark.parametrize("classes", [0, 49])
@pytest.mark.parametrize("page_name", BUDGETS)
def test_query_budget_does_not_grow_with_classes(
    client, world, today, django_assert_num_queries, page_name, classes
):
    policy_defaults_create(school=world.school)
    make_homework(world.maths_7, WEDNESDAYS[0])
    add_maths_classes(world, classes)
    who, params, budget = BUDGETS[page_name]
    params = {key: world.maths.pk if value == "maths" else value for key, value in params.items()}
    client.force_login(getattr(world, who))

    with django_assert_num_queries(budget):
        response = client.get(URL, params)

    assert response.status_code == 200
    if page_name == "subject_leader":
        assert response.content.decode().count("7y/Ma") == classes


def test_subject_leader_of_two_subjects_sees_both(client, school):
    RoleFactory(
        user=school.subject_leader,
        school=school.school,
        role=RoleAssignment.Role.SUBJECT_LEADER,
        subject=school.art,
    )
    text = page(client, school.subject_leader).content.decode()
    assert "7x/Ar1" in text and "7x/Ma1" in text
    assert "7x/En1" not in text
