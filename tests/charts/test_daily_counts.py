"""daily_counts: responses per day as columns stacked by series, the mails sent as labelled rules, and
optionally the running total on a right axis. Drawn by vl-convert (the browser's Vega-Lite), so a spec
that does not compile fails here; expected values worked out by hand."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from evidens.charts.render import to_svg
from evidens.charts.specs import (
    DANISH_LOCALE,
    ENGLISH_LOCALE,
    MUTED_COLOUR,
    PRIMARY,
    SCHEMA_URL,
    SERIES_COLOURS,
    ChartLabels,
    DayCount,
    DayEvent,
    daily_counts,
)
from tests.charts.test_chart_specs import compile_to_vega, svg_texts, tooltip_texts

DONE, PARTIAL = "Gennemført", "Delvis"
LABELS = ChartLabels(
    description="Besvarelser pr. dag",
    y="Besvarelser",
    legend="Status",
    names={"cumulative": "I alt"},
)
# The invitation goes out on Tuesday 24 November 2020, the reminders a week and two weeks later;
# nothing comes in on 26-27 and 29-30 November, and nothing after the second reminder yet.
DAYS = [
    DayCount(dt.date(2020, 11, 24), 37, DONE),
    DayCount(dt.date(2020, 11, 24), 5, PARTIAL),
    DayCount(dt.date(2020, 11, 25), 12, DONE),
    DayCount(dt.date(2020, 11, 28), 3, PARTIAL),
    DayCount(dt.date(2020, 12, 1), 20, DONE),
    DayCount(dt.date(2020, 12, 1), 4, PARTIAL),
]
EVENTS = [
    DayEvent(dt.date(2020, 11, 24), "Invitation"),
    DayEvent(dt.date(2020, 12, 1), "Påmindelse 1"),
    DayEvent(dt.date(2020, 12, 8), "Påmindelse 2"),
]
ROOT = Path(__file__).resolve().parents[2]


def layer(spec: dict, mark: str) -> dict:
    (found,) = [unit for unit in spec["layer"] if unit["mark"]["type"] == mark]
    return found


def layer_index(spec: dict, mark: str) -> int:
    return [unit["mark"]["type"] for unit in spec["layer"]].index(mark)


def rule_positions(svg: str) -> list[float]:
    """The x of each dashed rule (an event), in the order drawn."""
    return [float(x) for x in re.findall(r'<line transform="translate\(([\d.]+),0\)"[^>]*stroke-dasharray', svg)]


def columns(svg: str) -> list[tuple[float, float, float, str]]:
    """Each column segment as (x, top, height, fill), from the rect marks' paths ``M x,y h w v h h -w Z``."""
    paths = re.findall(r'<path d="M([\d.]+),([\d.]+)h[\d.]+v([\d.]+)h-[\d.]+Z" fill="(#[0-9a-f]{6})"', svg)
    return [(float(x), float(y), float(h), fill) for x, y, h, fill in paths]


def test_shares_schema_width_description_and_the_danish_locale() -> None:
    spec = daily_counts(DAYS, labels=LABELS, events=EVENTS, cumulative=True)
    assert spec["$schema"] == SCHEMA_URL
    assert spec["width"] == "container"
    assert spec["description"] == "Besvarelser pr. dag"
    assert spec["config"]["locale"] == DANISH_LOCALE
    json.dumps(spec)  # plain JSON: no dates left


def test_columns_carry_iso_days_counts_and_series() -> None:
    bars = layer(daily_counts(DAYS, labels=LABELS), "bar")
    assert bars["data"]["values"] == [
        {"day": "2020-11-24", "count": 37, "series": "Gennemført", "stack": 0},
        {"day": "2020-11-24", "count": 5, "series": "Delvis", "stack": 1},
        {"day": "2020-11-25", "count": 12, "series": "Gennemført", "stack": 0},
        {"day": "2020-11-28", "count": 3, "series": "Delvis", "stack": 1},
        {"day": "2020-12-01", "count": 20, "series": "Gennemført", "stack": 0},
        {"day": "2020-12-01", "count": 4, "series": "Delvis", "stack": 1},
    ]


