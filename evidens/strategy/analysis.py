"""The board's choice between strategy options, from its inputs to rankings and robustness: pure, no ORM.

    points_weights(points, *, swing=False)                                -> dict criterion → weight
    ahp_weights(criteria, judgements, *, random_index="saaty1980")        -> AhpWeights
    group_weights(criteria, members)                                      -> GroupWeights
    score_table(options, criteria, members, entries)                      -> ScoreTable
    rankings(options, criteria, table, weights, *, benefit, preference)   -> list[Ranking], one per METHODS
    robustness(options, criteria, table, weights, *, benefit, member_weights, preference, samples, seed)
                                                                          -> Robustness
    scenario_analysis(options, scenarios, values)                         -> ScenarioResult

The numbers come from ``mcda.py``; this module turns the board's keyed inputs into its positional tables and the
results back into keys. Keys (options, criteria, members, scenarios) are any hashable values, as the caller has them
(database ids), all of one type. Every dict and list of a result follows the caller's order of options and criteria,
and orders put the best first with equal values in the caller's order; values within ``TIE_TOLERANCE`` of each other
count as equal, since the same value summed from other scores can differ in the last bit. Inputs are looked up by the
keys the caller lists: entries about other keys (a withdrawn criterion, a former member) are left out, never an error.

**Weights.** Direct points and swing points are divided by their sum. AHP judgements give the principal eigenvector
of the comparison matrix (``mcda.ahp_priorities``).

**Group weights.** When every member weighted by AHP and judged every pair, the group's judgement of each pair is the
geometric mean of the members' judgements (AIJ, Aczél & Saaty 1983), and the group weights are the priorities of that
matrix: the board is treated as one decision maker. Otherwise each member's weights are divided by their sum and
averaged per criterion (AIP), by the geometric mean renormalised to sum 1. If any member gave a criterion weight 0
(legal in direct and swing points), the geometric mean would be 0 for that criterion whatever the others gave, so one
member could strike a criterion out; the arithmetic mean is used for every criterion instead. Forman & Peniwati
(EJOR 108, 1998) accept either mean for AIP; only AIJ needs the geometric mean to keep judgements reciprocal.

**Scores** are on ``SCALE_MIN``..``SCALE_MAX`` (5 = the scale's top end); a cell's value is the arithmetic mean of
the members' scores. Weighted sum needs "higher is better", so a cost criterion's score s counts as
SCALE_MIN + SCALE_MAX − s, which stays on the scale; the robustness analysis (margin, break-even weights, SMAA, the
members' orders) is done on those values. TOPSIS and PROMETHEE II get the raw scores with the benefit flags. When
every option has the same score on every criterion with weight above 0, TOPSIS's closeness is 0/0; each option then
gets 0.5, so the three methods agree that the options tie.

**Robustness.** SMAA draws weights uniformly from the whole simplex (no weight information), so it answers "which
options could come first under any weights". Removal takes each option out in turn and recomputes every method on
the rest: weighted sum never changes the order of the rest, TOPSIS and PROMETHEE II can (rank reversal).

**Scenarios** (``scenario_analysis``): values on any scale, higher better, per option and scenario. Maximin orders by
the worst value; regret is the best value in the scenario minus the option's, and minimax regret orders by the
largest regret, smallest first.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from evidens.strategy import mcda

K = TypeVar("K", bound=Hashable)

SCALE_MIN, SCALE_MAX = 1, 5  # every criterion is scored on 1..5, 5 being the scale's top end
METHODS = ("weighted_sum", "topsis", "promethee_ii")
# A cell is the mean of a few members' whole-number scores: half a point apart is within their disagreement, so no
# preference (q); two points apart is two steps of the scale (say "little" against "much"), a clear preference (p);
# in between the preference grows linearly.
DEFAULT_PREFERENCE: dict[str, Any] = {"type": "linear", "q": 0.5, "p": 2.0}
WEIGHT_METHODS = ("direct", "swing", "ahp")
SWING_TOP = 100  # the points of the swing that matters most
TIE_TOLERANCE = 1e-9  # values this close (relative, or absolute near 0) tie in an order

# Saaty's scale runs 1/9..9; entries rounded for storage (0.111 for 1/9) pass, as in mcda's reciprocity check.
_JUDGEMENT_LOW = (1 - mcda.RECIPROCAL_TOLERANCE) / 9
_JUDGEMENT_HIGH = 9 * (1 + mcda.RECIPROCAL_TOLERANCE)
# TOPSIS's closeness where every option sits at both the ideal and the anti-ideal point.
_TOPSIS_TIE = 0.5


class IncompleteJudgements(ValueError):
    """Some pairs of criteria have no judgement; ``missing`` lists them (a, b) in the order of the criteria."""

    def __init__(self, missing: list[tuple[Any, Any]]) -> None:
        self.missing = missing
        count = len(missing)
        super().__init__(ngettext("%(count)s pair of criteria has not been compared.",
                                  "%(count)s pairs of criteria have not been compared.", count) % {"count": count})


class IncompleteWeights(ValueError):
    """Some members have not weighted every criterion; ``members`` lists them in the caller's order."""

    def __init__(self, members: list[Any]) -> None:
        self.members = members
        count = len(members)
        super().__init__(ngettext("%(count)s member has not weighted every criterion.",
                                  "%(count)s members have not weighted every criterion.", count) % {"count": count})


