"""{% vega_chart %} and {% chart_scripts %}: the markup evidens-charts.js expects, safe against
data that tries to close the script element."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.template import engines

import evidens
from evidens.charts.specs import BudgetRow, ChartLabels, budget_bars

STATIC_DIR = Path(evidens.__file__).parent / "static"
ATTACK = "</script><script>alert(1)</script>"


def render(source: str, **context: Any) -> str:
    return engines["django"].from_string("{% load evidens_charts %}" + source).render(context)


def chart_json(html: str) -> Any:
    match = re.search(r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S)
    assert match, html
    return match.group(1), json.loads(match.group(2))


@pytest.fixture
def plain_static(settings: Any) -> None:
    # The suite runs with DEBUG off, where the manifest storage wants collectstatic first.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_URL = "/static/"


def test_figure_holds_the_spec_a_named_drawing_area_and_the_caption() -> None:
    spec = budget_bars(
        [BudgetRow("Konsulent", Decimal("250000"), Decimal("0"))],
        labels=ChartLabels(description="Budget og forbrug", names={"budgeted": "Budget", "spent": "Forbrugt"}),
    )
    html = render("{% vega_chart spec caption %}", spec=spec, caption="Budget pr. kategori")
    figure_id = re.search(r'<figure class="chart" data-spec-id="(chart-[0-9a-f]{32})">', html)
    assert figure_id
    script_id, data = chart_json(html)
    assert script_id == figure_id.group(1)
    assert data == json.loads(json.dumps(spec))
    view = '<div class="chart-view" role="img" aria-label="Budget og forbrug"><div class="chart-canvas"></div></div>'
    assert view in html
    assert "<figcaption>Budget pr. kategori</figcaption>" in html
    assert html.strip().endswith("</figure>")


def test_data_cannot_close_the_script_element() -> None:
    spec = budget_bars(
        [BudgetRow(ATTACK, 1000, 0)],
        labels=ChartLabels(description=ATTACK, names={"budgeted": ATTACK, "spent": "Forbrugt"}),
    )
    html = render("{% vega_chart spec caption %}", spec=spec, caption=ATTACK)
    assert "<script>alert(1)" not in html
    assert html.count("</script>") == 1  # only the JSON block's own end tag
    assert html.count("<script") == 1
    # the text survives the round trip: the browser's JSON.parse sees the original category
    _, data = chart_json(html)
    assert data["data"]["values"][0]["category"] == ATTACK
    # attributes and caption are escaped by Django
    assert 'aria-label="&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert "<figcaption>&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;</figcaption>" in html


def test_each_chart_on_a_page_gets_its_own_id() -> None:
    spec = {"description": "x", "mark": "bar"}
    html = render("{% vega_chart spec %}{% vega_chart spec %}", spec=spec)
    ids = re.findall(r'data-spec-id="([^"]+)"', html)
    assert len(ids) == 2 and ids[0] != ids[1]
    assert "<figcaption>" not in html  # no caption given


def test_decimals_and_dates_in_a_hand_made_spec_become_json_numbers_and_text() -> None:
    import datetime as dt

    spec = {"description": "x", "data": {"values": [{"a": Decimal("492000.50"), "d": dt.date(2025, 6, 1)}]}}
    _, data = chart_json(render("{% vega_chart spec %}", spec=spec))
    assert data["data"]["values"] == [{"a": 492000.5, "d": "2025-06-01"}]


def test_a_spec_without_description_is_named_by_its_caption() -> None:
    html = render("{% vega_chart spec 'Faser' %}", spec={"mark": "bar"})
    assert 'role="img" aria-label="Faser"' in html


def test_chart_scripts_load_vega_then_vega_lite_then_vega_embed_then_ours(plain_static: None) -> None:
    html = render("{% chart_scripts %}")
    sources = re.findall(r'<script src="([^"]+)" defer></script>', html)
    assert sources == [
        "/static/vendor/vega/vega.min.js",
        "/static/vendor/vega/vega-lite.min.js",
        "/static/vendor/vega/vega-embed.min.js",
        "/static/js/evidens-charts.js",
    ]
    for source in sources:
        path = STATIC_DIR / source.removeprefix("/static/")
        assert path.is_file() and path.stat().st_size > 0, path
