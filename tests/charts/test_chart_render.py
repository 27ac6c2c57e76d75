"""Rendering for paper: SVG and PNG through vl-convert, at a fixed width, offline."""

from __future__ import annotations

import struct

import pytest

from evidens.charts.render import DEFAULT_WIDTH, ChartRenderError, for_paper, to_png, to_svg
from evidens.charts.specs import BudgetRow, ChartLabels, bar_chart, budget_bars

LABELS = ChartLabels(description="Budget", names={"budgeted": "Budget", "spent": "Forbrugt"})
SPEC = budget_bars([BudgetRow("Projektet i alt", 492000, 120000)], labels=LABELS)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    # The IHDR chunk follows the 8-byte signature: length (4), "IHDR" (4), width (4), height (4).
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_svg_is_an_svg_document_at_the_paper_width() -> None:
    svg = to_svg(SPEC)
    assert svg.startswith("<svg")
    assert f'width="{DEFAULT_WIDTH}"' in svg
    assert "492.000" in svg


def test_png_has_the_magic_bytes_and_scale_multiplies_the_pixels() -> None:
    single = to_png(SPEC, scale=1)
    double = to_png(SPEC)  # scale=2 by default
    assert single.startswith(PNG_MAGIC) and double.startswith(PNG_MAGIC)
    assert png_size(single)[0] == DEFAULT_WIDTH
    assert png_size(double)[0] == 2 * DEFAULT_WIDTH
    assert png_size(double)[1] == 2 * png_size(single)[1]


def test_width_can_be_chosen() -> None:
    assert png_size(to_png(SPEC, scale=1, width=400))[0] == 400


def test_for_paper_replaces_container_width_in_a_copy() -> None:
    paper = for_paper(SPEC, width=500)
    assert paper["width"] == 500
    assert SPEC["width"] == "container"


@pytest.mark.parametrize(
    "spec",
    [
        {"data": {"url": "https://example.com/data.csv"}, "mark": "bar"},
        {"data": {"url": "file:///etc/passwd"}, "mark": "bar"},
        {"layer": [{"data": {"url": "data.json"}, "mark": "point"}]},
        {"data": {"values": [{"a": 1}]}, "mark": {"type": "image", "url": "file:///etc/hostname"}},
    ],
)
def test_specs_that_would_load_a_url_are_refused(spec: dict) -> None:
    with pytest.raises(ChartRenderError):
        to_svg(spec)
    with pytest.raises(ChartRenderError):
        to_png(spec)


def test_a_data_field_called_url_is_fine() -> None:
    rows = [{"url": "/viden/", "visits": 5}, {"url": "/kurser/", "visits": 3}]
    spec = bar_chart(rows, "visits", "url", labels=ChartLabels(description="Besøg"))
    assert "/viden/" in to_svg(spec)
