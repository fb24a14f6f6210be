"""The PDF's sections of the splits by pupil group (reports/measures/groups.py): the year
split by Pupil Premium and by SEN, each group's share of every measure against its share
of the roll, as bars beside a table with the counts, the ratio and the school's flag."""

from collections.abc import Sequence
from dataclasses import dataclass

from ..charts import BarsChart, GroupShare, bars, format_value


@dataclass(frozen=True)
class SplitTable:
    """A table of a section: its heading row, then rows of text; the `flagged` rows
    (counted from the heading row, 0) are shaded, besides saying "yes" in words."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    flagged: Sequence[int] = ()


@dataclass(frozen=True)
class Section:
    """An extra part of the PDF (the splits by pupil group): a heading, a few words, then
    per part a bars chart and its table (neither for a group too small to show)."""

    heading: str
    about: str
    parts: Sequence[tuple[str, BarsChart | None, SplitTable | None]]


SPLIT_GROUPS = [
    ("By Pupil Premium", ["pupil_premium"]),
    ("By special educational needs (SEN support and EHCP)", ["sen_support", "ehcp"]),
]


def split_sections(split) -> list[Section]:
    """The PDF's sections of a split by pupil characteristics (reports/measures/groups.py,
    for the year): Pupil Premium, then SEN support and EHCP; per group, its share of each
    measure against its share of the roll (bars) and a table with the counts, the ratio
    and the school's flag."""
    sections = []
    for heading, keys in SPLIT_GROUPS:
        parts = []
        for group in (g for g in split.groups if g.key in keys):
            parts.append(_group_part(split, group))
        sections.append(
            Section(
                heading,
                f"{split.period.label} {split.period.start:%d/%m/%Y}–{split.period.end:%d/%m/%Y}. "
                + " ".join(split.definitions),
                parts,
            )
        )
    return sections


def _group_part(split, group):
    hidden = split.hidden_text
    title = (
        f"{group.label}: {hidden} pupils on roll"
        if group.hidden
        else (
            f"{group.label}: {group.size} pupil{'' if group.size == 1 else 's'} on roll, "
            f"{group.base_share}% of the roll"
        )
    )
    header = [
        "Measure",
        "Count",
        "Share of school",
        "Share of roll",
        "Ratio",
        "Flag",
    ]
    if group.hidden:
        return (
            f"{title}: its figures are not shown, so that no pupil can be identified.",
            None,
            None,
        )
    rows, flagged, shares = [], [], []
    for measure in split.measures:
        row = next(r for r in measure.rows if r.group.key == group.key)
        if measure.kind == "rate":
            rows.append(
                [
                    measure.label,
                    _percent(row.rate),
                    f"school: {_percent(measure.school_rate)}",
                    "",
                    "",
                    "",
                ]
            )
            continue
        if row.flagged:
            flagged.append(len(rows) + 1)
        rows.append(
            [
                measure.label,
                _number(row.count),
                _percent(row.share),
                _percent(group.base_share),
                row.ratio_text if measure.kind == "count" else "",
                "yes" if row.flagged else "",
            ]
        )
        if measure.kind == "count":
            shares.append(
                GroupShare(measure.label, row.share, group.base_share, flagged=row.flagged)
            )
    chart = bars(
        chart_id=f"pdf-{group.key}",
        title=f"{group.label}: share of each measure against share of the roll",
        rows=shares,
        smallest=split.smallest_group,
    )
    return title, chart, SplitTable(header, rows, flagged)


def _number(value) -> str:
    return "–" if value is None else format_value(value)


def _percent(value) -> str:
    return "–" if value is None else format_value(value, "%")
