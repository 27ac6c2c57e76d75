"""The board's inputs to weights, rankings and robustness: small cases worked out by hand, brute force on random ones.

Where a figure is worked out here, the arithmetic is in the comment. The brute-force checks recompute what a result
claims from its definition (scan a weight on a fine grid, rank again without an option) rather than trusting mcda.py.
"""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

import numpy as np
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from evidens.strategy import mcda
from evidens.strategy.analysis import (
    DEFAULT_PREFERENCE,
    METHODS,
    SCALE_MAX,
    SCALE_MIN,
    IncompleteJudgements,
    IncompleteWeights,
    MemberWeights,
    ScoreEntry,
    ahp_weights,
    group_weights,
    points_weights,
    rankings,
    robustness,
    scenario_analysis,
    score_table,
)

# --- Direct and swing points ---------------------------------------------------------------------------------------


def test_direct_points_are_divided_by_their_sum() -> None:
    # 2 + 3 + 5 = 10 points; a zero is legal.
    weights = points_weights({"c": 2, "a": 3, "b": 5, "d": 0})
    assert list(weights) == ["c", "a", "b", "d"]  # the caller's order
    assert weights == pytest.approx({"c": 0.2, "a": 0.3, "b": 0.5, "d": 0.0})
    assert all(type(value) is float for value in weights.values())


def test_swing_points_by_hand() -> None:
    # 100 + 50 + 0 = 150: 2/3, 1/3, 0.
    assert points_weights({7: 100, 8: 50, 9: 0}, swing=True) == pytest.approx({7: 2 / 3, 8: 1 / 3, 9: 0})
    assert points_weights({7: 100}, swing=True) == {7: 1.0}


@pytest.mark.parametrize(("points", "message"), [
    ({"a": 90, "b": 50}, "the most important swing gets 100 points; the largest here is 90"),
    ({"a": 100, "b": 120}, "each criterion gets from 0 to 100 points, not 120"),
    ({"a": 100, "b": -1}, "each criterion gets from 0 to 100 points, not -1"),
    ({"a": 100.5, "b": 50}, "each criterion gets from 0 to 100 points, not 100.5"),
    ({"a": 0, "b": 0}, "the largest here is 0"),
])
def test_swing_refusals(points: dict[str, float], message: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=message):
        points_weights(points, swing=True)


@pytest.mark.parametrize(("points", "message"), [
    ({}, "There are no criteria to weight"),
    ({"a": 0, "b": 0}, "Give at least one criterion more than 0 points"),
    ({"a": -1, "b": 3}, "Points must be numbers of at least 0, not -1"),
    ({"a": math.nan}, "Points must be numbers of at least 0, not nan"),
    ({"a": True}, "Points must be numbers of at least 0, not True"),
    ({"a": "3"}, "Points must be numbers of at least 0, not 3"),
])
def test_direct_point_refusals(points: dict[str, Any], message: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=message):
        points_weights(points)


# --- AHP -----------------------------------------------------------------------------------------------------------


def test_consistent_judgements_by_hand() -> None:
    # a = 2b, b = 2c, a = 4c: weights 4 : 2 : 1 = 4/7, 2/7, 1/7; a consistent 3×3 has λmax = 3, CI = CR = 0.
    result = ahp_weights(["a", "b", "c"], {("a", "b"): 2, ("b", "c"): 2, ("a", "c"): 4})
    assert list(result.weights) == ["a", "b", "c"]
    assert result.weights == pytest.approx({"a": 4 / 7, "b": 2 / 7, "c": 1 / 7})
    assert result.lambda_max == pytest.approx(3)
    assert result.cr == pytest.approx(0, abs=1e-12)
    assert result.random_index == 0.58
    assert result.most_inconsistent is None
    assert result.acceptable is True
    assert result.conventions["random_index"] == "saaty1980"


def test_a_pair_may_be_given_in_either_direction_or_both() -> None:
    # (b, a) = 1/2 is the same judgement as (a, b) = 2; both given and reciprocal (0.5 · 2 = 1) is accepted too.
    expected = {"a": 4 / 7, "b": 2 / 7, "c": 1 / 7}
    reversed_pairs = {("b", "a"): 0.5, ("c", "b"): 0.5, ("c", "a"): 0.25}
    assert ahp_weights(["a", "b", "c"], reversed_pairs).weights == pytest.approx(expected)
    both = reversed_pairs | {("a", "b"): 2, ("a", "a"): 1}
    assert ahp_weights(["a", "b", "c"], both).weights == pytest.approx(expected)
    # 1/9 stored rounded as 0.111 passes (0.111 · 9 = 0.999).
    assert ahp_weights(["a", "b"], {("a", "b"): 0.111}).weights["b"] == pytest.approx(9 / 10, abs=1e-3)


def test_cyclic_judgements_by_hand() -> None:
    # a = 9b, b = 9c, c = 9a: the circulant matrix with rows (1, 9, 1/9) has λmax = its row sum 1 + 9 + 1/9 = 91/9
    # and equal weights; CI = (91/9 − 3)/2 = 32/9, CR = (32/9)/0.58 ≈ 6.13, far above 0.1.
    result = ahp_weights(["a", "b", "c"], {("a", "b"): 9, ("b", "c"): 9, ("c", "a"): 9})
    assert result.weights == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3})
    assert result.lambda_max == pytest.approx(91 / 9)
    assert result.ci == pytest.approx(32 / 9)
    assert result.cr == pytest.approx(32 / 9 / 0.58)
    assert result.acceptable is False