@dataclass(frozen=True)
class AhpWeights(Generic[K]):
    """Weights from one set of pairwise judgements, with its consistency.

    ``most_inconsistent`` is the pair (a, b), a before b in the criteria's order, whose judgement to revise first,
    or None (see ``mcda.AhpResult``). ``acceptable`` is CR ≤ ``mcda.CONSISTENCY_RATIO_LIMIT``.
    """

    weights: dict[K, float]
    lambda_max: float
    ci: float
    cr: float
    random_index: float
    most_inconsistent: tuple[K, K] | None
    acceptable: bool
    conventions: dict[str, str]


@dataclass(frozen=True)
class MemberWeights(Generic[K]):
    """One member's weights by ``method`` (direct, swing or ahp); ``judgements`` as for ``ahp_weights``."""

    member: K
    method: str
    weights: dict[K, float]
    judgements: dict[tuple[K, K], float] | None = None

    def __post_init__(self) -> None:
        if self.method not in WEIGHT_METHODS:
            raise ValueError(f"weight method must be one of {', '.join(WEIGHT_METHODS)}, not {self.method!r}")


@dataclass(frozen=True)
class GroupWeights(Generic[K]):
    """The board's weights (sum 1) from its members' (see the module's docstring).

    ``aggregation`` is "judgements" (AIJ) or "priorities" (AIP); ``mean`` is "geometric" or "arithmetic" (AIP with a
    weight of 0). ``aggregated`` holds the consistency of the group's comparison matrix under AIJ, else None.
    """

    weights: dict[K, float]
    aggregation: str
    members: list[K]
    conventions: dict[str, str]
    mean: str = "geometric"
    aggregated: AhpWeights[K] | None = None


@dataclass(frozen=True)
class ScoreEntry(Generic[K]):
    member: K
    option: K
    criterion: K
    value: float


@dataclass(frozen=True)
class ScoreTable(Generic[K]):
    """Per (option, criterion): the mean, number, lowest and highest of the members' scores (None when none).

    ``missing`` lists (member, option, criterion) of the given members with no score, in the callers' orders;
    ``complete`` is true when every cell has at least one score.
    """

    options: list[K]
    criteria: list[K]
    mean: dict[tuple[K, K], float | None]
    count: dict[tuple[K, K], int]
    low: dict[tuple[K, K], float | None]
    high: dict[tuple[K, K], float | None]
    missing: list[tuple[K, K, K]]
    complete: bool


@dataclass(frozen=True)
class Ranking(Generic[K]):
    """One method's value per option and the options best first (equal values in the caller's order)."""

    method: str
    values: dict[K, float]
    order: list[K]
    conventions: dict[str, str]


@dataclass(frozen=True)
class BreakEven(Generic[K]):
    """``mcda.WeightBreakEven`` with keys: weights are the group weights divided by their sum.

    Measured from the top option as mcda.py finds it (the first of the options equal to the best within
    ``mcda.LEAD_TOLERANCE``); in the rare tie that ``TIE_TOLERANCE`` reads differently, that may be another of the
    tied options than ``Robustness.top``.
    """

    criterion: K
    weight: float
    up: float | None
    up_option: K | None
    down: float | None
    down_option: K | None

    @property
    def change(self) -> float | None:
        """The smallest move of the weight, up or down, that changes the top option; None if none does."""
        changes = [change for change in (None if self.up is None else self.up - self.weight,
                                         None if self.down is None else self.weight - self.down)
                   if change is not None]
        return min(changes, default=None)


