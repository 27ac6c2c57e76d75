"""Inter-coder agreement: alpha and kappa against published worked examples, coded ranges worked out by hand.

Krippendorff's figures are those printed in K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011,
https://repository.upenn.edu/asc_papers/43); where a figure is worked out here too, the arithmetic is in the comment.
"""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import assume, given, reject
from hypothesis import strategies as st

from evidens.coding.agreement import (
    LEVELS,
    AgreementUndefined,
    Disagreement,
    cohen_kappa,
    disagreements,
    krippendorff_alpha,
    presence_matrix,
)

# Krippendorff (2011), section C ("Nominal data, any number of observers, missing data"), the reliability data
# matrix of observers A–D over 12 units, "." for a missing value. The same data are the "C" example of R's
# DescTools::KrippAlpha and the ordinal and ratio tests of the MIT krippendorff package.
FOUR_OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


# --- Krippendorff's alpha: published values ------------------------------------------------------------------------


@pytest.mark.parametrize(("level", "published"), [
    # Nominal, by hand: unit 12 has one value and drops out, leaving n = 40 values. Off the diagonal of the
    # coincidence matrix: unit 2 (2,2,3,2) gives 3·1·2/3 = 2, unit 6 (1,2,3,4) gives 12/3 = 4, unit 8 (1,1,2,1)
    # gives 2; 8 in all. Marginals n_1..n_5 = 9, 13, 10, 5, 3, Σn_c² = 384. α = 1 − 39·8/(40² − 384) = 1 − 312/1216
    # = 0.7434.
    ("nominal", 0.743),
    ("ordinal", 0.815),
    ("interval", 0.849),
    ("ratio", 0.797),
])
def test_alpha_of_krippendorffs_four_observers_with_missing_values(level: str, published: float) -> None:
    assert round(krippendorff_alpha(FOUR_OBSERVERS, level), 3) == published


def test_alpha_of_krippendorffs_binary_example() -> None:
    # Krippendorff (2011), section A ("Binary or dichotomous data, two observers, no missing data"): α = 0.095.
    # By hand: units 1, 3, 6 and 9 disagree, so o_01 = 4; n = 20 with n_0 = 14, n_1 = 6;
    # α = 1 − (n − 1)·o_01/(n_0·n_1) = 1 − 19·4/84 = 8/84 = 0.0952.
    observers = [[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]]
    assert krippendorff_alpha(observers) == pytest.approx(8 / 84)
    assert round(krippendorff_alpha(observers), 3) == 0.095


def test_alpha_of_krippendorffs_nominal_letters() -> None:
    # Krippendorff (2011), section B ("Nominal data, two observers, no missing data"): α = 0.692.
    # By hand: units 1 (a,b), 5 (d,b) and 12 (a,d) disagree, 6 off-diagonal coincidences; n = 24 with marginals
    # a 4, b 6, c 6, d 6, e 2, Σn_c² = 128; α = 1 − 23·6/(576 − 128) = 1 − 138/448 = 0.6920.
    observers = [list("aabbdcccedda"), list("babbbccceddd")]
    assert round(krippendorff_alpha(observers), 3) == 0.692


