"""Reading the strategy work: options with their evidence, the panel's weights and scores, rankings and robustness.

``workbench`` reads a process's options, criteria, panel, weightings and scores in a handful of queries; the
pages compute everything else from it with the pure functions in ``analysis``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from evidens.core.hashing import canonical_hash
from evidens.evidence.models import Assumption, EvidenceItem, Finding
from evidens.processes.models import StrategyProcess
from evidens.strategy import analysis, validation
from evidens.strategy.models import (
    DESCRIPTION_FIELDS,
    Condition,
    Criterion,
    Decision,
    OptionVersion,
    Panellist,
    Scenario,
    ScenarioScore,
    Score,
    StrategyOption,
    ValidationKind,
    ValidationRound,
    WeightMethod,
)
from evidens.surveys.models import Response, ResponseStatus


def options(process: StrategyProcess) -> QuerySet[StrategyOption]:
    return StrategyOption.objects.filter(process=process)


def latest_versions(process: StrategyProcess) -> dict[int, OptionVersion]:
    latest: dict[int, OptionVersion] = {}
    for version in OptionVersion.objects.filter(option__process=process).order_by("option_id", "-number"):
        latest.setdefault(version.option_id, version)
    return latest


def conditions(process: StrategyProcess) -> dict[int, list[Condition]]:
    """Each option's conditions with the assumptions (and their verdicts) and findings they rest on."""
    rows = (Condition.objects.filter(option__process=process)
            .prefetch_related(Prefetch("assumptions", queryset=Assumption.objects.order_by("position", "id")),
                              Prefetch("findings", queryset=Finding.objects.order_by("id").prefetch_related(
                                  Prefetch("evidence", queryset=EvidenceItem.objects.order_by("id"))))))
    by_option: dict[int, list[Condition]] = defaultdict(list)
    for condition in rows:
        by_option[condition.option_id].append(condition)
    return by_option


def workshop_agreement(workshop: ValidationRound) -> dict[tuple[int, str], int]:
    """(condition id, group) → how many of the group agreed, as the workshop recorded it."""
    return {(condition_id, group): agree for condition_id, group, agree in
            workshop.results.values_list("condition_id", "group", "agree")}


def scores_of(panellist: Panellist) -> dict[tuple[int, int], Score]:
    """(option id, criterion id) → the member's score, with its links."""
    return {(score.option_id, score.criterion_id): score
            for score in panellist.scores.prefetch_related("findings", "evidence")}


def member_scores(process: StrategyProcess) -> dict[int, dict[tuple[int, int], int]]:
    """Board member id → (option id, criterion id) → the score they gave."""
    scores: dict[int, dict[tuple[int, int], int]] = defaultdict(dict)
    for member, option, criterion, value in Score.objects.filter(panellist__process=process).values_list(
            "panellist_id", "option_id", "criterion_id", "value"):
        scores[member][(option, criterion)] = value
    return scores


def score_reasons(process: StrategyProcess, option: StrategyOption) -> dict[int, list[Score]]:
    """Criterion id → every member's score of the option with its reason, for reading the panel's arguments."""
    reasons: dict[int, list[Score]] = defaultdict(list)
    for score in (Score.objects.filter(option=option, panellist__process=process)
                  .select_related("panellist").prefetch_related("findings").order_by("panellist__position")):
        reasons[score.criterion_id].append(score)
    return reasons


@dataclass(frozen=True)
class MemberWeights:
    """What one member's weighting gives: weights when complete, otherwise what is missing."""

    panellist: Panellist
    method: str
    weights: dict[int, float] | None
    ahp: analysis.AhpWeights | None = None
    missing_pairs: list[tuple[int, int]] = field(default_factory=list)
    problem: str = ""

    @property
    def complete(self) -> bool:
        return self.weights is not None


def member_weights(panellist: Panellist, criteria: list[Criterion]) -> MemberWeights:
    weighting = getattr(panellist, "weighting", None)
    keys = [criterion.pk for criterion in criteria]
    if weighting is None or not keys:
        return MemberWeights(panellist, WeightMethod.DIRECT, None)
    if weighting.method == WeightMethod.AHP:
        judgements = {_pair(key): value for key, value in weighting.judgements.items()}
        try:
            result = analysis.ahp_weights(keys, {pair: value for pair, value in judgements.items()
                                                 if pair[0] in keys and pair[1] in keys})
        except analysis.IncompleteJudgements as error:
            return MemberWeights(panellist, weighting.method, None, missing_pairs=list(error.missing))
        return MemberWeights(panellist, weighting.method, result.weights, ahp=result)
    points = {int(key): value for key, value in weighting.points.items()}
    if any(key not in points for key in keys):
        return MemberWeights(panellist, weighting.method, None)
    try:
        weights = analysis.points_weights({key: points[key] for key in keys},
                                          swing=weighting.method == WeightMethod.SWING)
    except ValueError as error:
        return MemberWeights(panellist, weighting.method, None, problem=str(error))
    return MemberWeights(panellist, weighting.method, weights)


def _pair(key: str) -> tuple[int, int]:
    first, second = key.split(":")
    return int(first), int(second)


