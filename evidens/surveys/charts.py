"""The survey pages' charts: Vega-Lite specs from the monitoring figures, in the reader's language."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evidens.charts import specs
from evidens.surveys.selectors import Monitoring


def responses_per_day(figures: Monitoring) -> specs.Spec | None:
    if not figures.days:
        return None
    return specs.daily_counts(
        [specs.DayCount(day, count) for day, count in figures.days],
        events=[specs.DayEvent(day, label) for day, label in figures.events],
        labels=specs.ChartLabels(description=_("Complete responses per day, with invitations and reminders marked."),
                                 y=_("Responses")),
        locale=specs.locale_for(get_language()))


def segment_rates(figures: Monitoring) -> specs.Spec | None:
    rows = [{"segment": row.segment, "percent": round(row.percent, 1)} for row in figures.segments
            if row.percent is not None]
    if not rows:
        return None
    return specs.bar_chart(rows, "percent", "segment", number_format=",.1f", labels=specs.ChartLabels(
        description=_("Response rate per segment, in per cent."), x=_("Per cent")),
        locale=specs.locale_for(get_language()))
