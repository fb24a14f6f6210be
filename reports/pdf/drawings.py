"""The report's charts for the PDF: the same geometry as the page's SVG (reports/charts.py),
drawn with reportlab.graphics in the stylesheet's colours."""

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from ..charts import BarsChart, TrendChart
from .fonts import fonts

DARK_BLUE = colors.HexColor("#143d8c")
DARK_RED = colors.HexColor("#8a1c27")
GREY_TEXT = colors.HexColor("#495057")
GRID = colors.HexColor("#dee2e6")
HEADER_FILL = colors.HexColor("#e9ecef")
FLAG_FILL = colors.HexColor("#f8e1e4")


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
                fontSize=6.5,
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
                    fontSize=6.5,
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
                    fontSize=6.5,
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
                    fontSize=6.5,
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
