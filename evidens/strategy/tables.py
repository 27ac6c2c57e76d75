"""The rows the strategy pages show, built from a workbench and the analysis results: names instead of ids,
percentages instead of shares, in the options' and criteria's own order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidens.evidence.models import FindingStatus, Verdict
from evidens.strategy import analysis
from evidens.strategy.forms import OptionForm, PairwiseForm
from evidens.strategy.models import (
    DESCRIPTION_FIELDS,
    Condition,
    Criterion,
    OptionVersion,
    StrategyOption,
    WeightMethod,
)
from evidens.strategy.selectors import MemberWeights, RoundResult, Scenarios, Workbench

DISAGREEMENT = 2  # scores this far apart on one cell are worth talking about before the choice

METHOD_LABELS = {"weighted_sum": gettext_lazy("weighted sum"), "topsis": "TOPSIS", "promethee_ii": "PROMETHEE II"}


# What each method does, in words for the board. The exact conventions, frozen into the decision record, are
# technical notes in English and stay beside these as the record has them.
METHOD_EXPLANATIONS = {
    "weighted_sum": gettext_lazy(
        "Each option's value is the sum of weight × mean score, with the weights divided by their sum. A cost "
        "criterion's score s counts as 6 − s, so a higher value is always better and values stay on the 1–5 scale."),
    "topsis": gettext_lazy(
        "The scores are normalised per criterion and weighted; an option's value is how close it lies to an ideal "
        "option that is best on every criterion, rather than to one that is worst on every criterion, from 0 to 1. "
        "On a cost criterion the lowest score is the ideal."),
    "promethee_ii": gettext_lazy(
        "Every two options are compared criterion by criterion: a difference below half a point counts as no "
        "preference, and from two points as full preference (unless a criterion has its own rule). An option's net "
        "flow is how much it is preferred to the others minus how much they are preferred to it, from −1 to 1."),
}


def group_weights_explanation(group: analysis.GroupWeights[Any]) -> str:
    if group.aggregation == "judgements":
        return _("Every member compared every pair of criteria: the group's judgement of each pair is the geometric "
                 "mean of the members' judgements, and the group's weights are computed from those as for one "
                 "member.")
    if group.mean == "arithmetic":
        return _("The group's weight of a criterion is the arithmetic mean of the members' weights (each member's "
                 "divided by their sum), not the geometric mean, because a member gave a criterion the weight 0.")
    return _("The group's weight of a criterion is the geometric mean of the members' weights (each member's "
             "divided by their sum), divided by the sum again so the weights add up to 100 %.")


def robustness_explanations(result: analysis.Robustness[Any]) -> list[str]:
    return [
        _("Margin: the weighted value of the first option minus that of the second, on the 1–5 scale."),
        _("Break-even: one criterion's weight is moved between 0 and 100 % with the others scaled in proportion; "
          "shown is the weight from which another option comes first."),
        _("Rank acceptability: %(samples)s sets of weights drawn at random, evenly among all possible weights, and "
          "the share of them that puts each option in each place.") % {
            "samples": number_format(result.samples, force_grouping=True)},
        _("Without one option: each option is taken out in turn and every method computed again on the rest."),
        _("Each member's own weights: the board's mean scores ranked by weighted sum with that member's weights."),
    ]


def percent(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)


@dataclass(frozen=True)
class OptionCard:
    option: StrategyOption
    version: OptionVersion | None
    conditions: list[Condition]


def option_cards(options: Sequence[StrategyOption], versions: Mapping[int, OptionVersion],
                 conditions: Mapping[int, list[Condition]]) -> list[OptionCard]:
    return [OptionCard(option, versions.get(option.pk), conditions.get(option.pk, [])) for option in options]


def panel_rows(bench: Workbench) -> list[dict[str, Any]]:
    """Per board member: method, weights per criterion in per cent, consistency, and how far the scoring is."""
    cells = len(bench.options) * len(bench.criteria)
    missing: dict[Any, int] = {}
    for member, _option, _criterion in bench.table.missing:
        missing[member] = missing.get(member, 0) + 1
    return [{
        "panellist": member.panellist, "method": WeightMethod(member.method).label, "complete": member.complete,
        "weights": [percent(member.weights.get(criterion.pk)) if member.weights else None
                    for criterion in bench.criteria],
        "cr": member.ahp.cr if member.ahp else None, "acceptable": member.ahp.acceptable if member.ahp else True,
        "scored": cells - missing.get(member.panellist.pk, 0), "cells": cells,
    } for member in bench.panel]


def group_weight_row(bench: Workbench) -> list[float | None]:
    if bench.group is None:
        return [None] * len(bench.criteria)
    return [percent(bench.group.weights.get(criterion.pk)) for criterion in bench.criteria]


def pair_rows(form: PairwiseForm, result: MemberWeights) -> list[dict[str, Any]]:
    """The AHP form's rows, the judgement to revise marked, with the ratio the member's other answers imply."""
    # Marked only above the consistency limit: below it every set of human judgements has a least fitting one.
    revise = result.ahp.most_inconsistent if result.ahp and not result.ahp.acceptable else None
    weights = result.weights or {}
    rows = []
    for left, right in form.pairs:
        implied = weights[left.pk] / weights[right.pk] if weights.get(left.pk) and weights.get(right.pk) else None
        rows.append({"field": form[form.field_name(left, right)], "left": left, "right": right,
                     "revise": revise is not None and set(revise) == {left.pk, right.pk},
                     "implied": _ratio_text(implied, left, right) if implied else ""})
    return rows


def _ratio_text(ratio: float, left: Criterion, right: Criterion) -> str:
    if ratio >= 1:
        return _("%(name)s about %(times)s times as important") % {"name": left, "times": f"{ratio:.1f}"}
    return _("%(name)s about %(times)s times as important") % {"name": right, "times": f"{1 / ratio:.1f}"}


def score_grid(bench: Workbench) -> list[dict[str, Any]]:
    """Per option and criterion: the panel's mean score, the lowest and highest, and how many scored it."""
    table = bench.table
    rows = []
    for option in bench.options:
        cells = []
        for criterion in bench.criteria:
            cell = (option.pk, criterion.pk)
            low, high = table.low.get(cell), table.high.get(cell)
            cells.append({"mean": table.mean.get(cell), "low": low, "high": high, "count": table.count.get(cell, 0),
                          "disputed": low is not None and high is not None and high - low >= DISAGREEMENT})
        rows.append({"option": option, "cells": cells})
    return rows


