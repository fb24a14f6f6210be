"""A measure: one row of the report, its label, its definition in words (the page's help
text, written beside the code that counts it) and a cell per period."""

from dataclasses import dataclass

from django.db.models import Q

# A measure's aggregate narrowed to no group: every pupil (reports/measures/groups.py
# narrows the same aggregates to a group of pupils).
EVERYONE = Q()


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass(frozen=True)
class Cell:
    """A count, with the share it makes of something (a percentage) where the measure has
    one; or a rate alone (`count` None)."""

    count: int | float | None
    share: float | None = None

    def __str__(self) -> str:
        if self.count is None:
            return "–" if self.share is None else f"{self.share}%"
        if self.share is None:
            return str(self.count)
        return f"{self.count} ({self.share}%)"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    definition: str
    cells: list[Cell]
    family: str = ""