def test_the_judgement_to_revise_is_named_by_keys() -> None:
    # Saaty's 3×3 (a = 2b, b = 2c, but a = 8c): mcda names the pair by positions; here by the caller's keys.
    criteria = [31, 17, 23]
    result = ahp_weights(criteria, {(31, 17): 2, (17, 23): 2, (31, 23): 8})
    positional = mcda.ahp_priorities([[1, 2, 8], [1 / 2, 1, 2], [1 / 8, 1 / 2, 1]])
    assert positional.most_inconsistent is not None
    first, second = positional.most_inconsistent
    assert result.most_inconsistent == (criteria[first], criteria[second])
    assert result.cr == pytest.approx(positional.cr)
    assert result.acceptable == (positional.cr <= mcda.CONSISTENCY_RATIO_LIMIT)


def test_missing_judgements_are_named() -> None:
    with pytest.raises(IncompleteJudgements) as caught:
        ahp_weights(["a", "b", "c", "d"], {("a", "b"): 3, ("c", "a"): 1})
    assert caught.value.missing == [("a", "d"), ("b", "c"), ("b", "d"), ("c", "d")]
    assert isinstance(caught.value, ValueError)
    with translation.override("en"):
        with pytest.raises(IncompleteJudgements, match=r"^4 pairs of criteria have not been compared.$"):
            ahp_weights(["a", "b", "c", "d"], {("a", "b"): 3, ("c", "a"): 1})
        with pytest.raises(IncompleteJudgements, match=r"^1 pair of criteria has not been compared.$"):
            ahp_weights(["a", "b", "c"], {("a", "b"): 3, ("c", "a"): 1})


def test_judgements_about_other_criteria_are_left_out() -> None:
    # "z" was withdrawn: its judgements do not count, the rest still gives a = 3b.
    result = ahp_weights(["a", "b"], {("a", "b"): 3, ("a", "z"): 9, ("z", "b"): 5})
    assert result.weights == pytest.approx({"a": 0.75, "b": 0.25})


def test_one_criterion() -> None:
    result = ahp_weights(["only"], {})
    assert result.weights == {"only": 1.0}
    assert (result.cr, result.ci, result.most_inconsistent, result.acceptable) == (0.0, 0.0, None, True)


@pytest.mark.parametrize(("judgements", "message"), [
    ({("a", "b"): 3, ("b", "a"): 0.5}, "judged both ways, 0.5 one way and 3 the other"),
    ({("a", "b"): 10}, "a number from 1/9 to 9, not 10"),
    ({("a", "b"): 0.1}, "a number from 1/9 to 9, not 0.1"),
    ({("a", "b"): 0}, "a number from 1/9 to 9, not 0"),
    ({("a", "b"): math.inf}, "a number from 1/9 to 9, not inf"),
    ({("a", "b"): 2, ("a", "a"): 2}, "compared with itself must be 1, not 2"),
])
def test_judgement_refusals(judgements: dict[tuple[str, str], float], message: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=message):
        ahp_weights(["a", "b"], judgements)


def test_no_criteria_and_repeated_criteria() -> None:
    with translation.override("en"), pytest.raises(ValueError, match="There are no criteria to weight"):
        ahp_weights([], {})
    with pytest.raises(ValueError, match="listed once"):
        ahp_weights(["a", "a"], {})


# --- Group weights -------------------------------------------------------------------------------------------------


def _ahp_member(member: str, judgements: dict[tuple[str, str], float], criteria: list[str]) -> MemberWeights[Any]:
    return MemberWeights(member=member, method="ahp", weights=ahp_weights(criteria, judgements).weights,
                         judgements=judgements)


def test_group_judgements_by_hand() -> None:
    # Member 1: a:b = 2, b:c = 2, a:c = 2 (inconsistent); member 2: a:b = 2, b:c = 2, a:c = 8 (inconsistent).
    # Geometric means: a:b = √(2·2) = 2, b:c = 2, a:c = √(2·8) = 4: consistent, so the weights are 4/7, 2/7, 1/7.
    criteria = ["a", "b", "c"]
    members = [_ahp_member("m1", {("a", "b"): 2, ("b", "c"): 2, ("a", "c"): 2}, criteria),
               _ahp_member("m2", {("a", "b"): 2, ("b", "c"): 2, ("a", "c"): 8}, criteria)]
    result = group_weights(criteria, members)
    assert result.aggregation == "judgements"
    assert result.members == ["m1", "m2"]
    assert list(result.weights) == criteria
    assert result.weights == pytest.approx({"a": 4 / 7, "b": 2 / 7, "c": 1 / 7})
    assert result.aggregated is not None
    assert result.aggregated.cr == pytest.approx(0, abs=1e-12)
    assert result.aggregated.most_inconsistent is None
    assert "AIJ" in result.conventions["aggregation"]
    # Both members are inconsistent but the group's matrix is not: it is the matrix of the mean judgements.
    assert all(ahp_weights(criteria, member.judgements or {}).cr > 0.01 for member in members)


