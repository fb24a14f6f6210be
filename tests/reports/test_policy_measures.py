"""Homework set against the frequency policy, on the hand-built school
(tests/reports/fixture.py) with rules added: KS3 maths weekly, other KS3 subjects
fortnightly, KS4 left to departments. The compliance report's rule (one definition,
homework/selectors/compliance.py expected_homework)."""

import pytest

from homework.models import FrequencyRule, Homework
from reports.measures import half_term_report
from tests.factories import SubjectFactory, TeachingGroupFactory, YearGroupFactory
from tests.reports.fixture import TODAY, d, known_school

pytestmark = pytest.mark.django_db


def cells(report, key):
    return [str(cell) for cell in report.measure(key).cells]


@pytest.fixture
def known():
    known = known_school()
    b = known.builder
    FrequencyRule.objects.create(school=b.school, key_stage=3, subject=None, every_weeks=2)
    FrequencyRule.objects.create(
        school=b.school, key_stage=3, subject=b.group.subject, every_weeks=1
    )
    FrequencyRule.objects.create(school=b.school, key_stage=4, subject=None, set_by_department=True)
    art = TeachingGroupFactory(
        school=b.school,
        academic_year=b.year,
        year_group=b.group.year_group,
        subject=SubjectFactory(school=b.school, name="Art", code="Ar"),
        name="7x/Ar",
    )
    y10 = TeachingGroupFactory(
        school=b.school,
        academic_year=b.year,
        year_group=YearGroupFactory(school=b.school, number=10),
        subject=art.subject,
        name="10x/Ar",
    )
    for group, set_on, status in [
        (art, d(10, 5), Homework.Status.ARCHIVED),  # archived homework was set
        (art, d(11, 5), Homework.Status.SET),
        (art, d(11, 6), Homework.Status.DRAFT),  # a draft was not
        (y10, d(10, 5), Homework.Status.SET),  # KS4: the department decides
    ]:
        b.group = group
        b.homework(set_on, set_on, status=status)
    return known


def test_expected_homework_is_teaching_weeks_over_each_classes_rule(known):
    report = half_term_report(known.year, today=TODAY)
    # Weekdays: Autumn 1 38, Autumn 2 35, Spring 1 30, the year 103. Maths weekly and
    # art fortnightly: 7.6 + 3.8, 7 + 3.5, 6 + 3, 20.6 + 10.3; year 10 expects nothing.
    assert cells(report, "policy_expected") == ["11.4", "10.5", "9", "30.9"]


def test_homework_set_against_the_policy_counts_set_and_archived_tasks_of_those_classes(known):
    report = half_term_report(known.year, today=TODAY)
    # Maths: the task and the misses' homework (4 in Autumn 1, 3 in Autumn 2, the draft
    # left out); art: the archived task and one set; year 10's task is left out.
    assert cells(report, "policy_set") == ["5 (43.9%)", "4 (38.1%)", "0 (0.0%)", "9 (29.1%)"]


def test_a_school_without_a_policy_expects_nothing_and_says_so():
    report = half_term_report(known_school().year, today=TODAY)
    assert cells(report, "policy_expected") == ["0", "0", "0", "0"]
    assert cells(report, "policy_set") == ["0", "0", "0", "0"]
    assert "teaching weeks" in report.measure("policy_expected").definition
