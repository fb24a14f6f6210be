"""Before and after: each measure of a half-term beside the same half-term (by its name,
e.g. Autumn 1) of the school's previous academic year, and the change. Two reports'
worth of queries (reports/measures/__init__.py), whatever the size of the school."""

import datetime
from dataclasses import dataclass

from school.models import AcademicYear

from . import half_term_report
from .base import Cell, Measure, percent
from .periods import Period

NO_DATA = "no data for last year"
CHANGE = (
    "The change is this year's figure minus last year's: for a count, the difference and "
    "its percentage of last year's figure (none when last year's was 0); for a rate given "
    "as a percentage, the difference in percentage points. Half-terms are matched by name "
    "(Autumn 1 with last year's Autumn 1) and the year with the year; where the school has "
    "no previous year, or last year had no such half-term, it says there is no data. The "
    "current year's column holds only what has happened so far, beside the whole of last "
    "year."
)


def _number(n: float) -> str:
    n = round(n, 2)
    return str(int(n)) if n == int(n) else str(n)


def _signed(n: float) -> str:
    return ("+" if n > 0 else "") + _number(n)


@dataclass(frozen=True)
class Row:
    measure: Measure
    this: Cell
    last: Cell | None  # None: no data for last year

    @property
    def difference(self) -> str:
        """This year's figure minus last year's (a count's, else a share's in points)."""
        if self.last is None:
            return NO_DATA
        if self.this.count is not None and self.last.count is not None:
            return _signed(self.this.count - self.last.count)
        if self.this.share is not None and self.last.share is not None:
            return f"{_signed(self.this.share - self.last.share)} pts"
        return "–"

    @property
    def percent_change(self) -> str:
        """The difference as a percentage of last year's count, where there is one."""
        if self.last is None or self.this.count is None or not self.last.count:
            return "–"
        change = percent(self.this.count - self.last.count, self.last.count)
        return f"{_signed(change)}%"


@dataclass(frozen=True)
class PeriodComparison:
    period: Period
    last_period: Period | None
    rows: list[Row]

    @property
    def families(self) -> list[tuple[str, list[Row]]]:
        grouped: dict[str, list[Row]] = {}
        for row in self.rows:
            grouped.setdefault(row.measure.family, []).append(row)
        return list(grouped.items())


@dataclass(frozen=True)
class Comparison:
    year: AcademicYear
    last_year: AcademicYear | None
    periods: list[PeriodComparison]


def previous_year(year: AcademicYear, years) -> AcademicYear | None:
    """The school's academic year that began last before `year` (from years already read)."""
    earlier = [other for other in years if other.start_date < year.start_date]
    return max(earlier, key=lambda other: other.start_date, default=None)


def compare(
    year: AcademicYear, last_year: AcademicYear | None, *, today: datetime.date
) -> Comparison:
    """`year`'s report beside `last_year`'s (None: no previous year), period by period."""
    report = half_term_report(year, today=today)
    last = half_term_report(last_year, today=today) if last_year is not None else None
    last_index = {p.label: i for i, p in enumerate(last.periods)} if last else {}
    last_measures = {m.key: m for m in last.measures} if last else {}
    periods = []
    for i, period in enumerate(report.periods):
        j = last_index.get(period.label)
        rows = [
            Row(
                measure,
                measure.cells[i],
                last_measures[measure.key].cells[j]
                if j is not None and measure.key in last_measures
                else None,
            )
            for measure in report.measures
        ]
        periods.append(PeriodComparison(period, last.periods[j] if j is not None else None, rows))
    return Comparison(year, last_year, periods)
