"""Vega-Lite specifications as plain dicts.

One spec serves both the browser (vega-embed, ``evidens/static/vendor/vega``) and paper
(``evidens.charts.render`` through vl-convert), so both must use the same Vega-Lite version:
``VEGA_LITE_VERSION`` below equals the vendored ``vega-lite.min.js`` and is one vl-convert embeds.

Nothing here knows Django. Every text a reader sees (axis and legend titles, series names, the
description read by screen readers) is passed in through ``ChartLabels`` so callers translate it.
Numbers are formatted by the locale in ``config.locale`` (Danish by default: ``492.000``).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

VEGA_LITE_VERSION = "6.4.1"
SCHEMA_URL = f"https://vega.github.io/schema/vega-lite/v{VEGA_LITE_VERSION}.json"

Spec = dict[str, Any]
FieldType = Literal["nominal", "ordinal", "quantitative", "temporal"]

# d3-format / d3-time-format locales, given to Vega through ``config.locale``.
DANISH_NUMBER_LOCALE: dict[str, Any] = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["", " kr."],
}
DANISH_TIME_LOCALE: dict[str, Any] = {
    "dateTime": "%A den %d. %B %Y %X",
    "date": "%d.%m.%Y",
    "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"],
    "shortDays": ["søn", "man", "tir", "ons", "tor", "fre", "lør"],
    "months": [
        "januar", "februar", "marts", "april", "maj", "juni",
        "juli", "august", "september", "oktober", "november", "december",
    ],
    "shortMonths": ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
}
DANISH_LOCALE: dict[str, Any] = {"number": DANISH_NUMBER_LOCALE, "time": DANISH_TIME_LOCALE}
ENGLISH_LOCALE: dict[str, Any] = {
    "number": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["DKK ", ""]},
    "time": {
        "dateTime": "%a %e %b %Y %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "shortDays": ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
        "months": [
            "January", "February", "March", "April", "May", "June",
            "July", "August", "September", "October", "November", "December",
        ],
        "shortMonths": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    },
}


def locale_for(language: str | None) -> dict[str, Any]:
    """The number and date locale for a UI language code (Django's ``get_language()``):
    English for ``en``/``en-*``, Danish otherwise."""
    if language and language.lower().split("-")[0] == "en":
        return ENGLISH_LOCALE
    return DANISH_LOCALE


# Same system font stack as evidens.css; vl-convert falls back to its own sans-serif.
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
TEXT_COLOUR = "#1f2933"
MUTED_COLOUR = "#52606d"
PRIMARY = "#0b5e5b"
GRID_COLOUR = "#e4e9eb"
# Graphic colours with at least 3:1 contrast against white (WCAG 1.4.11).
BUDGET_COLOURS = {"budgeted": "#4f938d", "spent": "#0b4744"}
STATE_COLOURS = {"done": PRIMARY, "active": "#b86e12", "not_started": "#7d8b90"}
TODAY_COLOUR = "#b42318"
AMOUNT_FORMAT = ",.0f"
CATEGORY_LABEL_LIMIT = 160  # pixels; longer category names end in "…" (phones need the room)
LABEL_HEADROOM = 1.18  # the value axis runs this far past the largest bar, so its label fits
DATE_FORMAT = "%-d. %b %Y"
DAY_FORMAT = "%-d. %b"  # time axis ticks; the tooltip gives the year
COUNT_FORMAT = ",d"
MIN_DAYS_SHOWN = 7  # daily_counts' time axis spans at least this many days
# Colours of stacked series in turn: neighbours clearly apart, each at least 3:1 against white (WCAG 1.4.11).
SERIES_COLOURS = (PRIMARY, STATE_COLOURS["active"], "#6f4e9c", STATE_COLOURS["not_started"])
# Diverging scale colours from the end of each side (darkest) to its middle, after ColorBrewer's BrBG
# but each at least 3:1 against white (WCAG 1.4.11); the neutral point is grey.
DISAGREE_COLOURS = ("#8c510a", "#bf812d")
AGREE_COLOURS = ("#01665e", "#35978f")
NEUTRAL_COLOUR = STATE_COLOURS["not_started"]
# Interval bars: mid tones, at least 3:1 both against white and against the dark interval drawn over them.
INTERVAL_COLOURS = (BUDGET_COLOURS["budgeted"], STATE_COLOURS["active"], "#8a7bb8", STATE_COLOURS["not_started"])
INTERVAL_COLOUR = TEXT_COLOUR
PERCENT_SIGN = " %"  # as the templates write it: "42,0 %"
SHARE_FORMAT = ",.0f"
PERCENT_FORMAT = ",.1f"


@dataclass(frozen=True)
class ChartLabels:
    """Reader-facing texts, already translated by the caller.

    ``description`` is required: it becomes the chart's accessible name. ``names`` holds the
    texts a particular builder needs beyond axis titles, by key:
    ``budget_bars`` needs ``"budgeted"`` and ``"spent"``; ``phase_timeline`` needs ``"today"``
    when a date for today is given; ``daily_counts`` needs ``"cumulative"`` with ``cumulative=True``;
    ``interval_bars`` needs ``"interval"`` (the interval's name in the tooltip: "95 %-interval").
    """

    description: str
    x: str = ""
    y: str = ""
    legend: str = ""
    title: str = ""
    names: Mapping[str, str] = field(default_factory=dict)

    def name(self, key: str, builder: str) -> str:
        try:
            return self.names[key]
        except KeyError:
            raise ValueError(f"{builder} needs ChartLabels.names[{key!r}]") from None


@dataclass(frozen=True)
class BudgetRow:
    category: str
    budgeted: Decimal | float
    spent: Decimal | float


@dataclass(frozen=True)
class PhaseRow:
    """A phase with both dates known; ``end`` is the last day of the phase (inclusive)."""

    name: str
    start: dt.date
    end: dt.date
    state: str
    state_label: str


def json_value(value: Any) -> Any:
    """A value Vega can read from inline data: Decimals as numbers, dates as ISO strings."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date):  # datetime is a date too
        return value.isoformat()
    return value


def value_scale(values: Sequence[Any]) -> Spec:
    """Scale settings for a value axis whose bars carry their value as a label at the end:
    room past the largest value so the label is not cut off."""
    numbers = [float(v) for v in values if isinstance(v, int | float | Decimal) and not isinstance(v, bool)]
    largest = max(numbers, default=0.0)
    if largest <= 0:
        return {}
    return {"domainMax": largest * LABEL_HEADROOM, "nice": True}


@dataclass(frozen=True)
class LabelsAbove:
    """Layout for horizontal bars with each category's name written above its bars instead of
    beside them, so the bars get the full width (on a phone the names would otherwise take half).
    ``bars`` bars of ``bar`` pixels per category, ``gap`` pixels above them for the name."""

    categories: int
    bars: int = 1
    bar: int = 18
    gap: int = 20

    @property
    def band(self) -> int:
        return self.bars * self.bar

    @property
    def step(self) -> int:
        return self.band + self.gap

    @property
    def height(self) -> int:
        # A band scale puts paddingOuter * step before the first band and after the last one.
        return max(self.categories, 1) * self.step + self.gap

    def scale(self) -> Spec:
        padding = self.gap / self.step
        return {"paddingInner": padding, "paddingOuter": padding}

    def axis(self) -> Spec:
        return {
            "domain": False,
            "ticks": False,
            "labelAlign": "left",
            "labelBaseline": "bottom",
            "labelPadding": 0,
            "labelOffset": -(self.band // 2 + 3),
            "labelLimit": 0,
            "labelFontWeight": "bold",
        }


def base_spec(labels: ChartLabels, *, locale: Mapping[str, Any] | None = None) -> Spec:
    """Everything every Evidens chart shares: schema, size, description, locale, fonts."""
    spec: Spec = {
        "$schema": SCHEMA_URL,
        "description": labels.description,
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {
            "locale": copy.deepcopy(dict(locale if locale is not None else DANISH_LOCALE)),
            "font": FONT,
            # The page names the chart (role="img", aria-label = description); Vega-Lite's own
            # per-mark descriptions would read out internal field names ("until: …") in English.
            "aria": False,
            "view": {"stroke": None},
            "axis": {
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "titleFontWeight": "normal",
                "gridColor": GRID_COLOUR,
                "domainColor": MUTED_COLOUR,
                "tickColor": MUTED_COLOUR,
                "labelLimit": CATEGORY_LABEL_LIMIT,
            },
            "legend": {
                "labelColor": TEXT_COLOUR,
                "titleColor": TEXT_COLOUR,
                "labelFontSize": 12,
                "titleFontSize": 12,
                "orient": "bottom",
                "direction": "horizontal",
            },
            "title": {"color": TEXT_COLOUR, "anchor": "start", "fontSize": 14},
            "text": {"color": TEXT_COLOUR, "fontSize": 11},
        },
    }
    if labels.title:
        spec["title"] = labels.title
    return spec


def budget_bars(
    lines: Sequence[BudgetRow], *, labels: ChartLabels, locale: Mapping[str, Any] | None = None
) -> Spec:
    """Per budget category, the budgeted and the spent amount as grouped horizontal bars.

    Amounts are labelled at the end of each bar and on the axis in the locale's number format
    (Danish: ``492.000``); ``labels.x`` is the amount axis title (say "DKK"), ``labels.y`` the
    category axis title, ``labels.legend`` the legend title.
    """
    budgeted = labels.name("budgeted", "budget_bars")
    spent = labels.name("spent", "budget_bars")
    values = []
    for line in lines:
        values.append({"category": line.category, "series": budgeted, "amount": json_value(line.budgeted)})
        values.append({"category": line.category, "series": spent, "amount": json_value(line.spent)})
    categories = list(dict.fromkeys(line.category for line in lines))
    layout = LabelsAbove(categories=len(categories), bars=2)
    series_scale = {
        "domain": [budgeted, spent],
        "range": [BUDGET_COLOURS["budgeted"], BUDGET_COLOURS["spent"]],
    }
    tooltip = f"datum.category + ' · ' + datum.series + ': ' + format(datum.amount, '{AMOUNT_FORMAT}')"
    spec = base_spec(labels, locale=locale)
    spec.update(
        {
            "data": {"values": values},
            "transform": [{"calculate": tooltip, "as": "tooltip"}],
            "height": layout.height,
            "encoding": {
                "y": {
                    "field": "category",
                    "type": "nominal",
                    "sort": categories,
                    "title": labels.y or None,
                    "scale": layout.scale(),
                    "axis": layout.axis(),
                },
                "yOffset": {"field": "series", "type": "nominal", "sort": [budgeted, spent]},
                "x": {
                    "field": "amount",
                    "type": "quantitative",
                    "title": labels.x or None,
                    "axis": {"format": AMOUNT_FORMAT, "tickCount": 5},
                    "scale": value_scale([line.budgeted for line in lines] + [line.spent for line in lines]),
                },
                "tooltip": {"field": "tooltip", "type": "nominal"},
            },
            "layer": [
                {
                    "mark": {"type": "bar", "cornerRadiusEnd": 2},
                    "encoding": {
                        "color": {
                            "field": "series",
                            "type": "nominal",
                            "scale": series_scale,
                            "title": labels.legend or None,
                        }
                    },
                },
                {
                    "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 4},
                    "encoding": {
                        "text": {"field": "amount", "type": "quantitative", "format": AMOUNT_FORMAT}
                    },
                },
            ],
        }
    )
    return spec


def phase_timeline(
    phases: Sequence[PhaseRow],
    *,
    labels: ChartLabels,
    today: dt.date | None = None,
    locale: Mapping[str, Any] | None = None,
) -> Spec:
    """A Gantt chart: one bar per phase from its first to its last day, coloured by state,
    with a vertical rule for ``today`` (labelled ``labels.names["today"]``) when given.

    States ``done``, ``active`` and ``not_started`` have fixed colours; the legend shows each
    phase's ``state_label``. Dates are handled in UTC so no time zone shifts a day.
    """
    values = [
        {
            "phase": phase.name,
            "start": phase.start.isoformat(),
            "end": phase.end.isoformat(),
            # The bar covers the whole last day.
            "until": (phase.end + dt.timedelta(days=1)).isoformat(),
            "state": phase.state,
            "state_label": phase.state_label,
        }
        for phase in phases
    ]
    # Legend entries in the order done, active, not started; unknown states after, in grey.
    label_of: dict[str, str] = {}
    for phase in phases:
        label_of.setdefault(phase.state, phase.state_label)
    ordered = [s for s in STATE_COLOURS if s in label_of] + [s for s in label_of if s not in STATE_COLOURS]
    colour_scale = {
        "domain": [label_of[s] for s in ordered],
        "range": [STATE_COLOURS.get(s, STATE_COLOURS["not_started"]) for s in ordered],
    }
    layout = LabelsAbove(categories=len({phase.name for phase in phases}), bar=16)
    # The same x definition on every layer, or Vega-Lite drops the merged axis settings.
    def x_encoding(name: str) -> Spec:
        return {
            "field": name,
            "type": "temporal",
            "scale": {"type": "utc"},
            "title": labels.x or None,
            "axis": {"labelOverlap": True, "tickCount": 6},
        }

    # start and end are ISO strings here (Vega-Lite parses only encoded fields): toDate reads them as UTC.
    period = f"{_day_text('start')} + ' \u2013 ' + {_day_text('end')}"
    layers: list[Spec] = [
        {
            "data": {"values": values},
            "transform": [
                {"calculate": f"datum.phase + ' · ' + datum.state_label + ' · ' + {period}", "as": "tooltip"},
            ],
            "mark": {"type": "bar", "cornerRadius": 2},
            "encoding": {
                "y": {
                    "field": "phase",
                    "type": "nominal",
                    "sort": None,
                    "title": labels.y or None,
                    "scale": layout.scale(),
                    "axis": layout.axis(),
                },
                "x": x_encoding("start"),
                "x2": {"field": "until"},
                "color": {
                    "field": "state_label",
                    "type": "nominal",
                    "scale": colour_scale,
                    "title": labels.legend or None,
                },
                "tooltip": {"field": "tooltip", "type": "nominal"},
            },
        }
    ]
    if today is not None:
        today_text = labels.name("today", "phase_timeline")
        marker = {"data": {"values": [{"today": today.isoformat(), "label": today_text}]}}
        layers.append(
            {
                **marker,
                "mark": {"type": "rule", "color": TODAY_COLOUR, "strokeWidth": 2, "strokeDash": [4, 3]},
                "encoding": {"x": x_encoding("today")},
            }
        )
        layers.append(
            {
                **marker,
                "mark": {
                    "type": "text",
                    "color": TODAY_COLOUR,
                    "align": "left",
                    "baseline": "bottom",
                    "dx": 4,
                    "y": 0,
                    "dy": -2,
                    "fontWeight": "bold",
                },
                "encoding": {"x": x_encoding("today"), "text": {"field": "label"}},
            }
        )
    spec = base_spec(labels, locale=locale)
    spec.update({"height": layout.height, "layer": layers})
    return spec


SMALL_COUNT = 5  # up to this many, a count axis gets a tick at every whole number and no other


def _whole_ticks(number_format: str, top: Any) -> Spec:
    """Ticks at 0, 1, …, top for a small count: Vega would put some at halves, which a whole-number format then
    shows as the same number twice (0, 1, 1, 2, 2)."""
    if number_format != COUNT_FORMAT or not isinstance(top, int | float) or top > SMALL_COUNT:
        return {}
    return {"values": list(range(int(top) + 1))}


def _stacked_top(values: Sequence[Mapping[str, Any]]) -> Any:
    """The tallest bar: the largest value, or the largest sum of a category's stacked values."""
    totals: dict[str, float] = {}
    for value in values:
        if isinstance(value["value"], int | float):
            key = json.dumps(value["category"])
            totals[key] = totals.get(key, 0) + value["value"]
    return max(totals.values(), default=0)


def bar_chart(
    rows: Sequence[Mapping[str, Any]],
    x: str,
    y: str,
    *,
    labels: ChartLabels,
    x_type: FieldType = "quantitative",
    y_type: FieldType = "nominal",
    color: str | None = None,
    colour_range: Sequence[str] | None = None,
    colour_domain: Sequence[str] | None = None,
    number_format: str = AMOUNT_FORMAT,
    sort: str | Sequence[str] | None = None,
    value_labels: bool = True,
    locale: Mapping[str, Any] | None = None,
) -> Spec:
    """A plain bar chart of ``rows`` (mappings) with field ``x`` on the x axis and ``y`` on the y
    axis. Defaults give horizontal bars (quantity on x, category on y, each category's name
    above its bar); pass
    ``x_type="nominal", y_type="quantitative"`` for columns. ``color`` names a field to colour
    (and stack) by, ``colour_range`` its colours in the order of ``colour_domain`` (without a domain
    Vega sorts the values by name, so colours would move when the language changes). ``sort`` is a
    Vega-Lite sort for the category axis (None keeps row order, ``"-x"`` sorts by the quantity on x descending). With
    ``value_labels`` each bar shows its value (not with ``color``: stacked segments would crowd
    their labels). Only the named fields of ``rows`` go into the spec; Decimals and dates are
    converted for JSON.
    """
    if (x_type == "quantitative") == (y_type == "quantitative"):
        raise ValueError("bar_chart needs exactly one quantitative axis")
    horizontal = x_type == "quantitative"
    quantity, category = (x, y) if horizontal else (y, x)
    q_channel, c_channel = ("x", "y") if horizontal else ("y", "x")
    # The data gets fixed field names: Vega-Lite reads dots, brackets and quotes in a field
    # name as a path into the row, and callers' names (column headings) may contain them.
    values = []
    for row in rows:
        value = {"category": json_value(row[category]), "value": json_value(row[quantity])}
        if color is not None:
            value["colour"] = json_value(row[color])
        values.append(value)
    sort_value = list(sort) if sort is not None and not isinstance(sort, str) else sort
    layout = LabelsAbove(categories=len({json.dumps(value["category"]) for value in values}))
    category_axis: Spec = layout.axis() if horizontal else {"labelAngle": 0, "labelLimit": CATEGORY_LABEL_LIMIT}
    labelled = value_labels and color is None
    encoding: Spec = {
        q_channel: {
            "field": "value",
            "type": "quantitative",
            "title": (labels.x if horizontal else labels.y) or None,
            "axis": {"format": number_format, "tickCount": 5, **_whole_ticks(number_format, _stacked_top(values))},
            "scale": value_scale([value["value"] for value in values]) if labelled else {},
        },
        c_channel: {
            "field": "category",
            "type": y_type if horizontal else x_type,
            "title": (labels.y if horizontal else labels.x) or None,
            "sort": sort_value,
            "axis": category_axis,
            **({"scale": layout.scale()} if horizontal else {}),
        },
        "tooltip": {"field": "tooltip", "type": "nominal"},
    }
    tip = "datum.category"
    if color is not None:
        tip += " + ' · ' + datum.colour"
    tip += f" + ': ' + format(datum.value, {_js_string(number_format)})"
    bar: Spec = {"mark": {"type": "bar", "color": PRIMARY}}
    if color is not None:
        colour: Spec = {"field": "colour", "type": "nominal", "title": labels.legend or None}
        scale: Spec = {}
        if colour_domain is not None:
            scale["domain"] = list(colour_domain)
        if colour_range is not None:
            scale["range"] = list(colour_range)
        if scale:
            colour["scale"] = scale
        bar["encoding"] = {"color": colour}
    spec = base_spec(labels, locale=locale)
    spec["data"] = {"values": values}
    spec["transform"] = [{"calculate": tip, "as": "tooltip"}]
    spec["encoding"] = encoding
    spec["height"] = layout.height if horizontal else 240
    if labelled:
        text_mark = (
            {"type": "text", "align": "left", "baseline": "middle", "dx": 4}
            if horizontal
            else {"type": "text", "align": "center", "baseline": "bottom", "dy": -3}
        )
        text: Spec = {
            "mark": text_mark,
            "encoding": {"text": {"field": "value", "type": "quantitative", "format": number_format}},
        }
        spec["layer"] = [bar, text]
    else:
        spec["mark"] = bar["mark"]
        spec["encoding"].update(bar.get("encoding", {}))
    return spec


def _js_string(text: str) -> str:
    """``text`` as a string literal inside a Vega expression."""
    return json.dumps(text)


@dataclass(frozen=True)
class DayCount:
    """``count`` things (say responses) on ``day``; ``series`` splits a day's column into stacked parts."""

    day: dt.date
    count: int
    series: str = ""


@dataclass(frozen=True)
class DayEvent:
    """Something that happened on ``day`` (say an invitation mailed), drawn as a labelled rule."""

    day: dt.date
    label: str


def daily_counts(
    days: Sequence[DayCount],
    *,
    labels: ChartLabels,
    events: Sequence[DayEvent] = (),
    series: Sequence[str] = (),
    cumulative: bool = False,
    locale: Mapping[str, Any] | None = None,
) -> Spec:
    """One column per day with the day's counts stacked by series, a dashed rule with its label
    at the top for each event, and with ``cumulative`` a line of the running total on a right axis
    (titled ``labels.names["cumulative"]``).

    Series are coloured and stacked (first at the bottom) in the order of ``series`` and then of
    their first appearance in ``days``, so a series keeps its colour whichever day comes first;
    without any series name the columns are plain and there is no legend. Days without counts
    have no column. The time axis spans every day in ``days`` and ``events`` and at least a week.
    Dates are handled in UTC so no time zone shifts a day. ``labels.y`` titles the count axis,
    ``labels.legend`` the legend.
    """
    order = list(dict.fromkeys([*series, *(count.series for count in days)]))
    values = [
        {"day": count.day.isoformat(), "count": count.count, "series": count.series, "stack": order.index(count.series)}
        for count in days
    ]
    x_scale: Spec = {"type": "utc"}
    dates = [count.day for count in days] + [event.day for event in events]
    if dates:
        first = min(dates)
        # Whole days, the last one included; at least a week, so a first day is not one chart-wide column.
        until = max(max(dates) + dt.timedelta(days=1), first + dt.timedelta(days=MIN_DAYS_SHOWN))
        x_scale["domain"] = [_utc_datetime(first), _utc_datetime(until)]

    # The same x on every layer, or Vega-Lite drops the merged axis settings; ``band_position``
    # places a rule or point within its day (0 at midnight, 0.5 at noon), columns fill the day.
    def x_encoding(band_position: float | None = None) -> Spec:
        return {
            "field": "day",
            "type": "temporal",
            "timeUnit": "utcyearmonthdate",
            **({} if band_position is None else {"bandPosition": band_position}),
            "scale": copy.deepcopy(x_scale),
            "title": labels.x or None,
            "axis": {"format": DAY_FORMAT, "labelOverlap": True, "tickCount": 6},
        }

    tooltip = (
        f"{_day_text('day')} + (datum.series ? ' · ' + datum.series : '') "
        f"+ ': ' + format(datum.count, '{COUNT_FORMAT}')"
    )
    bars: Spec = {
        "data": {"values": values},
        "transform": [{"calculate": tooltip, "as": "tooltip"}],
        "mark": {"type": "bar", "color": PRIMARY},
        "encoding": {
            "x": x_encoding(),
            "y": {
                "field": "count",
                "type": "quantitative",
                "title": labels.y or None,
                "axis": {"format": COUNT_FORMAT, "tickMinStep": 1},
            },
            "order": {"field": "stack", "type": "quantitative"},
            "tooltip": {"field": "tooltip", "type": "nominal"},
        },
    }
    if any(order):
        colours = [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(len(order))]
        bars["encoding"]["color"] = {
            "field": "series",
            "type": "nominal",
            "scale": {"domain": order, "range": colours},
            "title": labels.legend or None,
        }
    layers: list[Spec] = [bars]
    if events:
        marker = {
            "data": {"values": [{"day": event.day.isoformat(), "label": event.label} for event in events]},
            "transform": [{"calculate": f"datum.label + ' · ' + {_day_text('day')}", "as": "tooltip"}],
        }
        layers.append(
            {
                **marker,
                "mark": {"type": "rule", "color": MUTED_COLOUR, "strokeWidth": 1.5, "strokeDash": [4, 3]},
                "encoding": {"x": x_encoding(0), "tooltip": {"field": "tooltip", "type": "nominal"}},
            }
        )
        layers.append(
            {
                **marker,
                "mark": {
                    "type": "text",
                    "color": MUTED_COLOUR,
                    "align": "left",
                    "baseline": "bottom",
                    "dx": 3,
                    "y": 0,
                    "dy": -2,
                    "fontWeight": "bold",
                },
                "encoding": {
                    "x": x_encoding(0),
                    "text": {"field": "label"},
                    "tooltip": {"field": "tooltip", "type": "nominal"},
                },
            }
        )
    spec = base_spec(labels, locale=locale)
    if cumulative:
        total_name = labels.name("cumulative", "daily_counts")
        tip = (
            f"{_day_text('day')} + ' · ' + {_js_string(total_name)} "
            f"+ ': ' + format(datum.total, '{COUNT_FORMAT}')"
        )
        layers.append(
            {
                "data": {"values": _running_totals(days)},
                "transform": [{"calculate": tip, "as": "tooltip"}],
                "mark": {"type": "line", "color": TEXT_COLOUR, "strokeWidth": 2, "point": {"color": TEXT_COLOUR}},
                "encoding": {
                    "x": x_encoding(0.5),
                    "y": {
                        "field": "total",
                        "type": "quantitative",
                        "title": total_name,
                        "axis": {"orient": "right", "format": COUNT_FORMAT, "tickMinStep": 1, "grid": False},
                    },
                    "tooltip": {"field": "tooltip", "type": "nominal"},
                },
            }
        )
        spec["resolve"] = {"scale": {"y": "independent"}}
    spec.update({"height": 240, "layer": layers})
    return spec


def _running_totals(days: Sequence[DayCount]) -> list[Spec]:
    """The total of all series up to and including each day from the first to the last of
    ``days``; days without counts are included, so the line stays flat where nothing came in."""
    per_day: Counter[dt.date] = Counter()
    for count in days:
        per_day[count.day] += count.count
    if not per_day:
        return []
    first = min(per_day)
    totals = []
    total = 0
    for offset in range((max(per_day) - first).days + 1):
        day = first + dt.timedelta(days=offset)
        total += per_day[day]
        totals.append({"day": day.isoformat(), "total": total})
    return totals


def _utc_datetime(day: dt.date) -> Spec:
    """Midnight UTC on ``day`` as a Vega-Lite DateTime (months count from 1)."""
    return {"year": day.year, "month": day.month, "date": day.day, "utc": True}


def _day_text(name: str) -> str:
    """A Vega expression for the ISO date in field ``name`` in the locale's words ("24. nov 2020")."""
    return f"utcFormat(toDate(datum.{name}), '{DATE_FORMAT}')"


@dataclass(frozen=True)
class ScaleRow:
    """One statement (or group) answered on a scale: ``shares`` in percent (0-100) per scale point,
    summing to about 100 over the points shown; ``n`` answers behind them."""

    label: str
    shares: Mapping[str, float]
    n: int


@dataclass(frozen=True)
class IntervalRow:
    """A percentage with its 95 % confidence interval (``low`` to ``high``) from ``n`` answers;
    ``group`` names the group compared (say members and non-members) when there are several."""

    label: str
    percent: float
    low: float
    high: float
    n: int
    group: str = ""


def diverging_bars(
    rows: Sequence[ScaleRow],
    *,
    scale: Sequence[str],
    labels: ChartLabels,
    neutral: str | None = None,
    locale: Mapping[str, Any] | None = None,
) -> Spec:
    """The diverging stacked bar chart of Likert scales: one bar per row, a segment per point of
    ``scale`` in its order (say "Helt uenig" to "Helt enig"), the points before the middle left of
    zero and those after it right, so agreement reads off against disagreement. ``neutral`` names
    the middle point, drawn half on each side of zero; a scale with an odd number of points needs it.

    The x axis runs from -100 to 100 % and is labelled with percentages without sign. Colours and the
    legend follow ``scale``: two hues darkening towards the ends, the neutral point grey. Shares of
    points outside ``scale`` (say "Ved ikke") are left out; callers show them apart. ``labels.x``
    titles the percent axis, ``labels.legend`` the legend.
    """
    points = list(scale)
    if neutral is not None and neutral not in points:
        raise ValueError(f"diverging_bars: the neutral point {neutral!r} is not on the scale")
    if neutral is None and len(points) % 2:
        raise ValueError("diverging_bars: a scale with an odd number of points needs its neutral point")
    middle = points.index(neutral) if neutral is not None else len(points) // 2
    disagree, agree = points[:middle], points[middle + (neutral is not None) :]

    values = []
    for row in rows:
        shares = {point: float(row.shares.get(point, 0)) for point in points}
        neutral_half = shares[neutral] / 2 if neutral is not None else 0.0
        # Segments are laid end to end in scale order from where the left side begins.
        start = -(sum(shares[point] for point in disagree) + neutral_half)
        for point in points:
            if shares[point] > 0:
                values.append(
                    {
                        "row": row.label,
                        "point": point,
                        "share": shares[point],
                        "start": start,
                        "end": start + shares[point],
                        "n": row.n,
                    }
                )
            start += shares[point]

    colours = [
        *_shades(DISAGREE_COLOURS, len(disagree)),
        *([NEUTRAL_COLOUR] if neutral is not None else []),
        *reversed(_shades(AGREE_COLOURS, len(agree))),
    ]
    statements = list(dict.fromkeys(row.label for row in rows))
    layout = LabelsAbove(categories=len(statements), bar=20)
    tooltip = (
        f"datum.row + ' · ' + datum.point + ': ' + {_percent_text('datum.share', SHARE_FORMAT)} "
        f"+ ' (n = ' + format(datum.n, '{COUNT_FORMAT}') + ')'"
    )
    spec = base_spec(labels, locale=locale)
    spec.update(
        {
            "data": {"values": values},
            "transform": [{"calculate": tooltip, "as": "tooltip"}],
            "height": layout.height,
            "mark": {"type": "bar", "stroke": "white", "strokeWidth": 1},
            "encoding": {
                "y": {
                    "field": "row",
                    "type": "nominal",
                    "sort": statements,
                    "title": labels.y or None,
                    "scale": layout.scale(),
                    "axis": layout.axis(),
                },
                "x": {
                    "field": "start",
                    "type": "quantitative",
                    "scale": {"domain": [-100, 100]},
                    "title": labels.x or None,
                    "axis": {
                        "values": [-100, -50, 0, 50, 100],
                        "labelExpr": _percent_text("abs(datum.value)", SHARE_FORMAT),
                        # Zero is where disagreement meets agreement.
                        "gridColor": {
                            "condition": {"test": "datum.value === 0", "value": MUTED_COLOUR},
                            "value": GRID_COLOUR,
                        },
                    },
                },
                "x2": {"field": "end"},
                "color": {
                    "field": "point",
                    "type": "nominal",
                    "scale": {"domain": points, "range": colours},
                    "title": labels.legend or None,
                    "legend": {"columns": min(len(points), 3)},
                },
                "tooltip": {"field": "tooltip", "type": "nominal"},
            },
        }
    )
    return spec


def _shades(colours: tuple[str, str], count: int) -> list[str]:
    """``count`` colours from the first of ``colours`` (at the end of the scale) to the second (near its middle)."""
    if count < 2:
        return list(colours[:count])
    return [_mix(colours[0], colours[1], i / (count - 1)) for i in range(count)]


def _mix(first: str, second: str, part: float) -> str:
    """The colour ``part`` of the way from ``first`` to ``second`` (``#rrggbb``)."""
    channels = [
        round(int(first[i : i + 2], 16) * (1 - part) + int(second[i : i + 2], 16) * part) for i in (1, 3, 5)
    ]
    return "#" + "".join(f"{channel:02x}" for channel in channels)


def interval_bars(
    rows: Sequence[IntervalRow],
    *,
    labels: ChartLabels,
    locale: Mapping[str, Any] | None = None,
    max_value: float = 100,
) -> Spec:
    """Horizontal bars of percentages, each with its 95 % confidence interval drawn over it as a
    line with end ticks and its value written after the interval's end; each option's name above
    its bars. Rows with a ``group`` give grouped bars per option, one colour per group (in the order
    the groups first appear) and a legend titled ``labels.legend``; either every row has a group or
    none has. The axis runs from 0 to ``max_value`` (further if an interval does).

    The tooltip names the interval with ``labels.names["interval"]`` ("95 %-interval").
    """
    interval_name = labels.name("interval", "interval_bars")
    groups = list(dict.fromkeys(row.group for row in rows))
    grouped = any(groups)
    if grouped and "" in groups:
        raise ValueError("interval_bars: either every row has a group or none has")
    options = list(dict.fromkeys(row.label for row in rows))
    values = [
        {
            "label": row.label,
            "group": row.group,
            "percent": float(row.percent),
            "low": float(row.low),
            "high": float(row.high),
            "n": row.n,
        }
        for row in rows
    ]
    layout = LabelsAbove(categories=len(options), bars=len(groups) if grouped else 1)
    tick_size = layout.bar * 0.6
    domain = [0, max([max_value, *(float(row.high) for row in rows)])]

    # The same x on every layer, or Vega-Lite drops the merged axis settings.
    def x_encoding(name: str) -> Spec:
        return {
            "field": name,
            "type": "quantitative",
            "scale": {"domain": domain},
            "title": labels.x or None,
            "axis": {"tickCount": 5, "labelExpr": _percent_text("datum.value", SHARE_FORMAT)},
        }

    interval = (
        f"{_js_string(interval_name)} + ' ' + format(datum.low, '{PERCENT_FORMAT}') + '\u2013' "
        f"+ {_percent_text('datum.high', PERCENT_FORMAT)}"
    )
    tooltip = (
        f"datum.label + (datum.group ? ' · ' + datum.group : '') + ': ' "
        f"+ {_percent_text('datum.percent', PERCENT_FORMAT)} "
        f"+ ' (' + {interval} + '; n = ' + format(datum.n, '{COUNT_FORMAT}') + ')'"
    )
    bar: Spec = {"mark": {"type": "bar", "color": INTERVAL_COLOURS[0]}, "encoding": {"x": x_encoding("percent")}}
    if grouped:
        bar["encoding"]["color"] = {
            "field": "group",
            "type": "nominal",
            "scale": {
                "domain": groups,
                "range": [INTERVAL_COLOURS[i % len(INTERVAL_COLOURS)] for i in range(len(groups))],
            },
            "title": labels.legend or None,
        }
    tick = {"type": "tick", "color": INTERVAL_COLOUR, "opacity": 1, "size": tick_size, "thickness": 1.5}
    encoding: Spec = {
        "y": {
            "field": "label",
            "type": "nominal",
            "sort": options,
            "title": labels.y or None,
            "scale": layout.scale(),
            "axis": layout.axis(),
        },
        "tooltip": {"field": "tooltip", "type": "nominal"},
    }
    if grouped:
        encoding["yOffset"] = {"field": "group", "type": "nominal", "sort": groups}
    spec = base_spec(labels, locale=locale)
    spec.update(
        {
            "data": {"values": values},
            "transform": [
                {"calculate": tooltip, "as": "tooltip"},
                {"calculate": _percent_text("datum.percent", PERCENT_FORMAT), "as": "value_label"},
            ],
            "height": layout.height,
            "encoding": encoding,
            "layer": [
                bar,
                {
                    "mark": {"type": "rule", "color": INTERVAL_COLOUR, "strokeWidth": 1.5},
                    "encoding": {"x": x_encoding("low"), "x2": {"field": "high"}},
                },
                {"mark": tick, "encoding": {"x": x_encoding("low")}},
                {"mark": tick, "encoding": {"x": x_encoding("high")}},
                {
                    "mark": {"type": "text", "align": "left", "baseline": "middle", "dx": 5},
                    "encoding": {"x": x_encoding("high"), "text": {"field": "value_label"}},
                },
            ],
        }
    )
    return spec


def _percent_text(expression: str, number_format: str) -> str:
    """A Vega expression writing the number ``expression`` as a percentage in the locale ("42,0 %")."""
    return f"format({expression}, '{number_format}') + {_js_string(PERCENT_SIGN)}"


# Sequential colours of a heat map, from no value (nearly white, the grid still shows) to the largest.
HEAT_COLOURS = ("#eef5f4", PRIMARY)
HEAT_CELL = 22  # pixels per row of a heat map


@dataclass(frozen=True)
class HeatCell:
    """``value`` at column ``x`` and row ``y`` of a heat map (say page views on Monday at 9)."""

    x: str
    y: str
    value: int | float


def heatmap(
    cells: Sequence[HeatCell],
    *,
    x_order: Sequence[str],
    y_order: Sequence[str],
    labels: ChartLabels,
    number_format: str = COUNT_FORMAT,
    locale: Mapping[str, Any] | None = None,
) -> Spec:
    """A grid of coloured squares: columns ``x_order`` (left to right), rows ``y_order`` (top to bottom),
    each square darker the larger its value. Every combination is drawn; one missing from ``cells`` is 0,
    so an hour nobody came reads as empty rather than as a hole. Cells outside the orders are left out.
    ``labels.x`` and ``labels.y`` title the axes, ``labels.legend`` the colour legend."""
    given = {(cell.x, cell.y): cell.value for cell in cells}
    values = [{"x": x, "y": y, "value": json_value(given.get((x, y), 0))} for y in y_order for x in x_order]
    tooltip = f"datum.y + ' ' + datum.x + ': ' + format(datum.value, {_js_string(number_format)})"
    spec = base_spec(labels, locale=locale)
    spec.update(
        {
            "data": {"values": values},
            "transform": [{"calculate": tooltip, "as": "tooltip"}],
            "height": max(len(y_order), 1) * HEAT_CELL,
            "mark": {"type": "rect", "stroke": "white", "strokeWidth": 1},
            "encoding": {
                "x": {
                    "field": "x",
                    "type": "ordinal",
                    "sort": list(x_order),
                    "title": labels.x or None,
                    "axis": {"labelAngle": 0, "labelOverlap": True},
                },
                "y": {"field": "y", "type": "ordinal", "sort": list(y_order), "title": labels.y or None},
                "color": {
                    "field": "value",
                    "type": "quantitative",
                    "scale": {"range": list(HEAT_COLOURS), "domainMin": 0},
                    "title": labels.legend or None,
                    "legend": {"format": number_format, "direction": "horizontal", "gradientLength": 160},
                },
                "tooltip": {"field": "tooltip", "type": "nominal"},
            },
        }
    )
    return spec


@dataclass(frozen=True)
class SeriesPoint:
    """``value`` of ``series`` in the period that starts on ``day`` (a day, a week's Monday, a month's first)."""

    day: dt.date
    series: str
    value: int | float


PERIOD_AXIS_FORMATS = {"day": DAY_FORMAT, "week": DAY_FORMAT, "month": "%b %Y"}
PERIOD_TEXT_FORMATS = {"day": DATE_FORMAT, "week": DATE_FORMAT, "month": "%B %Y"}


def line_chart(
    points: Sequence[SeriesPoint],
    *,
    labels: ChartLabels,
    series: Sequence[str] = (),
    period: Literal["day", "week", "month"] = "day",
    number_format: str = COUNT_FORMAT,
    locale: Mapping[str, Any] | None = None,
) -> Spec:
    """One line per series over time, a point at each period, for comparing how several counts move
    (page views and visits per week). ``period`` says what a point stands for: the axis and the tooltip
    write a day or a week by its (first) day, a month by its name. Series are coloured in the order of
    ``series`` and then of their first appearance in ``points``. Dates are handled in UTC so no time zone
    shifts a day. ``labels.x`` titles the time axis, ``labels.y`` the value axis, ``labels.legend`` the
    legend."""
    order = list(dict.fromkeys([*series, *(point.series for point in points)]))
    values = [{"day": point.day.isoformat(), "series": point.series, "value": json_value(point.value)}
              for point in points]
    day_text = f"utcFormat(toDate(datum.day), {_js_string(PERIOD_TEXT_FORMATS[period])})"
    # Months get a tick each (at most); left alone, a short span would be ticked by the day, every
    # tick in the same month and written the same way.
    ticks: Any = {"interval": "month", "step": 1} if period == "month" else 6
    tooltip = f"{day_text} + ' · ' + datum.series + ': ' + format(datum.value, {_js_string(number_format)})"
    spec = base_spec(labels, locale=locale)
    spec.update(
        {
            "data": {"values": values},
            "transform": [{"calculate": tooltip, "as": "tooltip"}],
            "height": 240,
            "mark": {"type": "line", "strokeWidth": 2, "point": True},
            "encoding": {
                "x": {
                    "field": "day",
                    "type": "temporal",
                    "timeUnit": "utcyearmonthdate",
                    "scale": {"type": "utc"},
                    "title": labels.x or None,
                    "axis": {"format": PERIOD_AXIS_FORMATS[period], "labelOverlap": True, "tickCount": ticks},
                },
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": labels.y or None,
                    "axis": {"format": number_format, "tickMinStep": 1,
                             **_whole_ticks(number_format, max((value["value"] for value in values), default=0))},
                },
                "color": _series_colour(order, labels),
                "tooltip": {"field": "tooltip", "type": "nominal"},
            },
        }
    )
    return spec


def _series_colour(order: Sequence[str], labels: ChartLabels) -> Spec:
    """The colour encoding of named series: the house colours in ``order``, the legend titled by labels."""
    return {
        "field": "series",
        "type": "nominal",
        "scale": {"domain": list(order),
                  "range": [SERIES_COLOURS[i % len(SERIES_COLOURS)] for i in range(len(order))]},
        "title": labels.legend or None,
    }


@dataclass(frozen=True)
class GroupedValue:
    """``value`` of ``series`` in ``category``: one column of a group of columns."""

    category: str
    series: str
    value: int | float


def grouped_columns(
    rows: Sequence[GroupedValue],
    *,
    labels: ChartLabels,
    series: Sequence[str] = (),
    number_format: str = COUNT_FORMAT,
    locale: Mapping[str, Any] | None = None,
) -> Spec:
    """Columns side by side, one group per category (in the order categories first appear in ``rows``),
    one column per series within it (in the order of ``series``, then of first appearance), for comparing
    two counts of the same thing (page views in the log and in an analytics export, month by month).
    A series missing from a category leaves a gap. ``labels.x`` titles the category axis, ``labels.y`` the
    value axis, ``labels.legend`` the legend."""
    order = list(dict.fromkeys([*series, *(row.series for row in rows)]))
    categories = list(dict.fromkeys(row.category for row in rows))
    values = [{"category": row.category, "series": row.series, "value": json_value(row.value)} for row in rows]
    tooltip = f"datum.category + ' · ' + datum.series + ': ' + format(datum.value, {_js_string(number_format)})"
    spec = base_spec(labels, locale=locale)
    spec.update(
        {
            "data": {"values": values},
            "transform": [{"calculate": tooltip, "as": "tooltip"}],
            "height": 240,
            "mark": {"type": "bar"},
            "encoding": {
                "x": {
                    "field": "category",
                    "type": "nominal",
                    "sort": categories,
                    "title": labels.x or None,
                    "axis": {"labelAngle": 0, "labelLimit": CATEGORY_LABEL_LIMIT},
                },
                "xOffset": {"field": "series", "type": "nominal", "sort": order},
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": labels.y or None,
                    "axis": {"format": number_format, "tickCount": 5},
                },
                "color": _series_colour(order, labels),
                "tooltip": {"field": "tooltip", "type": "nominal"},
            },
        }
    )
    return spec
