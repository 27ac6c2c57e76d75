"""The survey analysis charts: diverging stacked bars for scale questions and percentages with their 95 %
confidence intervals. Drawn by vl-convert (the browser's Vega-Lite), so a spec that does not compile fails
here; expected values and positions worked out by hand."""

from __future__ import annotations

import json
import re

import pytest

from evidens.charts.render import to_svg
from evidens.charts.specs import (
    AGREE_COLOURS,
    DANISH_LOCALE,
    DISAGREE_COLOURS,
    ENGLISH_LOCALE,
    INTERVAL_COLOURS,
    NEUTRAL_COLOUR,
    SCHEMA_URL,
    TEXT_COLOUR,
    ChartLabels,
    IntervalRow,
    ScaleRow,
    diverging_bars,
    interval_bars,
)
from tests.charts.test_chart_specs import compile_to_vega, svg_texts, tooltip_texts

AGREEMENT = ["Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig"]
NEUTRAL = "Hverken enig eller uenig"
SATISFACTION = ["Meget utilfreds", "Utilfreds", "Tilfreds", "Meget tilfreds"]
SCALE_LABELS = ChartLabels(description="Enighed i udsagn om AlmenNet", x="Andel af svar", legend="Svar")
STATEMENTS = [
    ScaleRow("Udsagn", dict(zip(AGREEMENT, [10, 20, 30, 25, 15], strict=True)), 120),
    # "Ved ikke" is not on the scale: the caller shows it apart.
    ScaleRow("Netværkene er relevante", {**dict(zip(AGREEMENT, [5, 5, 10, 40, 40], strict=True)), "Ved ikke": 12}, 80),
]
INTERVAL_LABELS = ChartLabels(
    description="Kendskab til AlmenNets tilbud", x="Procent", legend="Gruppe", names={"interval": "95 %-interval"}
)
COMPARISON = [
    IntervalRow("Nyhedsbrev", 42.0, 37.1, 47.0, 380, "Medlemmer"),
    IntervalRow("Nyhedsbrev", 30.5, 22.0, 40.2, 90, "Ikke-medlemmer"),
    IntervalRow("Kurser", 12.3, 9.0, 16.1, 380, "Medlemmer"),
    IntervalRow("Kurser", 20.0, 12.6, 30.1, 90, "Ikke-medlemmer"),
]


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def segments(svg: str) -> list[tuple[float, float, str]]:
    """Each bar segment as (left x, width, fill), from the rect marks' paths ``M x,y h w v h h -w Z``."""
    paths = re.findall(r'<path d="M([\d.]+),[\d.]+h([\d.]+)v[\d.]+h-[\d.]+Z" fill="(#[0-9a-f]{6})"', svg)
    return [(float(x), float(width), fill) for x, width, fill in paths]


def grid_lines(svg: str) -> list[float]:
    """The x of each vertical grid line (drawn upwards from the x axis), left to right."""
    return [float(x) for x in re.findall(r'<line transform="translate\(([\d.]+),0\)" x2="0" y2="-[\d.]+"', svg)]


def test_both_share_schema_width_description_and_the_danish_locale() -> None:
    for spec in (
        diverging_bars(STATEMENTS, scale=AGREEMENT, neutral=NEUTRAL, labels=SCALE_LABELS),
        interval_bars(COMPARISON, labels=INTERVAL_LABELS),
    ):
        assert spec["$schema"] == SCHEMA_URL
        assert spec["width"] == "container"
        assert spec["config"]["locale"] == DANISH_LOCALE
        assert spec["description"]
        json.dumps(spec)


# diverging_bars


def test_segments_run_in_scale_order_from_the_left_edge_with_the_neutral_point_across_zero() -> None:
    spec = diverging_bars(STATEMENTS[:1], scale=AGREEMENT, neutral=NEUTRAL, labels=SCALE_LABELS)
    # Left of zero: 10 + 20 and half the neutral 30, so the bar begins at -45 and ends at 55.
    assert spec["data"]["values"] == [
        {"row": "Udsagn", "point": "Helt uenig", "share": 10.0, "start": -45.0, "end": -35.0, "n": 120},
        {"row": "Udsagn", "point": "Uenig", "share": 20.0, "start": -35.0, "end": -15.0, "n": 120},
        {"row": "Udsagn", "point": NEUTRAL, "share": 30.0, "start": -15.0, "end": 15.0, "n": 120},
        {"row": "Udsagn", "point": "Enig", "share": 25.0, "start": 15.0, "end": 40.0, "n": 120},
        {"row": "Udsagn", "point": "Helt enig", "share": 15.0, "start": 40.0, "end": 55.0, "n": 120},
    ]