@pytest.mark.parametrize(("level", "published"), [("nominal", 0.691), ("interval", 0.811)])
def test_alpha_of_wikipedias_computational_example(level: str, published: float) -> None:
    # Wikipedia, "Krippendorff's alpha", section "A computational example" (3 coders, 15 units, missing values):
    # α_nominal = 0.691 and α_interval = 0.811; the MIT krippendorff package tests the same data to 0.691358 and
    # 0.810845.
    coders = [
        [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
        [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
        [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
    ]
    assert round(krippendorff_alpha(coders, level), 3) == published


def test_alpha_ratio_takes_zero_against_zero_as_agreement() -> None:
    # Units (0, 0), (1, 2), (2, 1): (0 − 0)/(0 + 0) is no difference at all. n = 6 with n_0 = n_1 = n_2 = 2;
    # o_12 = o_21 = 2 with δ²_12 = ((1 − 2)/(1 + 2))² = 1/9, so Σ o·δ² = 4/9; δ²_01 = δ²_02 = 1, so
    # Σ n_c·n_k·δ² = 2·(4·1 + 4·1 + 4·(1/9)) = 152/9. α = 1 − 5·(4/9)/(152/9) = 1 − 20/152.
    assert krippendorff_alpha([[0, 1, 2], [0, 2, 1]], "ratio") == pytest.approx(1 - 20 / 152)


# --- Krippendorff's alpha: when it cannot be computed -------------------------------------------------------------


@pytest.mark.parametrize(("data", "level", "message"), [
    ([[1, 2], [1, 2]], "polar", "Unknown level of measurement polar"),
    ([[1, 2, 3]], "nominal", "at least two coders"),
    ([[1, 2, 3], [1, 2]], "nominal", "Coder 2 has 2 values for 3 units"),
    ([[1, "x"], [1, 2]], "interval", "every value must be a number, and x is not"),
    ([[1, float("nan")], [1, 2]], "ordinal", "every value must be a number, and nan is not"),
    ([[1, -2], [1, 2]], "ratio", "cannot be negative: -2"),
])
def test_alpha_refuses_data_it_cannot_read(data: list[list[object]], level: str, message: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=message) as raised:
        krippendorff_alpha(data, level)
    assert not isinstance(raised.value, AgreementUndefined)


@pytest.mark.parametrize("data", [
    [[1, None, 2], [None, 3, None]],  # no unit has two values
    [[None, None], [None, None]],
])
def test_alpha_without_a_pairable_unit_is_undefined(data: list[list[int | None]]) -> None:
    with translation.override("en"), pytest.raises(AgreementUndefined, match="No unit has values from two coders"):
        krippendorff_alpha(data)


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_without_variation_is_undefined_not_one(level: str) -> None:
    # Krippendorff (2011) calls alpha undefined when all pairable values are the same (D_e = 0): the coders
    # agree, but there was nothing to disagree about. Unit 3's lone 5 cannot be paired, so it adds no variation.
    with translation.override("en"), pytest.raises(AgreementUndefined, match="same value"):
        krippendorff_alpha([[2, 2, 5], [2, 2, None]], level)


# --- Cohen's kappa -------------------------------------------------------------------------------------------------


def _labels(table: dict[tuple[str, str], int]) -> tuple[list[str | None], list[str | None]]:
    """Two coders' label lists that add up to the given counts of (coder A, coder B) pairs."""
    pairs = [pair for pair, count in table.items() for _ in range(count)]
    return [first for first, _second in pairs], [second for _first, second in pairs]


def test_kappa_of_wikipedias_example() -> None:
    # Wikipedia, "Cohen's kappa", "Simple example": 50 proposals, both yes 20, both no 15, A yes B no 5,
    # A no B yes 10: p_o = 35/50 = 0.7, p_e = 0.5·0.6 + 0.5·0.4 = 0.5, κ = 0.2/0.5 = 0.4.
    a, b = _labels({("yes", "yes"): 20, ("no", "no"): 15, ("yes", "no"): 5, ("no", "yes"): 10})
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    # A unit one coder left out is left out: the published value stands.
    assert cohen_kappa([*a, None, "no"], [*b, "yes", None]) == pytest.approx(0.4)


@pytest.mark.parametrize(("table", "published"), [
    # Wikipedia, "Cohen's kappa", "Same percentages but different numbers": both tables have p_o = 0.60.
    # First: A yes 60, B yes 70: p_e = 0.6·0.7 + 0.4·0.3 = 0.54, κ = 0.06/0.46 = 0.1304.
    ({("yes", "yes"): 45, ("yes", "no"): 15, ("no", "yes"): 25, ("no", "no"): 15}, 0.1304),
    # Second: A yes 60, B yes 30: p_e = 0.6·0.3 + 0.4·0.7 = 0.46, κ = 0.14/0.54 = 0.2593.
    ({("yes", "yes"): 25, ("yes", "no"): 35, ("no", "yes"): 5, ("no", "no"): 35}, 0.2593),
])
def test_kappa_of_wikipedias_paradox_tables(table: dict[tuple[str, str], int], published: float) -> None:
    assert round(cohen_kappa(*_labels(table)), 4) == published


@pytest.mark.parametrize(("a", "b", "expected"), [
    (["x", "y", "z", "x"], ["x", "y", "z", "x"], 1.0),  # perfect agreement
    # p_o = 2/4, p_e = ½·½ + ½·½ = ½: exactly chance, κ = 0.
    (["yes", "yes", "no", "no"], ["yes", "no", "yes", "no"], 0.0),
    # A says yes throughout: p_o = 2/4, p_e = 1·½ + 0·½ = ½, κ = 0.
    (["yes", "yes", "yes", "yes"], ["yes", "yes", "no", "no"], 0.0),
    # Always opposite: p_o = 0, p_e = ½, κ = −½/½ = −1.
    (["yes", "no"], ["no", "yes"], -1.0),
    # p_o = 2/3; A: x 2, y 1; B: x 1, y 2; p_e = (2·1 + 1·2)/9 = 4/9; κ = (2/3 − 4/9)/(5/9) = 2/5.
    (["x", "x", "y"], ["x", "y", "y"], 0.4),
])
def test_kappa_by_hand(a: list[str], b: list[str], expected: float) -> None:
    assert cohen_kappa(a, b) == pytest.approx(expected)


def test_kappa_refuses_lists_of_different_length() -> None:
    with translation.override("en"), pytest.raises(ValueError, match="have 3 and 2 values"):
        cohen_kappa(["a", "b", "a"], ["a", "b"])


@pytest.mark.parametrize(("a", "b", "message"), [
    (["yes", "yes", "yes"], ["yes", "yes", "yes"], "same value"),  # p_e = 1: κ is 0/0
    (["yes", None], [None, "no"], "No unit has values from two coders"),
])
def test_kappa_undefined(a: list[str | None], b: list[str | None], message: str) -> None:
    with translation.override("en"), pytest.raises(AgreementUndefined, match=message):
        cohen_kappa(a, b)


# --- coded ranges as units -----------------------------------------------------------------------------------------

# A text of 10 characters. Coder A: two overlapping ranges (0–3 and 2–5) and an empty one (5–5): characters 0–4.
# Coder B: two touching ranges (3–6 and 6–8): characters 3–7. Coder C coded nothing.
RANGES_A = [(0, 3), (2, 5), (5, 5)]
RANGES_B = [(3, 6), (6, 8)]
RANGES_C: list[tuple[int, int]] = []


def test_presence_matrix_merges_overlapping_and_touching_ranges() -> None:
    assert presence_matrix([RANGES_A, RANGES_B, RANGES_C], 10) == [
        [1, 1, 1, 1, 1, 0, 0, 0, 0, 0],
        [0, 0, 0, 1, 1, 1, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]
    assert presence_matrix([[(0, 10)], [(10, 10)]], 10) == [[1] * 10, [0] * 10]
    assert presence_matrix([[], []], 0) == [[], []]


@pytest.mark.parametrize("bad_range", [(-1, 2), (4, 3), (8, 11)])
def test_presence_matrix_refuses_ranges_outside_the_text(bad_range: tuple[int, int]) -> None:
    start, end = bad_range
    with translation.override("en"), pytest.raises(ValueError, match=f"{start}–{end} is not a range within"):
        presence_matrix([RANGES_A, [bad_range]], 10)


def test_disagreements_are_the_runs_where_some_but_not_all_coded() -> None:
    # A alone 0–3; A and B 3–5 (C did not); B alone 5–8; nobody 8–10, which is agreement.
    assert disagreements([RANGES_A, RANGES_B, RANGES_C], 10) == [
        Disagreement(0, 3, (0,)), Disagreement(3, 5, (0, 1)), Disagreement(5, 8, (1,)),
    ]
    # Without C, 3–5 is coded by both and agreed on.
    assert disagreements([RANGES_A, RANGES_B], 10) == [(0, 3, (0,)), (5, 8, (1,))]
    assert disagreements([RANGES_A, RANGES_A], 10) == []
    assert disagreements([[(0, 10)], []], 10) == [(0, 10, (0,))]
    assert disagreements([[], []], 0) == []


def test_alpha_per_code_and_over_all_codes_from_coded_ranges() -> None:
    # Code 1: A codes 0–4, B codes 2–6 in 10 characters. Characters 0, 1, 4 and 5 disagree: o_01 = 4; n = 20 with
    # n_1 = 4 + 4 = 8, n_0 = 12; α = 1 − 19·4/(12·8) = 1 − 76/96.
    code_one = presence_matrix([[(0, 4)], [(2, 6)]], 10)
    assert krippendorff_alpha(code_one) == pytest.approx(1 - 76 / 96)
    # Code 2: both code 5–10, perfect agreement. Over both codes (rows end to end, 20 units): still 4 disagreeing
    # units, n = 40 with n_1 = 8 + 10 = 18, n_0 = 22; α = 1 − 39·4/(22·18) = 1 − 156/396.
    code_two = presence_matrix([[(5, 10)], [(5, 10)]], 10)
    assert krippendorff_alpha(code_two) == 1.0
    both = [code_one[coder] + code_two[coder] for coder in range(2)]
    assert krippendorff_alpha(both) == pytest.approx(1 - 156 / 396)


def test_alpha_of_a_code_nobody_applied_is_undefined() -> None:
    with pytest.raises(AgreementUndefined):
        krippendorff_alpha(presence_matrix([[], []], 10))


# --- properties ----------------------------------------------------------------------------------------------------


@st.composite
def reliability_data(draw: st.DrawFn) -> list[list[int | None]]:
    coders, units = draw(st.integers(2, 4)), draw(st.integers(1, 12))
    value = st.one_of(st.none(), st.integers(0, 4))
    return [draw(st.lists(value, min_size=units, max_size=units)) for _ in range(coders)]


def _alpha_or_none(data: list[list[int | None]], level: str) -> float | None:
    try:
        return krippendorff_alpha(data, level)
    except AgreementUndefined:
        return None


@given(reliability_data(), st.sampled_from(LEVELS))
def test_alpha_is_at_most_one(data: list[list[int | None]], level: str) -> None:
    alpha = _alpha_or_none(data, level)
    assume(alpha is not None)
    assert alpha is not None and alpha <= 1 + 1e-12


@given(st.lists(st.integers(0, 4), min_size=2, max_size=12), st.integers(2, 4), st.sampled_from(LEVELS))
def test_identical_coders_agree_perfectly(values: list[int], coders: int, level: str) -> None:
    assume(len(set(values)) > 1)
    assert krippendorff_alpha([values] * coders, level) == 1.0


@given(reliability_data(), st.sampled_from(LEVELS), st.data())
def test_alpha_does_not_depend_on_the_order_of_coders(data: list[list[int | None]], level: str,
                                                      draws: st.DataObject) -> None:
    alpha = _alpha_or_none(data, level)
    assume(alpha is not None)
    order = draws.draw(st.permutations(range(len(data))))
    assert krippendorff_alpha([data[coder] for coder in order], level) == pytest.approx(alpha)


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]), st.sampled_from(["a", "b", "c", None])),
                min_size=1, max_size=20))
def test_kappa_is_symmetric(pairs: list[tuple[str | None, str | None]]) -> None:
    a, b = [first for first, _second in pairs], [second for _first, second in pairs]
    try:
        kappa = cohen_kappa(a, b)
    except AgreementUndefined:
        reject()
    assert cohen_kappa(b, a) == kappa
    assert -1 <= kappa <= 1