def test_draws_days_events_legend_and_axis_titles_in_danish() -> None:
    texts = svg_texts(to_svg(daily_counts(DAYS, labels=LABELS, events=EVENTS, cumulative=True)))
    assert {"Invitation", "Påmindelse 1", "Påmindelse 2"} <= set(texts)
    assert {"Gennemført", "Delvis", "Status"} <= set(texts)  # legend
    assert {"Besvarelser", "I alt"} <= set(texts)  # left and right axis titles
    assert {"24. nov", "2. dec"} <= set(texts)  # Danish short months, no year on the axis


def test_event_rules_stand_at_the_start_of_their_days() -> None:
    spec = daily_counts(DAYS, labels=LABELS, events=EVENTS)
    rule = layer(spec, "rule")
    assert rule["data"]["values"] == [
        {"day": "2020-11-24", "label": "Invitation"},
        {"day": "2020-12-01", "label": "Påmindelse 1"},
        {"day": "2020-12-08", "label": "Påmindelse 2"},
    ]
    assert rule["mark"]["strokeDash"] == [4, 3]
    invitation, reminder, second = rule_positions(to_svg(spec))
    # The axis starts at the invitation's midnight; the reminders follow after 7 and 14 days.
    assert invitation == 0
    assert second == pytest.approx(2 * reminder)
    assert f'stroke="{MUTED_COLOUR}"' in to_svg(spec)


def test_the_time_axis_runs_in_utc_from_the_first_day_to_the_end_of_the_last_event() -> None:
    vega = compile_to_vega(daily_counts(DAYS, labels=LABELS, events=EVENTS))
    x_scale = next(scale for scale in vega["scales"] if scale["name"] == "x")
    assert x_scale["type"] == "utc"
    # Vega counts months from 0: 24 November to 9 December, so the last event's day is whole.
    assert x_scale["domain"]["fields"] == [
        {"signal": "{data: utc(2020, 10, 24, 0, 0, 0, 0)}"},
        {"signal": "{data: utc(2020, 11, 9, 0, 0, 0, 0)}"},
    ]
    day_units = [t for data in vega["data"] for t in data.get("transform", []) if t.get("type") == "timeunit"]
    assert day_units and all(t["timezone"] == "utc" for t in day_units)


def test_a_single_day_is_shown_within_a_week() -> None:
    spec = daily_counts([DayCount(dt.date(2020, 11, 24), 3)], labels=LABELS)
    texts = svg_texts(to_svg(spec))
    # Daily ticks from Tuesday to the next Tuesday, not six ticks within one day.
    assert texts[:8] == ["24. nov", "25. nov", "26. nov", "27. nov", "28. nov", "29. nov", "30. nov", "1. dec"]


def test_columns_stack_in_the_given_series_order_whichever_series_comes_first() -> None:
    # The first day has only partial responses; the caller's order still puts completed first.
    days = [DayCount(dt.date(2020, 11, 24), 2, PARTIAL), *DAYS[2:3], DayCount(dt.date(2020, 11, 25), 4, PARTIAL)]
    spec = daily_counts(days, labels=LABELS, series=[DONE, PARTIAL])
    colour = layer(spec, "bar")["encoding"]["color"]
    assert colour["scale"] == {"domain": ["Gennemført", "Delvis"], "range": [PRIMARY, SERIES_COLOURS[1]]}
    svg = to_svg(spec)
    assert svg.index(">Gennemført<") < svg.index(">Delvis<")  # legend order
    # 25 November: 12 completed at the bottom, 4 partial on top, a third of the height.
    done, partial = [column for column in columns(svg) if column[0] > 10]
    assert (done[3], partial[3]) == (PRIMARY, SERIES_COLOURS[1])
    assert partial[1] + partial[2] == pytest.approx(done[1])
    assert partial[2] * 3 == pytest.approx(done[2])


def test_without_a_given_order_series_follow_their_first_appearance() -> None:
    days = [DayCount(dt.date(2020, 11, 24), 2, PARTIAL), DayCount(dt.date(2020, 11, 24), 9, DONE)]
    colour = layer(daily_counts(days, labels=LABELS), "bar")["encoding"]["color"]
    assert colour["scale"]["domain"] == ["Delvis", "Gennemført"]


def test_without_series_the_columns_are_plain_and_there_is_no_legend() -> None:
    spec = daily_counts([DayCount(dt.date(2020, 11, 24), 3), DayCount(dt.date(2020, 11, 26), 1)], labels=LABELS)
    assert "color" not in layer(spec, "bar")["encoding"]
    svg = to_svg(spec)
    assert "Status" not in svg_texts(svg)
    assert {column[3] for column in columns(svg)} == {PRIMARY}