@dataclass(frozen=True)
class Workbench:
    """Everything the ranking and robustness pages compute from, read once."""

    options: list[StrategyOption]
    criteria: list[Criterion]
    panel: list[MemberWeights]
    table: analysis.ScoreTable
    group: analysis.GroupWeights | None

    @property
    def option_keys(self) -> list[int]:
        return [option.pk for option in self.options]

    @property
    def criterion_keys(self) -> list[int]:
        return [criterion.pk for criterion in self.criteria]

    @property
    def benefit(self) -> dict[int, bool]:
        return {criterion.pk: criterion.benefit for criterion in self.criteria}

    @property
    def preference(self) -> dict[int, dict[str, Any]]:
        """The criteria with their own PROMETHEE preference function; the others get the default."""
        return {criterion.pk: criterion.preference for criterion in self.criteria if criterion.preference}

    @property
    def ready(self) -> bool:
        """Rankings need two options, group weights and at least one score in every cell."""
        return len(self.options) >= 2 and self.group is not None and self.table.complete

    @property
    def means(self) -> dict[tuple[int, int], float]:
        return {cell: value for cell, value in self.table.mean.items() if value is not None}

    def member_weight_map(self) -> dict[int, dict[int, float]]:
        return {member.panellist.pk: member.weights for member in self.panel if member.weights is not None}


def workbench(process: StrategyProcess) -> Workbench:
    option_list = list(options(process))
    criteria = list(Criterion.objects.filter(process=process))
    panellists = list(Panellist.objects.filter(process=process).select_related("weighting", "user"))
    panel = [member_weights(panellist, criteria) for panellist in panellists]
    entries = [analysis.ScoreEntry(member, option, criterion, value) for member, option, criterion, value in
               Score.objects.filter(panellist__process=process).values_list(
                   "panellist_id", "option_id", "criterion_id", "value")]
    table = analysis.score_table([option.pk for option in option_list], [criterion.pk for criterion in criteria],
                                 [panellist.pk for panellist in panellists], entries)
    complete = [analysis.MemberWeights(member.panellist.pk, member.method, member.weights,
                                       _judgements(member.panellist) if member.ahp is not None else None)
                for member in panel if member.weights is not None]
    group = analysis.group_weights([criterion.pk for criterion in criteria], complete) if complete else None
    return Workbench(option_list, criteria, panel, table, group)


def _judgements(panellist: Panellist) -> dict[tuple[int, int], float]:
    return {_pair(key): value for key, value in panellist.weighting.judgements.items()}


def rankings(bench: Workbench) -> list[analysis.Ranking]:
    if not bench.ready or bench.group is None:
        return []
    return analysis.rankings(bench.option_keys, bench.criterion_keys, bench.means, bench.group.weights,
                             benefit=bench.benefit, preference=bench.preference)


def robustness(bench: Workbench, *, samples: int = 10000, seed: int = 0) -> analysis.Robustness | None:
    if not bench.ready or bench.group is None:
        return None
    return analysis.robustness(bench.option_keys, bench.criterion_keys, bench.means, bench.group.weights,
                               benefit=bench.benefit, member_weights=bench.member_weight_map(),
                               preference=bench.preference, samples=samples, seed=seed)


@dataclass(frozen=True)
class Scenarios:
    scenarios: list[Scenario]
    values: dict[tuple[int, int], int]
    result: analysis.ScenarioResult | None


def scenarios(process: StrategyProcess, option_keys: list[int]) -> Scenarios:
    scenario_list = list(Scenario.objects.filter(process=process))
    values = {(option, scenario): value for option, scenario, value in ScenarioScore.objects.filter(
        scenario__process=process).values_list("option_id", "scenario_id", "value")}
    complete = bool(scenario_list) and all((option, scenario.pk) in values
                                           for option in option_keys for scenario in scenario_list)
    result = analysis.scenario_analysis(option_keys, [scenario.pk for scenario in scenario_list],
                                        {cell: float(value) for cell, value in values.items()}) if complete else None
    return Scenarios(scenario_list, values, result)


def panellist_for(process: StrategyProcess, user: Any) -> Panellist | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Panellist.objects.filter(process=process, user=user).first()


# --- the decision ----------------------------------------------------------------------------------------------------


def decisions(process: StrategyProcess) -> QuerySet[Decision]:
    return Decision.objects.filter(process=process).select_related("option", "replaces", "signed_off_by")


