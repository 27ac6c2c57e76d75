"""The archive's charts: documents per year by type, topics over time, and what the activity records show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from evidens.archive import engagement
from evidens.archive.choices import ActivityKind
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


def activities_per_year_chart(rows: Sequence[engagement.YearKind]) -> specs.Spec | None:
    """Held activities per year, stacked by kind."""
    if not any(row.held for row in rows):
        return None
    first, last = min(row.year for row in rows), max(row.year for row in rows)
    labels = [str(label) for label in ActivityKind.labels]
    values = [{"year": str(row.year), "kind": str(ActivityKind(row.kind).label), "n": row.held}
              for row in rows if row.held]
    return specs.bar_chart(
        values, "year", "n", x_type="nominal", y_type="quantitative", color="kind", colour_domain=labels,
        colour_range=TYPE_COLOURS[:len(labels)], sort=[str(year) for year in range(first, last + 1)],
        value_labels=False, number_format=specs.COUNT_FORMAT,
        labels=specs.ChartLabels(description=_("Activities held per year, by type."), y=_("Activities"),
                                 legend=_("Type")),
        locale=specs.locale_for(get_language()))


def activity_months_chart(change: engagement.BeforeAfter) -> specs.Spec:
    """Participants and cancelled activities month by month, to see the change around the chosen date."""
    participants, cancelled = _("Participants"), _("Cancelled activities")
    points = [specs.SeriesPoint(month.month, participants, month.participants) for month in change.months]
    points += [specs.SeriesPoint(month.month, cancelled, month.cancelled) for month in change.months]
    return specs.line_chart(points, series=[participants, cancelled], period="month", labels=specs.ChartLabels(
        description=_("Participants in held activities and cancelled activities per month."),
        y=pgettext("chart axis", "Number")),
        locale=specs.locale_for(get_language()))


def shares_chart(rows: Sequence[tuple[str, float]], *, description: str, axis: str) -> specs.Spec | None:
    """Horizontal bars of shares in per cent, in the order given (regions, size bands, kinds of offer)."""
    if not rows:
        return None
    return specs.bar_chart([{"group": group, "share": round(100 * share, 1)} for group, share in rows],
                           "share", "group", number_format=specs.SHARE_FORMAT,
                           labels=specs.ChartLabels(description=description, x=axis),
                           locale=specs.locale_for(get_language()))


def reach_chart(rows: Sequence[engagement.ReachRow], grouping: str) -> specs.Spec | None:
    return shares_chart([(row.group, row.share) for row in rows if row.share is not None],
                        description=_("Share of the member organisations that took part in at least one activity, "
                                      "by %(grouping)s.") % {"grouping": grouping},
                        axis=_("% of the member organisations"))


def kinds_chart(kinds: Sequence[Any]) -> specs.Spec | None:
    """``kinds``: ``selectors.KindUse`` rows."""
    return shares_chart([(kind.label, kind.share) for kind in kinds if kind.share is not None],
                        description=_("Share of the member organisations that took part in each kind of activity."),
                        axis=_("% of the member organisations"))