def test_group_judgements_and_priorities_agree_on_consistent_members_by_hand() -> None:
    # Member 1: a = 2b, b = 2c, a = 4c → 4/7, 2/7, 1/7. Member 2: a = 8b, b = c/2, a = 4c → 8 : 1 : 2 = 8/11, 1/11,
    # 2/11. AIJ: a:b = √16 = 4, b:c = √1 = 1, a:c = √16 = 4 → 4 : 1 : 1. AIP: √(4/7·8/11) : √(2/7·1/11) :
    # √(1/7·2/11) = √32 : √2 : √2 = 4 : 1 : 1. Both 2/3, 1/6, 1/6.
    criteria = ["a", "b", "c"]
    members = [_ahp_member("m1", {("a", "b"): 2, ("b", "c"): 2, ("a", "c"): 4}, criteria),
               _ahp_member("m2", {("a", "b"): 8, ("b", "c"): 0.5, ("a", "c"): 4}, criteria)]
    expected = {"a": 2 / 3, "b": 1 / 6, "c": 1 / 6}
    assert group_weights(criteria, members).weights == pytest.approx(expected)
    mixed = [members[0], MemberWeights("m2", "direct", {"a": 8, "b": 1, "c": 2})]
    result = group_weights(criteria, mixed)
    assert (result.aggregation, result.mean, result.aggregated) == ("priorities", "geometric", None)
    assert result.weights == pytest.approx(expected)


@st.composite
def _consistent_boards(draw: st.DrawFn) -> tuple[list[str], list[list[int]]]:
    criteria = [f"c{index}" for index in range(draw(st.integers(min_value=2, max_value=5)))]
    # Weights 1..3 keep every ratio within Saaty's 1/9..9.
    members = draw(st.lists(st.lists(st.integers(min_value=1, max_value=3), min_size=len(criteria),
                                     max_size=len(criteria)), min_size=1, max_size=4))
    return criteria, members


@settings(max_examples=60)
@given(_consistent_boards())
def test_judgements_and_priorities_agree_on_consistent_members(board: tuple[list[str], list[list[int]]]) -> None:
    # A consistent matrix gives back its weights, and the geometric mean of consistent matrices is the consistent
    # matrix of the geometric mean of the weights, so AIJ and AIP (geometric) agree.
    criteria, raw = board
    ahp_members = [MemberWeights(member=index, method="ahp", weights=dict(zip(criteria, weights, strict=True)),
                                 judgements={(a, b): weights[i] / weights[j] for (i, a), (j, b)
                                             in itertools.combinations(enumerate(criteria), 2)})
                   for index, weights in enumerate(raw)]
    direct_members = [MemberWeights(member.member, "direct", member.weights) for member in ahp_members]
    by_judgements = group_weights(criteria, ahp_members)
    by_priorities = group_weights(criteria, direct_members)
    assert by_judgements.aggregation == "judgements"
    assert by_priorities.aggregation == "priorities"
    geometric = [math.prod(weights[j] / sum(weights) for weights in raw) ** (1 / len(raw))
                 for j in range(len(criteria))]
    expected = {criterion: value / sum(geometric) for criterion, value in zip(criteria, geometric, strict=True)}
    assert by_judgements.weights == pytest.approx(expected)
    assert by_priorities.weights == pytest.approx(expected)


def test_priorities_by_the_geometric_mean_by_hand() -> None:
    # (.5, .3, .2) and (.2, .3, .5): √.1 = .316228, √.09 = .3, √.1; sum .932456 → .339134, .321731, .339134.
    members = [MemberWeights("m1", "direct", {"a": 5, "b": 3, "c": 2}),
               MemberWeights("m2", "swing", {"a": 40, "b": 60, "c": 100})]
    result = group_weights(["a", "b", "c"], members)
    assert (result.aggregation, result.mean) == ("priorities", "geometric")
    assert result.weights == pytest.approx({"a": 0.339134, "b": 0.321731, "c": 0.339134}, abs=1e-6)
    assert sum(result.weights.values()) == pytest.approx(1)


def test_a_zero_weight_turns_to_the_arithmetic_mean() -> None:
    # Points (5, 5, 0) → (.5, .5, 0); (.2, .3, .5). The geometric mean would give c 0 whatever member 2 said; the
    # arithmetic mean gives (.35, .4, .25).
    members = [MemberWeights("m1", "direct", {"a": 5, "b": 5, "c": 0}),
               MemberWeights("m2", "direct", {"a": 0.2, "b": 0.3, "c": 0.5})]
    result = group_weights(["a", "b", "c"], members)
    assert (result.aggregation, result.mean) == ("priorities", "arithmetic")
    assert result.weights == pytest.approx({"a": 0.35, "b": 0.4, "c": 0.25})
    assert "weight 0" in result.conventions["aggregation"]


def test_an_ahp_member_with_gaps_sends_the_group_to_priorities() -> None:
    # m2 judged only a:b, so AIJ is impossible; its stored weights (.5, .5) are used: √(.8·.5) : √(.2·.5) = 2 : 1.
    members = [_ahp_member("m1", {("a", "b"): 4}, ["a", "b"]),
               MemberWeights("m2", "ahp", {"a": 0.5, "b": 0.5}, judgements={("a", "z"): 3})]
    result = group_weights(["a", "b"], members)
    assert result.aggregation == "priorities"
    assert result.weights == pytest.approx({"a": 2 / 3, "b": 1 / 3})


