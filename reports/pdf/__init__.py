"""The half-term report as a PDF for a governors' meeting, made with ReportLab's Platypus
(pure Python wheels, no system library): a title block, each family's table of measures
per half-term with their definitions in small print, each measure's trend chart (the
same geometry as the page's SVG, reports/charts.py, drawn with reportlab.graphics) and
page numbers; then any extra sections (the year's splits by Pupil Premium and by SEN,
splits.py). Fonts: fonts.py; the charts: drawings.py."""

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
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

from ..charts import report_trends
from .drawings import FLAG_FILL, GREY_TEXT, GRID, HEADER_FILL, bars_drawing, trend_drawing
from .fonts import fonts
from .splits import Section, SplitTable, split_sections

__all__ = ["Section", "report_pdf", "split_sections"]


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


def _split_table(table: SplitTable, styles, width) -> Table:
    numbers = range(1, len(table.header) - 1)
    rows = [
        [
            _p(text, styles["headnumber"] if i in numbers else styles["head"])
            for i, text in enumerate(table.header)
        ],
        *(
            [
                _p(text, styles["number"] if i in numbers else styles["cell"])
                for i, text in enumerate(row)
            ]
            for row in table.rows
        ),
    ]
    first = width * 0.36
    rest = (width - first) / (len(table.header) - 1)
    result = Table(rows, colWidths=[first, *[rest] * (len(table.header) - 1)], repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *(("BACKGROUND", (0, i), (-1, i), FLAG_FILL) for i in table.flagged),
            ]
        )
    )
    return result


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
        story += [CondPageBreak(90 * mm), _p(section.heading, styles["h2"])]
        chart_width = 140 * mm
        for title, chart, table in section.parts:
            if table is None:
                story += [_p(title, styles["head"]), Spacer(1, 5 * mm)]
                continue
            if chart is None:  # a table alone (families' engagement) takes the width
                body = _split_table(table, styles, width)
            else:
                body = Table(
                    [
                        [
                            bars_drawing(chart, chart_width - 4 * mm),
                            _split_table(table, styles, width - chart_width),
                        ]
                    ],
                    colWidths=[chart_width, width - chart_width],
                )
                body.setStyle(
                    TableStyle(
                        [
                            ("VALIGN", (0, 0), (-1, -1), "TOP"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                        ]
                    )
                )
            story += [KeepTogether([_p(title, styles["head"]), Spacer(1, 2 * mm), body])]
            story.append(Spacer(1, 5 * mm))
        story.append(_p(section.about, styles["definition"]))

    class _Canvas(_NumberedCanvas):
        footer = f"{school_name} · Half-term report {report.year.name} · {generated}"

    document.build(story, canvasmaker=_Canvas)
    return buffer.getvalue()
