"""The report's charts as geometry: plain dataclasses of coordinates and words that the
partials `templates/reports/charts/trend.html` and `bars.html` draw as inline SVG.

Why our own small module and not a chart library: the site's Content Security Policy
allows no inline style (no `style` attribute, no `<style>` element) and no script, and the
Python chart libraries (pygal, matplotlib's SVG backend, ...) write exactly those into
their SVG. Here the SVG has only presentation attributes (x, y, width, points, ...), its
colours come from classes in the static stylesheet `static/css/reports.css` (so print and
high-contrast styles can change them), and every chart carries its numbers in words
(`<title>`/`<desc>`), beside the same numbers in a table.

Two charts:

- `trend(chart_id=..., title=..., labels=[...], values=[...], unit="")`: a line over the
  half-terms; a gap where a value is None; `measure_trend(measure, periods)` builds it
  from a report measure (the Year column left out).
- `bars(chart_id=..., title=..., rows=[GroupShare(...), ...], smallest=5)`: per pupil
  group, two horizontal bars, the group's share of a measure and its share of the roll,
  both in percent (0-100). A row marked `suppressed` gets no bar and says "fewer than
  {smallest}"; a `flagged` row says "flagged" beside its bar and has a heavier outline,
  so the flag is never told by colour alone. Render with
  `{% include "reports/charts/bars.html" with chart=chart %}` (add `table=True` for a
  visually-hidden table of the same numbers when the page has none beside it), once
  `{% include "reports/charts/stylesheet.html" %}` is on the page (the charts' colours).
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .measures import Measure, Period


def _round(value: float) -> float:
    return round(value, 1)


def nice_step(top: float, count: int = 4, *, whole: bool = False) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about `count` ticks up to
    `top`; at least 1 when the values are `whole` numbers (counts of pupils)."""
    if top <= 0:
        return 1
    rough = max(top / count, 1) if whole else top / count
    power = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * power >= rough:
            return multiple * power
    return 10 * power  # pragma: no cover - the loop always returns


def nice_ticks(largest: float | None, count: int = 4, *, whole: bool = False) -> list[float]:
    """Round tick values from 0 to a little above `largest` (0 and 1 when there is
    nothing above zero to show)."""
    if not largest or largest <= 0:
        return [0, 1]
    step = nice_step(largest, count, whole=whole)
    if whole and step != int(step):
        step = math.ceil(step)
    steps = math.ceil(largest / step - 1e-9)
    return [_clean(step * i) for i in range(steps + 1)]


def _clean(value: float) -> float:
    value = round(value, 6)
    return int(value) if value == int(value) else value


def format_value(value: float | None, unit: str = "", digits: int = 2) -> str:
    """A value as the report's table shows it (its measures round their rates), with
    thousands separated."""
    if value is None:
        return "no value"
    shown = _clean(round(value, digits))
    return f"{shown:,}{unit}"


def _whole(values) -> bool:
    return all(float(v).is_integer() for v in values)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class TrendPoint:
    x: float
    y: float | None  # None: no value, no marker
    label: str
    text: str
    short: str  # the label under the axis: "Aut 1" when the half-terms are many


def short_label(label: str, crowded: bool) -> str:
    """ "Autumn 1" as "Aut 1" when there are too many points for the whole words."""
    first, _, rest = label.partition(" ")
    return f"{first[:3]} {rest}".strip() if crowded and len(first) > 4 else label


@dataclass(frozen=True)
class TrendChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    ticks: list[Tick]
    points: list[TrendPoint]
    segments: list[str]  # each an SVG `points` attribute: a run of points with values
    has_values: bool

    @property
    def markers(self) -> list[TrendPoint]:
        return [p for p in self.points if p.y is not None]


TREND_WIDTH, TREND_HEIGHT = 320, 180
TREND_LEFT, TREND_RIGHT, TREND_TOP, TREND_BOTTOM = 44, 308, 20, 150
TREND_INSET = 22  # room for the first and last points' value labels


def trend(
    *,
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    unit: str = "",
) -> TrendChart:
    """A line chart of `values` (one per label, None for no value) from 0 up to a round
    top, with about four ticks; each point labelled with its value."""
    if len(labels) != len(values):
        raise ValueError("one value per label")
    known = [v for v in values if v is not None]
    ticks = nice_ticks(max(known, default=0), whole=_whole(known))
    top_value = ticks[-1]

    def y_of(value: float) -> float:
        return _round(TREND_BOTTOM - (TREND_BOTTOM - TREND_TOP) * value / top_value)

    n = len(labels)
    span = TREND_RIGHT - TREND_LEFT - 2 * TREND_INSET
    points = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = TREND_LEFT + TREND_INSET + (span * i / (n - 1) if n > 1 else span / 2)
        points.append(
            TrendPoint(
                _round(x),
                None if value is None else y_of(value),
                label,
                format_value(value, unit),
                short_label(label, crowded=n > 4),
            )
        )
    segments, run = [], []
    for point in [*points, None]:
        if point is not None and point.y is not None:
            run.append(f"{point.x},{point.y}")
            continue
        if len(run) > 1:
            segments.append(" ".join(run))
        run = []
    words = "; ".join(f"{p.label}: {p.text}" for p in points)
    return TrendChart(
        chart_id=chart_id,
        title=title,
        description=f"{title} by half-term. {words}." if points else f"{title}: no half-terms.",
        width=TREND_WIDTH,
        height=TREND_HEIGHT,
        left=TREND_LEFT,
        right=TREND_RIGHT,
        top=TREND_TOP,
        bottom=TREND_BOTTOM,
        ticks=[Tick(y_of(t), format_value(t, unit, digits=6)) for t in ticks],
        points=points,
        segments=segments,
        has_values=bool(known),
    )