def test_group_weight_refusals() -> None:
    with translation.override("en"):
        with pytest.raises(ValueError, match="No member has weighted the criteria yet"):
            group_weights(["a"], [])
        with pytest.raises(IncompleteWeights, match=r"^1 member has not weighted every criterion.$") as caught:
            group_weights(["a", "b"], [MemberWeights("m1", "direct", {"a": 1, "b": 1}),
                                       MemberWeights("m2", "direct", {"a": 1})])
        assert caught.value.members == ["m2"]
        with pytest.raises(ValueError, match="At least one weight must be above 0"):
            group_weights(["a"], [MemberWeights("m1", "direct", {"a": 0, "z": 3})])
        with pytest.raises(ValueError, match="judged both ways"):
            group_weights(["a", "b"], [MemberWeights("m1", "ahp", {}, judgements={("a", "b"): 3, ("b", "a"): 3})])
    with pytest.raises(ValueError, match="listed once"):
        group_weights(["a"], [MemberWeights("m1", "direct", {"a": 1}), MemberWeights("m1", "direct", {"a": 2})])
    with pytest.raises(ValueError, match="weight method"):
        MemberWeights("m1", "points", {"a": 1})


# --- Score table ---------------------------------------------------------------------------------------------------


def test_score_table_by_hand() -> None:
    entries = [ScoreEntry("m1", "o1", "c1", 4), ScoreEntry("m1", "o1", "c2", 2), ScoreEntry("m1", "o2", "c1", 5),
               ScoreEntry("m2", "o1", "c1", 3), ScoreEntry("m2", "o1", "c2", 5),
               ScoreEntry("former", "o2", "c2", 1),  # not a listed member: left out
               ScoreEntry("m1", "withdrawn", "c1", 1)]
    table = score_table(["o1", "o2"], ["c1", "c2"], ["m1", "m2", "m3"], entries)
    cells = [("o1", "c1"), ("o1", "c2"), ("o2", "c1"), ("o2", "c2")]
    assert list(table.mean) == cells
    # o1/c1: (4 + 3)/2 = 3.5; o1/c2: (2 + 5)/2 = 3.5; o2/c1: 5 from m1 alone; o2/c2: nobody.
    assert table.mean == {("o1", "c1"): 3.5, ("o1", "c2"): 3.5, ("o2", "c1"): 5.0, ("o2", "c2"): None}
    assert table.count == {("o1", "c1"): 2, ("o1", "c2"): 2, ("o2", "c1"): 1, ("o2", "c2"): 0}
    assert table.low == {("o1", "c1"): 3, ("o1", "c2"): 2, ("o2", "c1"): 5, ("o2", "c2"): None}
    assert table.high == {("o1", "c1"): 4, ("o1", "c2"): 5, ("o2", "c1"): 5, ("o2", "c2"): None}
    assert table.missing == [("m1", "o2", "c2"), ("m2", "o2", "c1"), ("m2", "o2", "c2"),
                             ("m3", "o1", "c1"), ("m3", "o1", "c2"), ("m3", "o2", "c1"), ("m3", "o2", "c2")]
    assert table.complete is False
    assert (table.options, table.criteria) == (["o1", "o2"], ["c1", "c2"])


def test_score_table_complete_with_a_mean_of_three() -> None:
    # (3 + 4 + 4)/3 = 11/3; every cell scored by someone, though m2 skipped one.
    entries = [ScoreEntry(1, 10, 100, 3), ScoreEntry(2, 10, 100, 4), ScoreEntry(3, 10, 100, 4),
               ScoreEntry(1, 11, 100, 2.5)]
    table = score_table([10, 11], [100], [1, 2, 3], entries)
    assert table.mean == {(10, 100): pytest.approx(11 / 3), (11, 100): 2.5}
    assert table.complete is True
    assert table.missing == [(2, 11, 100), (3, 11, 100)]


def test_score_table_refusals() -> None:
    with translation.override("en"):
        wrong: list[Any] = [0, 6, 5.5, math.nan, "3"]
        for value in wrong:
            with pytest.raises(ValueError, match=f"A score must be a number from {SCALE_MIN} to {SCALE_MAX}"):
                score_table(["o"], ["c"], ["m"], [ScoreEntry("m", "o", "c", value)])
    with pytest.raises(ValueError, match="twice"):
        score_table(["o"], ["c"], ["m"], [ScoreEntry("m", "o", "c", 3), ScoreEntry("m", "o", "c", 4)])


# --- Rankings ------------------------------------------------------------------------------------------------------

# X costs much and does much, Y costs little and does less: impact (benefit) X 4, Y 3; cost (cost) X 4, Y 1.
TWO = {("X", "impact"): 4, ("X", "cost"): 4, ("Y", "impact"): 3, ("Y", "cost"): 1}
BENEFIT = {"impact": True, "cost": False}


