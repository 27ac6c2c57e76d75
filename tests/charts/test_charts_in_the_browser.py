"""The vendored Vega stack in Debian's Chromium: {% chart_scripts %} loads without a bundler,
evidens-charts.js draws every {% vega_chart %} (also after an htmx swap) under a strict
Content-Security-Policy, and the browser draws the same labels as vl-convert does for paper.

No server: Playwright answers the page's requests from the templates and evidens/static."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.template import engines

import evidens
from evidens.charts.render import to_svg
from evidens.charts.specs import BudgetRow, ChartLabels, PhaseRow, budget_bars, phase_timeline

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STATIC_DIR = Path(evidens.__file__).parent / "static"
ORIGIN = "http://evidens.test"
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:"
WIDTH = 640

BUDGET = budget_bars(
    [BudgetRow("Konsulent", 250000, 120000), BudgetRow("Projektet i alt", 492000, 31500)],
    labels=ChartLabels(description="Budget og forbrug", x="kr.", names={"budgeted": "Budget", "spent": "Forbrugt"}),
)
TIMELINE = phase_timeline(
    [PhaseRow("Forberedelse", dt.date(2025, 1, 1), dt.date(2025, 3, 31), "done", "Færdig"),
     PhaseRow("Dataindsamling", dt.date(2025, 4, 1), dt.date(2025, 9, 30), "active", "I gang")],
    labels=ChartLabels(description="Faser", legend="Status", names={"today": "I dag"}),
    today=dt.date(2025, 6, 15),
)


def render(source: str, **context: Any) -> str:
    return engines["django"].from_string("{% load evidens_charts %}" + source).render(context)


@pytest.fixture
def site(settings: Any) -> dict[str, str]:
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_URL = "/static/"
    page = f"""<!doctype html><html lang="da"><head><meta charset="utf-8">
<meta name="htmx-config" content='{{"includeIndicatorStyles": false}}'>
<link rel="stylesheet" href="/static/css/evidens.css"><link rel="stylesheet" href="/test.css">
<script src="/static/vendor/htmx/htmx.min.js" defer></script></head>
<body><main id="main">{render("{% vega_chart spec 'Budget' %}", spec=BUDGET)}
<button id="more" hx-get="/fragment" hx-target="#slot">Mere</button><div id="slot"></div></main>
{render("{% chart_scripts %}")}</body></html>"""
    return {
        "/": page,
        "/fragment": render("{% vega_chart spec 'Faser' %}", spec=TIMELINE),
        "/test.css": f"figure.chart {{ width: {WIDTH}px; }}",
    }


@pytest.fixture
def page(site: dict[str, str]) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing (apt-get install chromium)")

    def answer(route: Any, request: Any) -> None:
        path = request.url.removeprefix(ORIGIN)
        headers = {"Content-Security-Policy": CSP}
        if path in site:
            kind = "text/css" if path.endswith(".css") else "text/html"
            route.fulfill(body=site[path], content_type=f"{kind}; charset=utf-8", headers=headers)
            return
        file = STATIC_DIR / path.removeprefix("/static/")
        if path.startswith("/static/") and file.is_file():
            kind = {".css": "text/css", ".js": "text/javascript"}.get(file.suffix, "application/octet-stream")
            route.fulfill(body=file.read_bytes(), content_type=kind, headers=headers)
            return
        route.fulfill(status=404, body="not found")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.problems = []
        page.on("console", lambda message: message.type in ("error", "warning") and page.problems.append(message.text))
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.route(f"{ORIGIN}/**", answer)
        page.goto(f"{ORIGIN}/")
        yield page
        browser.close()


def drawn_texts(page: Any, selector: str) -> list[str]:
    page.wait_for_selector(f'{selector}[data-chart-state="drawn"] svg', timeout=15000)
    return page.eval_on_selector_all(f"{selector} svg text", "nodes => nodes.map(n => n.textContent)")


def test_the_scripts_load_in_order_and_report_the_vendored_versions(page: Any) -> None:
    page.wait_for_selector('figure.chart[data-chart-state="drawn"]', timeout=15000)
    versions = page.evaluate("[vega.version, vegaLite.version, vegaEmbed.version, htmx.version]")
    assert versions == ["6.2.0", "6.4.1", "7.0.2", "2.0.11"]
    assert page.problems == []


def test_the_browser_draws_the_same_labels_as_vl_convert(page: Any) -> None:
    browser = drawn_texts(page, "main > figure.chart")
    paper = re.findall(r"<text[^>]*>([^<]*)</text>", to_svg(BUDGET, width=WIDTH))
    assert "492.000" in browser and "Projektet i alt" in browser
    assert browser == paper
    assert page.problems == []  # nothing blocked by the CSP, no Vega warnings


def test_the_drawing_area_keeps_its_accessible_name(page: Any) -> None:
    drawn_texts(page, "main > figure.chart")
    view = page.locator("main > figure.chart .chart-view")
    assert view.get_attribute("role") == "img"
    assert view.get_attribute("aria-label") == "Budget og forbrug"
    assert view.locator(".chart-canvas svg").count() == 1  # Vega drew inside, not into, the named area


def test_a_chart_swapped_in_by_htmx_is_drawn(page: Any) -> None:
    drawn_texts(page, "main > figure.chart")
    page.click("#more")
    texts = drawn_texts(page, "#slot figure.chart")
    assert {"Forberedelse", "Dataindsamling", "I dag", "Færdig", "I gang"} <= set(texts)
    page.click("#more")  # replaced again: the new figure is drawn too
    page.wait_for_function("document.querySelectorAll('#slot figure.chart').length === 1")
    drawn_texts(page, "#slot figure.chart")
    assert page.problems == []


def test_the_tooltip_shows_the_phase_and_its_period(page: Any) -> None:
    page.click("#more")
    drawn_texts(page, "#slot figure.chart")
    page.hover("#slot figure.chart .mark-rect path >> nth=0")
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(timeout=5000)
    assert tooltip.inner_text() == "Forberedelse · Færdig · 1. jan 2025 \N{EN DASH} 31. mar 2025"
