"""The spec builders give Vega-Lite that vl-convert (the same Vega-Lite as the browser) draws,
with the readers' texts and Danish number formatting. Expected values worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
import vl_convert

from evidens.charts.render import VL_CONVERT_VERSION, to_svg
from evidens.charts.specs import (
    COUNT_FORMAT,
    DANISH_LOCALE,
    ENGLISH_LOCALE,
    SCHEMA_URL,
    STATE_COLOURS,
    BudgetRow,
    ChartLabels,
    PhaseRow,
    bar_chart,
    budget_bars,
    locale_for,
    phase_timeline,
)

BUDGET_LABELS = ChartLabels(
    description="Budget og forbrug pr. kategori",
    x="kr.",
    legend="Beløb",
    names={"budgeted": "Budget", "spent": "Forbrugt"},
)
BUDGET = [
    BudgetRow("Konsulent", Decimal("250000.00"), Decimal("120000.00")),
    BudgetRow("Workshops", Decimal("92000"), Decimal("0")),
    BudgetRow("Projektet i alt", Decimal("492000"), 31500.0),
]
PHASES = [
    PhaseRow("Forberedelse", dt.date(2025, 1, 1), dt.date(2025, 3, 31), "done", "Færdig"),
    PhaseRow("Dataindsamling", dt.date(2025, 4, 1), dt.date(2025, 9, 30), "active", "I gang"),
    PhaseRow("Beslutning", dt.date(2025, 10, 1), dt.date(2025, 12, 31), "not_started", "Ikke startet"),
]
TIMELINE_LABELS = ChartLabels(description="Faserne i strategiprocessen", legend="Status", names={"today": "I dag"})


def svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def compile_to_vega(spec: dict) -> dict:
    return vl_convert.vegalite_to_vega(spec, vl_version=VL_CONVERT_VERSION)


def test_every_spec_shares_schema_width_description_and_the_danish_locale() -> None:
    specs = [
        budget_bars(BUDGET, labels=BUDGET_LABELS),
        phase_timeline(PHASES, labels=TIMELINE_LABELS, today=dt.date(2025, 6, 15)),
        bar_chart([{"side": "/", "besøg": 10}], "besøg", "side", labels=ChartLabels(description="Besøg pr. side")),
    ]
    for spec in specs:
        assert spec["$schema"] == "https://vega.github.io/schema/vega-lite/v6.4.1.json" == SCHEMA_URL
        assert spec["width"] == "container"
        assert spec["description"]
        assert spec["config"]["locale"]["number"] == {
            "decimal": ",",
            "thousands": ".",
            "grouping": [3],
            "currency": ["", " kr."],
        }
        json.dumps(spec)  # plain JSON: no Decimals or dates left


def test_budget_bars_draw_categories_series_and_danish_amounts() -> None:
    svg = to_svg(budget_bars(BUDGET, labels=BUDGET_LABELS))
    texts = svg_texts(svg)
    for category in ("Konsulent", "Workshops", "Projektet i alt"):
        assert category in texts
    # value labels at the bars' ends, thousands separated by "."
    for amount in ("492.000", "250.000", "120.000", "92.000", "31.500"):
        assert amount in texts
    assert "Budget" in texts and "Forbrugt" in texts  # legend entries
    assert "Beløb" in texts  # legend title
    assert "kr." in texts  # axis title
    assert "492,000" not in svg


def test_budget_bars_keep_the_callers_category_order_and_colour_the_two_series() -> None:
    spec = budget_bars(BUDGET, labels=BUDGET_LABELS)
    assert spec["encoding"]["y"]["sort"] == ["Konsulent", "Workshops", "Projektet i alt"]
    colour = spec["layer"][0]["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Budget", "Forbrugt"]
    values = spec["data"]["values"]
    assert values[0] == {"category": "Konsulent", "series": "Budget", "amount": 250000.0}
    assert values[1] == {"category": "Konsulent", "series": "Forbrugt", "amount": 120000.0}
    assert len(values) == 6
    # the value axis runs past the largest bar (492.000 * 1.18) so its label fits
    assert spec["encoding"]["x"]["scale"]["domainMax"] == pytest.approx(580560)


def test_budget_bars_in_english_format_numbers_the_english_way() -> None:
    spec = budget_bars(BUDGET, labels=BUDGET_LABELS, locale=ENGLISH_LOCALE)
    texts = svg_texts(to_svg(spec))
    assert "492,000" in texts
    assert "492.000" not in texts


def test_budget_bars_need_the_series_names() -> None:
    with pytest.raises(ValueError, match="spent"):
        budget_bars(BUDGET, labels=ChartLabels(description="x", names={"budgeted": "Budget"}))


def test_budget_bars_without_lines_still_render() -> None:
    svg = to_svg(budget_bars([], labels=BUDGET_LABELS))
    assert svg.startswith("<svg")


def test_phase_timeline_draws_phases_states_and_today() -> None:
    spec = phase_timeline(PHASES, labels=TIMELINE_LABELS, today=dt.date(2025, 6, 15))
    svg = to_svg(spec)
    texts = svg_texts(svg)
    for name in ("Forberedelse", "Dataindsamling", "Beslutning"):
        assert name in texts
    for state in ("Færdig", "I gang", "Ikke startet", "Status"):
        assert state in texts
    assert "I dag" in texts
    # Danish month names on the time axis (d3's default multi-format with the Danish locale)
    assert "april" in texts and "oktober" in texts
    # the bars are coloured by state
    for colour in (STATE_COLOURS["done"], STATE_COLOURS["active"], STATE_COLOURS["not_started"]):
        assert colour in svg


def test_phase_timeline_bars_cover_the_last_day_and_dates_stay_in_utc() -> None:
    spec = phase_timeline(PHASES, labels=TIMELINE_LABELS, today=None)
    bars = spec["layer"][0]
    first = bars["data"]["values"][0]
    assert (first["start"], first["end"], first["until"]) == ("2025-01-01", "2025-03-31", "2025-04-01")
    assert bars["encoding"]["x2"] == {"field": "until"}
    vega = compile_to_vega(spec)
    x_scale = next(scale for scale in vega["scales"] if scale["name"] == "x")
    assert x_scale["type"] == "utc"
    assert len(spec["layer"]) == 1  # no rule without a date for today


def test_phase_timeline_legend_runs_done_active_not_started() -> None:
    spec = phase_timeline(list(reversed(PHASES)), labels=TIMELINE_LABELS)
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == ["Færdig", "I gang", "Ikke startet"]
    assert scale["range"] == [STATE_COLOURS["done"], STATE_COLOURS["active"], STATE_COLOURS["not_started"]]


def tooltip_texts(spec: dict, layer: int | None = None) -> list[str]:
    """Draw the computed ``tooltip`` field as text instead of bars, to read what it says."""
    probe = json.loads(json.dumps(spec))
    unit = probe["layer"][layer] if layer is not None else probe
    unit["mark"] = "text"
    unit.setdefault("encoding", {})["text"] = {"field": "tooltip"}
    if layer is not None:
        probe["layer"] = [unit]
    return svg_texts(to_svg(probe))


def test_phase_timeline_tooltip_gives_name_state_and_period_in_danish() -> None:
    spec = phase_timeline(PHASES[:1], labels=TIMELINE_LABELS)
    assert "Forberedelse · Færdig · 1. jan 2025 \N{EN DASH} 31. mar 2025" in tooltip_texts(spec, layer=0)


def test_phase_timeline_needs_the_today_label_only_with_a_date() -> None:
    labels = ChartLabels(description="Faser")
    phase_timeline(PHASES, labels=labels)
    with pytest.raises(ValueError, match="today"):
        phase_timeline(PHASES, labels=labels, today=dt.date(2025, 6, 1))


def test_bar_chart_horizontal_with_decimals_and_dates() -> None:
    rows = [
        {"dag": dt.date(2025, 3, 1), "besøg": Decimal("56789"), "ignored": object()},
        {"dag": dt.date(2025, 3, 2), "besøg": 1234, "ignored": object()},
    ]
    spec = bar_chart(rows, "besøg", "dag", labels=ChartLabels(description="Besøg pr. dag", x="Besøg"))
    assert spec["data"]["values"] == [
        {"category": "2025-03-01", "value": 56789.0},
        {"category": "2025-03-02", "value": 1234},
    ]
    texts = svg_texts(to_svg(spec))
    assert {"2025-03-01", "2025-03-02", "56.789", "1.234", "Besøg"} <= set(texts)
    assert "2025-03-01: 56.789" in tooltip_texts(spec, layer=0)


def test_bar_chart_columns_with_a_decimal_format() -> None:
    rows = [{"år": "2023", "andel": 12.25}, {"år": "2024", "andel": 30.5}]
    spec = bar_chart(
        rows, "år", "andel", x_type="ordinal", y_type="quantitative", number_format=",.1f",
        labels=ChartLabels(description="Andel pr. år", y="Procent"),
    )
    texts = svg_texts(to_svg(spec))
    assert {"2023", "2024", "12,3", "30,5", "Procent"} <= set(texts)


def test_a_small_count_axis_has_one_tick_per_whole_number() -> None:
    # Two stacked bars of 1 + 1 and 1: the tallest is 2, so the axis reads 0, 1, 2 and never 0, 1, 1, 2, 2.
    rows = [{"år": "2019", "type": "kursus", "n": 1}, {"år": "2019", "type": "webinar", "n": 1},
            {"år": "2020", "type": "kursus", "n": 1}]
    spec = bar_chart(rows, "år", "n", x_type="nominal", y_type="quantitative", color="type", value_labels=False,
                     number_format=COUNT_FORMAT, labels=ChartLabels(description="Aktiviteter", y="Antal"))
    assert spec["encoding"]["y"]["axis"]["values"] == [0, 1, 2]
    axis_labels = [text for text in svg_texts(to_svg(spec)) if text.isdigit() and len(text) == 1]
    assert sorted(axis_labels) == ["0", "1", "2"]  # the years are the other axis
    many = bar_chart([{"år": "2019", "n": 40}], "år", "n", x_type="nominal", y_type="quantitative",
                     number_format=COUNT_FORMAT, labels=ChartLabels(description="Aktiviteter"))
    assert "values" not in many["encoding"]["y"]["axis"]


def test_bar_chart_coloured_by_a_field_whose_name_vega_would_read_as_a_path() -> None:
    rows = [
        {"kanal": "Web", "seg.ment's [1]": "Boligorganisation", "n": 3},
        {"kanal": "Web", "seg.ment's [1]": "Kommune", "n": 4},
        {"kanal": "Kurser", "seg.ment's [1]": "Kommune", "n": 2},
    ]
    spec = bar_chart(
        rows, "n", "kanal", color="seg.ment's [1]", colour_range=["#0b5e5b", "#b86e12"],
        labels=ChartLabels(description="Kanaler", legend="Segment"),
    )
    assert "layer" not in spec  # no value labels on stacked bars
    assert "Web · Kommune: 4" in tooltip_texts(spec)
    texts = svg_texts(to_svg(spec))
    assert {"Web", "Kurser", "Boligorganisation", "Kommune", "Segment"} <= set(texts)


def test_bar_chart_colours_follow_the_given_domain_not_the_alphabet() -> None:
    # "Ikke-medlemmer" sorts before "Medlemmer": without a domain, members would get the second colour.
    rows = [{"band": "< 100", "n": 2, "m": "Medlemmer"}, {"band": "< 100", "n": 5, "m": "Ikke-medlemmer"}]
    spec = bar_chart(rows, "n", "band", color="m", colour_domain=["Medlemmer", "Ikke-medlemmer"],
                     colour_range=["#0b5e5b", "#52606d"], labels=ChartLabels(description="x"))
    assert spec["encoding"]["color"]["scale"] == {"domain": ["Medlemmer", "Ikke-medlemmer"],
                                                  "range": ["#0b5e5b", "#52606d"]}
    svg = to_svg(spec)
    # The legend lists the domain in the given order, so the members' swatch comes first.
    assert svg.index("Medlemmer") < svg.index("Ikke-medlemmer")


def test_bar_chart_needs_exactly_one_quantitative_axis() -> None:
    with pytest.raises(ValueError):
        bar_chart([], "a", "b", labels=ChartLabels(description="x"), x_type="nominal", y_type="nominal")


def test_danish_locale_is_the_default() -> None:
    spec = bar_chart([{"a": "x", "n": 1}], "n", "a", labels=ChartLabels(description="x"))
    assert spec["config"]["locale"] == DANISH_LOCALE


def test_locale_for_the_ui_language() -> None:
    assert locale_for("da") is DANISH_LOCALE
    assert locale_for("en") is ENGLISH_LOCALE
    assert locale_for("en-gb") is ENGLISH_LOCALE
    assert locale_for(None) is DANISH_LOCALE
