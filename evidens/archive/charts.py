"""The archive's charts: documents per year by type."""

from __future__ import annotations

from collections import Counter

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evidens.archive.models import DocumentType
from evidens.charts import specs

TYPE_COLOURS = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#B279A2", "#9D755D")


def per_year_chart(counts: Counter[tuple[int, str]]) -> specs.Spec | None:
    if not counts:
        return None
    first, last = min(year for year, _type in counts), max(year for year, _type in counts)
    labels = [str(label) for label in DocumentType.labels]
    rows = [{"year": str(year), "type": str(DocumentType(doc_type).label), "n": n}
            for (year, doc_type), n in sorted(counts.items())]
    return specs.bar_chart(
        rows, "year", "n", x_type="nominal", y_type="quantitative", color="type", colour_domain=labels,
        colour_range=TYPE_COLOURS[:len(labels)], sort=[str(year) for year in range(first, last + 1)],
        value_labels=False, number_format=specs.COUNT_FORMAT,
        labels=specs.ChartLabels(description=_("Documents in the archive per year, by type."), y=_("Documents"),
                                 legend=_("Type")),
        locale=specs.locale_for(get_language()))