def test_the_drawn_segments_stand_where_their_shares_put_them() -> None:
    svg = to_svg(diverging_bars(STATEMENTS[:1], scale=AGREEMENT, neutral=NEUTRAL, labels=SCALE_LABELS))
    # Grid lines at -100, -50, 0, 50 and 100.
    minus_hundred, _, zero, _, hundred = grid_lines(svg)
    per_point = (hundred - minus_hundred) / 200
    drawn = segments(svg)
    assert [fill for _, _, fill in drawn] == [
        DISAGREE_COLOURS[0], DISAGREE_COLOURS[1], NEUTRAL_COLOUR, AGREE_COLOURS[1], AGREE_COLOURS[0]
    ]
    assert drawn[0][0] == pytest.approx(zero - 45 * per_point, abs=0.5)
    assert [width for _, width, _ in drawn] == pytest.approx([p * per_point for p in (10, 20, 30, 25, 15)], abs=0.5)
    neutral_left, neutral_width, _ = drawn[2]
    assert neutral_left + neutral_width / 2 == pytest.approx(zero, abs=0.5)


def test_points_off_the_scale_and_empty_shares_are_not_drawn() -> None:
    rows = [STATEMENTS[1], ScaleRow("Kun enige", {"Enig": 60, "Helt enig": 40}, 7)]
    spec = diverging_bars(rows, scale=AGREEMENT, neutral=NEUTRAL, labels=SCALE_LABELS)
    values = spec["data"]["values"]
    assert "Ved ikke" not in {value["point"] for value in values}
    # 5 + 5 + 10/2 = 15 to the left; the second row has nothing left of zero and no neutral half.
    assert values[0]["start"] == -15.0
    assert [(v["point"], v["start"], v["end"]) for v in values if v["row"] == "Kun enige"] == [
        ("Enig", 0.0, 60.0),
        ("Helt enig", 60.0, 100.0),
    ]
    assert "Ved ikke" not in svg_texts(to_svg(spec))


def test_an_even_scale_without_a_neutral_point_splits_in_the_middle() -> None:
    row = ScaleRow("Medlemmer", dict(zip(SATISFACTION, [10, 20, 40, 30], strict=True)), 300)
    spec = diverging_bars([row], scale=SATISFACTION, labels=SCALE_LABELS)
    assert [(v["start"], v["end"]) for v in spec["data"]["values"]] == [(-30, -20), (-20, 0), (0, 40), (40, 70)]
    assert spec["encoding"]["color"]["scale"] == {
        "domain": SATISFACTION,
        "range": [DISAGREE_COLOURS[0], DISAGREE_COLOURS[1], AGREE_COLOURS[1], AGREE_COLOURS[0]],
    }


def test_legend_and_colours_follow_the_scale_not_the_alphabet_or_the_data() -> None:
    # The first row answers only "Helt enig", so Vega would otherwise meet it first.
    rows = [ScaleRow("Først", {"Helt enig": 100}, 3), *STATEMENTS]
    spec = diverging_bars(rows, scale=AGREEMENT, neutral=NEUTRAL, labels=SCALE_LABELS)
    colour = spec["encoding"]["color"]
    assert colour["scale"]["domain"] == AGREEMENT
    assert colour["scale"]["range"] == [
        DISAGREE_COLOURS[0], DISAGREE_COLOURS[1], NEUTRAL_COLOUR, AGREE_COLOURS[1], AGREE_COLOURS[0]
    ]
    svg = to_svg(spec)
    positions = [svg.index(f">{point}<") for point in AGREEMENT]
    assert positions == sorted(positions)
    assert "Svar" in svg_texts(svg)


