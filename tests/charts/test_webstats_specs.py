"""The charts web statistics added: a heat map (page views by weekday and hour), lines over time (page views and
visits per week or month) and grouped columns (the log against an analytics export, month by month). Each is
drawn by vl-convert, so a spec that does not compile fails here; expected values worked out by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from evidens.charts.render import to_svg
from evidens.charts.specs import (
    ENGLISH_LOCALE,
    HEAT_CELL,
    HEAT_COLOURS,
    SCHEMA_URL,
    SERIES_COLOURS,
    ChartLabels,
    GroupedValue,
    HeatCell,
    SeriesPoint,
    grouped_columns,
    heatmap,
    line_chart,
)
from tests.charts.test_chart_specs import compile_to_vega, svg_texts, tooltip_texts

HEAT_LABELS = ChartLabels(description="Sidevisninger pr. ugedag og time", x="Time", legend="Sidevisninger")
# Monday 9 o'clock: 2 views; Tuesday 10 o'clock: 5; Tuesday 11 o'clock: 1,234; a cell at hour 99 is outside the grid.
CELLS = [HeatCell("09", "man", 2), HeatCell("10", "tir", 5), HeatCell("11", "tir", 1234), HeatCell("99", "man", 7)]
HOURS, DAYS = ["09", "10", "11"], ["man", "tir"]


def test_the_heatmap_has_every_cell_of_the_grid_and_nothing_outside_it() -> None:
    spec = heatmap(CELLS, x_order=HOURS, y_order=DAYS, labels=HEAT_LABELS)
    assert [(value["y"], value["x"], value["value"]) for value in spec["data"]["values"]] == [
        ("man", "09", 2), ("man", "10", 0), ("man", "11", 0), ("tir", "09", 0), ("tir", "10", 5), ("tir", "11", 1234),
    ]
    assert spec["height"] == 2 * HEAT_CELL
    assert spec["encoding"]["x"]["sort"] == HOURS and spec["encoding"]["y"]["sort"] == DAYS
    assert spec["encoding"]["color"]["scale"] == {"range": list(HEAT_COLOURS), "domainMin": 0}


def test_the_heatmap_draws_its_axes_and_danish_tooltips() -> None:
    spec = heatmap(CELLS, x_order=HOURS, y_order=DAYS, labels=HEAT_LABELS)
    texts = svg_texts(to_svg(spec))
    for label in ("09", "10", "11", "man", "tir", "Time", "Sidevisninger"):
        assert label in texts
    assert {"man 09: 2", "man 10: 0", "tir 10: 5", "tir 11: 1.234"} <= set(tooltip_texts(spec))


def test_an_empty_heatmap_still_compiles() -> None:
    spec = heatmap([], x_order=HOURS, y_order=DAYS, labels=HEAT_LABELS)
    assert {value["value"] for value in spec["data"]["values"]} == {0}
    compile_to_vega(spec)


WEEKS = [
    SeriesPoint(dt.date(2020, 3, 9), "Sidevisninger", 1234),
    SeriesPoint(dt.date(2020, 3, 16), "Sidevisninger", 980),
    SeriesPoint(dt.date(2020, 3, 9), "Besøg", 400),
    SeriesPoint(dt.date(2020, 3, 16), "Besøg", 310),
]


def test_lines_keep_the_given_series_order_and_colours() -> None:
    spec = line_chart(WEEKS, series=["Besøg"], period="week", labels=ChartLabels(description="Uger"))
    colour = spec["encoding"]["color"]["scale"]
    assert colour == {"domain": ["Besøg", "Sidevisninger"], "range": [SERIES_COLOURS[0], SERIES_COLOURS[1]]}
    assert spec["data"]["values"][0] == {"day": "2020-03-09", "series": "Sidevisninger", "value": 1234}
    assert spec["mark"] == {"type": "line", "strokeWidth": 2, "point": True}


def test_weekly_lines_write_each_week_by_its_monday() -> None:
    spec = line_chart(WEEKS, period="week", labels=ChartLabels(description="Uger"))
    assert {"9. mar 2020 · Sidevisninger: 1.234", "16. mar 2020 · Besøg: 310"} <= set(tooltip_texts(spec))


def test_monthly_lines_are_ticked_once_a_month_and_named_by_month() -> None:
    months = [SeriesPoint(dt.date(2020, month, 1), "Sidevisninger", views)
              for month, views in ((3, 3), (4, 4), (5, 1500))]
    spec = line_chart(months, period="month", labels=ChartLabels(description="Måneder", x="Måned"))
    texts = svg_texts(to_svg(spec))
    # one tick per month (a span of two months would otherwise be ticked by the day)
    assert [text for text in texts if text.endswith("2020")] == ["mar 2020", "apr 2020", "maj 2020"]
    assert "maj 2020 · Sidevisninger: 1.500" in tooltip_texts(spec)


def test_lines_in_english() -> None:
    spec = line_chart(WEEKS, period="week", labels=ChartLabels(description="Weeks"), locale=ENGLISH_LOCALE)
    assert "9. Mar 2020 · Sidevisninger: 1,234" in tooltip_texts(spec)


def test_lines_need_a_known_period() -> None:
    with pytest.raises(KeyError):
        line_chart(WEEKS, period="year", labels=ChartLabels(description="År"))  # type: ignore[arg-type]


# March: the log counts 1,200 page views, GA4 1,506; April: only the log, 5.
MONTHS = [GroupedValue("mar 2025", "Log", 1200), GroupedValue("mar 2025", "GA4", 1506),
          GroupedValue("apr 2025", "Log", 5)]


def test_grouped_columns_side_by_side_in_the_given_orders() -> None:
    spec = grouped_columns(MONTHS, series=["GA4"], labels=ChartLabels(description="Log og GA4", y="Sidevisninger"))
    assert spec["encoding"]["x"]["sort"] == ["mar 2025", "apr 2025"]
    assert spec["encoding"]["xOffset"] == {"field": "series", "type": "nominal", "sort": ["GA4", "Log"]}
    assert spec["encoding"]["color"]["scale"]["domain"] == ["GA4", "Log"]
    texts = svg_texts(to_svg(spec))
    assert {"mar 2025", "apr 2025", "GA4", "Log", "Sidevisninger", "1.500"} <= set(texts)
    assert {"mar 2025 · Log: 1.200", "mar 2025 · GA4: 1.506", "apr 2025 · Log: 5"} <= set(tooltip_texts(spec))


def test_the_new_charts_share_the_house_settings() -> None:
    labels = ChartLabels(description="Beskrivelse")
    for spec in (heatmap(CELLS, x_order=HOURS, y_order=DAYS, labels=labels), line_chart(WEEKS, labels=labels),
                 grouped_columns(MONTHS, labels=labels)):
        assert spec["$schema"] == SCHEMA_URL and spec["width"] == "container"
        assert spec["description"] == "Beskrivelse"
        assert spec["config"]["locale"]["number"]["thousands"] == "."
        json.dumps(spec)  # plain JSON: no dates left
