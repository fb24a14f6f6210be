"""Quality of homework (work scrutiny): for each criterion of the school's checklist, the
share of reviewed homework meeting it, by the period of the homework's set date (one
query for every column)."""

from django.db.models import Count

from ..models import ScrutinyRating
from ..scrutiny.results import MET, RATED
from .base import Cell, Measure, percent
from .periods import Period, column, per_period

FAMILY = "Quality of homework (work scrutiny)"

DEFINITION = (
    "Of the homework set in the period that leaders sampled and reviewed in a work "
    "scrutiny round (by the date it was set), the share rated “met” on “{name}”, with "
    "the number met. Homework rated “not applicable” is left out; “partly met” does not "
    "count as met; homework reviewed in two rounds counts in each."
)


def scrutiny_measures(school_id: int, periods: list[Period]) -> list[Measure]:
    """One measure per criterion rated on homework set in the year (none: no family)."""
    year = periods[-1]
    counted = (
        ScrutinyRating.objects.filter(school_id=school_id)
        .filter(year.within("review__sample__homework__set_on"))
        .values("criterion_id", "criterion__name", "criterion__order")
        .annotate(
            **per_period(
                periods,
                "met",
                lambda p: Count("pk", filter=MET & p.within("review__sample__homework__set_on")),
            ),
            **per_period(
                periods,
                "rated",
                lambda p: Count("pk", filter=RATED & p.within("review__sample__homework__set_on")),
            ),
        )
        .order_by("criterion__order", "criterion__name")
    )
    return [
        Measure(
            f"scrutiny_{line['criterion_id']}",
            f"Meeting “{line['criterion__name']}”",
            DEFINITION.format(name=line["criterion__name"]),
            [
                Cell(met, percent(met, rated)) if rated else Cell(None)
                for met, rated in zip(
                    column(line, periods, "met"), column(line, periods, "rated"), strict=True
                )
            ],
            FAMILY,
        )
        for line in counted
    ]
