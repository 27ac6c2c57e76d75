"""The coding pages' charts: Vega-Lite specs from codebook counts, with texts in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evidens.charts import specs
from evidens.coding.models import Code
from evidens.coding.selectors import CodeRow, Matrix


def _indented(row: CodeRow) -> str:
    return "  " * row.depth + row.code.name


def code_use(rows: Sequence[CodeRow]) -> specs.Spec | None:
    if not any(row.codings for row in rows):
        return None
    return specs.bar_chart(
        [{"code": _indented(row), "passages": row.codings} for row in rows], "passages", "code",
        labels=specs.ChartLabels(description=_("Coded passages per code, in codebook order."),
                                 x=_("Coded passages")),
        number_format=specs.COUNT_FORMAT, locale=specs.locale_for(get_language()))


def matrix_heatmap(matrix: Matrix) -> specs.Spec | None:
    """The share of each group's texts that have each code: groups differ in size (8 members, 1 contractor), so
    counts would only show which group is largest."""
    if not matrix.groups or not any(cell.documents for _row, cells in matrix.rows for cell in cells):
        return None
    columns = [f"{label} ({size})" for _key, label, size in matrix.groups]
    sizes = [size for _key, _label, size in matrix.groups]
    cells = [specs.HeatCell(column, _indented(row), round(100 * cell.documents / size))
             for row, row_cells in matrix.rows
             for column, size, cell in zip(columns, sizes, row_cells, strict=True)]
    return specs.heatmap(cells, x_order=columns, y_order=[_indented(row) for row, _cells in matrix.rows],
                         labels=specs.ChartLabels(
                             description=_("For each code and stakeholder group, the percentage of the group's "
                                           "texts that have the code."),
                             x=_("Stakeholder group (number of texts)"), legend=_("% of the group's texts")),
                         number_format=specs.SHARE_FORMAT, locale=specs.locale_for(get_language()))


def cooccurrence_heatmap(codes: Sequence[Code], pairs: dict[tuple[int, int], int]) -> specs.Spec | None:
    if not pairs:
        return None
    names = {code.pk: code.name for code in codes}
    cells = [specs.HeatCell(names[first], names[second], count) for (first, second), count in pairs.items()]
    cells += [specs.HeatCell(names[second], names[first], count) for (first, second), count in pairs.items()]
    order = [code.name for code in codes]
    return specs.heatmap(cells, x_order=order, y_order=order, labels=specs.ChartLabels(
        description=_("How often two codes were given to overlapping passages."), legend=_("Overlapping passages")),
        locale=specs.locale_for(get_language()))