def criterion_means(bench: Workbench) -> list[tuple[Criterion, list[float | None]]]:
    """Per criterion, the panel's mean score of each option."""
    return [(criterion, [bench.table.mean.get((option.pk, criterion.pk)) for option in bench.options])
            for criterion in bench.criteria]


def missing_scores(bench: Workbench) -> list[dict[str, Any]]:
    """Per board member, the option–criterion cells they have not scored yet."""
    names = {member.panellist.pk: member.panellist for member in bench.panel}
    options = {option.pk: option for option in bench.options}
    criteria = {criterion.pk: criterion for criterion in bench.criteria}
    grouped: dict[Any, list[str]] = {}
    for member, option, criterion in bench.table.missing:
        grouped.setdefault(member, []).append(f"{options[option]} · {criteria[criterion]}")
    return [{"panellist": names[member], "cells": cells} for member, cells in grouped.items()]


def ranking_table(bench: Workbench, rankings: Sequence[analysis.Ranking]) -> list[dict[str, Any]]:
    """Per option, its value and rank under each method, best first by the first method."""
    if not rankings:
        return []
    options = {option.pk: option for option in bench.options}
    places = {ranking.method: {key: place for place, key in enumerate(ranking.order, start=1)}
              for ranking in rankings}
    return [{"option": options[key],
             "methods": [{"value": ranking.values[key], "rank": places[ranking.method][key]} for ranking in rankings]}
            for key in rankings[0].order]


def robustness_view(bench: Workbench, result: analysis.Robustness) -> dict[str, Any]:
    options = {option.pk: option for option in bench.options}
    criteria = {criterion.pk: criterion for criterion in bench.criteria}
    members = {member.panellist.pk: member.panellist for member in bench.panel}
    break_even = [{
        "criterion": criteria[row.criterion], "weight": percent(row.weight),
        "up": percent(row.up), "up_option": options.get(row.up_option) if row.up_option is not None else None,
        "down": percent(row.down),
        "down_option": options.get(row.down_option) if row.down_option is not None else None,
        "change": percent(row.change),
    } for row in result.break_even]
    removal = [{"removed": options[row.removed],
                "methods": [{"method": METHOD_LABELS[method], "changed": row.changed[method],
                             "order": [options[key] for key in order]}
                            for method, order in row.orders.items()]}
               for row in result.removal]
    return {
        "top": options[result.top], "runner_up": options[result.runner_up], "margin": result.margin,
        "break_even": break_even, "removal": removal,
        "members": [{"panellist": members[member], "order": [options[key] for key in order],
                     "agrees": order[0] == result.top} for member, order in result.members.items()],
        "smaa": [{"option": options[key], "ranks": [percent(share) for share in shares]}
                 for key, shares in result.smaa.items()],
        "central": [{"option": options[key], "weights": [percent(weights.get(criterion.pk)) if weights else None
                                                         for criterion in bench.criteria]}
                    for key, weights in result.central_weights.items()],
    }