@dataclass(frozen=True)
class Removal(Generic[K]):
    """``removed`` taken out: per method, the order of the rest recomputed without it, and whether that differs from
    the full ranking with ``removed`` struck out."""

    removed: K
    orders: dict[str, list[K]]
    changed: dict[str, bool]


@dataclass(frozen=True)
class Robustness(Generic[K]):
    """How firmly the weighted-sum top option holds (see the module's docstring).

    ``margin`` is the top's weighted-sum value minus the runner-up's, on the score scale. ``smaa[option]`` is the
    share of weight draws giving it rank 1, 2, …; ``central_weights[option]`` the mean weights of the draws making it
    first (None if none do). ``members[member]`` is the weighted-sum order under that member's own weights.
    """

    top: K
    runner_up: K
    margin: float
    break_even: list[BreakEven[K]]
    smaa: dict[K, list[float]]
    central_weights: dict[K, dict[K, float] | None]
    removal: list[Removal[K]]
    members: dict[K, list[K]]
    samples: int
    seed: int
    conventions: dict[str, str]


@dataclass(frozen=True)
class ScenarioResult(Generic[K]):
    worst: dict[K, float]
    maximin: list[K]
    regret: dict[tuple[K, K], float]
    max_regret: dict[K, float]
    minimax_regret: list[K]


# --- Weights ---------------------------------------------------------------------------------------------------------


def points_weights(points: Mapping[K, float], *, swing: bool = False) -> dict[K, float]:
    """Points per criterion divided by their sum; with ``swing`` the points must be 0..100 with the largest 100."""
    if not points:
        raise ValueError(_("There are no criteria to weight."))
    for value in points.values():
        if not _is_number(value):
            raise ValueError(_("Points must be numbers of at least 0, not %(value)s.") % {"value": value})
        if swing and not 0 <= value <= SWING_TOP:
            raise ValueError(_("In the swing method each criterion gets from 0 to 100 points, not %(value)s.")
                             % {"value": mcda._number(value)})
        if value < 0:
            raise ValueError(_("Points must be numbers of at least 0, not %(value)s.")
                             % {"value": mcda._number(value)})
    largest = max(points.values())
    if swing and largest != SWING_TOP:
        raise ValueError(_("In the swing method the most important swing gets 100 points; the largest here is "
                           "%(value)s.") % {"value": mcda._number(largest)})
    total = math.fsum(points.values())
    if total == 0:
        raise ValueError(_("Give at least one criterion more than 0 points."))
    return {criterion: float(value) / total for criterion, value in points.items()}


def ahp_weights(criteria: Sequence[K], judgements: Mapping[tuple[K, K], float], *,
                random_index: str | mcda.Numbers = "saaty1980") -> AhpWeights[K]:
    """Weights and consistency from judgements[(a, b)] = how many times more a matters than b (1/9..9).

    Each pair is judged once, in either direction; given both ways, the two must be reciprocal. Missing pairs raise
    ``IncompleteJudgements``.
    """
    keys = _criteria(criteria)
    return _ahp_weights(keys, mcda.ahp_priorities(_comparison_matrix(keys, judgements), random_index=random_index))


def group_weights(criteria: Sequence[K], members: Sequence[MemberWeights[K]]) -> GroupWeights[K]:
    """The board's weights from its members' (AIJ or AIP, see the module's docstring)."""
    keys = _criteria(criteria)
    if not members:
        raise ValueError(_("No member has weighted the criteria yet."))
    member_keys = _distinct([member.member for member in members], "member")
    matrices = _complete_judgements(keys, members)
    if matrices is not None:
        aggregated = _ahp_weights(keys, mcda.ahp_priorities(mcda.aggregate_judgments(matrices)))
        return GroupWeights(
            weights=aggregated.weights, aggregation="judgements", members=member_keys, aggregated=aggregated,
            conventions={"aggregation": "every member judged every pair by AHP: " + mcda.CONVENTIONS[
                "aggregate_judgments"] + ", then " + mcda.CONVENTIONS["ahp_priorities"]})
    shares = np.array(list(_member_shares(keys, {member.member: member.weights for member in members}).values()))
    if (shares == 0).any():
        return GroupWeights(
            weights=dict(zip(keys, (float(value) for value in shares.mean(axis=0)), strict=True)),
            aggregation="priorities", members=member_keys, mean="arithmetic",
            conventions={"aggregation": "arithmetic mean per criterion of the members' weights, each divided by "
                                        "their sum (AIP); arithmetic, not geometric, because a member gave a "
                                        "criterion weight 0"})
    geometric = np.exp(np.log(shares).mean(axis=0))
    return GroupWeights(
        weights=dict(zip(keys, (float(value) for value in geometric / geometric.sum()), strict=True)),
        aggregation="priorities", members=member_keys,
        conventions={"aggregation": "geometric mean per criterion of the members' weights, each divided by their "
                                    "sum, renormalised to sum 1 (AIP)"})


