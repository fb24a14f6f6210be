"""How a round's sample is drawn: from the homework set (not drafts) with a set date in
the round's period, in its subjects and by its teachers (all where it names none), N at
random from each department (subject) or each teacher. The draw is a function of the
round's stored seed and the homework there is: the same round draws the same sample."""

import random
from collections import defaultdict

from homework.models import Homework

from ..models import ScrutinyRound

# Set, or set and since archived with its class at the end of a year: not drafts.
SET_HOMEWORK = [Homework.Status.SET, Homework.Status.ARCHIVED]


def candidates(round: ScrutinyRound, *, subject_ids: list[int], teacher_ids: list[int]):
    """(homework id, subject id, teacher id) of every homework the round samples from."""
    homework = Homework.objects.filter(
        school_id=round.school_id,
        status__in=SET_HOMEWORK,
        set_on__gte=round.period_start,
        set_on__lte=round.period_end,
    )
    if subject_ids:
        homework = homework.filter(teaching_group__subject_id__in=subject_ids)
    if teacher_ids:
        homework = homework.filter(set_by_id__in=teacher_ids)
    return list(homework.values_list("pk", "teaching_group__subject_id", "set_by_id"))


def draw(rows, *, seed: int, per_group: int, by_teacher: bool) -> list[int]:
    """The homework ids drawn: `per_group` of each group's homework (all of a smaller
    group), chosen by a generator seeded with the round's seed and the group, so that one
    group's homework does not change another's draw."""
    groups = defaultdict(list)
    for homework_id, subject_id, teacher_id in rows:
        groups[teacher_id if by_teacher else subject_id].append(homework_id)
    drawn = []
    for key in sorted(groups):
        ids = sorted(groups[key])
        chooser = random.Random(f"{seed}:{key}")
        drawn.extend(sorted(chooser.sample(ids, min(per_group, len(ids)))))
    return drawn
