"""The charts' geometry (reports/charts.py): values land on the right coordinates, the
axis has round ticks, and nothing divides by zero; the partials draw accessible SVG."""

import pytest
from django.template.loader import render_to_string

from reports.charts import GroupShare, bars, nice_ticks, trend


def test_ticks_are_round_and_reach_the_largest_value():
    assert nice_ticks(4) == [0, 1, 2, 3, 4]
    assert nice_ticks(37) == [0, 10, 20, 30, 40]
    assert nice_ticks(877) == [0, 250, 500, 750, 1000]
    assert nice_ticks(66.7) == [0, 20, 40, 60, 80]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(None) == [0, 1]


def test_a_trend_maps_values_to_heights_from_the_axis():
    chart = trend(chart_id="t", title="Misses", labels=["A1", "A2", "S1"], values=[0, 2, 4])
    bottom, top = chart.bottom, chart.top
    assert [p.y for p in chart.points] == [bottom, (bottom + top) / 2, top]
    xs = [p.x for p in chart.points]
    assert xs == sorted(xs) and xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])
    assert [t.label for t in chart.ticks] == ["0", "1", "2", "3", "4"]
    assert chart.segments == [" ".join(f"{p.x},{p.y}" for p in chart.points)]
    assert chart.description == "Misses by half-term. A1: 0; A2: 2; S1: 4."


def test_a_trend_leaves_a_gap_where_a_value_is_missing():
    chart = trend(
        chart_id="t", title="Per night", labels=list("ABCDE"), values=[1, 2, None, 3, None], unit=""
    )
    assert chart.points[2].y is None and chart.points[2].text == "no value"
    assert len(chart.segments) == 1  # A-B; D stands alone as a marker
    assert [p.label for p in chart.markers] == ["A", "B", "D"]


@pytest.mark.parametrize("values", [[0, 0, 0], [None, None], [5, 5, 5], [7]])
def test_a_trend_of_zeros_nothing_or_equal_values_draws_without_dividing_by_zero(values):
    labels = [str(i) for i in range(len(values))]
    chart = trend(chart_id="t", title="T", labels=labels, values=values, unit="%")
    for point in chart.markers:
        assert chart.top <= point.y <= chart.bottom
    assert chart.has_values == any(v is not None for v in values)


def test_a_trend_with_no_half_terms_says_so():
    chart = trend(chart_id="t", title="T", labels=[], values=[])
    assert chart.points == [] and chart.description == "T: no half-terms."


def test_bars_share_one_axis_and_suppress_small_groups():
    chart = bars(
        chart_id="b",
        title="Misses by Pupil Premium",
        rows=[
            GroupShare("Pupil Premium", 60.0, 30.0, flagged=True),
            GroupShare("Not Pupil Premium", 40.0, 70.0),
            GroupShare("Looked after", None, None, suppressed=True),
        ],
        smallest=5,
    )
    pp, others, looked_after = chart.rows
    assert [t.label for t in chart.ticks] == ["0%", "20%", "40%", "60%", "80%"]
    full = chart.right - chart.left
    assert pp.measure.width == pytest.approx(full * 60 / 80, abs=0.1)
    assert pp.roll.width == pytest.approx(full * 30 / 80, abs=0.1)
    assert others.roll.width == pytest.approx(full * 70 / 80, abs=0.1)
    assert pp.flagged and pp.measure.text == "60% (flagged)" and pp.measure.value == "60%"
    assert looked_after.measure is None and looked_after.roll is None
    assert looked_after.note == "fewer than 5"
    assert "Looked after: fewer than 5 pupils, not shown" in chart.description
    assert "Pupil Premium: 60% of the measure, 30% of the roll, flagged" in chart.description


def test_bars_of_nothing_but_zeros_or_suppressed_rows_draw():
    chart = bars(
        chart_id="b",
        title="T",
        rows=[GroupShare("A", 0, 0), GroupShare("B", None, None, suppressed=True)],
    )
    assert chart.rows[0].measure.width == 0
    assert bars(chart_id="b", title="T", rows=[]).rows == []


def test_the_partials_draw_an_svg_named_by_its_title_with_its_numbers_in_words():
    chart = trend(chart_id="trend-misses", title="Misses", labels=["A1", "A2"], values=[2, 4])
    svg = render_to_string("reports/charts/trend.html", {"chart": chart})
    assert 'role="img"' in svg and 'aria-labelledby="trend-misses-title"' in svg
    assert '<title id="trend-misses-title">Misses</title>' in svg
    assert "A1: 2; A2: 4." in svg
    assert "style" not in svg and "<script" not in svg
    drawn = render_to_string(
        "reports/charts/bars.html",
        {
            "chart": bars(
                chart_id="pp",
                title="By PP",
                rows=[GroupShare("PP", 12.5, 10), GroupShare("LAC", None, None, suppressed=True)],
            ),
            "table": True,
        },
    )
    assert 'aria-labelledby="pp-title"' in drawn and "fewer than 5" in drawn
    assert "<td>12.5%</td>" in drawn and "style" not in drawn
    flagged = render_to_string(
        "reports/charts/bars.html",
        {
            "chart": bars(chart_id="f", title="F", rows=[GroupShare("PP", 40, 20, flagged=True)]),
            "table": True,
        },
    )
    assert "40% (flagged)</text>" in flagged
    assert "<td>40%</td>" in flagged and "<td>yes</td>" in flagged


def test_counts_get_whole_ticks_and_rates_get_exact_ones():
    assert nice_ticks(1, whole=True) == [0, 1]
    assert nice_ticks(2, whole=True) == [0, 1, 2]
    assert nice_ticks(6, whole=True) == [0, 2, 4, 6]
    rates = trend(chart_id="t", title="Per week", labels=["A", "B"], values=[0.19, None])
    assert [t.label for t in rates.ticks] == ["0", "0.05", "0.1", "0.15", "0.2"]
    assert rates.points[0].text == "0.19"  # as the table shows it
    counts = trend(chart_id="t", title="Rewards", labels=["A", "B"], values=[1, 0])
    assert [t.label for t in counts.ticks] == ["0", "1"]
    big = trend(chart_id="t", title="Misses", labels=["A"], values=[3473])
    assert big.points[0].text == "3,473" and big.ticks[-1].label == "4,000"


def test_a_long_group_name_is_shortened_on_the_bar_but_whole_in_words():
    name = "Young carers who are also looked after children"
    chart = bars(chart_id="b", title="T", rows=[GroupShare(name, 10, 5)])
    assert chart.rows[0].short == "Young carers who are also loo…"
    assert f"{name}: 10% of the measure" in chart.description