def _comparison_matrix(criteria: list[K], judgements: Mapping[tuple[K, K], float]) -> np.ndarray:
    """The reciprocal matrix of the judgements about ``criteria`` (others left out); raises on gaps and conflicts."""
    position = {criterion: index for index, criterion in enumerate(criteria)}
    size = len(criteria)
    matrix = np.ones((size, size))
    given = np.zeros((size, size), dtype=bool)
    for (first, second), value in judgements.items():
        if first not in position or second not in position:
            continue
        judgement = _judgement(value)
        if first == second:
            if not math.isclose(judgement, 1, abs_tol=mcda.RECIPROCAL_TOLERANCE):
                raise ValueError(_("A criterion compared with itself must be 1, not %(value)s.")
                                 % {"value": mcda._number(judgement)})
            continue
        row, column = position[first], position[second]
        if given[column, row]:
            if abs(matrix[column, row] * judgement - 1) > mcda.RECIPROCAL_TOLERANCE:
                raise ValueError(_("A pair of criteria is judged both ways, %(value)s one way and %(other)s the "
                                   "other; one must be the reciprocal of the other.")
                                 % {"value": mcda._number(judgement), "other": mcda._number(matrix[column, row])})
        else:
            matrix[column, row] = 1 / judgement
        matrix[row, column] = judgement
        given[row, column] = True
    missing = [(criteria[row], criteria[column]) for row in range(size) for column in range(row + 1, size)
               if not (given[row, column] or given[column, row])]
    if missing:
        raise IncompleteJudgements(missing)
    return matrix


def _judgement(value: Any) -> float:
    if not _is_number(value) or not _JUDGEMENT_LOW <= value <= _JUDGEMENT_HIGH:
        raise ValueError(_("A judgement must be a number from 1/9 to 9, not %(value)s.") % {"value": value})
    return float(value)


def _ahp_weights(criteria: list[K], result: mcda.AhpResult) -> AhpWeights[K]:
    pair = result.most_inconsistent
    return AhpWeights(
        weights=dict(zip(criteria, result.weights, strict=True)),
        lambda_max=result.lambda_max, ci=result.ci, cr=result.cr, random_index=result.random_index,
        most_inconsistent=None if pair is None else (criteria[pair[0]], criteria[pair[1]]),
        acceptable=result.cr <= mcda.CONSISTENCY_RATIO_LIMIT,
        conventions=result.conventions | {"acceptable": f"CR <= {mcda.CONSISTENCY_RATIO_LIMIT}"},
    )


def _complete_judgements(criteria: list[K], members: Sequence[MemberWeights[K]]) -> list[np.ndarray] | None:
    """Every member's comparison matrix, or None unless every member used AHP and judged every pair."""
    if any(member.method != "ahp" or member.judgements is None for member in members):
        return None
    try:
        return [_comparison_matrix(criteria, member.judgements or {}) for member in members]
    except IncompleteJudgements:
        return None


def _member_shares(criteria: list[K], weights: Mapping[K, Mapping[K, float]]) -> dict[K, np.ndarray]:
    """Each member's weights of ``criteria`` divided by their sum; ``IncompleteWeights`` names members with gaps."""
    incomplete = [member for member, given in weights.items() if any(key not in given for key in criteria)]
    if incomplete:
        raise IncompleteWeights(incomplete)
    return {member: mcda._normalised_weights([given[key] for key in criteria], len(criteria))
            for member, given in weights.items()}


# --- Scores ----------------------------------------------------------------------------------------------------------


