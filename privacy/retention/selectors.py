"""What the retention pages read: the schedule (each registered kind with its rule),
the school's current legal holds, a pupil's holds, and the log of runs."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from school.models import Pupil, School

from ..models import LegalHold, RetentionRule, RetentionRun
from ..registry import RecordKind, record_kinds

RUNS_PER_PAGE = 25
HOLDS_PER_PAGE = 50


@dataclass(frozen=True)
class ScheduleLine:
    kind: RecordKind
    rule: RetentionRule | None

    @property
    def months(self) -> int:
        return self.rule.months if self.rule else self.kind.default_months


def schedule_of(school: School) -> list[ScheduleLine]:
    """Every registered kind with the school's rule for it, if any (one query)."""
    rules = {
        rule.kind: rule
        for rule in RetentionRule.objects.filter(school=school).select_related("confirmed_by")
    }
    return [ScheduleLine(kind, rules.get(kind.key)) for kind in record_kinds()]


def last_confirmed(lines: list[ScheduleLine]) -> RetentionRule | None:
    rules = [line.rule for line in lines if line.rule is not None]
    return max(rules, key=lambda rule: rule.confirmed_at, default=None)


def is_confirmed(lines: list[ScheduleLine]) -> bool:
    """Every registered kind has a period the school confirmed."""
    return bool(lines) and all(line.rule is not None for line in lines)


def current_holds(school: School) -> QuerySet[LegalHold]:
    return (
        LegalHold.objects.filter(school=school, lifted_at__isnull=True)
        .select_related("pupil", "placed_by")
        .order_by("pupil__last_name", "pupil__first_name", "pk")
    )


def holds_of(pupil: Pupil) -> list[LegalHold]:
    """The pupil's holds, current first then past, newest first (one query)."""
    holds = LegalHold.objects.filter(pupil=pupil).select_related("placed_by", "lifted_by")
    return sorted(holds, key=lambda hold: (hold.lifted_at is not None, -hold.placed_at.timestamp()))


def runs_of(school: School) -> QuerySet[RetentionRun]:
    return RetentionRun.objects.filter(school=school).select_related("started_by")


def run_rows(run: RetentionRun) -> list[dict]:
    """The run's results in the schedule's order, kinds no longer registered last."""
    order = {kind.key: n for n, kind in enumerate(record_kinds())}
    return result_rows(
        sorted(run.results.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    )


def result_rows(results) -> list[dict]:
    """(kind, result) pairs as the results table shows them, the cutoff read as a date."""
    return [
        {"key": key, **result, "cutoff": date.fromisoformat(result["cutoff"])}
        for key, result in results
    ]
