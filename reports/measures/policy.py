"""Homework set against the school's frequency policy (homework's FrequencyRule rows, the
compliance report's one rule, homework/selectors/compliance.py): two queries for every
column, the rules and the year's classes with their homework counted per period."""

import datetime

from django.db.models import Count, Q

from homework.selectors.compliance import COUNTED_HOMEWORK, Policy, expected_homework
from homework.selectors.compliance import frequency_rules as rules_of
from homework.selectors.setting import key_stage_of
from school.models import AcademicYear, TeachingGroup

from .base import Cell, Measure, percent
from .periods import Period, per_period

FAMILY = "Homework"

EXPECTED = (
    "Homework the school's frequency policy expects of the year's classes in the period, "
    "by the rule the compliance report uses: a class is expected one task every N "
    "teaching weeks (its key stage's rule for its subject, else for every other subject); "
    "classes whose department decides, or with no rule, expect nothing and are left out. "
    "Teaching weeks are the period's weekdays inside the school's half-terms divided by "
    "five (the whole year's weekdays when the school records no half-terms)."
)
SET_AGAINST = (
    "Homework tasks (set or since archived, not drafts) set in the period to the classes "
    "that expect some, and their percentage of the homework expected."
)


def teaching_weekdays(start: datetime.date, end: datetime.date) -> int:
    days = (end - start).days + 1
    whole_weeks, rest = divmod(days, 7)
    return whole_weeks * 5 + sum(
        1 for n in range(rest) if (start + datetime.timedelta(days=n)).weekday() < 5
    )


def teaching_weeks(periods: list[Period]) -> list[float]:
    """Each period's teaching weeks: a half-term's weekdays over five; the year's, its
    half-terms' together (or all its weekdays when it has none)."""
    half_terms = sum(teaching_weekdays(p.start, p.end) for p in periods if not p.is_year)
    return [
        (half_terms if p.is_year and half_terms else teaching_weekdays(p.start, p.end)) / 5
        for p in periods
    ]


def _tasks(n: float) -> int | float:
    n = round(n, 1)
    return int(n) if n == int(n) else n


def policy_measures(school_id: int, year: AcademicYear, periods: list[Period]) -> list[Measure]:
    policy = Policy(caps={}, rules=rules_of(school_id))
    groups = (
        TeachingGroup.objects.filter(school_id=school_id, academic_year=year)
        .values("pk", "subject_id", "year_group__number")
        .annotate(
            **per_period(
                periods,
                "set",
                lambda p: Count(
                    "homework",
                    filter=Q(homework__status__in=COUNTED_HOMEWORK) & p.within("homework__set_on"),
                ),
            )
        )
        .order_by()
    )
    weeks = teaching_weeks(periods)
    expected = [0.0] * len(periods)
    set_where_expected = [0] * len(periods)
    for group in groups:
        rule = policy.rule_for(key_stage_of(group["year_group__number"]), group["subject_id"])
        for i, period_weeks in enumerate(weeks):
            due = expected_homework(rule, period_weeks)
            if due is not None:
                expected[i] += due
                set_where_expected[i] += group[f"set_{i}"]
    return [
        Measure(
            "policy_expected",
            "Homework expected by the frequency policy",
            EXPECTED,
            [Cell(_tasks(n)) for n in expected],
            FAMILY,
        ),
        Measure(
            "policy_set",
            "Homework set against the policy",
            SET_AGAINST,
            [
                Cell(n, percent(n, whole))
                for n, whole in zip(set_where_expected, expected, strict=True)
            ],
            FAMILY,
        ),
    ]
