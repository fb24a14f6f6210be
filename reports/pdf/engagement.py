"""Families' engagement (reports/measures/engagement.py) in the report's CSV and PDF: each
measure's rows by group, one column per period, in the words `Engagement.cell_text`
gives, with its definition; a flagged group is marked and its row shaded in the PDF."""

from ..measures.engagement import FAMILY, Engagement, EngagementCell, EngagementMeasure
from .splits import Section, SplitTable


def _text(engagement: Engagement, measure: EngagementMeasure, cell: EngagementCell) -> str:
    text = engagement.cell_text(measure, cell)
    if cell.ratio is not None:
        text += f", ratio {cell.ratio_text}"
    if cell.flagged:
        text += ", flagged"
    return text


def engagement_csv_rows(engagement: Engagement) -> list[list[str]]:
    """The CSV's rows: "<measure>: <group>", a cell per period, then the definition (on
    each measure's All families row; the suppression and the flag at the end)."""
    rows = [[FAMILY, *("" for _ in engagement.periods), ""]]
    for measure in engagement.measures:
        for row in measure.rows:
            rows.append(
                [
                    f"{measure.label}: {row.label}",
                    *(_text(engagement, measure, cell) for cell in row.cells),
                    measure.definition if row.is_all else "",
                ]
            )
    for definition in engagement.definitions:
        rows.append(["", *("" for _ in engagement.periods), definition])
    return rows


def engagement_sections(engagement: Engagement) -> list[Section]:
    """One section of the PDF: per measure, a table of the groups by period."""
    header = ["Group", *(period.label for period in engagement.periods)]
    parts = []
    for measure in engagement.measures:
        rows = [
            [row.label, *(_text(engagement, measure, cell) for cell in row.cells)]
            for row in measure.rows
        ]
        flagged = [
            i
            for i, row in enumerate(measure.rows, start=1)
            if any(cell.flagged for cell in row.cells)
        ]
        parts.append((measure.label, None, SplitTable(header, rows, flagged)))
    about = " ".join(
        [*(f"{m.label}: {m.definition}" for m in engagement.measures), *engagement.definitions]
    )
    return [Section(FAMILY, about, parts)]
