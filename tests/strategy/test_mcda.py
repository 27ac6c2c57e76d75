"""Decision analysis: published worked examples from tests/data/mcda/, small cases worked out by hand, brute force.

The published cases (Saaty's random-index table and house example, Hwang & Yoon's TOPSIS example, Brans, Vincke &
Mareschal's PROMETHEE example) are read from the JSON files at test time with the tolerances stated there; the README
beside them says where each number comes from. Where a figure is worked out here, the arithmetic is in the comment.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from evidens.strategy.mcda import (
    CONSISTENCY_RATIO_LIMIT,
    CONVENTIONS,
    RANDOM_INDEX_TABLES,
    aggregate_judgments,
    ahp_priorities,
    break_even_weights,
    promethee_ii,
    smaa,
    topsis,
    weighted_sum,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "mcda"


def _load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


CASES = {case["name"]: case for case in _load("reference_cases.json")["cases"]}
PROMETHEE = _load("promethee_ii_brans_vincke_mareschal_1986.json")["cases"][0]
RI_TABLES = _load("random_index_tables.json")["tables"]


def _exact(entry: str | float) -> Fraction | float:
    """A matrix entry of the reference file: "a/b" (or "a") as an exact fraction, numbers as they are."""
    return Fraction(entry) if isinstance(entry, str) else entry


def _matrix(rows: list[list[str | float]]) -> list[list[Fraction | float]]:
    return [[_exact(entry) for entry in row] for row in rows]


# --- Random-index tables -------------------------------------------------------------------------------------------


def test_saaty_1980_table_is_the_published_one() -> None:
    case = CASES["ri_table_saaty_1980"]
    assert case["tolerance"]["abs"] == 0.0
    assert case["inputs"]["n"] == list(range(1, 16))
    assert list(RANDOM_INDEX_TABLES["saaty1980"]) == case["expected"]["RI"]


@pytest.mark.parametrize("name", ["saaty2005", "tummala_ling"])
def test_other_tables_are_the_transcribed_ones(name: str) -> None:
    assert list(RANDOM_INDEX_TABLES[name]) == RI_TABLES[name]["RI"]


def test_the_named_table_divides_ci() -> None:
    # Saaty's hand example below (n = 3, CI = 0.026819) against each table's RI(3): 0.58, 0.52 and 0.5799.
    matrix = [[1, 2, 8], [Fraction(1, 2), 1, 2], [Fraction(1, 8), Fraction(1, 2), 1]]
    for name, ri in (("saaty1980", 0.58), ("saaty2005", 0.52), ("tummala_ling", 0.5799)):
        result = ahp_priorities(matrix, random_index=name)
        assert result.random_index == ri
        assert result.cr == pytest.approx(result.ci / ri)
        assert result.conventions["random_index"] == name


def test_a_table_can_be_given_as_values_for_n_from_1() -> None:
    matrix = [[1, 2, 8], [Fraction(1, 2), 1, 2], [Fraction(1, 8), Fraction(1, 2), 1]]
    result = ahp_priorities(matrix, random_index=[0, 0, 0.5])
    assert result.random_index == 0.5
    assert result.cr == pytest.approx(2 * result.ci)
    assert result.conventions["random_index"].startswith("custom")


# --- AHP: Saaty's house example ------------------------------------------------------------------------------------


HOUSE = CASES["ahp_saaty1990_house_criteria"]


def test_house_example_matches_the_printed_figures() -> None:
    expected, tolerance = HOUSE["expected"], HOUSE["tolerance"]
    assert HOUSE["inputs"]["random_index_table"] == "ri_table_saaty_1980"
    result = ahp_priorities(_matrix(HOUSE["inputs"]["matrix"]), random_index="saaty1980")
    assert result.weights == pytest.approx(expected["priorities"], abs=tolerance["priorities_abs"])
    assert result.lambda_max == pytest.approx(expected["lambda_max"], abs=tolerance["lambda_max_abs"])
    assert result.ci == pytest.approx(expected["CI"], abs=tolerance["CI_abs"])
    assert result.cr == pytest.approx(expected["CR"], abs=tolerance["CR_abs"])
    assert (result.cr <= CONSISTENCY_RATIO_LIMIT) is expected["consistent_at_0.10"]


def test_house_example_matches_the_recomputed_figures() -> None:
    recomputed, tolerance = HOUSE["expected"]["recomputed"], HOUSE["tolerance"]["recomputed_abs"]
    matrix = _matrix(HOUSE["inputs"]["matrix"])
    result = ahp_priorities(matrix)
    assert result.weights == pytest.approx(recomputed["priorities"], abs=tolerance)
    assert result.lambda_max == pytest.approx(recomputed["lambda_max"], abs=tolerance)
    assert result.ci == pytest.approx(recomputed["CI"], abs=tolerance)
    assert result.cr == pytest.approx(recomputed["CR"], abs=tolerance)
    assert ahp_priorities(matrix, random_index="saaty2005").cr == pytest.approx(
        recomputed["CR_with_ri_saaty_2005"], abs=tolerance)
    assert ahp_priorities(matrix, random_index="tummala_ling").cr == pytest.approx(
        recomputed["CR_with_ri_tummala_ling"], abs=tolerance)


def test_house_priorities_are_the_eigenvector_not_the_row_geometric_mean() -> None:
    # The reference file warns that RGMM gives other weights on this matrix (neighbourhood 0.149 against 0.188).
    result = ahp_priorities(_matrix(HOUSE["inputs"]["matrix"]))
    differences = np.abs(np.array(result.weights) - HOUSE["expected"]["recomputed"]["rgmm_priorities"])
    assert differences.max() > 0.03


def test_house_example_names_the_judgement_to_revise() -> None:
    # |ln(a_ij·w_j/w_i)| with the printed priorities: neighbourhood over general condition, a_37 = 6 against
    # w3/w7 = .188/.167 = 1.13, gives ln(6/1.13) = 1.67. The runners-up are size over neighbourhood,
    # ln(3/(.173/.188)) = 1.18, size over general condition, |ln((1/3)/(.173/.167))| = 1.13, and neighbourhood over
    # financing, |ln((1/5)/(.188/.333))| = 1.04; every other judgement is off by less.
    assert ahp_priorities(_matrix(HOUSE["inputs"]["matrix"])).most_inconsistent == (2, 6)


# --- AHP: small cases by hand --------------------------------------------------------------------------------------


def test_inconsistent_three_by_three_by_hand() -> None:
    # For n = 3 the principal eigenvector is the row geometric mean and λmax = 1 + c^(1/3) + c^(−1/3) with
    # c = a12·a23/a13 = 2·2/8 = 1/2 (Saaty). Rows: (1·2·8)^(1/3) = 2.519842, (½·1·2)^(1/3) = 1,
    # (⅛·½·1)^(1/3) = 0.396850, sum 3.916692. λmax = 1 + 0.793701 + 1.259921 = 3.053622; CI = 0.053622/2 = 0.026811;
    # CR = 0.026811/0.58 = 0.046226.
    result = ahp_priorities([[1, 2, 8], [Fraction(1, 2), 1, 2], [Fraction(1, 8), Fraction(1, 2), 1]])
    assert result.weights == pytest.approx([2.519842 / 3.916692, 1 / 3.916692, 0.396850 / 3.916692], abs=1e-6)
    assert result.lambda_max == pytest.approx(3.053622, abs=1e-6)
    assert result.ci == pytest.approx(0.026811, abs=1e-6)
    assert result.cr == pytest.approx(0.046226, abs=1e-6)
    assert result.cr < CONSISTENCY_RATIO_LIMIT
    # With geometric-mean weights all three judgements of a 3×3 matrix are off by the same |ln c|/3; which one is
    # named is then a tie of the floating point, so only its presence is checked.
    assert result.most_inconsistent is not None


def test_consistent_matrix_by_hand() -> None:
    # Built from the weights 4 : 2 : 1, so a_ij = w_i/w_j, λmax = n = 3 and CI = CR = 0.
    result = ahp_priorities([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]])
    assert result.weights == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    assert result.lambda_max == pytest.approx(3)
    assert result.ci == pytest.approx(0, abs=1e-12)
    assert result.cr == pytest.approx(0, abs=1e-12)
    assert result.most_inconsistent is None


def test_one_perturbed_judgement_is_the_one_named() -> None:
    # From the weights 8 : 4 : 2 : 1, but a14 says ½ where the others imply 8. With geometric-mean weights the error
    # of a14 would be (1 − 2/4)·ln 16 = 1.39 and that of every other judgement touching criterion 1 or 4 ln 16/4 = 0.69,
    # the rest 0; the eigenvector spreads the error a little differently but keeps a14 far ahead.
    matrix = [[1, 2, 4, 0.5], [0.5, 1, 2, 4], [0.25, 0.5, 1, 2], [2, 0.25, 0.5, 1]]
    result = ahp_priorities(matrix)
    assert result.most_inconsistent == (0, 3)
    assert result.cr > CONSISTENCY_RATIO_LIMIT


def test_two_and_one_criteria() -> None:
    # 2×2: w = (3/4, 1/4), λmax = 1 + √(3·⅓) = 2, and CR is 0 by definition.
    two = ahp_priorities([[1, 3], [Fraction(1, 3), 1]])
    assert two.weights == pytest.approx([0.75, 0.25])
    assert two.lambda_max == pytest.approx(2)
    assert (two.cr, two.random_index, two.most_inconsistent) == (0.0, 0.0, None)
    one = ahp_priorities([[1]])
    assert (one.weights, one.lambda_max, one.ci, one.cr, one.most_inconsistent) == ([1.0], 1.0, 0.0, 0.0, None)


def test_results_are_plain_python_numbers() -> None:
    result = ahp_priorities(np.array([[1, 2, 8], [0.5, 1, 2], [0.125, 0.5, 1]]))
    assert all(type(value) is float for value in [*result.weights, result.lambda_max, result.ci, result.cr])
    assert all(type(index) is int for index in result.most_inconsistent or ())
    assert all(type(value) is float for value in weighted_sum(np.array([[1, 2]]), np.array([1.0, 1.0])))
    assert json.dumps(result.conventions)  # storable next to the result


@st.composite
def _weight_vectors(draw: st.DrawFn) -> list[float]:
    size = draw(st.integers(min_value=1, max_value=9))
    return draw(st.lists(st.floats(min_value=0.01, max_value=100), min_size=size, max_size=size))


@given(_weight_vectors())
def test_consistent_matrices_give_back_their_weights(raw: list[float]) -> None:
    matrix = [[row / column for column in raw] for row in raw]
    result = ahp_priorities(matrix)
    assert result.weights == pytest.approx([value / sum(raw) for value in raw], rel=1e-9, abs=1e-12)
    assert result.cr == pytest.approx(0, abs=1e-9)
    assert result.most_inconsistent is None


# --- Aggregating judgements ----------------------------------------------------------------------------------------


def test_aggregate_by_hand() -> None:
    # Equal weights: √(2·8) = 4 and √(½·⅛) = ¼. Weights 3 : 1 → 2^(3/4)·8^(1/4) = 2^(3/4 + 3/4) = 2^1.5 = 2.828427.
    first, second = [[1, 2], [0.5, 1]], [[1, 8], [0.125, 1]]
    assert np.array(aggregate_judgments([first, second])) == pytest.approx(np.array([[1, 4], [0.25, 1]]),
                                                                           rel=1e-12)
    weighted = aggregate_judgments([first, second], weights=[3, 1])
    assert weighted[0][1] == pytest.approx(2 ** 1.5, rel=1e-12)
    assert weighted[1][0] == pytest.approx(2 ** -1.5, rel=1e-12)


@st.composite
def _judgement_sets(draw: st.DrawFn) -> tuple[list[list[list[float]]], list[float]]:
    size = draw(st.integers(min_value=1, max_value=6))
    count = draw(st.integers(min_value=1, max_value=5))
    scale = st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 2, 3, 5, 7, 9])
    matrices = []
    for _person in range(count):
        matrix = [[1.0] * size for _row in range(size)]
        for row in range(size):
            for column in range(row + 1, size):
                matrix[row][column] = draw(scale)
                matrix[column][row] = 1 / matrix[row][column]
        matrices.append(matrix)
    weights = draw(st.lists(st.floats(min_value=0, max_value=10), min_size=count, max_size=count)
                   .filter(lambda values: sum(values) > 0))
    return matrices, weights


@given(_judgement_sets())
def test_aggregated_reciprocal_matrices_stay_reciprocal(case: tuple[list[list[list[float]]], list[float]]) -> None:
    matrices, weights = case
    aggregated = np.array(aggregate_judgments(matrices, weights=weights))
    assert aggregated * aggregated.T == pytest.approx(np.ones_like(aggregated), rel=1e-12)
    assert np.diag(aggregated) == pytest.approx(1, rel=1e-12)
    assert np.all((aggregated >= 1 / 9 - 1e-12) & (aggregated <= 9 + 1e-12))  # a mean stays within the scale
    ahp_priorities(aggregated)  # and passes as a comparison matrix


# --- Weighted sum and TOPSIS ---------------------------------------------------------------------------------------


def test_weighted_sum_by_hand() -> None:
    # Weights 1 : 3 are ¼ and ¾: 3·¼ + 1·¾ = 1.5 and 2·¼ + 2·¾ = 2.
    assert weighted_sum([[3, 1], [2, 2]], [1, 3]) == pytest.approx([1.5, 2.0])
    assert weighted_sum([[3, 1], [2, 2]], [0.25, 0.75]) == pytest.approx([1.5, 2.0])


TOPSIS = CASES["topsis_hwang_yoon_1981_fighter_aircraft"]


def _topsis_reference() -> list[float]:
    inputs = TOPSIS["inputs"]
    assert inputs["normalisation"].startswith("vector") and inputs["distance"] == "euclidean"
    return topsis(inputs["matrix"], inputs["weights"], benefit=[kind == "benefit" for kind in inputs["types"]])


def test_topsis_matches_hwang_and_yoon() -> None:
    closeness = _topsis_reference()
    expected, tolerance = TOPSIS["expected"], TOPSIS["tolerance"]
    assert closeness == pytest.approx(expected["closeness"], abs=tolerance["closeness_abs"])
    assert closeness == pytest.approx(expected["recomputed"]["closeness"], abs=tolerance["recomputed_abs"])
    names = TOPSIS["inputs"]["alternatives"]
    ranking = [names[index] for index in sorted(range(len(names)), key=lambda index: -closeness[index])]
    assert ranking == expected["ranking"]


def test_topsis_by_hand() -> None:
    # Columns 3, 4 and 4, 3 both have length 5, so r = [[.6, .8], [.8, .6]]; weights ¾, ¼ give
    # v = [[.45, .20], [.60, .15]].
    # Both benefit: ideal (.60, .20), anti-ideal (.45, .15). A: S+ = .15, S- = .05 → .05/.20 = .25; B: .15/.20 = .75.
    assert topsis([[3, 4], [4, 3]], [0.75, 0.25], benefit=[True, True]) == pytest.approx([0.25, 0.75])
    # Second a cost: ideal (.60, .15), anti-ideal (.45, .20); A sits on the anti-ideal (C = 0), B on the ideal (C = 1).
    assert topsis([[3, 4], [4, 3]], [3, 1], benefit=[True, False]) == pytest.approx([0.0, 1.0])


# --- PROMETHEE II --------------------------------------------------------------------------------------------------


def _promethee_reference(rows: list[int] | None = None) -> list[float]:
    inputs = PROMETHEE["inputs"]
    matrix = inputs["matrix"] if rows is None else [inputs["matrix"][row] for row in rows]
    return promethee_ii(matrix, inputs["weights"], benefit=inputs["benefit"], functions=inputs["functions"])


def test_promethee_matches_the_published_flows() -> None:
    expected, tolerance = PROMETHEE["expected"], PROMETHEE["tolerance"]
    flows = _promethee_reference()
    options = len(flows)
    # The paper prints plain sums; ours are divided by n − 1.
    assert [flow * (options - 1) for flow in flows] == pytest.approx(expected["net_flow_sums"],
                                                                     abs=tolerance["net_flow_sums_abs"])
    names = PROMETHEE["inputs"]["alternatives"]
    assert [names[index] for index in sorted(range(options), key=lambda index: -flows[index])] == expected["ranking"]
    assert sum(flows) == pytest.approx(0, abs=1e-12)
    assert all(-1 <= flow <= 1 for flow in flows)


def test_promethee_matches_the_published_preference_indices() -> None:
    # With two options the net flow of the first is π(a, b) − π(b, a), so every pair checks two printed indices.
    # By hand for a1 against a2 (a1 = 80, 90, 600, 54, 8, 5; a2 = 65, 58, 200, 97, 1, 1):
    #   f1 min, U-shape q = 10: d(a1,a2) = −15 → 0;   d(a2,a1) = 15 > 10 → 1
    #   f2 max, V-shape p = 30: d = 32 > 30 → 1;       reverse 0
    #   f3 min, linear q = 50, p = 500: d = −400 → 0;  d(a2,a1) = 400 → (400 − 50)/450 = 0.7778
    #   f4 min, level q = 10, p = 60: d = 43 → ½;      reverse 0
    #   f5 min, usual: d = −7 → 0;                     reverse 1
    #   f6 max, Gaussian s = 5: d = 4 → 1 − e^(−16/50) = 0.2739; reverse 0
    #   π(a1,a2) = 1.7739/6 = 0.2957 (printed .296), π(a2,a1) = 2.7778/6 = 0.4630 (printed .462), difference −0.1673.
    assert _promethee_reference([0, 1])[0] == pytest.approx(1.7739 / 6 - 2.7778 / 6, abs=1e-4)
    printed = PROMETHEE["expected"]["preference_indices"]
    tolerance = 2 * PROMETHEE["tolerance"]["preference_indices_abs"]  # two printed indices per difference
    for first in range(len(printed)):
        for second in range(first + 1, len(printed)):
            net = _promethee_reference([first, second])[0]
            assert net == pytest.approx(printed[first][second] - printed[second][first], abs=tolerance), (first, second)


@pytest.mark.parametrize(("function", "difference", "degree"), [
    ({"type": "usual"}, 0, 0), ({"type": "usual"}, 0.001, 1),
    ({"type": "u-shape", "q": 1}, 1, 0), ({"type": "u-shape", "q": 1}, 1.01, 1),
    ({"type": "v-shape", "p": 2}, 1, 0.5), ({"type": "v-shape", "p": 2}, 2, 1), ({"type": "v-shape", "p": 2}, 3, 1),
    ({"type": "level", "q": 1, "p": 2}, 1, 0), ({"type": "level", "q": 1, "p": 2}, 1.5, 0.5),
    ({"type": "level", "q": 1, "p": 2}, 2, 0.5), ({"type": "level", "q": 1, "p": 2}, 2.5, 1),
    ({"type": "linear", "q": 1, "p": 3}, 1, 0), ({"type": "linear", "q": 1, "p": 3}, 2, 0.5),
    ({"type": "linear", "q": 1, "p": 3}, 4, 1),
    ({"type": "gaussian", "s": 1}, 1, 1 - math.exp(-0.5)), ({"type": "gaussian", "s": 2}, 2, 1 - math.exp(-0.5)),
    ({"type": "v-shape", "p": 2, "q": None, "s": None}, 1, 0.5),  # settings a function does not use may be None
])
def test_each_preference_function_at_its_thresholds(function: dict[str, Any], difference: float,
                                                     degree: float) -> None:
    # Two options differing by d on one benefit criterion: the better one's net flow is P(d) − P(−d) = P(d).
    assert promethee_ii([[difference], [0]], [1], benefit=[True], functions=[function])[0] == pytest.approx(degree)


def test_promethee_by_hand() -> None:
    # Values 1, 2, 3 on one criterion. Usual: π(a, b) = 1 whenever a is higher, so φ = ((higher − lower) count)/2:
    # −1, 0, 1. V-shape p = 2: π(2,1) = π(3,2) = ½, π(3,1) = 1; φ(1) = −(½ + 1)/2 = −.75, φ(2) = (½ − ½)/2 = 0,
    # φ(3) = .75.
    assert promethee_ii([[1], [2], [3]], [1], benefit=[True],
                        functions=[{"type": "usual"}]) == pytest.approx([-1, 0, 1])
    assert promethee_ii([[1], [2], [3]], [1], benefit=[True],
                        functions=[{"type": "v-shape", "p": 2}]) == pytest.approx([-0.75, 0, 0.75])
    # As a cost criterion the order turns round.
    assert promethee_ii([[1], [2], [3]], [1], benefit=[False],
                        functions=[{"type": "usual"}]) == pytest.approx([1, 0, -1])


# --- Break-even weights --------------------------------------------------------------------------------------------


def test_break_even_by_hand() -> None:
    # A = (1, 0), B = (0, 1), weights .6, .4: A leads .6 to .4. Moving the first weight to t leaves 1 − t for the
    # second: A = t, B = 1 − t, so B leads below t = .5 and never above. The second criterion mirrors it.
    result = break_even_weights([[1, 0], [0, 1]], [3, 2])
    assert result.top == 0
    first, second = result.criteria
    assert (first.criterion, first.weight, first.up, first.down, first.down_option) == (0, 0.6, None, 0.5, 1)
    assert first.up_option is None
    assert (second.weight, second.up, second.up_option, second.down) == (pytest.approx(0.4), 0.5, 1, None)


def test_break_even_when_the_other_weights_are_zero() -> None:
    # All weight on the first criterion: lowering it to t gives the others (1 − t)/2 each. A = (2, 0, 0) scores 2t,
    # B = (1, 2, 2) scores t + 2(1 − t) = 2 − t; B leads below t = 2/3.
    result = break_even_weights([[2, 0, 0], [1, 2, 2]], [1, 0, 0])
    assert result.criteria[0].down == pytest.approx(2 / 3)
    assert result.criteria[0].down_option == 1
    assert result.criteria[0].up is None


def test_break_even_with_one_criterion() -> None:
    result = break_even_weights([[1], [2]], [5])
    assert result.top == 1
    assert (result.criteria[0].weight, result.criteria[0].up, result.criteria[0].down) == (1.0, None, None)


def _values_at(scores: np.ndarray, weights: np.ndarray, criterion: int, moved: np.ndarray) -> np.ndarray:
    """Weighted sums (one row per entry of ``moved``) with the weight of ``criterion`` set to that entry and the
    others rescaled proportionally (equally if all 0)."""
    others = np.delete(weights, criterion)
    shares = others / others.sum() if others.sum() > 0 else np.full(len(others), 1 / len(others))
    rescaled = np.insert(np.outer(1 - moved, shares), criterion, moved, axis=1)
    return (scores[np.newaxis, :, :] * rescaled[:, np.newaxis, :]).sum(axis=2)


def _check_against_grid(scores: list[list[float]], weights: list[float], step: float = 1e-3) -> None:
    table, shares = np.array(scores, dtype=float), np.array(weights, dtype=float) / sum(weights)
    result = break_even_weights(scores, weights)
    values = np.array(weighted_sum(scores, weights))
    # The first of the options equal to the best; an exact tie may come out a last bit apart in floating point
    # (6·9 + 4·1 + 9·10 + 1·6 = 8·9 + 0·1 + 4·10 + 7·6 = 154).
    assert result.top == int(np.flatnonzero(values >= values.max() - 1e-9)[0])
    grid = np.linspace(0, 1, round(1 / step) + 1)
    window = 2 * step  # the first grid point past a crossing may sit a rounding error beyond one step
    for found in result.criteria:
        values = _values_at(table, shares, found.criterion, grid)
        leads = np.delete(values - values[:, [result.top]], result.top, axis=1).max(axis=1)
        overtaken = leads > 1e-9
        above, below = grid >= found.weight, grid <= found.weight
        if found.up is None:
            assert not overtaken[above].any()
        else:
            assert not overtaken[above & (grid < found.up - 1e-9)].any()
            assert found.up + window > 1 or overtaken[above & (grid <= found.up + window)].any()
        if found.down is None:
            assert not overtaken[below].any()
        else:
            assert not overtaken[below & (grid > found.down + 1e-9)].any()
            assert found.down - window < 0 or overtaken[below & (grid >= found.down - window)].any()


@pytest.mark.parametrize(("scores", "weights"), [
    ([[1, 0], [0, 1]], [0.6, 0.4]),
    ([[7, 3, 5], [4, 9, 2], [5, 5, 6]], [0.5, 0.2, 0.3]),
    ([[0.9, 0.1, 0.4, 0.7], [0.3, 0.8, 0.6, 0.2], [0.5, 0.5, 0.5, 0.5], [0.2, 0.3, 0.9, 0.8]], [4, 3, 2, 1]),
    ([[3, 3], [3, 3], [1, 4]], [1, 1]),  # two equal options; the first is the top and the second never overtakes
    ([[6, 4, 9, 1], [8, 0, 4, 7]], [9, 1, 10, 6]),  # equal values that floating point puts a last bit apart
])
def test_break_even_agrees_with_a_fine_grid(scores: list[list[float]], weights: list[float]) -> None:
    _check_against_grid(scores, weights)


def test_break_even_names_the_option_that_takes_over() -> None:
    # Values at the weights (.5, .2, .3): A 6.2, B 4.4, C 5.3; so A is top. By the grid test the first criterion
    # must fall; below the crossing the option ahead of A is the one named.
    scores, weights = [[7, 3, 5], [4, 9, 2], [5, 5, 6]], [0.5, 0.2, 0.3]
    found = break_even_weights(scores, weights).criteria[0]
    assert found.down is not None
    values = _values_at(np.array(scores, dtype=float), np.array(weights), 0, np.array([found.down - 1e-6]))
    assert int(np.argmax(values[0])) == found.down_option


@settings(max_examples=60)
@given(st.integers(min_value=2, max_value=4).flatmap(lambda criteria: st.tuples(
    st.lists(st.lists(st.integers(0, 10), min_size=criteria, max_size=criteria), min_size=2, max_size=4),
    st.lists(st.integers(0, 10), min_size=criteria, max_size=criteria).filter(lambda values: sum(values) > 0))))
def test_break_even_agrees_with_a_fine_grid_on_random_cases(case: tuple[list[list[int]], list[int]]) -> None:
    scores, weights = case
    _check_against_grid([[float(value) for value in row] for row in scores], [float(value) for value in weights])


# --- SMAA ----------------------------------------------------------------------------------------------------------


def _sums_are_one(acceptability: list[list[float]]) -> None:
    table = np.array(acceptability)
    assert table.sum(axis=1) == pytest.approx(1)
    assert table.sum(axis=0) == pytest.approx(1)


def test_smaa_with_equal_scores_shares_every_rank() -> None:
    result = smaa([[0.5, 0.5, 0.5]] * 4, weight_samples=2000)
    assert np.array(result.rank_acceptability) == pytest.approx(np.full((4, 4), 0.25))
    for central in result.central_weights:
        assert central is not None
        assert sum(central) == pytest.approx(1)


def test_smaa_dominating_option_is_always_first() -> None:
    # The second option is higher than both others on every criterion, so it leads for any positive weights.
    result = smaa([[0.2, 0.4, 0.1], [0.3, 0.5, 0.2], [0.1, 0.1, 0.15]])
    assert result.rank_acceptability[1][0] == 1.0
    assert result.central_weights[1] is not None
    _sums_are_one(result.rank_acceptability)


def test_smaa_by_hand() -> None:
    # A = (2, 2) scores 2, B = (1, 1) scores 1, C = (0, 3) scores 3·w2, with w2 uniform on [0, 1]. C passes A when
    # w2 > 2/3 and B when w2 > 1/3. So A: first 2/3, second 1/3; B: second 1/3, third 2/3; C: a third each.
    # A's central weight is the mean of w given w2 < 2/3, w2 = 1/3; C's given w2 > 2/3, w2 = 5/6; B is never first.
    # With 10 000 draws a share has a standard error of at most 0.005.
    result = smaa([[2, 2], [1, 1], [0, 3]], weight_samples=10000, seed=7)
    assert np.array(result.rank_acceptability) == pytest.approx(
        np.array([[2 / 3, 1 / 3, 0], [0, 1 / 3, 2 / 3], [1 / 3, 1 / 3, 1 / 3]]), abs=0.02)
    assert result.central_weights[0] == pytest.approx([2 / 3, 1 / 3], abs=0.02)
    assert result.central_weights[1] is None
    assert result.central_weights[2] == pytest.approx([1 / 6, 5 / 6], abs=0.02)
    _sums_are_one(result.rank_acceptability)
    assert (result.samples, result.seed) == (10000, 7)


def test_smaa_within_weight_ranges_by_hand() -> None:
    # The same options with w2 in [.5, 1] (so w1 = 1 − w2 in [0, .5]): w2 is uniform on [.5, 1], and C is first when
    # w2 > 2/3, a share of (1 − 2/3)/.5 = 2/3; A first otherwise. B is always last (it needs w2 < 1/3).
    result = smaa([[2, 2], [1, 1], [0, 3]], weight_samples=10000, weight_ranges=[(0, 0.5), (0.5, 1)])
    assert [row[0] for row in result.rank_acceptability] == pytest.approx([1 / 3, 0, 2 / 3], abs=0.02)
    assert result.rank_acceptability[1][2] == 1.0
    for central in result.central_weights:
        assert central is None or (0 <= central[0] <= 0.5 and 0.5 <= central[1] <= 1)
    assert "within" in result.conventions["weights"]


def test_smaa_with_ranges_that_fix_the_weights() -> None:
    # Lower ends summing to 1 leave one weight vector, (.2, .8): A scores 2, B 1, C 2.4.
    result = smaa([[2, 2], [1, 1], [0, 3]], weight_samples=50, weight_ranges=[(0.2, 0.5), (0.8, 0.9)])
    assert result.rank_acceptability == [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    assert result.central_weights[2] == pytest.approx([0.2, 0.8])


def test_smaa_is_reproducible_with_its_seed() -> None:
    scores = [[0.3, 0.6, 0.1], [0.5, 0.2, 0.4], [0.4, 0.4, 0.4]]
    assert smaa(scores, seed=3) == smaa(scores, seed=3)
    assert smaa(scores, seed=3).rank_acceptability != smaa(scores, seed=4).rank_acceptability


@settings(max_examples=25)
@given(st.integers(min_value=1, max_value=5).flatmap(lambda criteria: st.lists(
    st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0]), min_size=criteria, max_size=criteria), min_size=1, max_size=5)))
def test_smaa_rows_and_columns_sum_to_one(scores: list[list[float]]) -> None:
    result = smaa(scores, weight_samples=300, seed=1)
    _sums_are_one(result.rank_acceptability)
    assert result.rank_acceptability[0][0] >= 0


# --- Conventions ---------------------------------------------------------------------------------------------------


def test_every_method_names_its_conventions() -> None:
    assert set(CONVENTIONS) == {"ahp_priorities", "aggregate_judgments", "weighted_sum", "topsis", "promethee_ii",
                                "break_even_weights", "smaa"}
    assert break_even_weights([[1, 0], [0, 1]], [1, 1]).conventions["method"] == CONVENTIONS["break_even_weights"]
    assert smaa([[1.0]], weight_samples=1).conventions["method"] == CONVENTIONS["smaa"]


# --- Input errors --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("matrix", "message"), [
    ([[1, 2, 3], [0.5, 1, 2]], "must be square; this one has 2 rows of 3 values"),
    ([[1, 2], [0.5]], "Row 2 has 1 values, but row 1 has 2"),
    ([[1, 0], [0, 1]], "above 0; row 1, column 2 is 0"),
    ([[1, -2], [-0.5, 1]], "above 0; row 1, column 2 is -2"),
    ([[2, 1], [1, 1]], "compared with itself must be 1; row 1 has 2"),
    ([[1, 3], [0.5, 1]], "must be reciprocal: row 1, column 2 is 3, so row 2, column 1 should be 1/3, not 0.5"),
    ([[1, 0.14, 1], [7, 1, 1], [1, 1, 1]], "must be reciprocal"),  # 0.14·7 = 0.98: off by more than 1 %
    ([[1, "2"], [0.5, 1]], "Row 1, column 2 must be a finite number, not 2"),
    ([[1, math.nan], [1, 1]], "must be a finite number, not nan"),
    ([], "at least one row and one column"),
    ([1, 2], "list of rows"),
])
def test_comparison_matrix_errors(matrix: Any, message: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=message.replace("(", r"\(")):
        ahp_priorities(matrix)


def test_rounded_reciprocals_within_the_tolerance_pass() -> None:
    assert ahp_priorities([[1, 0.333, 5], [3, 1, 7], [0.2, 0.143, 1]]).weights[1] > 0.5


def test_random_index_errors() -> None:
    three = [[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]]
    with translation.override("en"):
        with pytest.raises(ValueError, match="Unknown random index table saaty: use saaty1980"):
            ahp_priorities(three, random_index="saaty")
        with pytest.raises(ValueError, match="no value for 3 criteria"):
            ahp_priorities(three, random_index=[0, 0])
        with pytest.raises(ValueError, match="for 3 criteria must be a number above 0, not 0"):
            ahp_priorities(three, random_index=[0, 0, 0])
        with pytest.raises(ValueError, match="no value for 16 criteria"):
            ahp_priorities(np.ones((16, 16)))


def test_aggregate_errors() -> None:
    with translation.override("en"):
        with pytest.raises(ValueError, match="at least one comparison matrix"):
            aggregate_judgments([])
        with pytest.raises(ValueError, match="same number of criteria"):
            aggregate_judgments([[[1, 2], [0.5, 1]], [[1]]])
        with pytest.raises(ValueError, match=r"one weight per matrix \(2\), got 1"):
            aggregate_judgments([[[1]], [[1]]], weights=[1])
        with pytest.raises(ValueError, match="must be reciprocal"):
            aggregate_judgments([[[1, 2], [2, 1]]])


@pytest.mark.parametrize(("weights", "message"), [
    ([1], r"one weight per criterion \(2\), got 1"),
    ([1, -1], "numbers of at least 0, not -1"),
    ([1, math.inf], "numbers of at least 0, not inf"),
    ([0, 0], "At least one weight must be above 0"),
    ([True, 1], "numbers of at least 0, not True"),
])
def test_weight_errors(weights: list[float], message: str) -> None:
    with translation.override("en"):
        for call in (lambda: weighted_sum([[1, 2]], weights),
                     lambda: topsis([[1, 2], [2, 1]], weights, benefit=[True, True]),
                     lambda: promethee_ii([[1, 2], [2, 1]], weights, benefit=[True, True],
                                          functions=[{"type": "usual"}] * 2),
                     lambda: break_even_weights([[1, 2]], weights)):
            with pytest.raises(ValueError, match=message):
                call()


def test_topsis_errors() -> None:
    with translation.override("en"):
        with pytest.raises(ValueError, match=r"one benefit flag per criterion \(2\), got 1"):
            topsis([[1, 2]], [1, 1], benefit=[True])
        with pytest.raises(ValueError, match="true \\(higher is better\\) or false"):
            topsis([[1, 2]], [1, 1], benefit=[True, "cost"])  # type: ignore[list-item]
        with pytest.raises(ValueError, match="Criterion 2 is 0 for every option"):
            topsis([[1, 0], [2, 0]], [1, 1], benefit=[True, True])
        with pytest.raises(ValueError, match="All options are equal"):
            topsis([[1, 2], [1, 2]], [1, 1], benefit=[True, False])


@pytest.mark.parametrize(("function", "message"), [
    ({"type": "step"}, "Unknown preference function step for criterion 1: use usual"),
    ({}, "Unknown preference function None"),
    ({"type": "u-shape"}, "Criterion 1: the u-shape preference function needs the threshold q as a number"),
    ({"type": "linear", "q": 1}, "the linear preference function needs the threshold p"),
    ({"type": "gaussian", "s": "5"}, "needs the threshold s as a number"),
    ({"type": "u-shape", "q": -1}, "indifference threshold q must be at least 0, not -1"),
    ({"type": "v-shape", "p": 0}, r"threshold p must be above the indifference threshold q \(0\), not 0\."),
    ({"type": "level", "q": 2, "p": 2}, r"above the indifference threshold q \(2\), not 2\."),
    ({"type": "gaussian", "s": 0}, "Gaussian threshold s must be above 0, not 0"),
    ({"type": "usual", "sigma": 1}, "unknown preference function setting sigma"),
])
def test_preference_function_errors(function: dict[str, Any], message: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=message):
        promethee_ii([[1], [2]], [1], benefit=[True], functions=[function])


def test_promethee_shape_errors() -> None:
    with translation.override("en"):
        with pytest.raises(ValueError, match="at least two options"):
            promethee_ii([[1, 2]], [1, 1], benefit=[True, True], functions=[{"type": "usual"}] * 2)
        with pytest.raises(ValueError, match=r"one preference function per criterion \(2\), got 1"):
            promethee_ii([[1, 2], [2, 1]], [1, 1], benefit=[True, True], functions=[{"type": "usual"}])


def test_smaa_errors() -> None:
    scores = [[1, 2], [2, 1]]
    with translation.override("en"):
        for samples in (0, 1.5, True):
            with pytest.raises(ValueError, match="weight samples must be a whole number of at least 1"):
                smaa(scores, weight_samples=samples)  # type: ignore[arg-type]
        with pytest.raises(ValueError, match=r"one weight range per criterion \(2\), got 1"):
            smaa(scores, weight_ranges=[(0, 1)])
        low_end_last = r"criterion 2 must lie within 0 to 1 with its low end first, not 0\.6 to 0\.5"
        with pytest.raises(ValueError, match=low_end_last):
            smaa(scores, weight_ranges=[(0, 1), (0.6, 0.5)])
        with pytest.raises(ValueError, match="No weights that sum to 1"):
            smaa(scores, weight_ranges=[(0.6, 1), (0.6, 1)])
        with pytest.raises(ValueError, match="No weights that sum to 1"):
            smaa(scores, weight_ranges=[(0, 0.3), (0, 0.3)])
        with pytest.raises(ValueError, match="too little room"):
            smaa([[1] * 12], weight_samples=10, weight_ranges=[(0, 0.0835)] * 12)
