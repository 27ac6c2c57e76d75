"""Specs to pictures for paper (PDF, DOCX) through vl-convert, offline.

vl-convert embeds several Vega-Lite versions; we always ask for the one the browser gets
(``VL_CONVERT_VERSION`` matches ``specs.VEGA_LITE_VERSION``), so screen and paper agree.
A browser fits ``width: "container"`` to the page; on paper there is no container, so the
spec is rendered at ``width`` pixels instead.

Nothing is fetched while rendering: specs must carry their data inline. A spec with a ``url``
anywhere (external or ``file://`` data, images) is refused, since vl-convert would otherwise
read it from the network or the local disk.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import vl_convert

from evidens.charts.specs import VEGA_LITE_VERSION

VL_CONVERT_VERSION = ".".join(VEGA_LITE_VERSION.split(".")[:2])  # "6.4": vl-convert's name for 6.4.1
DEFAULT_WIDTH = 640


class ChartRenderError(ValueError):
    """The spec cannot be rendered offline."""


def for_paper(spec: Mapping[str, Any], *, width: int = DEFAULT_WIDTH) -> dict[str, Any]:
    """A copy of ``spec`` with every ``width: "container"`` replaced by ``width`` pixels."""
    fixed = copy.deepcopy(dict(spec))
    _refuse_urls(fixed)
    _fix_width(fixed, width)
    return fixed


def _refuse_urls(node: Any) -> None:
    """Refuse ``data: {"url": ...}`` and image marks with a ``url``; rows of inline data are not
    looked at (a row may well have a field called ``url``)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("values", "datasets"):
                continue
            if key in ("data", "mark") and isinstance(value, dict) and "url" in value:
                raise ChartRenderError("chart specs must carry their data inline, not load a url")
            _refuse_urls(value)
    elif isinstance(node, list):
        for item in node:
            _refuse_urls(item)


def _fix_width(node: Any, width: int) -> None:
    if isinstance(node, dict):
        if node.get("width") == "container":
            node["width"] = width
        for key, value in node.items():
            if key not in ("data", "datasets"):
                _fix_width(value, width)
    elif isinstance(node, list):
        for item in node:
            _fix_width(item, width)


def to_svg(spec: Mapping[str, Any], *, width: int = DEFAULT_WIDTH) -> str:
    """The chart as an SVG document (a string)."""
    return str(
        vl_convert.vegalite_to_svg(
            for_paper(spec, width=width), vl_version=VL_CONVERT_VERSION, allowed_base_urls=[]
        )
    )


def to_png(spec: Mapping[str, Any], *, scale: float = 2, width: int = DEFAULT_WIDTH) -> bytes:
    """The chart as PNG bytes; ``scale=2`` gives sharp print at the same layout size."""
    return bytes(
        vl_convert.vegalite_to_png(
            for_paper(spec, width=width), vl_version=VL_CONVERT_VERSION, scale=scale, allowed_base_urls=[]
        )
    )