def score_table(options: Sequence[K], criteria: Sequence[K], members: Sequence[K],
                entries: Iterable[ScoreEntry[K]]) -> ScoreTable[K]:
    """The members' scores per (option, criterion): arithmetic mean, count, lowest, highest, and who is missing."""
    option_keys = _distinct(options, "option")
    criterion_keys = _distinct(criteria, "criterion")
    member_keys = _distinct(members, "member")
    cells: dict[tuple[K, K], list[float]] = {(option, criterion): [] for option in option_keys
                                             for criterion in criterion_keys}
    scored: set[tuple[K, K, K]] = set()
    listed_members = set(member_keys)
    for entry in entries:
        cell = (entry.option, entry.criterion)
        if entry.member not in listed_members or cell not in cells:
            continue
        key = (entry.member, entry.option, entry.criterion)
        if key in scored:
            raise ValueError(f"member {entry.member!r} scored option {entry.option!r} on criterion "
                             f"{entry.criterion!r} twice")
        scored.add(key)
        cells[cell].append(_score(entry.value))
    return ScoreTable(
        options=option_keys, criteria=criterion_keys,
        mean={cell: math.fsum(values) / len(values) if values else None for cell, values in cells.items()},
        count={cell: len(values) for cell, values in cells.items()},
        low={cell: min(values) if values else None for cell, values in cells.items()},
        high={cell: max(values) if values else None for cell, values in cells.items()},
        missing=[(member, option, criterion) for member in member_keys for option in option_keys
                 for criterion in criterion_keys if (member, option, criterion) not in scored],
        complete=all(cells.values()),
    )


def _score(value: Any) -> float:
    if not _is_number(value) or not SCALE_MIN <= value <= SCALE_MAX:
        raise ValueError(_("A score must be a number from %(low)s to %(high)s, not %(value)s.")
                         % {"low": SCALE_MIN, "high": SCALE_MAX, "value": value})
    return float(value)


# --- Rankings --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Problem(Generic[K]):
    """The keyed inputs as positional arrays: rows are options, columns criteria, both in the caller's order."""

    options: list[K]
    criteria: list[K]
    scores: np.ndarray  # raw, for TOPSIS and PROMETHEE II
    higher_better: np.ndarray  # cost criteria reversed on the scale, for weighted sum and robustness
    shares: np.ndarray  # the weights divided by their sum
    benefit: np.ndarray
    functions: list[Mapping[str, Any]]

    def values(self, method: str, rows: Sequence[int]) -> list[float]:
        """``method``'s value for each option in ``rows`` (at least two), compared among those options only."""
        if method == "weighted_sum":
            return mcda.weighted_sum(self.higher_better[rows], self.shares)
        if method == "topsis":
            if self._all_equal(rows):
                return [_TOPSIS_TIE] * len(rows)
            return mcda.topsis(self.scores[rows], self.shares, benefit=self.benefit)
        return mcda.promethee_ii(self.scores[rows], self.shares, benefit=self.benefit, functions=self.functions)

    def order(self, method: str, rows: Sequence[int]) -> list[K]:
        if len(rows) < 2:
            return [self.options[row] for row in rows]
        return _best_first([self.options[row] for row in rows], self.values(method, rows))

    def _all_equal(self, rows: Sequence[int]) -> bool:
        weighted = self.scores[rows][:, self.shares > 0]
        return bool((weighted == weighted[0]).all())

    def conventions(self, method: str) -> dict[str, str]:
        conventions = {"method": mcda.CONVENTIONS[method]}
        if method == "weighted_sum":
            conventions["cost criteria"] = (f"a cost criterion's score s counts as {SCALE_MIN} + {SCALE_MAX} - s, so "
                                            f"higher is better and values stay on {SCALE_MIN}..{SCALE_MAX}")
        elif method == "topsis":
            conventions["cost criteria"] = "raw scores; a cost criterion's ideal is its lowest score"
            conventions["ties"] = (f"every option equal on every criterion with weight above 0: closeness "
                                   f"{_TOPSIS_TIE} for each")
        else:
            conventions["cost criteria"] = "raw scores; d negated for cost criteria"
            conventions["preference functions"] = "; ".join(
                f"{criterion}: " + " ".join([str(function.get("type"))] + [f"{name}={value}" for name, value in
                                                                       function.items() if name != "type"])
                for criterion, function in zip(self.criteria, self.functions, strict=True))
        return conventions