def chart_value(cell) -> tuple[float | None, str]:
    """What a chart plots of a report cell: its count, else its share (a percentage)."""
    if cell.count is not None:
        return cell.count, ""
    if cell.share is not None:
        return cell.share, "%"
    return None, ""


def measure_trend(measure: Measure, periods: Sequence[Period]) -> TrendChart:
    """The trend of one report measure over the half-terms (the Year column left out)."""
    pairs = [
        chart_value(cell)
        for cell, period in zip(measure.cells, periods, strict=True)
        if not period.is_year
    ]
    units = {unit for value, unit in pairs if value is not None}
    return trend(
        chart_id=f"trend-{measure.key}",
        title=measure.label,
        labels=[p.label for p in periods if not p.is_year],
        values=[value for value, _ in pairs],
        unit=units.pop() if len(units) == 1 else "",
    )


@dataclass(frozen=True)
class GroupShare:
    """One pupil group's row of a bars chart; shares are percentages (0-100)."""

    label: str
    measure_share: float | None
    roll_share: float | None
    flagged: bool = False
    suppressed: bool = False


@dataclass(frozen=True)
class Bar:
    y: float
    width: float
    text: str  # beside the bar: the value, and "(flagged)" for a flagged group's
    text_x: float
    value: str  # the value alone, for a table


LABEL_ROOM = 30  # characters that fit left of the bars; the words and table say it all


@dataclass(frozen=True)
class BarRow:
    label: str
    label_y: float
    measure: Bar | None  # None: suppressed or no value
    roll: Bar | None
    flagged: bool
    suppressed: bool
    note: str  # "fewer than 5" for a suppressed row

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= LABEL_ROOM else self.label[: LABEL_ROOM - 1] + "…"


@dataclass(frozen=True)
class BarsChart:
    chart_id: str
    title: str
    description: str
    width: int
    height: int
    left: int
    right: int
    axis_y: int
    plot_bottom: float
    ticks: list[Tick]
    rows: list[BarRow]
    legend_y: float
    smallest: int


BARS_WIDTH, BARS_LEFT, BARS_RIGHT = 640, 190, 540
BARS_TOP, ROW_HEIGHT, BAR_HEIGHT = 30, 36, 12


def bars(
    *,
    chart_id: str,
    title: str,
    rows: Sequence[GroupShare],
    smallest: int = 5,
) -> BarsChart:
    """Per group, its share of the measure (solid bar) against its share of the roll
    (outlined bar), on one axis from 0% up to a round top; see the module docstring."""
    shown = [
        share
        for row in rows
        if not row.suppressed
        for share in (row.measure_share, row.roll_share)
        if share is not None
    ]
    ticks = nice_ticks(max(shown, default=0))
    top_value = ticks[-1]
    scale = (BARS_RIGHT - BARS_LEFT) / top_value

    def bar(share: float | None, y: float, flag: str = "") -> Bar | None:
        if share is None:
            return None
        width, value = _round(share * scale), format_value(share, "%")
        return Bar(_round(y), width, value + flag, _round(BARS_LEFT + width + 6), value)

    drawn, words = [], []
    for i, row in enumerate(rows):
        y = BARS_TOP + i * ROW_HEIGHT + 4
        note = f"fewer than {smallest}" if row.suppressed else ""
        if row.suppressed:
            measure = roll = None
            words.append(f"{row.label}: {note} pupils, not shown")
        else:
            measure = bar(row.measure_share, y, " (flagged)" if row.flagged else "")
            roll = bar(row.roll_share, y + BAR_HEIGHT + 2)
            words.append(
                f"{row.label}: {format_value(row.measure_share, '%')} of the measure, "
                f"{format_value(row.roll_share, '%')} of the roll"
                + (", flagged" if row.flagged else "")
            )
        drawn.append(
            BarRow(
                row.label,
                _round(y + BAR_HEIGHT + 5),
                measure,
                roll,
                row.flagged,
                row.suppressed,
                note,
            )
        )
    plot_bottom = BARS_TOP + len(rows) * ROW_HEIGHT
    return BarsChart(
        chart_id=chart_id,
        title=title,
        description=(
            f"{title}: each group's share of the measure against its share of the roll. "
            + ("; ".join(words) + "." if words else "No groups.")
        ),
        width=BARS_WIDTH,
        height=plot_bottom + 34,
        left=BARS_LEFT,
        right=BARS_RIGHT,
        axis_y=BARS_TOP - 8,
        plot_bottom=plot_bottom,
        ticks=[Tick(_round(BARS_LEFT + t * scale), format_value(t, "%", digits=6)) for t in ticks],
        rows=drawn,
        legend_y=plot_bottom + 20,
        smallest=smallest,
    )


@dataclass(frozen=True)
class FamilyTrends:
    name: str
    charts: list[TrendChart]


def report_trends(report) -> list[FamilyTrends]:
    """A trend chart per measure of a HalfTermReport, by family; none when the year has no
    half-terms (only the Year column)."""
    if not any(not period.is_year for period in report.periods):
        return []
    return [
        FamilyTrends(family.name, [measure_trend(m, report.periods) for m in family.measures])
        for family in report.families
    ]
