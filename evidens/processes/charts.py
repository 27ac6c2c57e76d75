"""The process dashboard's charts: Vega-Lite specs from process data, with texts in the reader's language."""

from __future__ import annotations

from datetime import date

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evidens.charts import specs
from evidens.processes.models import BudgetLine, Phase


def budget_chart(lines: list[BudgetLine]) -> specs.Spec | None:
    if not lines:
        return None
    rows = [specs.BudgetRow(line.category, line.budgeted, line.spent) for line in lines]
    return specs.budget_bars(rows, labels=specs.ChartLabels(
        description=_("Budgeted and spent amount for each budget category, in DKK."),
        x=_("DKK"),
        legend=_("Amount"),
        names={"budgeted": _("Budgeted"), "spent": _("Spent")},
    ), locale=specs.locale_for(get_language()))


def timeline_chart(phases: list[Phase], *, today: date) -> specs.Spec | None:
    rows = [
        specs.PhaseRow(phase.name, phase.start_date, phase.end_date, phase.state, phase.get_state_display())
        for phase in phases
        if phase.start_date and phase.end_date
    ]
    if not rows:
        return None
    # A marker for today far outside the phases would squeeze them into a sliver of the axis.
    shown_today = today if min(row.start for row in rows) <= today <= max(row.end for row in rows) else None
    return specs.phase_timeline(rows, labels=specs.ChartLabels(
        description=_("The phases of the process on a time line, coloured by state."),
        legend=_("State"),
        names={"today": _("Today")},
    ), today=shown_today, locale=specs.locale_for(get_language()))
