"""The half-term report as a PDF for a governors' meeting, made with ReportLab's Platypus
(pure Python wheels, no system library): a title block, each family's table of measures
per half-term with their definitions in small print, each measure's trend chart (the
same geometry as the page's SVG, reports/charts.py, drawn with reportlab.graphics) and
page numbers. Optional extra sections (the group splits) come in as `BarsChart`s with
their rows.

Text is set in DejaVu Sans where Debian's fonts are installed (Latin, Greek, Cyrillic and
more: a Welsh or Polish school name prints as written), else in the Bitstream Vera that
ReportLab ships; a character neither has prints as a blank box, never an error."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .charts import BarsChart, TrendChart, report_trends

DARK_BLUE = colors.HexColor("#143d8c")
DARK_RED = colors.HexColor("#8a1c27")
GREY_TEXT = colors.HexColor("#495057")
GRID = colors.HexColor("#dee2e6")
HEADER_FILL = colors.HexColor("#e9ecef")

_FONT_CANDIDATES = [
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (
        Path(reportlab.__file__).parent / "fonts" / "Vera.ttf",
        Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf",
    ),
]
_fonts: tuple[str, str] | None = None


def fonts() -> tuple[str, str]:
    """The (regular, bold) font names, registered once: the first TTF pair found, else
    ReportLab's built-in Helvetica."""
    global _fonts
    if _fonts is None:
        _fonts = ("Helvetica", "Helvetica-Bold")
        for regular, bold in _FONT_CANDIDATES:
            if regular.is_file() and bold.is_file():
                try:
                    pdfmetrics.registerFont(TTFont("ReportSans", str(regular)))
                    pdfmetrics.registerFont(TTFont("ReportSans-Bold", str(bold)))
                except Exception:  # noqa: BLE001 - a broken font file: try the next one
                    continue
                pdfmetrics.registerFontFamily(
                    "ReportSans", normal="ReportSans", bold="ReportSans-Bold"
                )
                _fonts = ("ReportSans", "ReportSans-Bold")
                break
    return _fonts


@dataclass(frozen=True)
class Section:
    """An extra part of the PDF: a heading, a few words and bar charts (the group
    splits), each chart followed by a table of its rows."""

    heading: str
    about: str
    charts: Sequence[BarsChart]


class _NumberedCanvas(pdf_canvas.Canvas):
    """Writes "Page n of m" once the number of pages is known."""

    footer = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):  # noqa: N802 - ReportLab's name
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        regular, _ = fonts()
        for state in self._pages:
            self.__dict__.update(state)
            width, _height = self._pagesize
            self.setFont(regular, 8)
            self.setFillColor(GREY_TEXT)
            self.drawString(15 * mm, 8 * mm, self.footer)
            self.drawRightString(width - 15 * mm, 8 * mm, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def _styles():
    regular, bold = fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=11, leading=14),
        "meta": ParagraphStyle(
            "meta", fontName=regular, fontSize=8.5, leading=11, textColor=GREY_TEXT
        ),
        "h2": ParagraphStyle(
            "h2", fontName=bold, fontSize=13, leading=16, spaceBefore=10, spaceAfter=6
        ),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=10.5),
        "head": ParagraphStyle("head", fontName=bold, fontSize=8.5, leading=10.5),
        "number": ParagraphStyle(
            "number", fontName=regular, fontSize=8.5, leading=10.5, alignment=2
        ),
        "headnumber": ParagraphStyle(
            "headnumber", fontName=bold, fontSize=8.5, leading=10.5, alignment=2
        ),
        "definition": ParagraphStyle(
            "definition", fontName=regular, fontSize=6.5, leading=8, textColor=GREY_TEXT
        ),
        "caption": ParagraphStyle(
            "caption", fontName=regular, fontSize=7.5, leading=9, textColor=GREY_TEXT
        ),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def trend_drawing(chart: TrendChart, width: float) -> Drawing:
    """The page's trend chart (SVG coordinates, y downwards) scaled to `width` points."""
    regular, bold = fonts()
    scale = width / chart.width
    drawing = Drawing(width, chart.height * scale)

    def y(value):  # SVG's y runs down, ReportLab's up
        return (chart.height - value) * scale

    for tick in chart.ticks:
        drawing.add(
            Line(
                chart.left * scale,
                y(tick.position),
                chart.right * scale,
                y(tick.position),
                strokeColor=GRID,
                strokeWidth=0.5,
            )
        )
        drawing.add(
            String(
                (chart.left - 5) * scale,
                y(tick.position) - 2.5,
                tick.label,
                fontName=regular,
                fontSize=7,
                fillColor=GREY_TEXT,
                textAnchor="end",
            )
        )
    drawing.add(
        Line(
            chart.left * scale,
            y(chart.bottom),
            chart.right * scale,
            y(chart.bottom),
            strokeColor=GREY_TEXT,
            strokeWidth=0.6,
        )
    )
    for segment in chart.segments:
        coords = [
            c
            for pair in segment.split()
            for c in (float(pair.split(",")[0]) * scale, y(float(pair.split(",")[1])))
        ]
        drawing.add(PolyLine(coords, strokeColor=DARK_BLUE, strokeWidth=1.6))
    for point in chart.points:
        drawing.add(
            String(
                point.x * scale,
                y(chart.bottom + 14),
                point.short,
                fontName=regular,
                fontSize=7,
                fillColor=GREY_TEXT,
                textAnchor="middle",
            )
        )
        if point.y is None:
            continue
        drawing.add(
            Circle(
                point.x * scale,
                y(point.y),
                2.2,
                fillColor=DARK_BLUE,
                strokeColor=colors.white,
                strokeWidth=0.6,
            )
        )
        drawing.add(
            String(
                point.x * scale,
                y(point.y) + 4.5,
                point.text,
                fontName=bold,
                fontSize=7,
                textAnchor="middle",
            )
        )
    return drawing