def scenario_view(bench: Workbench, state: Scenarios) -> dict[str, Any]:
    result = state.result
    rows = []
    for option in bench.options:
        rows.append({
            "option": option,
            "cells": [{"name": f"scenario_{option.pk}_{scenario.pk}", "scenario": scenario,
                       "value": state.values.get((option.pk, scenario.pk)),
                       "regret": result.regret.get((option.pk, scenario.pk)) if result else None}
                      for scenario in state.scenarios],
            "worst": result.worst.get(option.pk) if result else None,
            "max_regret": result.max_regret.get(option.pk) if result else None,
            # The orders are best first; options equal to the first share its mark.
            "maximin": result is not None and result.worst[option.pk] == result.worst[result.maximin[0]],
            "minimax": result is not None
            and result.max_regret[option.pk] == result.max_regret[result.minimax_regret[0]],
        })
    return {"scenarios": state.scenarios, "rows": rows, "complete": result is not None}


def description_labels() -> dict[str, str]:
    """The labels of an option's description fields, in today's language."""
    return {name: str(OptionForm.base_fields[name].label) for name in DESCRIPTION_FIELDS}


def record_view(record: Mapping[str, Any]) -> dict[str, Any]:
    """A decision record (frozen JSON) with the labels of today's language: field names, verdicts, methods."""
    labels = description_labels()
    verdicts, statuses = dict(Verdict.choices), dict(FindingStatus.choices)
    description = record["option"]["description"]
    return {
        "description": [(labels[name], description.get(name, "")) for name in DESCRIPTION_FIELDS],
        "conditions": [{**condition,
                        "assumptions": [{**item, "verdict": verdicts.get(item["verdict"], item["verdict"])}
                                        for item in condition["assumptions"]],
                        "findings": [{**item, "status": statuses.get(item["status"], item["status"])}
                                     for item in condition["findings"]]}
                       for condition in record["conditions"]],
        "rankings": [(METHOD_LABELS.get(ranking["method"], ranking["method"]), ranking["order"])
                     for ranking in record["rankings"]],
    }


def _mean_agreement(result: RoundResult, conditions: Sequence[Condition]) -> float | None:
    """The share agreeing over all of an option's conditions in one round, everyone counted; None without answers."""
    shares = [group.share for condition in conditions if condition.pk in result.conditions
              for group in result.conditions[condition.pk].groups if group.group == "" and group.share is not None]
    return sum(shares) / len(shares) if shares else None


def validation_view(bench: Workbench, results: Sequence[RoundResult], rankings: Sequence[analysis.Ranking],
                    conditions: Mapping[int, list[Condition]]) -> list[dict[str, Any]]:
    """Per option: the board's weighted value and rank beside what each validation round says about its conditions,
    per group, the share preferring it, and the comments."""
    weighted = rankings[0] if rankings else None
    places = {key: place for place, key in enumerate(weighted.order, start=1)} if weighted else {}
    cards = []
    for option in bench.options:
        own = conditions.get(option.pk, [])
        rounds = []
        for result in results:
            groups = list(dict.fromkeys(group.group for condition in own if condition.pk in result.conditions
                                        for group in result.conditions[condition.pk].groups))
            rows = []
            for condition in own:
                shares = {group.group: group for group in result.conditions[condition.pk].groups} \
                    if condition.pk in result.conditions else {}
                rows.append({"statement": condition.statement, "cells": [
                    {"share": percent(shares[name].share) if name in shares else None,
                     "n": shares[name].n if name in shares else None,
                     "suppressed": name in shares and shares[name].suppressed} for name in groups]})
            everyone = next((group for group in result.preference.groups if group.group == ""), None) \
                if result.preference else None
            rounds.append({"round": result.round, "responses": result.responses, "groups": groups, "rows": rows,
                           "agreement": percent(_mean_agreement(result, own)),
                           "preferred": percent(everyone.shares.get(option.pk)) if everyone and everyone.shares
                           else None,
                           "comments": result.comments.get(option.pk, [])})
        cards.append({"option": option, "value": weighted.values[option.pk] if weighted else None,
                      "rank": places.get(option.pk), "rounds": rounds})
    return cards