def test_rankings_by_hand_with_a_cost_criterion() -> None:
    results = rankings(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1, "cost": 1}, benefit=BENEFIT)
    assert [result.method for result in results] == list(METHODS)
    by_method = {result.method: result for result in results}
    # Weighted sum: cost reversed to 1 + 5 − s: X 2, Y 5. X = (4 + 2)/2 = 3, Y = (3 + 5)/2 = 4.
    assert by_method["weighted_sum"].values == pytest.approx({"X": 3, "Y": 4})
    # TOPSIS on raw scores: impact length √(16 + 9) = 5, cost √(16 + 1) = √17; times weight ½: impact X .4, Y .3;
    # cost X 2/√17 = .485071, Y .5/√17 = .121268. Ideal (.4, .121268), anti-ideal (.3, .485071).
    # X: S+ = .363803, S− = .1 → .1/.463803 = .215609. Y: S+ = .1, S− = .363803 → .784391.
    assert by_method["topsis"].values == pytest.approx({"X": 0.215609, "Y": 0.784391}, abs=1e-6)
    # PROMETHEE, linear q = .5, p = 2: impact d(X, Y) = 1 → (1 − .5)/1.5 = 1/3; cost negated, d(Y, X) = 3 → 1.
    # π(X, Y) = ½·⅓ = 1/6, π(Y, X) = ½·1 = ½; n − 1 = 1: φ(X) = 1/6 − ½ = −1/3, φ(Y) = 1/3.
    assert by_method["promethee_ii"].values == pytest.approx({"X": -1 / 3, "Y": 1 / 3})
    for result in results:
        assert result.order == ["Y", "X"]
        assert list(result.values) == ["X", "Y"]
        assert result.conventions["method"] == mcda.CONVENTIONS[result.method]
        assert all(type(value) is float for value in result.values.values())
    assert "1 + 5 - s" in by_method["weighted_sum"].conventions["cost criteria"]
    assert by_method["promethee_ii"].conventions["preference functions"] == (
        "impact: linear q=0.5 p=2.0; cost: linear q=0.5 p=2.0")


def test_a_reversed_cost_criterion_stays_on_the_scale() -> None:
    # One cost criterion: score 1 counts as 5, 5 as 1, 2 as 4. As a benefit criterion the order turns round.
    table = {("cheap", "c"): 1, ("dear", "c"): 5, ("middle", "c"): 2}
    options = ["cheap", "dear", "middle"]
    cost = rankings(options, ["c"], table, {"c": 1}, benefit={"c": False})[0]
    assert cost.values == {"cheap": 5.0, "dear": 1.0, "middle": 4.0}
    assert cost.order == ["cheap", "middle", "dear"]
    assert rankings(options, ["c"], table, {"c": 1}, benefit={"c": True})[0].order == ["dear", "middle", "cheap"]
    for result in rankings(options, ["c"], table, {"c": 1}, benefit={"c": False}):
        assert result.order == ["cheap", "middle", "dear"]


def test_a_preference_function_per_criterion() -> None:
    # Usual on impact: d(X, Y) = 1 > 0 → 1. Cost as before → 1 for Y. π(X, Y) = π(Y, X) = ½: both flows 0, a tie
    # kept in the caller's order.
    results = rankings(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1, "cost": 1}, benefit=BENEFIT,
                       preference={"impact": {"type": "usual"}})
    promethee = results[2]
    assert promethee.values == pytest.approx({"X": 0, "Y": 0})
    assert promethee.order == ["X", "Y"]
    assert promethee.conventions["preference functions"] == "impact: usual; cost: linear q=0.5 p=2.0"
    assert DEFAULT_PREFERENCE == {"type": "linear", "q": 0.5, "p": 2.0}


def test_equal_options_tie_in_every_method_in_the_callers_order() -> None:
    # B and C are equal on the weighted criterion; the criterion with weight 0 differs but does not count, so TOPSIS
    # is 0/0 and gives each 0.5, PROMETHEE 0, weighted sum 3.
    table = {("B", "w"): 3, ("B", "unweighted"): 1, ("C", "w"): 3, ("C", "unweighted"): 5}
    results = rankings(["C", "B"], ["w", "unweighted"], table, {"w": 2, "unweighted": 0},
                       benefit={"w": True, "unweighted": True})
    assert [result.values for result in results] == [{"C": 3.0, "B": 3.0}, {"C": 0.5, "B": 0.5},
                                                     {"C": 0.0, "B": 0.0}]
    assert all(result.order == ["C", "B"] for result in results)


def test_ties_keep_the_callers_order_among_others() -> None:
    # Values 2, 4, 2, 4: the 4s first in the caller's order, then the 2s.
    table = {(option, "c"): value for option, value in zip("pqrs", [2, 4, 2, 4], strict=True)}
    for result in rankings(list("pqrs"), ["c"], table, {"c": 1}, benefit={"c": True}):
        assert result.order == ["q", "s", "p", "r"]


def test_ranking_refusals() -> None:
    with translation.override("en"):
        with pytest.raises(ValueError, match=r"^2 scores are missing: every option needs a score on every criterion"):
            rankings(["X", "Y"], ["impact", "cost"], {("X", "impact"): 4, ("X", "cost"): 4, ("Y", "impact"): None},
                     {"impact": 1, "cost": 1}, benefit=BENEFIT)
        with pytest.raises(ValueError, match=r"^1 score is missing"):
            rankings(["X", "Y"], ["impact"], {("X", "impact"): 4}, {"impact": 1}, benefit=BENEFIT)
        with pytest.raises(ValueError, match="At least two options are needed"):
            rankings(["X"], ["impact"], {("X", "impact"): 4}, {"impact": 1}, benefit=BENEFIT)
        with pytest.raises(ValueError, match="At least one criterion is needed"):
            rankings(["X", "Y"], [], {}, {}, benefit={})
        with pytest.raises(ValueError, match="A score must be a number from 1 to 5, not 7"):
            rankings(["X", "Y"], ["impact"], {("X", "impact"): 7, ("Y", "impact"): 1}, {"impact": 1},
                     benefit=BENEFIT)
        with pytest.raises(ValueError, match="At least one weight must be above 0"):
            rankings(["X", "Y"], ["impact", "cost"], TWO, {"impact": 0, "cost": 0}, benefit=BENEFIT)
        whole_numbers: dict[str, Any] = {"impact": 1, "cost": 0}
        with pytest.raises(ValueError, match="benefit flag must be true"):
            rankings(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1, "cost": 1}, benefit=whole_numbers)
        with pytest.raises(ValueError, match="Unknown preference function"):
            rankings(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1, "cost": 1}, benefit=BENEFIT,
                     preference={"cost": {"type": "step"}})
    with pytest.raises(ValueError, match="no weight for criterion 'cost'"):
        rankings(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1}, benefit=BENEFIT)
    with pytest.raises(ValueError, match="no benefit flag for criterion 'cost'"):
        rankings(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1, "cost": 1}, benefit={"impact": True})