def bars_drawing(chart: BarsChart, width: float) -> Drawing:
    """The page's bars chart (SVG coordinates) scaled to `width` points."""
    regular, bold = fonts()
    scale = width / chart.width
    drawing = Drawing(width, chart.height * scale)

    def y(value):
        return (chart.height - value) * scale

    for tick in chart.ticks:
        drawing.add(
            Line(
                tick.position * scale,
                y(chart.axis_y + 4),
                tick.position * scale,
                y(chart.plot_bottom),
                strokeColor=GRID,
                strokeWidth=0.5,
            )
        )
        drawing.add(
            String(
                tick.position * scale,
                y(chart.axis_y),
                tick.label,
                fontName=regular,
                fontSize=7,
                fillColor=GREY_TEXT,
                textAnchor="middle",
            )
        )
    bar_height = 12 * scale
    for row in chart.rows:
        drawing.add(
            String(
                (chart.left - 8) * scale,
                y(row.label_y),
                row.short,
                fontName=regular,
                fontSize=8,
                textAnchor="end",
            )
        )
        if row.suppressed:
            drawing.add(
                String(
                    (chart.left + 6) * scale,
                    y(row.label_y),
                    row.note,
                    fontName=regular,
                    fontSize=7.5,
                    fillColor=GREY_TEXT,
                )
            )
            continue
        if row.measure:
            fill = DARK_RED if row.flagged else DARK_BLUE
            drawing.add(
                Rect(
                    chart.left * scale,
                    y(row.measure.y) - bar_height,
                    row.measure.width * scale,
                    bar_height,
                    fillColor=fill,
                    strokeColor=None,
                )
            )
            drawing.add(
                String(
                    row.measure.text_x * scale,
                    y(row.measure.y + 10),
                    row.measure.text,
                    fontName=bold if row.flagged else regular,
                    fontSize=7.5,
                    fillColor=fill,
                )
            )
        if row.roll:
            drawing.add(
                Rect(
                    chart.left * scale,
                    y(row.roll.y) - bar_height,
                    row.roll.width * scale,
                    bar_height,
                    fillColor=colors.white,
                    strokeColor=GREY_TEXT,
                    strokeWidth=0.8,
                )
            )
            drawing.add(
                String(
                    row.roll.text_x * scale,
                    y(row.roll.y + 10),
                    row.roll.text,
                    fontName=regular,
                    fontSize=7.5,
                    fillColor=GREY_TEXT,
                )
            )
    drawing.add(
        Line(
            chart.left * scale,
            y(chart.axis_y + 4),
            chart.left * scale,
            y(chart.plot_bottom),
            strokeColor=GREY_TEXT,
            strokeWidth=0.6,
        )
    )
    legend = y(chart.legend_y)
    drawing.add(Rect(chart.left * scale, legend - 1, 8, 7, fillColor=DARK_BLUE, strokeColor=None))
    drawing.add(
        String(
            chart.left * scale + 11, legend, "Share of the measure", fontName=regular, fontSize=7
        )
    )
    drawing.add(
        Rect(
            (chart.left + 170) * scale,
            legend - 1,
            8,
            7,
            fillColor=colors.white,
            strokeColor=GREY_TEXT,
            strokeWidth=0.8,
        )
    )
    drawing.add(
        String(
            (chart.left + 170) * scale + 11,
            legend,
            "Share of the roll",
            fontName=regular,
            fontSize=7,
        )
    )
    return drawing


