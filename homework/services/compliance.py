"""The school's homework policy: nightly caps by key stage and how often each subject sets
homework, started from the recommended policy and changed all at once."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from school.models import School, Subject

from ..models import FrequencyRule, KeyStagePolicy
from . import HomeworkError

DEFAULT_NIGHTLY_CAPS = {3: 90, 4: 120, 5: 180}
CORE_SUBJECT_CODES = ("En", "Ma", "Sc")


@transaction.atomic
def policy_defaults_create(*, school) -> None:
    """Seed 002's guidance: in KS3, English, maths and science weekly and every other
    subject fortnightly, about an hour each; in KS4 and KS5 departments decide."""
    for key_stage, cap in DEFAULT_NIGHTLY_CAPS.items():
        KeyStagePolicy.objects.get_or_create(
            school=school, key_stage=key_stage, defaults={"nightly_cap_minutes": cap}
        )
    FrequencyRule.objects.get_or_create(
        school=school, key_stage=3, subject=None, defaults={"every_weeks": 2, "minutes": 60}
    )
    for subject in Subject.objects.filter(school=school, code__in=CORE_SUBJECT_CODES):
        FrequencyRule.objects.get_or_create(
            school=school, key_stage=3, subject=subject, defaults={"every_weeks": 1, "minutes": 60}
        )
    for key_stage in (4, 5):
        FrequencyRule.objects.get_or_create(
            school=school,
            key_stage=key_stage,
            subject=None,
            defaults={"set_by_department": True, "every_weeks": 1, "minutes": 60},
        )


@dataclass(frozen=True)
class RuleEntry:
    """One frequency rule as a senior leader wants it; subject None: every other subject."""

    key_stage: int
    subject_id: int | None
    every_weeks: int
    minutes: int
    set_by_department: bool = False


@transaction.atomic
def policy_update(*, school, nightly_caps: dict[int, int], rules: Sequence[RuleEntry]) -> None:
    """Replace the school's nightly caps and frequency rules with these, all or nothing.
    Rules are matched by key stage and subject: kept ones are updated, missing ones
    deleted, new ones created."""
    School.objects.select_for_update().filter(pk=school.pk).first()  # one editor at a time
    keys = [(rule.key_stage, rule.subject_id) for rule in rules]
    if len(set(keys)) != len(keys):
        raise HomeworkError("Each key stage may have only one rule per subject.")
    for key_stage in (3, 4, 5):
        if (key_stage, None) not in keys:
            raise HomeworkError(f"KS{key_stage} needs a rule for other subjects.")
    if any(rule.key_stage not in (3, 4, 5) for rule in rules):
        raise HomeworkError("Rules are for KS3, KS4 or KS5.")
    subject_ids = {rule.subject_id for rule in rules if rule.subject_id is not None}
    if len(subject_ids) != Subject.objects.filter(school=school, pk__in=subject_ids).count():
        raise HomeworkError("Choose subjects of your own school.")
    if any(rule.every_weeks < 1 or rule.minutes < 1 for rule in rules) or any(
        minutes < 1 for minutes in nightly_caps.values()
    ):
        raise HomeworkError("Minutes and weeks must be at least 1.")

    for key_stage, minutes in nightly_caps.items():
        KeyStagePolicy.objects.update_or_create(
            school=school, key_stage=key_stage, defaults={"nightly_cap_minutes": minutes}
        )
    existing = {
        (rule.key_stage, rule.subject_id): rule
        for rule in FrequencyRule.objects.filter(school=school)
    }
    wanted = dict(zip(keys, rules, strict=True))
    FrequencyRule.objects.filter(
        pk__in=[rule.pk for key, rule in existing.items() if key not in wanted]
    ).delete()
    changed, created = [], []
    for key, entry in wanted.items():
        row = existing.get(key) or FrequencyRule(
            school=school, key_stage=entry.key_stage, subject_id=entry.subject_id
        )
        values = (entry.every_weeks, entry.minutes, entry.set_by_department)
        if row.pk and values == (row.every_weeks, row.minutes, row.set_by_department):
            continue
        row.every_weeks, row.minutes, row.set_by_department = values
        (changed if row.pk else created).append(row)
    FrequencyRule.objects.bulk_update(changed, ["every_weeks", "minutes", "set_by_department"])
    FrequencyRule.objects.bulk_create(created)
