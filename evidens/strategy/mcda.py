"""Multi-criteria decision analysis for the board's choice between strategy options: pure functions, no ORM.

    ahp_priorities(matrix, *, random_index="saaty1980")          -> AhpResult
    aggregate_judgments(matrices, *, weights=None)               -> list[list[float]]
    weighted_sum(scores, weights)                                -> list[float]
    topsis(matrix, weights, *, benefit)                          -> list[float]
    promethee_ii(matrix, weights, *, benefit, functions)         -> list[float]
    break_even_weights(scores, weights)                          -> BreakEvenResult
    smaa(scores, *, weight_samples=10000, seed=0, weight_ranges=None) -> SmaaResult

Tables are options × criteria (one row per option) except AHP's pairwise comparison matrices, which are criteria ×
criteria. Anything table-like is accepted: lists of lists of numbers (``Fraction`` too) or a 2-D numpy array. Results
are plain Python floats and lists; indices in results count from 0, positions in error messages from 1.

**Conventions.** Each method has choices that change its numbers. ``CONVENTIONS`` names them per function, so a
caller can store the entry next to a result; ``AhpResult``, ``BreakEvenResult`` and ``SmaaResult`` carry their own
``conventions`` with the choices of that call (the random-index table, the seed). In short:

- Weights are divided by their sum everywhere (zero or negative sums are refused), so only their ratios matter.
- ``ahp_priorities``: the principal right eigenvector normalised to sum 1 (not the row geometric mean, which gives
  other weights on inconsistent matrices); CI = (λmax − n)/(n − 1), 0 for n = 1; CR = CI/RI(n) with RI from the named
  table, and CR = 0 for n ≤ 2 (every 2×2 reciprocal matrix is consistent).
- ``aggregate_judgments``: the weighted geometric mean of the judgements, entry by entry (Aczél & Saaty 1983), which
  keeps a_ij·a_ji = 1; plain weights per matrix (equal if none are given).
- ``weighted_sum``, ``break_even_weights``, ``smaa``: scores are values where higher is better (already on a common
  scale); an option's value is Σ w_j·s_ij.
- ``topsis``: vector normalisation x_ij/√(Σ_i x_ij²), Euclidean distances to the ideal and anti-ideal, closeness
  S⁻/(S⁺ + S⁻) as in Hwang & Yoon (1981).
- ``promethee_ii``: the preference functions of Brans & Vincke (1985) on d = g(a) − g(b) (negated for cost criteria),
  π(a, b) = Σ w_j P_j(a, b), net flow φ(a) = Σ_b [π(a, b) − π(b, a)]/(n − 1), in [−1, 1]. The 1986 worked example
  prints flows as plain sums; multiply by n − 1 to compare.

**Random-index tables** (``RANDOM_INDEX_TABLES``, RI for n = 1, 2, 3, …):

- ``saaty1980``: Saaty, *The Analytic Hierarchy Process* (McGraw-Hill 1980), n = 1…15, non-monotone at n = 12 as
  printed; its first ten values are the table of Saaty (1990), EJOR 48:9–26.
- ``saaty2005``: Saaty, *Theory and Applications of the Analytic Network Process* (RWS 2005), p. 31, n = 1…15, as
  transcribed in AHPy (PhilipGriffith/AHPy, ``Compare._compute_consistency_ratio``); the same values are in the R
  package ahpsurvey (``ahp.cr``, citing Saaty & Tran 2007, Math. Comput. Modelling 46:962–975). Read here through
  those two implementations, not from the book.
- ``tummala_ling``: Tummala & Ling, "A note on the computation of the mean random consistency index of the AHP",
  Theory and Decision 44 (1998) 221–230, n = 1…15, as transcribed in pymcdm (kotbaton/pymcdm, ``weights/subjective/
  ahp.py``). Read through that implementation, not from the paper; one other public implementation labels the same
  numbers as the "Uppuluri" column of Alonso & Lamata (2006).

A table can also be given as a sequence of RI values for n = 1, 2, 3, … (the order the published tables print).

**The judgement to revise** (``AhpResult.most_inconsistent``): the pair (i, j), i < j, whose judgement a_ij is
furthest from what the priorities imply, measured as |ln(a_ij·w_j/w_i)|; its reciprocal a_ji is the same judgement
seen from the other side. None for n ≤ 2 and when every judgement agrees with the priorities (within 1e-9 in log
terms), so a consistent matrix names no judgement.

**Break-even weights.** For criterion j with normalised weight w_j, the weight t replaces w_j and the other weights
are rescaled to keep their proportions and sum 1 − t (raised equally when they are all 0). Each option's value is
then linear in t, so the top option (highest value; the first of equal ones) changes where another option's line
crosses its line. ``up`` is the smallest t ≥ w_j, ``down`` the largest t ≤ w_j, from which another option scores
strictly higher; None when that does not happen for any t in [0, 1]. With a single criterion there is nothing to
shift and both are None. Values closer than ``LEAD_TOLERANCE`` count as equal, so options whose value lines
coincide (equal but for floating-point rounding) never overtake each other.

**SMAA** (Lahdelma, Hokkanen & Salminen 1998; Tervonen & Figueira 2008): weights are drawn uniformly from the
simplex (a flat Dirichlet from ``numpy.random.default_rng(seed)``) or, with ``weight_ranges``, uniformly from the
part of the simplex inside the ranges (the lower bounds are set aside and the rest drawn from the simplex, keeping
draws that stay under the upper bounds). Each draw ranks the options by value; options with exactly equal values
share the ranks they span equally, so a row and a column of the rank acceptability matrix always sum to 1. The
central weight vector of an option is the mean of the draws that make it first (None if none do).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from django.utils.translation import gettext as _

Numbers: TypeAlias = Sequence[float] | np.ndarray  # weights, a random-index table
Flags: TypeAlias = Sequence[bool] | np.ndarray

RANDOM_INDEX_TABLES: dict[str, tuple[float, ...]] = {
    "saaty1980": (0.0, 0.0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59),
    "saaty2005": (0.0, 0.0, 0.52, 0.89, 1.11, 1.25, 1.35, 1.40, 1.45, 1.49, 1.52, 1.54, 1.56, 1.58, 1.59),
    "tummala_ling": (0.0, 0.0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537, 1.4882, 1.5117, 1.5356,
                     1.5571, 1.5714, 1.5831),
}
CONSISTENCY_RATIO_LIMIT = 0.1  # Saaty's rule of thumb: revise the judgements above it
RECIPROCAL_TOLERANCE = 0.01  # |a_ij·a_ji − 1| allowed: 0.333 for 1/3 passes, 0.14 for 1/7 (0.98) does not
CONSISTENT_LOG_ERROR = 1e-9  # below this every judgement agrees with the priorities
LEAD_TOLERANCE = 1e-9  # a value lead smaller than this is rounding noise between equal options, not a lead

PREFERENCE_FUNCTIONS = ("usual", "u-shape", "v-shape", "level", "linear", "gaussian")
THRESHOLDS_NEEDED = {"usual": (), "u-shape": ("q",), "v-shape": ("p",), "level": ("q", "p"), "linear": ("q", "p"),
                      "gaussian": ("s",)}

CONVENTIONS: dict[str, str] = {
    "ahp_priorities": "principal right eigenvector normalised to sum 1; CI = (lambda_max - n)/(n - 1), 0 for n = 1; "
                      "CR = CI/RI[n], 0 for n <= 2",
    "aggregate_judgments": "weighted geometric mean per entry (AIJ), weights divided by their sum, equal by default",
    "weighted_sum": "sum of weight x score, weights divided by their sum, higher scores better",
    "topsis": "vector normalisation x/sqrt(sum x^2), weights divided by their sum, Euclidean distances, "
              "closeness = S-/(S+ + S-)",
    "promethee_ii": "Brans-Vincke preference functions on d = g(a) - g(b) (negated for cost criteria), weights divided "
                    "by their sum, net flow = sum over b of (pi(a,b) - pi(b,a)) / (n - 1)",
    "break_even_weights": "weighted sum; one weight moved in [0, 1], the others rescaled proportionally to sum to 1; "
                          "the weight from which another option scores strictly higher than the top option",
    "smaa": "weighted sum; weights uniform on the simplex (flat Dirichlet, numpy default_rng(seed)) or on its part "
            "inside the weight ranges; equal values share ranks; central weights = mean weights making the option "
            "first",
}

_SMAA_MAX_BATCHES = 100  # draws of weight_samples weights each before weight ranges are judged too narrow


@dataclass(frozen=True)
class AhpResult:
    """Priorities and consistency of one pairwise comparison matrix.

    ``weights`` sum to 1, in the order of the matrix rows. ``random_index`` is the RI(n) that ``cr`` was divided by
    (0.0 for n ≤ 2, where CR is 0 by definition). ``most_inconsistent`` is the (i, j) pair, i < j, of the judgement
    to revise first, or None (see the module's docstring).
    """

    weights: list[float]
    lambda_max: float
    ci: float
    cr: float
    random_index: float
    most_inconsistent: tuple[int, int] | None
    conventions: dict[str, str]


@dataclass(frozen=True)
class WeightBreakEven:
    """For one criterion: how far its weight can move before another option overtakes the top one.

    ``up`` is the smallest weight at or above ``weight``, ``down`` the largest at or below it, from which
    ``up_option`` (``down_option``) scores strictly higher than the top option; None where no weight in [0, 1] does
    that. The change is ``up − weight`` or ``weight − down``.
    """

    criterion: int
    weight: float
    up: float | None
    up_option: int | None
    down: float | None
    down_option: int | None


@dataclass(frozen=True)
class BreakEvenResult:
    """The top option under the given weights and, per criterion, the weights at which it stops being the top."""

    top: int
    criteria: list[WeightBreakEven]
    conventions: dict[str, str]


@dataclass(frozen=True)
class SmaaResult:
    """Rank acceptability and central weights from ``samples`` weight vectors drawn with ``seed``.

    ``rank_acceptability[i][r]`` is the share of draws in which option i has rank r + 1 (each row and each column
    sums to 1). ``central_weights[i]`` is the mean weight vector of the draws that make option i first, None when no
    draw does.
    """

    rank_acceptability: list[list[float]]
    central_weights: list[list[float] | None]
    samples: int
    seed: int
    conventions: dict[str, str]


# --- AHP -------------------------------------------------------------------------------------------------------------


def ahp_priorities(matrix: Any, *, random_index: str | Numbers = "saaty1980") -> AhpResult:
    """Priorities, λmax, CI, CR and the judgement to revise of a positive reciprocal matrix (see the docstring)."""
    judgements = _comparison_matrix(matrix)
    size = judgements.shape[0]
    table_name, table = _random_index_table(random_index)
    eigenvalues, eigenvectors = np.linalg.eig(judgements)
    principal = int(np.argmax(eigenvalues.real))
    lambda_max = float(eigenvalues[principal].real)
    vector = eigenvectors[:, principal].real
    weights = vector / vector.sum()  # the Perron vector has one sign throughout; the sum fixes sign and scale
    ci = (lambda_max - size) / (size - 1) if size > 1 else 0.0
    ri = _random_index(table, size) if size > 2 else 0.0
    return AhpResult(
        weights=[float(weight) for weight in weights],
        lambda_max=lambda_max,
        ci=float(ci),
        cr=float(ci / ri) if size > 2 else 0.0,
        random_index=ri,
        most_inconsistent=_most_inconsistent(judgements, weights),
        conventions={"method": CONVENTIONS["ahp_priorities"], "random_index": table_name},
    )


def aggregate_judgments(matrices: Sequence[Any], *, weights: Numbers | None = None) -> list[list[float]]:
    """The weighted geometric mean of several people's comparison matrices, entry by entry."""
    if len(matrices) == 0:
        raise ValueError(_("Give at least one comparison matrix."))
    judgements = [_comparison_matrix(matrix) for matrix in matrices]
    if any(matrix.shape != judgements[0].shape for matrix in judgements):
        raise ValueError(_("All comparison matrices must compare the same number of criteria."))
    if weights is None:
        shares = np.full(len(judgements), 1 / len(judgements))
    else:
        shares = _normalised_weights(weights, len(judgements), per_matrix=True)
    logs = np.log(np.stack(judgements))
    aggregated = np.exp(np.tensordot(shares, logs, axes=1))
    return [[float(value) for value in row] for row in aggregated]


def _comparison_matrix(matrix: Any) -> np.ndarray:
    judgements = _table(matrix)
    rows, columns = judgements.shape
    if rows != columns:
        raise ValueError(_("A pairwise comparison matrix must be square; this one has %(rows)s rows of %(columns)s "
                           "values.") % {"rows": rows, "columns": columns})
    for (row, column), value in np.ndenumerate(judgements):
        if value <= 0:
            raise ValueError(_("Every judgement must be above 0; row %(row)s, column %(column)s is %(value)s.")
                             % {"row": row + 1, "column": column + 1, "value": _number(value)})
    for row in range(rows):
        if not math.isclose(judgements[row, row], 1, abs_tol=RECIPROCAL_TOLERANCE):
            raise ValueError(_("Each criterion compared with itself must be 1; row %(row)s has %(value)s.")
                             % {"row": row + 1, "value": _number(judgements[row, row])})
        for column in range(row + 1, columns):
            if abs(judgements[row, column] * judgements[column, row] - 1) > RECIPROCAL_TOLERANCE:
                raise ValueError(_("Judgements must be reciprocal: row %(row)s, column %(column)s is %(value)s, so row "
                                   "%(column)s, column %(row)s should be 1/%(value)s, not %(other)s.")
                                 % {"row": row + 1, "column": column + 1, "value": _number(judgements[row, column]),
                                    "other": _number(judgements[column, row])})
    return judgements


def _random_index_table(random_index: str | Numbers) -> tuple[str, Numbers]:
    if isinstance(random_index, str):
        if random_index not in RANDOM_INDEX_TABLES:
            raise ValueError(_("Unknown random index table %(name)s: use saaty1980, saaty2005 or tummala_ling.")
                             % {"name": random_index})
        return random_index, RANDOM_INDEX_TABLES[random_index]
    return "custom: " + ", ".join(str(value) for value in random_index), random_index


def _random_index(table: Numbers, size: int) -> float:
    if size > len(table):
        raise ValueError(_("The random index table has no value for %(n)s criteria.") % {"n": size})
    value = table[size - 1]
    if not isinstance(value, numbers.Real) or not math.isfinite(value) or value <= 0:
        raise ValueError(_("The random index for %(n)s criteria must be a number above 0, not %(value)s.")
                         % {"n": size, "value": value})
    return float(value)


def _most_inconsistent(judgements: np.ndarray, weights: np.ndarray) -> tuple[int, int] | None:
    size = judgements.shape[0]
    if size <= 2:
        return None
    errors = np.abs(np.log(judgements * weights[np.newaxis, :] / weights[:, np.newaxis]))
    upper = np.triu(errors, k=1)
    row, column = np.unravel_index(int(np.argmax(upper)), upper.shape)
    if upper[row, column] <= CONSISTENT_LOG_ERROR:
        return None
    return int(row), int(column)


# --- Scoring methods -------------------------------------------------------------------------------------------------


def weighted_sum(scores: Any, weights: Numbers) -> list[float]:
    """Σ w_j·s_ij per option, with the weights divided by their sum."""
    table = _table(scores)
    shares = _normalised_weights(weights, table.shape[1])
    return [float(value) for value in _values(table, shares)]


def topsis(matrix: Any, weights: Numbers, *, benefit: Flags) -> list[float]:
    """TOPSIS closeness coefficients (vector normalisation); ``benefit[j]`` is False for a cost criterion."""
    table = _table(matrix)
    shares = _normalised_weights(weights, table.shape[1])
    directions = _benefit_flags(benefit, table.shape[1])
    lengths = np.sqrt((table ** 2).sum(axis=0))
    for criterion, length in enumerate(lengths):
        if length == 0:
            raise ValueError(_("Criterion %(criterion)s is 0 for every option, so it cannot be normalised.")
                             % {"criterion": criterion + 1})
    weighted = table / lengths * shares
    ideal = np.where(directions, weighted.max(axis=0), weighted.min(axis=0))
    anti_ideal = np.where(directions, weighted.min(axis=0), weighted.max(axis=0))
    to_ideal = np.sqrt(((weighted - ideal) ** 2).sum(axis=1))
    to_anti_ideal = np.sqrt(((weighted - anti_ideal) ** 2).sum(axis=1))
    if np.any(to_ideal + to_anti_ideal == 0):
        raise ValueError(_("All options are equal on every weighted criterion, so TOPSIS cannot tell them apart."))
    return [float(value) for value in to_anti_ideal / (to_ideal + to_anti_ideal)]


def promethee_ii(matrix: Any, weights: Numbers, *, benefit: Flags,
                 functions: Sequence[Mapping[str, Any]]) -> list[float]:
    """PROMETHEE II net flows normalised by n − 1; ``functions`` holds one preference function per criterion."""
    table = _table(matrix)
    options, criteria = table.shape
    if options < 2:
        raise ValueError(_("PROMETHEE needs at least two options to compare."))
    shares = _normalised_weights(weights, criteria)
    signs = np.where(_benefit_flags(benefit, criteria), 1.0, -1.0)
    if len(functions) != criteria:
        raise ValueError(_("Expected one preference function per criterion (%(expected)s), got %(count)s.")
                         % {"expected": criteria, "count": len(functions)})
    preference = np.zeros((options, options))  # π(a, b)
    for criterion, function in enumerate(functions):
        column = table[:, criterion] * signs[criterion]
        differences = column[:, np.newaxis] - column[np.newaxis, :]  # d(a, b) with a the row
        preference += shares[criterion] * _preference_degrees(differences, function, criterion)
    net = (preference.sum(axis=1) - preference.sum(axis=0)) / (options - 1)
    return [float(value) for value in net]


def _preference_degrees(differences: np.ndarray, function: Mapping[str, Any], criterion: int) -> np.ndarray:
    kind = function.get("type")
    if kind not in PREFERENCE_FUNCTIONS:
        raise ValueError(_("Unknown preference function %(type)s for criterion %(criterion)s: use usual, u-shape, "
                           "v-shape, level, linear or gaussian.") % {"type": kind, "criterion": criterion + 1})
    for name in function:
        if name not in ("type", "q", "p", "s"):
            raise ValueError(_("Criterion %(criterion)s: unknown preference function setting %(name)s.")
                             % {"criterion": criterion + 1, "name": name})
    thresholds = {}
    for name in THRESHOLDS_NEEDED[kind]:
        value = function.get(name)
        if not isinstance(value, numbers.Real) or isinstance(value, bool) or not math.isfinite(value):
            raise ValueError(_("Criterion %(criterion)s: the %(type)s preference function needs the threshold "
                               "%(name)s as a number.") % {"criterion": criterion + 1, "type": kind, "name": name})
        thresholds[name] = float(value)
    q = thresholds.get("q", 0.0)
    if q < 0:
        raise ValueError(_("Criterion %(criterion)s: the indifference threshold q must be at least 0, not %(value)s.")
                         % {"criterion": criterion + 1, "value": _number(q)})
    p = thresholds.get("p", math.inf)
    if p <= q:
        raise ValueError(_("Criterion %(criterion)s: the preference threshold p must be above the indifference "
                           "threshold q (%(q)s), not %(value)s.") % {"criterion": criterion + 1, "q": _number(q),
                                                                "value": _number(p)})
    s = thresholds.get("s", 1.0)
    if s <= 0:
        raise ValueError(_("Criterion %(criterion)s: the Gaussian threshold s must be above 0, not %(value)s.")
                         % {"criterion": criterion + 1, "value": _number(s)})
    d = differences
    if kind == "usual":
        degrees = (d > 0).astype(float)
    elif kind == "u-shape":
        degrees = (d > q).astype(float)
    elif kind == "v-shape":
        degrees = np.clip(d / p, 0, 1)
    elif kind == "level":
        degrees = np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    elif kind == "linear":
        degrees = np.clip((d - q) / (p - q), 0, 1)
    else:
        degrees = np.where(d > 0, -np.expm1(-(d ** 2) / (2 * s ** 2)), 0.0)
    return degrees


# --- Robustness ------------------------------------------------------------------------------------------------------


def break_even_weights(scores: Any, weights: Numbers) -> BreakEvenResult:
    """Per criterion, the weights at which the top option under weighted sum changes (see the module's docstring)."""
    table = _table(scores)
    criteria = table.shape[1]
    shares = _normalised_weights(weights, criteria)
    values = _values(table, shares)
    # The first option within rounding of the best, so floating-point noise never picks a later one of equals.
    top = int(np.flatnonzero(values >= values.max() - LEAD_TOLERANCE)[0])
    results = []
    for criterion in range(criteria):
        weight = float(shares[criterion])
        if criteria == 1:
            results.append(WeightBreakEven(criterion, weight, None, None, None, None))
            continue
        others = np.delete(shares, criterion)
        proportions = others / others.sum() if others.sum() > 0 else np.full(criteria - 1, 1 / (criteria - 1))
        rest = _values(np.delete(table, criterion, axis=1), proportions)
        # value_i(t) = t·s_ij + (1 − t)·rest_i: a line from rest_i at t = 0 to s_ij at t = 1.
        at_zero = rest - rest[top]
        at_one = table[:, criterion] - table[top, criterion]
        up, up_option = _crossing(at_zero, at_one, weight, upward=True)
        down, down_option = _crossing(at_zero, at_one, weight, upward=False)
        results.append(WeightBreakEven(criterion, weight, up, up_option, down, down_option))
    return BreakEvenResult(top=top, criteria=results, conventions={"method": CONVENTIONS["break_even_weights"]})


def _crossing(at_zero: np.ndarray, at_one: np.ndarray, weight: float, *,
              upward: bool) -> tuple[float | None, int | None]:
    """The weight nearest to ``weight`` (above or below) from which some option's lead over the top turns positive.

    An option's lead is the line at_zero + (at_one − at_zero)·t; it is at most 0 at ``weight``. Moving up it turns
    positive where it crosses 0 when it ends above 0 at t = 1; moving down, when it starts above 0 at t = 0.
    """
    slopes = at_one - at_zero
    best: tuple[float, float, int, float] | None = None  # (distance from weight, −steepness, option, crossing)
    for option, (start, end, slope) in enumerate(zip(at_zero, at_one, slopes, strict=True)):
        gaining = end > LEAD_TOLERANCE if upward else start > LEAD_TOLERANCE
        if not gaining:
            continue
        crossing = min(max(float(-start / slope), 0.0), 1.0)
        crossing = max(crossing, weight) if upward else min(crossing, weight)
        # Of options crossing at the same weight, the steepest leads just beyond it; then the first.
        candidate = (abs(crossing - weight), -abs(float(slope)), option, crossing)
        if best is None or candidate < best:
            best = candidate
    if best is None:
        return None, None
    return best[3], best[2]


def smaa(scores: Any, *, weight_samples: int = 10000, seed: int = 0,
         weight_ranges: Sequence[tuple[float, float]] | None = None) -> SmaaResult:
    """Rank acceptability indices and central weights of SMAA-2 under weighted sum (see the module's docstring)."""
    table = _table(scores)
    options, criteria = table.shape
    if isinstance(weight_samples, bool) or not isinstance(weight_samples, int) or weight_samples < 1:
        raise ValueError(_("The number of weight samples must be a whole number of at least 1."))
    generator = np.random.default_rng(seed)
    drawn = _draw_weights(generator, criteria, weight_samples, weight_ranges)
    values = _values(table[np.newaxis, :, :], drawn[:, np.newaxis, :])  # samples × options
    better = (values[:, np.newaxis, :] > values[:, :, np.newaxis]).sum(axis=2)  # options scoring strictly higher
    tied = (values[:, np.newaxis, :] == values[:, :, np.newaxis]).sum(axis=2)  # itself included
    ranks = np.arange(options)
    # An option with `better` options above it and `tied` equal to it (itself included) holds the ranks
    # better … better + tied − 1, a 1/tied share of each.
    spans = (ranks >= better[:, :, np.newaxis]) & (ranks < (better + tied)[:, :, np.newaxis])
    shares = spans / tied[:, :, np.newaxis]
    acceptability = shares.mean(axis=0)
    first = shares[:, :, 0]
    totals = first.sum(axis=0)
    central = (first.T @ drawn) / np.where(totals > 0, totals, 1)[:, np.newaxis]
    return SmaaResult(
        rank_acceptability=[[float(value) for value in row] for row in acceptability],
        central_weights=[[float(value) for value in central[option]] if totals[option] > 0 else None
                         for option in range(options)],
        samples=weight_samples,
        seed=seed,
        conventions={"method": CONVENTIONS["smaa"],
                     "weights": "uniform on the simplex" if weight_ranges is None else
                     "uniform on the simplex within " + ", ".join(f"[{low}, {high}]" for low, high in weight_ranges)},
    )


def _draw_weights(generator: np.random.Generator, criteria: int, count: int,
                  weight_ranges: Sequence[tuple[float, float]] | None) -> np.ndarray:
    if weight_ranges is None:
        return generator.dirichlet(np.ones(criteria), size=count)
    if len(weight_ranges) != criteria:
        raise ValueError(_("Expected one weight range per criterion (%(expected)s), got %(count)s.")
                         % {"expected": criteria, "count": len(weight_ranges)})
    lows, highs = np.array([low for low, _high in weight_ranges], dtype=float), np.array(
        [high for _low, high in weight_ranges], dtype=float)
    for criterion, (low, high) in enumerate(zip(lows, highs, strict=True)):
        if not (0 <= low <= high <= 1):
            raise ValueError(_("The weight range of criterion %(criterion)s must lie within 0 to 1 with its low end "
                               "first, not %(low)s to %(high)s.") % {"criterion": criterion + 1,
                                                                    "low": _number(low), "high": _number(high)})
    slack = 1 - lows.sum()
    if slack < -1e-12 or highs.sum() < 1 - 1e-12:
        raise ValueError(_("No weights that sum to 1 fit within the weight ranges."))
    if slack <= 1e-12:
        return np.tile(lows, (count, 1))
    # Uniform on {w : Σw = 1, low ≤ w ≤ high} is low + slack·u with u uniform on the simplex and u ≤ caps.
    caps = (highs - lows) / slack
    kept: list[np.ndarray] = []
    kept_count = 0
    for _batch in range(_SMAA_MAX_BATCHES):
        draws = generator.dirichlet(np.ones(criteria), size=count)
        inside = draws[(draws <= caps).all(axis=1)]
        kept.append(inside)
        kept_count += len(inside)
        if kept_count >= count:
            return lows + slack * np.concatenate(kept)[:count]
    raise ValueError(_("The weight ranges leave too little room to draw weights from; widen them."))


def _values(table: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """Σ_j share_j·score_ij over the last axis, summed the same way for every option.

    Not ``table @ shares``: a BLAS product may round identical rows differently, and ties between options with equal
    scores must stay exact (they decide the top option and shared SMAA ranks).
    """
    return (table * shares).sum(axis=-1)


# --- Input checks ----------------------------------------------------------------------------------------------------


def _table(values: Any) -> np.ndarray:
    """A 2-D float array of finite numbers, at least one row and one column, every row as long as the first."""
    try:
        rows = [list(row) for row in values]
    except TypeError:
        raise ValueError(_("The table must be a list of rows, each a list of numbers.")) from None
    if not rows or not rows[0]:
        raise ValueError(_("The table needs at least one row and one column."))
    width = len(rows[0])
    table = np.empty((len(rows), width))
    for row_number, entries in enumerate(rows):
        if len(entries) != width:
            raise ValueError(_("Row %(row)s has %(count)s values, but row 1 has %(expected)s.")
                             % {"row": row_number + 1, "count": len(entries), "expected": width})
        for column_number, value in enumerate(entries):
            if isinstance(value, (str, bool)) or not isinstance(value, numbers.Real) or not math.isfinite(value):
                raise ValueError(_("Row %(row)s, column %(column)s must be a finite number, not %(value)s.")
                                 % {"row": row_number + 1, "column": column_number + 1, "value": value})
            table[row_number, column_number] = float(value)
    return table


def _number(value: float) -> str:
    """A number for a message: 3, 0.5, 0.333333 rather than 3.0 or 0.3333333333333333."""
    return f"{value:g}"


def _normalised_weights(weights: Numbers, count: int, *, per_matrix: bool = False) -> np.ndarray:
    values = list(weights)
    if len(values) != count:
        if per_matrix:
            message = _("Expected one weight per matrix (%(expected)s), got %(count)s.")
        else:
            message = _("Expected one weight per criterion (%(expected)s), got %(count)s.")
        raise ValueError(message % {"expected": count, "count": len(values)})
    for value in values:
        if (isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value)
                or value < 0):
            raise ValueError(_("Weights must be numbers of at least 0, not %(value)s.") % {"value": value})
    shares = np.array(values, dtype=float)
    if shares.sum() <= 0:
        raise ValueError(_("At least one weight must be above 0."))
    return shares / shares.sum()


def _benefit_flags(benefit: Flags, count: int) -> np.ndarray:
    flags = list(benefit)
    if len(flags) != count:
        raise ValueError(_("Expected one benefit flag per criterion (%(expected)s), got %(count)s.")
                         % {"expected": count, "count": len(flags)})
    if not all(isinstance(flag, (bool, np.bool_)) for flag in flags):
        raise ValueError(_("Each benefit flag must be true (higher is better) or false (lower is better)."))
    return np.array(flags, dtype=bool)