# --- Robustness ----------------------------------------------------------------------------------------------------


def test_robustness_by_hand() -> None:
    # A = (5, 1), B = (1, 5), C = (2, 2), weights 3 : 2 = .6, .4. A = 3 + .4 = 3.4, B = .6 + 2 = 2.6, C = 2:
    # margin .8. Criterion 1 at t: A = 5t + (1 − t) = 1 + 4t, B = t + 5(1 − t) = 5 − 4t, C = 2; B leads below
    # t = .5 and C never leads A; criterion 2 mirrors it.
    table = {("A", "k1"): 5, ("A", "k2"): 1, ("B", "k1"): 1, ("B", "k2"): 5, ("C", "k1"): 2, ("C", "k2"): 2}
    result = robustness(["A", "B", "C"], ["k1", "k2"], table, {"k1": 3, "k2": 2},
                        benefit={"k1": True, "k2": True},
                        member_weights={"m1": {"k1": 1, "k2": 0}, "m2": {"k1": 0, "k2": 4}, "m3": {"k1": 1, "k2": 1}},
                        samples=2000, seed=3)
    assert (result.top, result.runner_up) == ("A", "B")
    assert result.margin == pytest.approx(0.8)
    first, second = result.break_even
    assert (first.criterion, first.weight, first.up, first.up_option) == ("k1", pytest.approx(0.6), None, None)
    assert (first.down, first.down_option) == (pytest.approx(0.5), "B")
    assert (second.criterion, second.weight, second.up, second.up_option) == ("k2", pytest.approx(0.4),
                                                                              pytest.approx(0.5), "B")
    assert (second.down, second.down_option) == (None, None)
    # m1 weighs only k1: A 5, C 2, B 1. m2 only k2: B 5, C 2, A 1. m3 equally: A 3, B 3, C 2 (A before B, a tie).
    assert result.members == {"m1": ["A", "C", "B"], "m2": ["B", "C", "A"], "m3": ["A", "B", "C"]}
    # C = 2 < (A + B)/2 = 3 ≤ max(A, B) under any weights: never first. A first when w1 > .5, B when w1 < .5.
    assert result.smaa["C"][0] == 0
    assert result.central_weights["C"] is None
    assert result.smaa["A"][0] == pytest.approx(0.5, abs=0.05)
    central_a = result.central_weights["A"]
    assert central_a is not None and list(central_a) == ["k1", "k2"]
    assert central_a["k1"] == pytest.approx(0.75, abs=0.02)  # mean of w1 uniform on (.5, 1)
    assert (result.samples, result.seed) == (2000, 3)
    assert set(result.conventions) == {"values", "margin", "break_even", "smaa", "removal", "members"}


def test_smaa_is_mcda_smaa_on_the_reversed_scores() -> None:
    # Reversing a cost criterion by hand (6 − s) and calling mcda.smaa gives the same acceptabilities.
    table = {("X", "impact"): 4, ("X", "cost"): 4, ("Y", "impact"): 3, ("Y", "cost"): 1, ("Z", "impact"): 2,
             ("Z", "cost"): 2}
    result = robustness(["X", "Y", "Z"], ["impact", "cost"], table, {"impact": 1, "cost": 1}, benefit=BENEFIT,
                        member_weights={}, samples=500, seed=7)
    reference = mcda.smaa([[4, 2], [3, 5], [2, 4]], weight_samples=500, seed=7)
    assert result.smaa == dict(zip("XYZ", reference.rank_acceptability, strict=True))
    for option, acceptability in result.smaa.items():
        assert sum(acceptability) == pytest.approx(1), option
    assert result.members == {}


def test_robustness_with_two_options_removes_down_to_one() -> None:
    result = robustness(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1, "cost": 1}, benefit=BENEFIT,
                        member_weights={}, samples=10)
    assert [removal.removed for removal in result.removal] == ["X", "Y"]
    assert result.removal[0].orders == {method: ["Y"] for method in METHODS}
    assert result.removal[1].orders == {method: ["X"] for method in METHODS}
    assert not any(any(removal.changed.values()) for removal in result.removal)