def test_count_axis_has_whole_numbers_only() -> None:
    texts = svg_texts(to_svg(daily_counts([DayCount(dt.date(2020, 11, 24), 3)], labels=LABELS)))
    assert {"0", "1", "2", "3"} <= set(texts)
    assert not any("," in text or "." in text for text in texts if text[:1].isdigit() and " " not in text)


def test_tooltips_give_the_day_series_and_count_in_danish() -> None:
    days = [*DAYS, DayCount(dt.date(2020, 12, 2), 1234, DONE)]
    spec = daily_counts(days, labels=LABELS, events=EVENTS)
    tips = tooltip_texts(spec, layer=layer_index(spec, "bar"))
    assert "24. nov 2020 · Gennemført: 37" in tips
    assert "28. nov 2020 · Delvis: 3" in tips
    assert "2. dec 2020 · Gennemført: 1.234" in tips
    assert "Påmindelse 1 · 1. dec 2020" in tooltip_texts(spec, layer=layer_index(spec, "rule"))
    plain = daily_counts([DayCount(dt.date(2020, 11, 24), 3)], labels=LABELS)
    assert "24. nov 2020: 3" in tooltip_texts(plain, layer=0)


def test_cumulative_line_counts_every_day_from_the_first_to_the_last_with_responses() -> None:
    spec = daily_counts(DAYS, labels=LABELS, events=EVENTS, cumulative=True)
    line = layer(spec, "line")
    # 37+5 = 42; +12 = 54; nothing on 26-27 Nov; +3 = 57; nothing on 29-30 Nov; +20+4 = 81.
    assert line["data"]["values"] == [
        {"day": "2020-11-24", "total": 42},
        {"day": "2020-11-25", "total": 54},
        {"day": "2020-11-26", "total": 54},
        {"day": "2020-11-27", "total": 54},
        {"day": "2020-11-28", "total": 57},
        {"day": "2020-11-29", "total": 57},
        {"day": "2020-11-30", "total": 57},
        {"day": "2020-12-01", "total": 81},
    ]
    assert line["encoding"]["y"]["axis"]["orient"] == "right"
    assert spec["resolve"] == {"scale": {"y": "independent"}}
    assert "28. nov 2020 · I alt: 57" in tooltip_texts(spec, layer=layer_index(spec, "line"))


def test_cumulative_needs_its_axis_title() -> None:
    labels = ChartLabels(description="Besvarelser")
    assert "resolve" not in daily_counts(DAYS, labels=labels)
    with pytest.raises(ValueError, match="cumulative"):
        daily_counts(DAYS, labels=labels, cumulative=True)


def test_no_responses_yet_still_draws_the_invitation() -> None:
    spec = daily_counts([], labels=LABELS, events=EVENTS[:1], cumulative=True)
    texts = svg_texts(to_svg(spec))
    assert "Invitation" in texts
    assert texts[:2] == ["24. nov", "25. nov"]
    assert "Status" not in texts  # no series, no legend
    assert to_svg(daily_counts([], labels=LABELS)).startswith("<svg")


def test_english_locale_names_the_months_in_english() -> None:
    spec = daily_counts(DAYS, labels=LABELS, locale=ENGLISH_LOCALE)
    assert "24. Nov" in svg_texts(to_svg(spec))
    assert "24. Nov 2020 · Gennemført: 37" in tooltip_texts(spec, layer=0)


def test_no_time_zone_moves_a_day() -> None:
    # vl-convert reads the process's time zone when it starts, so draw in a fresh process west of UTC,
    # where midnight UTC on 24 November is still 23 November.
    script = (
        "import datetime as dt, json\n"
        "from evidens.charts.render import to_svg\n"
        "from evidens.charts.specs import ChartLabels, DayCount, daily_counts\n"
        "spec = daily_counts([DayCount(dt.date(2020, 11, 24), 3)], labels=ChartLabels(description='x'))\n"
        "print(json.dumps(to_svg(spec)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "TZ": "America/Los_Angeles"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    svg = json.loads(result.stdout)
    texts = svg_texts(svg)
    assert texts[0] == "24. nov"
    assert "23. nov" not in texts
    # The column starts at the axis's start (past a pixel of spacing), not hours before or after it.
    assert columns(svg)[0][0] < 2