def _measure_table(family, periods, styles, width) -> Table:
    label_width = width * 0.36
    number_width = (width - label_width) / len(periods)
    rows = [
        [
            _p("Measure", styles["head"]),
            *(
                Paragraph(
                    f"{escape(p.label)}<br/><font size='6.5'>"
                    f"{p.start.day} {p.start:%b}–{p.end.day} {p.end:%b}</font>",
                    styles["headnumber"],
                )
                for p in periods
            ),
        ]
    ]
    for measure in family.measures:
        rows.append(
            [
                [_p(measure.label, styles["cell"]), _p(measure.definition, styles["definition"])],
                *(_p(cell, styles["number"]) for cell in measure.cells),
            ]
        )
    table = Table(rows, colWidths=[label_width, *[number_width] * len(periods)], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("LINEBEFORE", (-1, 0), (-1, -1), 0.6, GREY_TEXT),  # the Year column
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return table


def _grid(cells: list, columns: int, width: float) -> Table:
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] = rows[-1] + [""] * (columns - len(rows[-1]))
    table = Table(rows, colWidths=[width / columns] * columns)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def _bars_table(chart: BarsChart, styles) -> Table:
    rows = [
        [
            _p("Group", styles["head"]),
            _p("Share of the measure", styles["headnumber"]),
            _p("Share of the roll", styles["headnumber"]),
            _p("Flagged", styles["head"]),
        ]
    ]
    for row in chart.rows:
        if row.suppressed:
            rows.append([_p(row.label, styles["cell"]), _p(row.note, styles["cell"]), "", ""])
            continue
        rows.append(
            [
                _p(row.label, styles["cell"]),
                _p(
                    row.measure.text.replace(" (flagged)", "") if row.measure else "–",
                    styles["number"],
                ),
                _p(row.roll.text if row.roll else "–", styles["number"]),
                _p("yes" if row.flagged else "", styles["cell"]),
            ]
        )
    table = Table(rows, colWidths=[70 * mm, 35 * mm, 35 * mm, 20 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def report_pdf(
    report, *, school_name: str, generated: str, sections: Sequence[Section] = ()
) -> bytes:
    """The PDF of a HalfTermReport (reports/measures), `generated` the words for when it
    was made (in the school's time)."""
    styles = _styles()
    buffer = io.BytesIO()
    page = landscape(A4)
    document = SimpleDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=f"Half-term report {report.year.name}: {school_name}",
        author=school_name,
        subject="Half-term report for governors",
    )
    width = page[0] - 30 * mm
    story = [
        _p(f"Half-term report {report.year.name}", styles["title"]),
        _p(school_name, styles["subtitle"]),
        _p(
            f"How the homework system worked, half-term by half-term and for the year. "
            f"Generated {generated}. Each measure's definition is under its name.",
            styles["meta"],
        ),
        Spacer(1, 4 * mm),
    ]
    if len(report.periods) == 1:
        story.append(
            _p(
                f"The school has entered no half-terms for {report.year.name}: only the "
                "year is shown.",
                styles["meta"],
            )
        )
    for family in report.families:
        story += [
            CondPageBreak(40 * mm),
            _p(family.name, styles["h2"]),
            _measure_table(family, report.periods, styles, width),
        ]
    trends = report_trends(report)
    if trends:
        story += [
            CondPageBreak(80 * mm),
            _p("Half-term by half-term", styles["h2"]),
            _p(
                "Each measure as a line over the half-terms, from zero; the numbers are "
                "those of the tables. A gap means no value for that half-term.",
                styles["meta"],
            ),
        ]
        columns = 4
        for family in trends:
            cells = [
                [trend_drawing(chart, width / columns - 10), _p(chart.title, styles["caption"])]
                for chart in family.charts
            ]
            story.append(
                KeepTogether([_p(family.name, styles["h2"]), _grid(cells, columns, width)])
            )
    for section in sections:
        story += [
            CondPageBreak(80 * mm),
            _p(section.heading, styles["h2"]),
            _p(section.about, styles["meta"]),
        ]
        for chart in section.charts:
            story.append(
                KeepTogether(
                    [
                        _p(chart.title, styles["head"]),
                        bars_drawing(chart, min(width, 180 * mm)),
                        _bars_table(chart, styles),
                        Spacer(1, 5 * mm),
                    ]
                )
            )

    class _Canvas(_NumberedCanvas):
        footer = f"{school_name} · Half-term report {report.year.name} · {generated}"

    document.build(story, canvasmaker=_Canvas)
    return buffer.getvalue()