def test_robustness_refusals() -> None:
    with translation.override("en"):
        with pytest.raises(ValueError, match="At least two options are needed"):
            robustness(["X"], ["impact"], {("X", "impact"): 4}, {"impact": 1}, benefit=BENEFIT, member_weights={})
        with pytest.raises(IncompleteWeights, match=r"^2 members have not weighted every criterion.$") as caught:
            robustness(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1, "cost": 1}, benefit=BENEFIT,
                       member_weights={"m1": {"impact": 1}, "m2": {"impact": 1, "cost": 1}, "m3": {}}, samples=10)
        assert caught.value.members == ["m1", "m3"]


def _random_case(generator: random.Random, *, options: tuple[int, int], criteria: tuple[int, int],
                 whole: bool = True) -> dict[str, Any]:
    """Random options × criteria with whole scores (ties and rank reversals are common) or real ones (ties are not)."""
    option_keys = [f"o{index}" for index in range(generator.randint(*options))]
    criterion_keys = [100 + index for index in range(generator.randint(*criteria))]
    table = {(option, criterion): generator.randint(SCALE_MIN, SCALE_MAX) if whole
             else generator.uniform(SCALE_MIN, SCALE_MAX) for option in option_keys for criterion in criterion_keys}
    weights = {criterion: generator.randint(0, 5) for criterion in criterion_keys}
    if not any(weights.values()):
        weights[criterion_keys[0]] = 1
    benefit = {criterion: generator.random() < 0.7 for criterion in criterion_keys}
    return {"options": option_keys, "criteria": criterion_keys, "table": table, "weights": weights,
            "benefit": benefit}


def _values_at(case: dict[str, Any], criterion_index: int, weights: np.ndarray) -> np.ndarray:
    """Weighted-sum values (a row per weight t, a column per option) with criterion ``criterion_index`` at weight t
    and the others rescaled to sum 1 − t.

    Recomputed from the definition: cost scores reversed as 6 − s, the other weights in proportion (equal shares of
    1 − t when they are all 0).
    """
    criteria = case["criteria"]
    scores = np.array([[case["table"][(option, criterion)] if case["benefit"][criterion]
                        else 6 - case["table"][(option, criterion)] for criterion in criteria]
                       for option in case["options"]], dtype=float)
    raw = np.array([case["weights"][criterion] for criterion in criteria], dtype=float)
    others = np.delete(raw, criterion_index)
    proportions = others / others.sum() if others.sum() > 0 else np.full(len(others), 1 / len(others))
    t = np.asarray(weights, dtype=float)[:, np.newaxis]
    shares = np.insert((1 - t) * proportions, [criterion_index], t, axis=1)  # one weight vector per row
    return np.asarray(shares @ scores.T)


def test_break_even_weights_agree_with_a_fine_grid() -> None:
    # Between the current weight and `up` (or 1) no option scores strictly above the top; just beyond `up` the
    # named option does, and stays above to t = 1 (its lead is linear in t). Likewise downwards. Real scores, so no
    # two options tie exactly (see the next test for exact ties).
    generator = random.Random(20240611)
    grid = np.linspace(0, 1, 2001)
    step, tolerance = 1e-6, 1e-12
    checked = 0
    for _case in range(300):
        case = _random_case(generator, options=(2, 5), criteria=(2, 4), whole=False)
        result = robustness(case["options"], case["criteria"], case["table"], case["weights"],
                            benefit=case["benefit"], member_weights={}, samples=10)
        top = case["options"].index(result.top)
        for index, entry in enumerate(result.break_even):
            assert entry.criterion == case["criteria"][index]
            at_weight = _values_at(case, index, np.array([entry.weight]))[0]
            assert at_weight.max() - at_weight[top] <= tolerance
            for end, option, upward in ((entry.up, entry.up_option, True), (entry.down, entry.down_option, False)):
                if upward:
                    calm = grid[(grid >= entry.weight) & (grid <= (1 if end is None else end - step))]
                else:
                    calm = grid[(grid >= (0 if end is None else end + step)) & (grid <= entry.weight)]
                values = _values_at(case, index, calm)
                assert (values.max(axis=1) - values[:, top] <= tolerance).all(), (case, index)
                if end is None:
                    assert option is None
                    continue
                checked += 1
                assert option is not None
                just_beyond = end + step if upward else end - step
                beyond = np.append(grid[grid >= just_beyond] if upward else grid[grid <= just_beyond], just_beyond)
                values = _values_at(case, index, beyond)
                assert (values[:, case["options"].index(option)] > values[:, top] + tolerance).all(), (case, index)
    assert checked > 100  # the random cases do reach break-even points


def test_break_even_ignores_rounding_between_coinciding_options() -> None:
    # Weights 4 : 1 : 2. With the second weight at t the others share 1 − t as 4 : 2, and P, Q and R all score 1 on
    # the second criterion and (4·4 + 3·2)/6 = (3·4 + 5·2)/6 = (5·4 + 1·2)/6 = 11/3 on the rest: the same line
    # t + 11/3·(1 − t) for all three, so none ever leads another and the second criterion has no break-even point.
    table = {("P", "k1"): 4, ("P", "k2"): 1, ("P", "k3"): 3, ("Q", "k1"): 3, ("Q", "k2"): 1, ("Q", "k3"): 5,
             ("R", "k1"): 5, ("R", "k2"): 1, ("R", "k3"): 1}
    result = robustness(["P", "Q", "R"], ["k1", "k2", "k3"], table, {"k1": 4, "k2": 1, "k3": 2},
                        benefit=dict.fromkeys(["k1", "k2", "k3"], True), member_weights={}, samples=10)
    assert (result.break_even[1].down, result.break_even[1].up) == (None, None)