def decision_record(decision: Decision, *, samples: int = 10000) -> dict[str, Any]:
    """What the board decided on, as it stands now, in plain JSON: the decision itself, the chosen option's
    description and conditions with the evidence behind them, the weights, the rankings and the robustness
    summary. Signing off freezes this."""
    process = decision.process
    bench = workbench(process)
    titles = {option.pk: option.title for option in bench.options}
    names = {criterion.pk: criterion.name for criterion in bench.criteria}
    version = decision.option.versions.order_by("-number").first()
    ranked = rankings(bench)
    result = robustness(bench, samples=samples)
    return {
        "decision": {
            "option": decision.option.title, "meeting": decision.meeting, "date": decision.decided_on.isoformat(),
            "votes": {"for": decision.votes_for, "against": decision.votes_against,
                      "abstain": decision.votes_abstain},
            "rationale": decision.rationale,
            "dissent": [{"name": dissent.name, "vote": dissent.vote, "reason": dissent.reason}
                        for dissent in decision.dissents.all()],
            "goals": [{"goal": goal.goal, "measure": goal.measure, "target": goal.target,
                       "deadline": goal.deadline.isoformat()} for goal in decision.goals.all()],
            "replaces": decision.replaces.content_hash if decision.replaces else None,
        },
        "option": {"title": decision.option.title, "version": version.number if version else None,
                   "description": {name: getattr(version, name) for name in DESCRIPTION_FIELDS} if version else {}},
        "conditions": [_condition_trail(condition) for condition in conditions(process).get(decision.option.pk, [])],
        "weights": {
            "aggregation": bench.group.aggregation if bench.group else None,
            "conventions": bench.group.conventions if bench.group else {},
            "group": {names[key]: value for key, value in bench.group.weights.items()} if bench.group else {},
            "members": {member.panellist.name: {"method": member.method, "weights": {
                names[key]: value for key, value in member.weights.items()}}
                for member in bench.panel if member.weights is not None},
        },
        "missing_scores": len(bench.table.missing),
        "rankings": [{"method": ranking.method, "order": [titles[key] for key in ranking.order],
                      "values": {titles[key]: value for key, value in ranking.values.items()},
                      "conventions": ranking.conventions} for ranking in ranked],
        "robustness": _robustness_summary(result, titles, names, bench) if result else None,
    }


def _condition_trail(condition: Condition) -> dict[str, Any]:
    return {
        "statement": condition.statement,
        "assumptions": [{"statement": assumption.statement, "verdict": assumption.verdict}
                        for assumption in condition.assumptions.all()],
        "findings": [{"statement": finding.statement, "status": finding.status, "evidence": [
            {"title": item.title, "channel": item.channel, "version": item.version, "content_hash": item.content_hash,
             "link": item.link} for item in finding.evidence.all()]}
            for finding in condition.findings.all()],
    }


def _robustness_summary(result: analysis.Robustness, titles: dict[int, str], names: dict[int, str],
                        bench: Workbench) -> dict[str, Any]:
    changes = [(row.change, names[row.criterion]) for row in result.break_even if row.change is not None]
    members = {member.panellist.pk: member.panellist.name for member in bench.panel}
    return {
        "top": titles[result.top], "runner_up": titles[result.runner_up], "margin": result.margin,
        "smallest_break_even": {"criterion": min(changes)[1], "change": min(changes)[0]} if changes else None,
        "first_rank_acceptability": {titles[key]: shares[0] for key, shares in result.smaa.items()},
        "members_ranking_another_first": [members[member] for member, order in result.members.items()
                                          if order[0] != result.top],
        "order_changes_without_an_option": [titles[row.removed] for row in result.removal
                                            if any(row.changed.values())],
        "samples": result.samples, "seed": result.seed, "conventions": result.conventions,
    }


def decision_intact(decision: Decision) -> bool:
    """Whether a signed-off decision's record still has the hash it was signed with."""
    return decision.record is not None and canonical_hash(decision.record) == decision.content_hash


# --- validation with stakeholders ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoundResult:
    """One validation round counted: per condition the groups' agreement, the preferred option, the comments."""

    round: ValidationRound
    responses: int
    conditions: dict[int, validation.ConditionTally]
    preference: validation.PreferenceTally | None
    comments: dict[int, list[tuple[str, str]]]


def validation_options(process: StrategyProcess) -> list[validation.OptionForValidation]:
    versions = latest_versions(process)
    by_option = conditions(process)
    return [validation.OptionForValidation(
        option.pk, option.title, versions[option.pk].summary if option.pk in versions else "", option.is_status_quo,
        tuple(validation.ConditionForValidation(condition.pk, condition.statement)
              for condition in by_option.get(option.pk, [])))
        for option in options(process)]


def validation_results(process: StrategyProcess) -> list[RoundResult]:
    """Every round, newest first. Survey answers are counted with the process's anonymity threshold; a workshop's
    results are shown as recorded (its participants spoke in the room)."""
    option_list = validation_options(process)
    results = []
    for validation_round in ValidationRound.objects.filter(process=process).select_related("survey"):
        if validation_round.kind == ValidationKind.SURVEY:
            answers = Response.objects.filter(survey=validation_round.survey, status=ResponseStatus.COMPLETE
                                              ).values_list("segment", "answers")
            tally = validation.tally(option_list, list(answers), segments=validation_round.segments,
                                     threshold=process.anonymity_threshold)
            results.append(RoundResult(validation_round, tally.responses, tally.conditions, tally.preference,
                                       tally.comments))
            continue
        entries = validation_round.results.values_list("condition_id", "group", "agree", "asked")
        comments: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for option_id, group, text in validation_round.comments.values_list("option_id", "group", "text"):
            comments[option_id].append((group, text))
        results.append(RoundResult(validation_round, sum(validation_round.participants.values()),
                                   validation.workshop_tally(list(entries)), None, dict(comments)))
    return results
