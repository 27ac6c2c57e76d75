"""The archive's charts: documents per year by type."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evidens.archive.models import DocumentType, Topic
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


def topics_heatmap(topics: Sequence[Topic]) -> specs.Spec | None:
    """Topics down, years across: each year's share of its documents' topic weight, in per cent."""
    years = sorted({year for topic in topics for year in topic.per_year})
    if not topics or not years:
        return None
    names = [f"{topic.number + 1}. {topic}" for topic in topics]
    cells = [specs.HeatCell(year, name, round(100 * topic.per_year.get(year, 0.0)))
             for topic, name in zip(topics, names, strict=True) for year in years]
    return specs.heatmap(cells, x_order=years, y_order=names, number_format=specs.SHARE_FORMAT,
                         labels=specs.ChartLabels(
                             description=_("For each year, how much of the archive's writing belongs to each topic, "
                                           "in per cent of that year's documents."),
                             x=_("Year"), legend=_("% of the year's documents")),
                         locale=specs.locale_for(get_language()))
