"""The escalation policy: the ladder a school edits, each change a new version."""

from collections.abc import Sequence
from typing import NamedTuple

from django.db import IntegrityError, transaction

from school.models import School, User

from ..models import (
    EscalationPolicy,
    EscalationStep,
    MeetingWith,
)
from . import SanctionError

# Seed 001's ladder: a detention; then with a tutor meeting; then with the head of house;
# then with the head of year, repeating from there.
DEFAULT_STEPS = [
    (60, MeetingWith.NONE),
    (60, MeetingWith.FORM_TUTOR),
    (60, MeetingWith.HEAD_OF_HOUSE),
    (60, MeetingWith.HEAD_OF_YEAR),
]


def _policy_read(school: School) -> EscalationPolicy | None:
    """The current version with its steps, in one query: the steps read with their
    policy, then cached on it as prefetch_related("steps") would. A version without a
    step (never written by policy_update) is read as before, in two."""
    steps = list(
        EscalationStep.objects.filter(policy__school=school, policy__is_current=True)
        .select_related("policy")
        .order_by("number")
    )
    if not steps:
        return (
            EscalationPolicy.objects.filter(school=school, is_current=True)
            .prefetch_related("steps")
            .first()
        )
    policy = steps[0].policy
    for step in steps:
        step.policy = policy
    cached = policy.steps.all()  # lazy: no query
    cached._result_cache, cached._prefetch_done = steps, True
    policy._prefetched_objects_cache = {"steps": cached}
    return policy


def policy_current(*, school: School) -> EscalationPolicy:
    """The school's current ladder, created from seed 001's defaults the first time. Two
    requests creating it at the same moment both get the one that was written. Reading
    it (every time but the first) opens no transaction: one query."""
    return _policy_read(school) or _policy_create(school)


@transaction.atomic
def _policy_create(school: School) -> EscalationPolicy:
    try:
        with transaction.atomic():  # a savepoint: the other request's insert may win
            policy = EscalationPolicy.objects.create(school=school, version=1)
            EscalationStep.objects.bulk_create(
                EscalationStep(
                    policy=policy, number=n, detention_minutes=minutes, meeting_with=meeting
                )
                for n, (minutes, meeting) in enumerate(DEFAULT_STEPS, start=1)
            )
    except IntegrityError:
        pass
    return _policy_read(school)


class PolicyStep(NamedTuple):
    detention_minutes: int
    meeting_with: str
    parents_invited: bool

    def normalised(self) -> "PolicyStep":
        """Parents are only ever invited to a meeting: without one the flag means nothing."""
        return self._replace(parents_invited=bool(self.meeting_with and self.parents_invited))


POLICY_CHANGED_ELSEWHERE = (
    "Someone else changed the policy while you were editing it, so your changes were not "
    "saved. Check the current ladder below and make your changes again."
)


def _ladder(policy: EscalationPolicy) -> tuple:
    return (
        policy.misses_per_cycle,
        policy.minimum_notice_hours,
        policy.weekend_sessions_allowed,
        tuple(
            PolicyStep(s.detention_minutes, s.meeting_with, s.parents_invited).normalised()
            for s in policy.steps.all()
        ),
    )


@transaction.atomic
def policy_update(
    *,
    school: School,
    actor: User,
    misses_per_cycle: int,
    minimum_notice_hours: int,
    weekend_sessions_allowed: bool,
    steps: Sequence[PolicyStep],
    based_on_version: int | None = None,
) -> EscalationPolicy | None:
    """Write the ladder as a new version and make it current; sanctions already given keep
    the version they came from, so the change applies to cycles completed from now on.
    Returns None, writing nothing, when nothing differs from the current version.
    `based_on_version` is the version the person edited: if another senior leader saved
    in between (or is saving at this moment) the change is refused, never merged."""
    steps = [PolicyStep(*step).normalised() for step in steps]
    if not steps:
        raise SanctionError("Keep at least one step on the ladder.")
    if misses_per_cycle < 1:
        raise SanctionError("A cycle needs at least one missed deadline.")
    try:
        policy_current(school=school)  # the defaults, the first time
    except IntegrityError:
        raise SanctionError(POLICY_CHANGED_ELSEWHERE) from None
    # A second request waiting on this lock finds no current row once the first commits.
    current = (
        EscalationPolicy.objects.select_for_update()
        .filter(school=school, is_current=True)
        .prefetch_related("steps")
        .first()
    )
    if current is None or based_on_version not in (None, current.version):
        raise SanctionError(POLICY_CHANGED_ELSEWHERE)
    wanted = (misses_per_cycle, minimum_notice_hours, weekend_sessions_allowed, tuple(steps))
    if wanted == _ladder(current):
        return None
    try:
        with transaction.atomic():
            EscalationPolicy.objects.filter(pk=current.pk).update(is_current=False)
            policy = EscalationPolicy.objects.create(
                school=school,
                version=current.version + 1,
                misses_per_cycle=misses_per_cycle,
                minimum_notice_hours=minimum_notice_hours,
                weekend_sessions_allowed=weekend_sessions_allowed,
                created_by=actor,
            )
            EscalationStep.objects.bulk_create(
                EscalationStep(
                    policy=policy,
                    number=number,
                    detention_minutes=step.detention_minutes,
                    meeting_with=step.meeting_with,
                    parents_invited=step.parents_invited,
                )
                for number, step in enumerate(steps, start=1)
            )
    except IntegrityError:
        # The unique (school, version) and one-current constraints: a concurrent save won.
        raise SanctionError(POLICY_CHANGED_ELSEWHERE) from None
    return policy