def rankings(options: Sequence[K], criteria: Sequence[K], table: Mapping[tuple[K, K], float | None],
             weights: Mapping[K, float], *, benefit: Mapping[K, bool],
             preference: Mapping[K, Mapping[str, Any]] | None = None) -> list[Ranking[K]]:
    """One ``Ranking`` per ``METHODS`` of the options by the mean scores ``table[(option, criterion)]``.

    ``benefit[criterion]`` is False for a cost criterion (lower scores better); ``preference[criterion]`` is its
    PROMETHEE preference function, ``DEFAULT_PREFERENCE`` where none is given.
    """
    problem = _problem(options, criteria, table, weights, benefit, preference)
    rows = list(range(len(problem.options)))
    results = []
    for method in METHODS:
        values = problem.values(method, rows)
        results.append(Ranking(method=method, values=dict(zip(problem.options, values, strict=True)),
                               order=_best_first(problem.options, values), conventions=problem.conventions(method)))
    return results


def _problem(options: Sequence[K], criteria: Sequence[K], table: Mapping[tuple[K, K], float | None],
             weights: Mapping[K, float], benefit: Mapping[K, bool],
             preference: Mapping[K, Mapping[str, Any]] | None) -> _Problem[K]:
    option_keys = _distinct(options, "option")
    criterion_keys = _distinct(criteria, "criterion")
    if len(option_keys) < 2:
        raise ValueError(_("At least two options are needed to compare them."))
    if not criterion_keys:
        raise ValueError(_("At least one criterion is needed to compare the options."))
    cells = [(option, criterion) for option in option_keys for criterion in criterion_keys]
    missing = sum(table.get(cell) is None for cell in cells)
    if missing:
        raise ValueError(ngettext("%(count)s score is missing: every option needs a score on every criterion.",
                                  "%(count)s scores are missing: every option needs a score on every criterion.",
                                  missing) % {"count": missing})
    scores = np.array([_score(table[cell]) for cell in cells]).reshape(len(option_keys), len(criterion_keys))
    flags = mcda._benefit_flags([_given(benefit, criterion, "benefit flag") for criterion in criterion_keys],
                                len(criterion_keys))
    functions = [(preference or {}).get(criterion, DEFAULT_PREFERENCE) for criterion in criterion_keys]
    return _Problem(
        options=option_keys, criteria=criterion_keys, scores=scores,
        higher_better=np.where(flags, scores, SCALE_MIN + SCALE_MAX - scores),
        shares=mcda._normalised_weights([_given(weights, criterion, "weight") for criterion in criterion_keys],
                                        len(criterion_keys)),
        benefit=flags, functions=functions,
    )


# --- Robustness ------------------------------------------------------------------------------------------------------


def robustness(options: Sequence[K], criteria: Sequence[K], table: Mapping[tuple[K, K], float | None],
               weights: Mapping[K, float], *, benefit: Mapping[K, bool],
               member_weights: Mapping[K, Mapping[K, float]],
               preference: Mapping[K, Mapping[str, Any]] | None = None, samples: int = 10000,
               seed: int = 0) -> Robustness[K]:
    """Margin, break-even weights, SMAA, removal of each option and each member's order (module's docstring)."""
    problem = _problem(options, criteria, table, weights, benefit, preference)
    keys = problem.options
    rows = list(range(len(keys)))
    values = dict(zip(keys, problem.values("weighted_sum", rows), strict=True))
    full = {method: problem.order(method, rows) for method in METHODS}
    top, runner_up = full["weighted_sum"][:2]
    break_even = mcda.break_even_weights(problem.higher_better, problem.shares)
    acceptability = mcda.smaa(problem.higher_better, weight_samples=samples, seed=seed)
    removal = []
    for row, removed in enumerate(keys):
        rest = [other for other in rows if other != row]
        orders = {method: problem.order(method, rest) for method in METHODS}
        removal.append(Removal(removed=removed, orders=orders, changed={
            method: orders[method] != [option for option in full[method] if option != removed]
            for method in METHODS}))
    members = {member: _best_first(keys, mcda.weighted_sum(problem.higher_better, shares))
               for member, shares in _member_shares(problem.criteria, member_weights).items()}
    return Robustness(
        top=top, runner_up=runner_up, margin=0.0 if _tied(values[top], values[runner_up]) else
        values[top] - values[runner_up],
        break_even=[BreakEven(
            criterion=problem.criteria[entry.criterion], weight=entry.weight,
            up=entry.up, up_option=None if entry.up_option is None else keys[entry.up_option],
            down=entry.down, down_option=None if entry.down_option is None else keys[entry.down_option],
        ) for entry in break_even.criteria],
        smaa=dict(zip(keys, acceptability.rank_acceptability, strict=True)),
        central_weights={option: None if central is None else dict(zip(problem.criteria, central, strict=True))
                         for option, central in zip(keys, acceptability.central_weights, strict=True)},
        removal=removal, members=members, samples=samples, seed=seed,
        conventions={
            "values": problem.conventions("weighted_sum")["cost criteria"],
            "margin": "weighted-sum value of the top option minus the runner-up's, on the score scale",
            "break_even": break_even.conventions["method"],
            "smaa": acceptability.conventions["method"] + "; " + acceptability.conventions["weights"],
            "removal": "each option taken out in turn and every method recomputed on the rest; changed when the "
                       "order of the rest differs from the full ranking with that option struck out",
            "members": "weighted-sum order under each member's own weights, divided by their sum",
        },
    )


