"""Charts in templates.

    {% load evidens_charts %}
    {% vega_chart spec caption %}      a figure that evidens-charts.js draws with vega-embed
    {% chart_scripts %}                the four script tags, once per page (block scripts)

``spec`` is a Vega-Lite dict from ``evidens.charts.specs``. Its JSON goes into a
``<script type="application/json">`` block through Django's ``json_script``, which escapes
``<``, ``>`` and ``&``, so data can never close the script element.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join, json_script
from django.utils.safestring import SafeString

register = template.Library()

CHART_SCRIPTS = (
    "vendor/vega/vega.min.js",
    "vendor/vega/vega-lite.min.js",
    "vendor/vega/vega-embed.min.js",
    "js/evidens-charts.js",
)


class SpecEncoder(json.JSONEncoder):
    """Decimals as numbers (Django's encoder would make them strings), dates as ISO text."""

    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return float(o)
        if isinstance(o, dt.date | dt.time):
            return o.isoformat()
        return super().default(o)


@register.simple_tag
def vega_chart(spec: Mapping[str, Any], caption: str = "") -> SafeString:
    """A ``<figure class="chart">`` holding the spec as JSON, a drawing area named by the spec's
    ``description`` for screen readers (``role="img"``), and the caption. Vega draws into the
    inner ``.chart-canvas`` (it sets its own role on the element it draws into)."""
    spec_id = f"chart-{uuid.uuid4().hex}"
    description = str(spec.get("description") or caption or "")
    data = json_script(dict(spec), spec_id, encoder=SpecEncoder)
    caption_html = format_html("<figcaption>{}</figcaption>", caption) if caption else ""
    return format_html(
        '<figure class="chart" data-spec-id="{}">'
        '<div class="chart-view" role="img" aria-label="{}"><div class="chart-canvas"></div></div>'
        "{}{}</figure>",
        spec_id,
        description,
        data,
        caption_html,
    )


@register.simple_tag
def chart_scripts() -> SafeString:
    """Script tags for vega, vega-lite, vega-embed and evidens-charts.js, in that order.
    ``defer`` keeps the order and runs them after the page is parsed."""
    return format_html_join("\n", '<script src="{}" defer></script>', ((static(path),) for path in CHART_SCRIPTS))