@pytest.mark.parametrize("points", range(2, 12))
def test_every_scale_length_gets_distinct_colours_darker_at_the_ends_and_visible_on_white(points: int) -> None:
    scale = [f"p{i}" for i in range(points)]
    neutral = scale[points // 2] if points % 2 else None
    spec = diverging_bars([], scale=scale, neutral=neutral, labels=SCALE_LABELS)
    colours = spec["encoding"]["color"]["scale"]["range"]
    assert len(colours) == len(set(colours)) == points
    assert all(contrast(colour, "#ffffff") >= 3 for colour in colours)
    assert colours[0] == DISAGREE_COLOURS[0] and colours[-1] == AGREE_COLOURS[0]
    side = points // 2
    for half in (colours[:side], colours[::-1][:side]):
        luminances = [relative_luminance(colour) for colour in half]
        assert luminances == sorted(luminances)  # lighter towards the middle
    if neutral is not None:
        assert colours[points // 2] == NEUTRAL_COLOUR


def test_axis_reads_percentages_without_sign_and_rows_keep_their_order() -> None:
    spec = diverging_bars(STATEMENTS, scale=AGREEMENT, neutral=NEUTRAL, labels=SCALE_LABELS)
    assert spec["encoding"]["y"]["sort"] == ["Udsagn", "Netværkene er relevante"]
    texts = svg_texts(to_svg(spec))
    assert texts.count("100 %") == 2 and texts.count("50 %") == 2 and "0 %" in texts
    assert not any(text.startswith(("-", "\N{MINUS SIGN}")) for text in texts)
    assert {"Udsagn", "Netværkene er relevante", "Andel af svar"} <= set(texts)


def test_tooltips_give_statement_point_share_and_n_in_danish() -> None:
    rows = [*STATEMENTS, ScaleRow("Kurserne er for dyre", {"Uenig": 12.4, "Enig": 87.6}, 1234)]
    tips = tooltip_texts(diverging_bars(rows, scale=AGREEMENT, neutral=NEUTRAL, labels=SCALE_LABELS))
    assert "Udsagn · Helt enig: 15 % (n = 120)" in tips
    assert "Netværkene er relevante · Hverken enig eller uenig: 10 % (n = 80)" in tips
    assert "Kurserne er for dyre · Uenig: 12 % (n = 1.234)" in tips
    assert "Kurserne er for dyre · Enig: 88 % (n = 1.234)" in tips


def test_english_locale_groups_thousands_with_a_comma() -> None:
    rows = [ScaleRow("Statement", {"Enig": 100}, 1234)]
    spec = diverging_bars(rows, scale=AGREEMENT, neutral=NEUTRAL, labels=SCALE_LABELS, locale=ENGLISH_LOCALE)
    assert "Statement · Enig: 100 % (n = 1,234)" in tooltip_texts(spec)


def test_the_neutral_point_must_be_on_the_scale_and_an_odd_scale_needs_one() -> None:
    with pytest.raises(ValueError, match="Ved ikke"):
        diverging_bars(STATEMENTS, scale=AGREEMENT, neutral="Ved ikke", labels=SCALE_LABELS)
    with pytest.raises(ValueError, match="odd"):
        diverging_bars(STATEMENTS, scale=AGREEMENT, labels=SCALE_LABELS)


def test_diverging_bars_without_rows_still_render_the_scale() -> None:
    spec = diverging_bars([], scale=AGREEMENT, neutral=NEUTRAL, labels=SCALE_LABELS)
    assert spec["data"]["values"] == []
    texts = svg_texts(to_svg(spec))
    assert set(AGREEMENT) <= set(texts)


# interval_bars


def test_interval_values_and_grouped_bars_per_option() -> None:
    spec = interval_bars(COMPARISON, labels=INTERVAL_LABELS)
    assert spec["data"]["values"][0] == {
        "label": "Nyhedsbrev", "group": "Medlemmer", "percent": 42.0, "low": 37.1, "high": 47.0, "n": 380
    }
    assert spec["encoding"]["y"]["sort"] == ["Nyhedsbrev", "Kurser"]
    assert spec["encoding"]["yOffset"] == {"field": "group", "type": "nominal", "sort": ["Medlemmer", "Ikke-medlemmer"]}
    vega = compile_to_vega(spec)
    assert any(scale["name"] == "yOffset" for scale in vega["scales"])


def test_groups_are_coloured_and_listed_in_their_order_of_appearance() -> None:
    # "Ikke-medlemmer" sorts before "Medlemmer"; members still come first, in the first colour.
    spec = interval_bars(COMPARISON, labels=INTERVAL_LABELS)
    assert spec["layer"][0]["encoding"]["color"]["scale"] == {
        "domain": ["Medlemmer", "Ikke-medlemmer"],
        "range": [INTERVAL_COLOURS[0], INTERVAL_COLOURS[1]],
    }
    svg = to_svg(spec)
    assert svg.index(">Medlemmer<") < svg.index(">Ikke-medlemmer<")
    fills = [fill for _, _, fill in segments(svg) if fill != TEXT_COLOUR]
    assert fills == [INTERVAL_COLOURS[0], INTERVAL_COLOURS[1]] * 2
    assert "Gruppe" in svg_texts(svg)


def test_interval_colours_stand_out_from_white_and_from_the_interval_drawn_over_them() -> None:
    for colour in INTERVAL_COLOURS:
        assert contrast(colour, "#ffffff") >= 3
        assert contrast(colour, TEXT_COLOUR) >= 3


def test_the_interval_runs_from_low_to_high_with_a_tick_at_each_end() -> None:
    spec = interval_bars([IntervalRow("Kurser", 12.3, 9.0, 16.1, 1234)], labels=INTERVAL_LABELS)
    assert "yOffset" not in spec["encoding"]
    assert "color" not in spec["layer"][0]["encoding"]
    svg = to_svg(spec)
    # Grid lines at 0, 20, ..., 100 %.
    grid = grid_lines(svg)
    per_point = (grid[-1] - grid[0]) / 100
    (rule,) = re.findall(r'<line transform="translate\(([\d.]+),[\d.]+\)" x2="([\d.]+)" y2="0" stroke="#1f2933"', svg)
    assert float(rule[0]) == pytest.approx(9.0 * per_point, abs=0.5)
    assert float(rule[1]) == pytest.approx((16.1 - 9.0) * per_point, abs=0.5)
    bar, low_tick, high_tick = segments(svg)
    assert bar == (0, pytest.approx(12.3 * per_point, abs=0.5), INTERVAL_COLOURS[0])
    for tick, at in ((low_tick, 9.0), (high_tick, 16.1)):
        assert tick[0] + tick[1] / 2 == pytest.approx(at * per_point, abs=0.5)
        assert tick[2] == TEXT_COLOUR


def test_values_and_axis_in_danish_percent() -> None:
    texts = svg_texts(to_svg(interval_bars(COMPARISON, labels=INTERVAL_LABELS)))
    assert {"42,0 %", "30,5 %", "12,3 %", "20,0 %"} <= set(texts)  # after each interval
    assert {"0 %", "20 %", "100 %", "Procent", "Nyhedsbrev", "Kurser"} <= set(texts)
    assert "42.0 %" not in texts


def test_interval_tooltips_in_danish() -> None:
    spec = interval_bars(COMPARISON, labels=INTERVAL_LABELS)
    assert "Nyhedsbrev · Medlemmer: 42,0 % (95 %-interval 37,1\u201347,0 %; n = 380)" in tooltip_texts(spec, layer=0)
    single = interval_bars([IntervalRow("Kurser", 12.3, 9.0, 16.1, 1234)], labels=INTERVAL_LABELS)
    assert "Kurser: 12,3 % (95 %-interval 9,0\u201316,1 %; n = 1.234)" in tooltip_texts(single, layer=0)


def test_interval_tooltips_in_english() -> None:
    labels = ChartLabels(description="Awareness", names={"interval": "95% CI"})
    spec = interval_bars([IntervalRow("Courses", 12.3, 9.0, 16.1, 1234)], labels=labels, locale=ENGLISH_LOCALE)
    assert "Courses: 12.3 % (95% CI 9.0\u201316.1 %; n = 1,234)" in tooltip_texts(spec, layer=0)


def test_the_axis_ends_at_max_value_unless_an_interval_reaches_further() -> None:
    rows = [IntervalRow("Kurser", 12.3, 9.0, 16.1, 380)]
    assert interval_bars(rows, labels=INTERVAL_LABELS)["layer"][0]["encoding"]["x"]["scale"] == {"domain": [0, 100]}
    narrow = interval_bars(rows, labels=INTERVAL_LABELS, max_value=20)
    assert narrow["layer"][0]["encoding"]["x"]["scale"] == {"domain": [0, 20]}
    assert "20 %" in svg_texts(to_svg(narrow))
    wide = interval_bars([*rows, IntervalRow("Nyhedsbrev", 18.0, 12.0, 26.5, 90)], labels=INTERVAL_LABELS, max_value=20)
    assert all(layer["encoding"]["x"]["scale"] == {"domain": [0, 26.5]} for layer in wide["layer"])


def test_interval_bars_need_the_interval_name_and_groups_on_all_rows_or_none() -> None:
    with pytest.raises(ValueError, match="interval"):
        interval_bars(COMPARISON, labels=ChartLabels(description="x"))
    with pytest.raises(ValueError, match="group"):
        interval_bars([*COMPARISON, IntervalRow("Kurser", 10.0, 5.0, 15.0, 50)], labels=INTERVAL_LABELS)


def test_interval_bars_without_rows_still_render() -> None:
    spec = interval_bars([], labels=INTERVAL_LABELS)
    assert spec["data"]["values"] == []
    assert to_svg(spec).startswith("<svg")
