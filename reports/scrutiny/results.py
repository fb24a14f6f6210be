"""Results of work scrutiny: per department and criterion, the share of reviewed homework
meeting the criterion, round by round (two queries)."""

from dataclasses import dataclass

from django.db.models import Count, Q

from ..measures.base import percent
from ..models import ScrutinyRating, ScrutinyRound
from . import access

DEFINITION = (
    "Of the sampled homework reviewed in the round, the share rated “met” on the criterion. "
    "Homework rated “not applicable” is left out; “partly met” does not count as met."
)
RATED = ~Q(rating=ScrutinyRating.Rating.NOT_APPLICABLE)
MET = Q(rating=ScrutinyRating.Rating.MET)


@dataclass(frozen=True)
class Share:
    met: int
    rated: int

    @property
    def percent(self) -> float | None:
        return percent(self.met, self.rated)

    def __str__(self) -> str:
        if not self.rated:
            return "–"
        return f"{self.percent}% ({self.met} of {self.rated})"


@dataclass
class Row:
    department: str
    criterion: str
    criterion_retired: bool
    shares: list[Share]


@dataclass
class Results:
    rounds: list[ScrutinyRound]
    rows: list[Row]


def results_for(user) -> Results:
    rounds = list(access.rounds_visible_to(user).order_by("period_start", "pk"))
    ratings = ScrutinyRating.objects.filter(
        school_id=user.school_id, review__sample__round__in=[r.pk for r in rounds]
    )
    subject_ids = access.led_subject_ids(user)
    if subject_ids is not None:
        ratings = ratings.filter(
            review__sample__homework__teaching_group__subject_id__in=subject_ids
        )
    counted = (
        ratings.values(
            "review__sample__round_id",
            "review__sample__homework__teaching_group__subject__name",
            "criterion__name",
            "criterion__order",
            "criterion__is_active",
        )
        .annotate(met=Count("pk", filter=MET), rated=Count("pk", filter=RATED))
        .order_by()
    )
    column = {r.pk: i for i, r in enumerate(rounds)}
    rows: dict[tuple, Row] = {}
    for line in counted:
        key = (
            line["review__sample__homework__teaching_group__subject__name"],
            line["criterion__order"],
            line["criterion__name"],
        )
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(
                key[0], key[2], not line["criterion__is_active"], [Share(0, 0)] * len(rounds)
            )
        row.shares[column[line["review__sample__round_id"]]] = Share(line["met"], line["rated"])
    return Results(rounds, [rows[key] for key in sorted(rows)])
