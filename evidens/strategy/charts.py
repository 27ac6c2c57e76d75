"""The strategy pages' charts: the ranking, the weights of the group and each member, the scores, SMAA."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from evidens.charts import specs
from evidens.strategy import analysis
from evidens.strategy.models import Criterion
from evidens.strategy.selectors import MemberWeights, Workbench

SCORE_FORMAT = ",.2f"
RANK_COLOURS = ("#1b5e20", "#66a36a", "#c9a227", "#b0413e", "#6f4e9c", "#777777")


def ranking_chart(bench: Workbench, ranking: analysis.Ranking) -> specs.Spec:
    options = {option.pk: option.title for option in bench.options}
    rows = [{"option": options[key], "value": round(ranking.values[key], 2)} for key in ranking.order]
    return specs.bar_chart(rows, "value", "option", number_format=SCORE_FORMAT, labels=specs.ChartLabels(
        description=_("Each option's weighted value on the 1–5 scale under the group's weights, best first."),
        x=_("Weighted value (1–5)")), locale=specs.locale_for(get_language()))


def weights_chart(bench: Workbench) -> specs.Spec | None:
    """The group's weights beside each complete member's, criterion by criterion, in per cent."""
    if bench.group is None:
        return None
    group = _("The group")
    rows = [specs.GroupedValue(criterion.name, group, round(100 * bench.group.weights[criterion.pk], 1))
            for criterion in bench.criteria]
    rows += [specs.GroupedValue(criterion.name, member.panellist.name, round(100 * member.weights[criterion.pk], 1))
             for member in bench.panel if member.weights is not None for criterion in bench.criteria]
    return specs.grouped_columns(rows, series=[group], number_format=specs.PERCENT_FORMAT, labels=specs.ChartLabels(
        description=_("The weight of each criterion for the group and for each board member, in per cent."),
        y=_("Weight (%)"), legend=_("Whose weights")), locale=specs.locale_for(get_language()))


def member_weights_chart(criteria: list[Criterion], result: MemberWeights) -> specs.Spec | None:
    if result.weights is None:
        return None
    rows = [{"criterion": criterion.name, "weight": round(100 * result.weights[criterion.pk], 1)}
            for criterion in criteria]
    return specs.bar_chart(rows, "weight", "criterion", number_format=specs.PERCENT_FORMAT, labels=specs.ChartLabels(
        description=_("The weight each criterion gets from these answers, in per cent."), x=_("Weight (%)")),
        locale=specs.locale_for(get_language()))


def scores_heatmap(bench: Workbench) -> specs.Spec | None:
    if not bench.options or not bench.criteria or not bench.means:
        return None
    options = {option.pk: option.title for option in bench.options}
    criteria = {criterion.pk: criterion.name for criterion in bench.criteria}
    cells = [specs.HeatCell(criteria[criterion], options[option], round(value, 1))
             for (option, criterion), value in bench.means.items()]
    return specs.heatmap(cells, x_order=list(criteria.values()), y_order=list(options.values()),
                         number_format=",.1f", labels=specs.ChartLabels(
                             description=_("The board's mean score of each option on each criterion, 1 to 5."),
                             legend=_("Mean score")), locale=specs.locale_for(get_language()))


def smaa_chart(bench: Workbench, result: analysis.Robustness) -> specs.Spec:
    """Per option, the share of random weightings that put it first, second, …: stacked bars."""
    options = {option.pk: option.title for option in bench.options}
    rank_names = [pgettext("rank", "No. %(rank)s") % {"rank": rank} for rank in range(1, len(options) + 1)]
    rows = [{"option": options[key], "share": round(100 * share, 1), "rank": rank_names[rank]}
            for key, shares in result.smaa.items() for rank, share in enumerate(shares)]
    return specs.bar_chart(rows, "share", "option", color="rank", colour_domain=rank_names,
                           colour_range=RANK_COLOURS[:len(rank_names)], value_labels=False,
                           number_format=specs.PERCENT_FORMAT, labels=specs.ChartLabels(
                               description=_("For each option, the share of random weightings that rank it first, "
                                             "second and so on (SMAA rank acceptability), in per cent."),
                               x=_("Share of weightings (%)"), legend=_("Rank")),
                           locale=specs.locale_for(get_language()))


def agreement_chart(cards: list[dict[str, Any]]) -> specs.Spec | None:
    """Per option, the share of stakeholders agreeing with its conditions, one column per validation round."""
    rows = [specs.GroupedValue(card["option"].title, item["round"].title, item["agreement"])
            for card in cards for item in card["rounds"] if item["agreement"] is not None]
    if not rows:
        return None
    return specs.grouped_columns(rows, number_format=specs.PERCENT_FORMAT, labels=specs.ChartLabels(
        description=_("For each option, the share of stakeholders who agree with what would have to be true, "
                      "averaged over its conditions, per validation round."),
        y=_("Agree (%)"), legend=_("Validation round")), locale=specs.locale_for(get_language()))