# --- Scenarios -------------------------------------------------------------------------------------------------------


def scenario_analysis(options: Sequence[K], scenarios: Sequence[K],
                      values: Mapping[tuple[K, K], float]) -> ScenarioResult[K]:
    """Maximin and minimax regret over values[(option, scenario)] (any scale, higher better)."""
    option_keys = _distinct(options, "option")
    scenario_keys = _distinct(scenarios, "scenario")
    if not option_keys or not scenario_keys:
        raise ValueError(_("Scenario analysis needs at least one option and one scenario."))
    cells = [(option, scenario) for option in option_keys for scenario in scenario_keys]
    missing = sum(cell not in values for cell in cells)
    if missing:
        raise ValueError(ngettext("%(count)s value is missing: every option needs a value in every scenario.",
                                  "%(count)s values are missing: every option needs a value in every scenario.",
                                  missing) % {"count": missing})
    for cell in cells:
        if not _is_number(values[cell]):
            raise ValueError(_("Each value must be a finite number, not %(value)s.") % {"value": values[cell]})
    best = {scenario: max(float(values[(option, scenario)]) for option in option_keys) for scenario in scenario_keys}
    regret = {(option, scenario): best[scenario] - float(values[(option, scenario)]) for option, scenario in cells}
    worst = {option: min(float(values[(option, scenario)]) for scenario in scenario_keys) for option in option_keys}
    max_regret = {option: max(regret[(option, scenario)] for scenario in scenario_keys) for option in option_keys}
    return ScenarioResult(
        worst=worst, maximin=_best_first(option_keys, list(worst.values())), regret=regret, max_regret=max_regret,
        minimax_regret=_best_first(option_keys, [-value for value in max_regret.values()]),
    )


# --- Helpers ---------------------------------------------------------------------------------------------------------


def _best_first(keys: Sequence[K], values: Sequence[float]) -> list[K]:
    """Highest value first; values tied up to rounding (``_tied``) keep the caller's order."""
    ranked: list[int] = []
    run: list[int] = []  # indices tied with the run's first, the highest of them
    for index in sorted(range(len(keys)), key=lambda index: -values[index]):
        if run and not _tied(values[run[0]], values[index]):
            ranked += sorted(run)
            run = []
        run.append(index)
    return [keys[index] for index in ranked + sorted(run)]


def _tied(first: float, second: float) -> bool:
    """Equal but for rounding: Σ weight·score with weights like 1/7 rounds differently for options that tie exactly
    (5·4/7 + 1/7 + 1·2/7 and 4·4/7 + 1/7 + 3·2/7 differ in the last bit)."""
    return math.isclose(first, second, rel_tol=TIE_TOLERANCE, abs_tol=TIE_TOLERANCE)


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def _distinct(keys: Iterable[K], what: str) -> list[K]:
    listed = list(keys)
    if len(set(listed)) != len(listed):
        raise ValueError(f"each {what} must be listed once: {listed!r}")
    return listed


def _criteria(criteria: Sequence[K]) -> list[K]:
    keys = _distinct(criteria, "criterion")
    if not keys:
        raise ValueError(_("There are no criteria to weight."))
    return keys


def _given(mapping: Mapping[K, Any], criterion: K, what: str) -> Any:
    if criterion not in mapping:
        raise ValueError(f"no {what} for criterion {criterion!r}")
    return mapping[criterion]