def test_options_tied_but_for_rounding_keep_the_callers_order() -> None:
    # Weights 7 : 3 : 3: A = (7·5 + 3·2 + 3·1)/13 = 44/13 and B = (7·2 + 3·5 + 3·5)/13 = 44/13 tie exactly, though
    # in floating point B's sum comes out a last bit higher; A is listed first. S = 1.
    table = {("A", "k1"): 5, ("A", "k2"): 2, ("A", "k3"): 1, ("B", "k1"): 2, ("B", "k2"): 5, ("B", "k3"): 5,
             ("S", "k1"): 1, ("S", "k2"): 1, ("S", "k3"): 1}
    options, criteria = ["A", "B", "S"], ["k1", "k2", "k3"]
    weights, benefit = {"k1": 7, "k2": 3, "k3": 3}, dict.fromkeys(criteria, True)
    weighted_sum = rankings(options, criteria, table, weights, benefit=benefit)[0]
    assert weighted_sum.values == pytest.approx({"A": 44 / 13, "B": 44 / 13, "S": 1})
    assert weighted_sum.order == ["A", "B", "S"]
    result = robustness(options, criteria, table, weights, benefit=benefit, member_weights={}, samples=10)
    assert (result.top, result.runner_up, result.margin) == ("A", "B", 0.0)


def test_removal_agrees_with_ranking_again() -> None:
    generator = random.Random(7)
    changed = dict.fromkeys(METHODS, 0)
    for _case in range(120):
        case = _random_case(generator, options=(3, 5), criteria=(1, 4))
        full = {ranking.method: ranking.order for ranking in rankings(
            case["options"], case["criteria"], case["table"], case["weights"], benefit=case["benefit"])}
        result = robustness(case["options"], case["criteria"], case["table"], case["weights"],
                            benefit=case["benefit"], member_weights={}, samples=10)
        assert [removal.removed for removal in result.removal] == case["options"]
        for removal in result.removal:
            rest = [option for option in case["options"] if option != removal.removed]
            again = {ranking.method: ranking.order for ranking in rankings(
                rest, case["criteria"], case["table"], case["weights"], benefit=case["benefit"])}
            assert removal.orders == again
            for method in METHODS:
                struck = [option for option in full[method] if option != removal.removed]
                assert removal.changed[method] == (again[method] != struck)
                changed[method] += removal.changed[method]
    # Weighted sum values do not depend on the other options, so its order never changes; TOPSIS (normalisation,
    # ideal point) and PROMETHEE (pairwise flows) can reverse ranks, and on these cases they do.
    assert changed["weighted_sum"] == 0
    assert changed["topsis"] > 0
    assert changed["promethee_ii"] > 0


def test_members_orders_agree_with_the_weighted_sum_by_hand() -> None:
    # m1 weighs impact only: X 4, Y 3. m2 cost only (reversed): X 2, Y 5.
    result = robustness(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1, "cost": 1}, benefit=BENEFIT,
                        member_weights={"m1": {"impact": 1, "cost": 0}, "m2": {"impact": 0, "cost": 3}}, samples=10)
    assert result.members == {"m1": ["X", "Y"], "m2": ["Y", "X"]}


def test_robustness_is_reproducible_with_its_seed() -> None:
    def run(seed: int) -> dict[str, list[float]]:
        return robustness(["X", "Y"], ["impact", "cost"], TWO, {"impact": 1, "cost": 1}, benefit=BENEFIT,
                          member_weights={}, samples=300, seed=seed).smaa

    assert run(5) == run(5)
    assert run(5) != run(6)


# --- Scenarios -----------------------------------------------------------------------------------------------------


def test_scenarios_by_hand() -> None:
    # A (10, 2), B (6, 6), C (7, 3). Worst: A 2, B 6, C 3 → maximin B, C, A. Best per scenario: s1 10, s2 6.
    # Regret s1: A 0, B 4, C 3; s2: A 4, B 0, C 3. Max regret A 4, B 4, C 3 → C, then A before B (a tie).
    values = {("A", "s1"): 10, ("A", "s2"): 2, ("B", "s1"): 6, ("B", "s2"): 6, ("C", "s1"): 7, ("C", "s2"): 3}
    result = scenario_analysis(["A", "B", "C"], ["s1", "s2"], values)
    assert result.worst == {"A": 2, "B": 6, "C": 3}
    assert result.maximin == ["B", "C", "A"]
    assert result.regret == {("A", "s1"): 0, ("A", "s2"): 4, ("B", "s1"): 4, ("B", "s2"): 0, ("C", "s1"): 3,
                             ("C", "s2"): 3}
    assert result.max_regret == {"A": 4, "B": 4, "C": 3}
    assert result.minimax_regret == ["C", "A", "B"]
    assert all(type(value) is float for value in result.regret.values())


def test_scenario_refusals() -> None:
    with translation.override("en"):
        with pytest.raises(ValueError, match="at least one option and one scenario"):
            scenario_analysis(["A"], [], {})
        with pytest.raises(ValueError, match=r"^1 value is missing: every option needs a value in every scenario"):
            scenario_analysis(["A", "B"], ["s"], {("A", "s"): 1})
        with pytest.raises(ValueError, match="Each value must be a finite number, not nan"):
            scenario_analysis(["A"], ["s"], {("A", "s"): math.nan})
