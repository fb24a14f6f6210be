"""Writes of the retention pages: the lead confirms the schedule (every registered kind's
months, checked by the form), places and lifts legal holds, and starts runs."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from school.models import Pupil, School, User

from ..models import LegalHold, RetentionRule, RetentionRun
from ..registry import record_kinds


class HoldRefused(Exception):
    """The pupil already has a current hold."""


@transaction.atomic
def schedule_confirm(*, school: School, user: User, months: dict[str, int]) -> list[RetentionRule]:
    """Confirm (or confirm again, edited) the period of every registered kind: `months`
    has one for each. Each rule says who confirmed it and when."""
    at = timezone.now()
    rules = []
    for kind in record_kinds():
        rule, _ = RetentionRule.objects.update_or_create(
            school=school,
            kind=kind.key,
            defaults={"months": months[kind.key], "confirmed_by": user, "confirmed_at": at},
        )
        rules.append(rule)
    return rules


def hold_place(*, pupil: Pupil, user: User, reason: str) -> LegalHold:
    """Put the pupil on a legal hold: nothing about them is removed until it is lifted."""
    try:
        with transaction.atomic():
            return LegalHold.objects.create(
                school_id=pupil.school_id,
                pupil=pupil,
                reason=reason.strip(),
                placed_by=user,
                placed_at=timezone.now(),
            )
    except IntegrityError as error:  # legal_hold_one_current
        raise HoldRefused(f"{pupil.full_name} is already on a legal hold.") from error


@transaction.atomic
def hold_lift(*, hold: LegalHold, user: User) -> bool:
    """Lift a current hold (the row stays: who placed it, why, who lifted it and when).
    False when it had been lifted already."""
    lifted = LegalHold.objects.filter(pk=hold.pk, lifted_at__isnull=True).update(
        lifted_by=user, lifted_at=timezone.now()
    )
    return bool(lifted)


@transaction.atomic
def run_start(*, school: School, user: User, dry_run: bool) -> RetentionRun:
    """Log a run as started by `user`; a real run goes to the worker once this commits
    (it may take a while), a dry run is counted at once (a count a kind)."""
    from .engine import run_schedule
    from .tasks import retention_run

    run = RetentionRun.objects.create(
        school=school, dry_run=dry_run, started_by=user, started_at=timezone.now()
    )
    if dry_run:
        return run_schedule(school=school, dry_run=True, run=run)
    transaction.on_commit(lambda: retention_run.delay(run.pk))
    return run
