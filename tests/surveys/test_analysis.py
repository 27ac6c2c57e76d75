"""Survey analysis checked against published figures, SciPy/statsmodels run here, and sums done by hand."""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest
from django.utils import translation
from scipy.optimize import least_squares, linprog
from scipy.stats import chi2_contingency
from statsmodels.stats.proportion import proportion_confint

from evidens.surveys import analysis
from evidens.surveys.definition import (
    DONT_KNOW,
    INFORMATION,
    INTEGER,
    LIKERT,
    LONG_TEXT,
    MATRIX,
    MULTIPLE_CHOICE,
    NPS,
    OTHER,
    RANKING,
    SINGLE_CHOICE,
    Choice,
    Item,
    Question,
    Section,
    SurveyDefinition,
    likert_scale,
)

Z = 1.959963984540054  # the 97.5 % quantile of the standard normal distribution


def single(name: str, *values: str) -> Question:
    return Question(name, SINGLE_CHOICE, {"da": name}, choices=[Choice(value, {"da": value.title()})
                                                                for value in values])


def repeated(value: Any, times: int, name: str = "q") -> list[dict[str, Any]]:
    return [{name: value} for _ in range(times)]


def option(result: analysis.QuestionResult | analysis.ItemResult, value: str) -> analysis.OptionCount:
    return next(count for count in result.options if count.value == value)


# --- shares and their intervals -------------------------------------------------------------------------


@pytest.mark.parametrize(("count", "n", "low", "high"), [
    # Newcombe, "Two-sided confidence intervals for the single proportion: comparison of seven methods",
    # Statistics in Medicine 17 (1998) 857–872: the score method without continuity correction.
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0, 0.1611),
    (1, 29, 0.0061, 0.1718),
])
def test_a_share_has_the_wilson_interval_newcombe_published(count: int, n: int, low: float, high: float) -> None:
    answers = repeated("ja", count) + repeated("nej", n - count)
    result = analysis.analyse_question(single("q", "ja", "nej"), answers)
    ja = option(result, "ja")
    assert result.n == n
    assert ja.count == count
    assert ja.percent == pytest.approx(100 * count / n)
    assert ja.ci_low == pytest.approx(100 * low, abs=0.006)
    assert ja.ci_high == pytest.approx(100 * high, abs=0.006)


def test_dont_know_and_missing_are_shown_apart_and_left_out_unless_chosen() -> None:
    question = Question("q", LIKERT, {"da": "Tilfreds?"}, choices=likert_scale(), dont_know=True)
    answers = [*repeated("5", 3), {"q": "4"}, *repeated(DONT_KNOW, 2), {}, {"q": ""}, {"q": None}]

    left_out = analysis.analyse_question(question, answers)
    assert (left_out.n, left_out.dont_know, left_out.missing) == (4, 2, 3)
    assert left_out.dont_know_included is False
    assert [count.value for count in left_out.options] == ["1", "2", "3", "4", "5"]
    assert option(left_out, "5").percent == pytest.approx(75)
    assert option(left_out, "4").percent == pytest.approx(25)

    counted_in = analysis.analyse_question(question, answers, include_dont_know=True)
    assert (counted_in.n, counted_in.dont_know, counted_in.missing) == (6, 2, 3)
    assert counted_in.dont_know_included is True
    assert counted_in.options[-1].value == DONT_KNOW
    assert counted_in.options[-1].label == "Ved ikke"
    assert counted_in.options[-1].percent == pytest.approx(100 * 2 / 6)
    assert option(counted_in, "5").percent == pytest.approx(50)

    # the scale's mean never counts "Ved ikke": (5 + 5 + 5 + 4) / 4
    assert left_out.mean == counted_in.mean == pytest.approx(4.75)
    assert left_out.median == counted_in.median == 5


def test_a_likert_mean_uses_the_scale_numbers_of_the_export() -> None:
    # choices that are not whole numbers are numbered 1, 2, 3 in order, as in the SPSS export
    question = Question("q", LIKERT, {"da": "Enig?"}, choices=[Choice("uenig", {"da": "Uenig"}),
                                                               Choice("midt", {"da": "Midt imellem"}),
                                                               Choice("enig", {"da": "Enig"})])
    answers = [{"q": "uenig"}, {"q": "enig"}, {"q": "enig"}, {"q": "midt"}]
    result = analysis.analyse_question(question, answers)
    assert result.mean == pytest.approx((1 + 3 + 3 + 2) / 4)
    assert result.median == pytest.approx(2.5)
    assert [count.label for count in result.options] == ["Uenig", "Midt imellem", "Enig"]


def test_multiple_choice_shares_are_of_respondents_not_of_ticks() -> None:
    question = Question("q", MULTIPLE_CHOICE, {"da": "Kanaler?"}, other=True,
                        choices=[Choice("web", {"da": "Hjemmesiden"}), Choice("brev", {"da": "Nyhedsbrevet"})])
    answers: list[dict[str, Any]] = [{"q": ["web", "brev"]}, {"q": ["web"]}, {"q": ["brev", OTHER]}, {"q": []}, {}]
    result = analysis.analyse_question(question, answers)
    assert (result.n, result.missing) == (3, 2)
    assert option(result, "web").count == 2
    assert option(result, "web").percent == pytest.approx(100 * 2 / 3)  # 2 of 3 respondents, not 2 of 5 ticks
    assert option(result, "brev").percent == pytest.approx(100 * 2 / 3)
    assert option(result, OTHER).percent == pytest.approx(100 / 3)
    assert option(result, OTHER).label == "Andet"
    assert sum(count.percent or 0 for count in result.options) > 100
    low, high = proportion_confint(2, 3, method="wilson")
    assert option(result, "web").ci_low == pytest.approx(100 * low)
    assert option(result, "web").ci_high == pytest.approx(100 * high)


def test_numbers_have_mean_and_median() -> None:
    question = Question("q", INTEGER, {"da": "Ansatte?"})
    values = [3, 7, 10, 1, 12, 4]
    answers = [{"q": value} for value in values[:-1]] + [{"q": str(values[-1])}, {}]
    result = analysis.analyse_question(question, answers)
    assert (result.n, result.missing) == (6, 1)
    assert result.mean == pytest.approx(statistics.mean(values))
    assert result.median == pytest.approx(statistics.median(values))


def test_weighted_mean_and_median_are_those_of_the_answers_repeated_by_their_weights() -> None:
    question = Question("q", INTEGER, {"da": "Ansatte?"})
    values, weights = [3, 7, 10, 1, 12], [2, 1, 3, 1, 1]
    repeated_values = [value for value, weight in zip(values, weights, strict=True) for _ in range(weight)]
    result = analysis.analyse_question(question, [{"q": value} for value in values], weights=weights)
    assert result.mean == pytest.approx(statistics.mean(repeated_values))
    assert result.median == pytest.approx(statistics.median(repeated_values))
    # an even total weight that lands on the middle: 1 1 | 3 3 → 2
    halves = analysis.analyse_question(question, [{"q": 1}, {"q": 3}], weights=[0.5, 0.5])
    assert halves.median == pytest.approx(2)


def test_weighted_shares_sum_weights_and_use_the_effective_sample_size() -> None:
    answers = [{"q": "ja"}, {"q": "ja"}, {"q": "nej"}, {"q": "nej"}, {"q": "nej"}, {}]
    weights = [2.0, 1.5, 0.5, 1.0, 1.0, 3.0]
    result = analysis.analyse_question(single("q", "ja", "nej"), answers, weights=weights)
    ja = option(result, "ja")
    assert (result.n, result.missing) == (5, 1)  # respondents, not weights
    assert ja.count == pytest.approx(3.5)
    assert ja.percent == pytest.approx(100 * 3.5 / 6.0)
    # Kish: (Σw)² / Σw² over the five in the base = 36 / 8.5
    effective = 36 / 8.5
    low, high = proportion_confint(3.5 / 6 * effective, effective, method="wilson")
    assert ja.ci_low == pytest.approx(100 * low)
    assert ja.ci_high == pytest.approx(100 * high)


def test_net_promoter_score_and_its_interval_by_hand() -> None:
    question = Question("q", NPS, {"da": "Anbefale?"})
    scores = [10, 10, 9, 9, 9, 8, 7, 6, 3, 0]
    result = analysis.analyse_question(question, [{"q": score} for score in scores] + [{}])
    nps = result.nps
    assert nps is not None
    # 5 promoters, 2 passives, 3 detractors of 10: NPS = 50 − 30 = 20
    assert (nps.promoters, nps.passives, nps.detractors) == pytest.approx((50, 20, 30))
    assert nps.score == pytest.approx(20)
    # var = (0.5 + 0.3 − 0.2²) / 10 = 0.076; 20 ± 100 · 1.96 · √0.076 = 20 ± 54.03
    assert nps.ci_low == pytest.approx(20 - 100 * Z * math.sqrt(0.076))
    assert nps.ci_low == pytest.approx(-34.03, abs=0.01)
    assert nps.ci_high == pytest.approx(74.03, abs=0.01)
    assert (result.n, result.missing) == (10, 1)
    assert result.mean == pytest.approx(statistics.mean(scores))
    assert result.median == pytest.approx(statistics.median(scores))
    assert [count.value for count in result.options] == [str(score) for score in range(11)]
    assert option(result, "9").count == 3
    assert option(result, "9").percent == pytest.approx(30)


def test_net_promoter_interval_stays_within_minus_and_plus_one_hundred() -> None:
    question = Question("q", NPS, {"da": "Anbefale?"})
    nps = analysis.analyse_question(question, [{"q": 10}, {"q": 10}, {"q": 9}, {"q": 5}]).nps
    assert nps is not None
    # 75 − 25 = 50; var = (0.75 + 0.25 − 0.5²) / 4 = 0.1875, so 50 + 84.9 would pass 100
    assert nps.score == pytest.approx(50)
    assert nps.ci_low == pytest.approx(50 - 100 * Z * math.sqrt(0.1875))
    assert nps.ci_high == 100


def test_matrix_gives_each_statement_its_distribution_on_the_scale() -> None:
    question = Question("q", MATRIX, {"da": "Hvor enig?"}, choices=likert_scale(), dont_know=True,
                        items=[Item("pris", {"da": "Prisen"}), Item("service", {"da": "Servicen"})])
    answers = [{"q": {"pris": "5", "service": "2"}}, {"q": {"pris": "4", "service": DONT_KNOW}},
               {"q": {"pris": "4"}}, {}]
    result = analysis.analyse_question(question, answers)
    assert (result.n, result.missing) == (3, 1)
    price, service = result.items
    assert (price.name, price.label, price.n, price.missing, price.dont_know) == ("pris", "Prisen", 3, 1, 0)
    assert [count.value for count in price.options] == ["1", "2", "3", "4", "5"]
    assert option(price, "4").percent == pytest.approx(100 * 2 / 3)
    assert price.mean == pytest.approx(13 / 3)
    assert (service.n, service.missing, service.dont_know) == (1, 2, 1)
    assert option(service, "2").percent == pytest.approx(100)
    assert service.mean == 2


def test_ranking_gives_mean_place_and_share_ranked_first() -> None:
    question = Question("q", RANKING, {"da": "Vigtigst?"},
                        items=[Item("kurser", {"da": "Kurser"}), Item("net", {"da": "Netværk"}),
                               Item("viden", {"da": "Viden"})])
    answers = [{"q": ["net", "kurser", "viden"]}, {"q": ["kurser", "net", "viden"]}, {"q": ["net", "viden"]},
               {"q": ["net"]}, {}]
    result = analysis.analyse_question(question, answers)
    assert (result.n, result.missing) == (4, 1)
    courses, network, knowledge = result.items
    assert network.mean == pytest.approx((1 + 2 + 1 + 1) / 4)
    assert network.first is not None and network.first.percent == pytest.approx(75)  # 3 of the 4 who ranked
    assert courses.n == 2  # ranked by two; the two who left it out are missing for it
    assert courses.missing == 3
    assert courses.mean == pytest.approx((2 + 1) / 2)
    assert courses.first is not None and courses.first.percent == pytest.approx(25)  # of all 4 who answered
    assert knowledge.mean == pytest.approx((3 + 3 + 2) / 3)
    assert knowledge.first is not None and knowledge.first.count == 0
    assert [count.value for count in knowledge.options] == ["1", "2", "3"]
    assert option(knowledge, "3").percent == pytest.approx(100 * 2 / 3)


def test_the_whole_questionnaire_in_order_without_information_texts() -> None:
    definition = SurveyDefinition(title={"da": "Test"}, sections=[Section("s", {"da": "S"}, [
        Question("intro", INFORMATION, {"da": "Velkommen"}),
        single("medlem", "ja", "nej"),
        Question("kommentar", LONG_TEXT, {"da": "Kommentar"}),
    ])])
    results = analysis.analyse(definition, [{"medlem": "ja", "kommentar": "Godt"}, {"medlem": "nej"}])
    assert [(result.name, result.n, result.missing) for result in results] == [("medlem", 2, 0), ("kommentar", 1, 1)]


@pytest.mark.parametrize(("question", "answer"), [
    (single("q", "ja", "nej"), "maaske"),
    (single("q", "ja", "nej"), DONT_KNOW),  # the question offers no "Ved ikke"
    (single("q", "ja", "nej"), ["ja"]),
    (Question("q", NPS, {"da": "Anbefale?"}), 11),
    (Question("q", NPS, {"da": "Anbefale?"}), 7.5),
    (Question("q", INTEGER, {"da": "Antal?"}), "mange"),
    (Question("q", INTEGER, {"da": "Antal?"}), True),
    (Question("q", RANKING, {"da": "Vigtigst?"}, items=[Item("a", {}), Item("b", {})]), ["a", "a"]),
])
def test_an_answer_that_does_not_fit_stops_the_analysis(question: Question, answer: Any) -> None:
    with translation.override("en"), pytest.raises(analysis.AnalysisError, match="Response 2 answers"):
        analysis.analyse_question(question, [{}, {"q": answer}])


def test_weights_must_fit_the_responses() -> None:
    with pytest.raises(ValueError, match="weights"):
        analysis.analyse_question(single("q", "ja", "nej"), [{"q": "ja"}], weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="weights"):
        analysis.analyse_question(single("q", "ja", "nej"), [{"q": "ja"}], weights=[-1.0])


# --- comparing groups -----------------------------------------------------------------------------------

# Agresti, An Introduction to Categorical Data Analysis, 2nd ed. (2007), Table 2.5 (General Social Survey 2000):
# party identification by gender, and in section 2.4.5 (Table 2.10) its adjusted standardised residuals;
# X² = 30.1 with df = 2.
AGRESTI = {"kvinde": {"dem": 762, "uafh": 327, "rep": 468}, "mand": {"dem": 484, "uafh": 239, "rep": 477}}
AGRESTI_RESIDUALS = {"kvinde": {"dem": 4.50, "uafh": 0.70, "rep": -5.32},
                     "mand": {"dem": -4.50, "uafh": -0.70, "rep": 5.32}}


def table_answers(table: dict[str, dict[str, int]]) -> tuple[list[dict[str, Any]], list[str | None]]:
    answers: list[dict[str, Any]] = []
    groups: list[str | None] = []
    for group, counts in table.items():
        for value, count in counts.items():
            answers += repeated(value, count)
            groups += [group] * count
    return answers, groups


def test_crosstab_matches_agrestis_party_identification_by_gender() -> None:
    answers, groups = table_answers(AGRESTI)
    table = analysis.crosstab(single("q", "dem", "uafh", "rep"), answers, groups)
    assert table.groups == ["kvinde", "mand"]
    assert table.counts == [[762, 484], [327, 239], [468, 477]]
    assert table.n == 2757
    for row in table.rows:
        for group, cell in zip(table.groups, row.cells, strict=True):
            assert cell.residual == pytest.approx(AGRESTI_RESIDUALS[group][row.value], abs=0.005)
            assert cell.notable == (row.value != "uafh")
    assert table.test is not None
    assert table.test.chi2 == pytest.approx(30.1, abs=0.05)
    assert table.test.df == 2
    reference = chi2_contingency(np.array([[762, 327, 468], [484, 239, 477]]), correction=False)
    assert table.test.chi2 == pytest.approx(reference.statistic)
    assert table.test.p == pytest.approx(reference.pvalue)
    assert table.test.cramers_v == pytest.approx(math.sqrt(reference.statistic / (2757 * (2 - 1))))
    women = [row.cells[0] for row in table.rows]
    assert [cell.percent for cell in women] == pytest.approx([100 * 762 / 1557, 100 * 327 / 1557, 100 * 468 / 1557])
    assert table.group_n == [1557, 1200]
    assert [row.total for row in table.rows] == [1246, 566, 945]


def test_a_two_by_two_table_is_tested_without_yates_correction() -> None:
    answers, groups = table_answers({"by": {"ja": 12, "nej": 5}, "land": {"ja": 7, "nej": 9}})
    table = analysis.crosstab(single("q", "ja", "nej"), answers, groups)
    observed = np.array([[12, 5], [7, 9]])
    plain = chi2_contingency(observed, correction=False)
    corrected = chi2_contingency(observed, correction=True)
    assert table.test is not None
    assert table.test.chi2 == pytest.approx(plain.statistic)
    assert table.test.chi2 != pytest.approx(corrected.statistic)
    # in a 2×2 table every adjusted residual is ±√X²
    assert abs(table.rows[0].cells[0].residual or 0) == pytest.approx(math.sqrt(plain.statistic))
    assert table.test.cramers_v == pytest.approx(math.sqrt(plain.statistic / 33))


def test_a_weighted_crosstab_sums_weights_and_tests_the_table_rescaled_to_the_respondents() -> None:
    answers = [{"q": "ja"}, {"q": "ja"}, {"q": "nej"}, {"q": "ja"}, {"q": "nej"}, {"q": "nej"}, {"q": "nej"}]
    groups: list[str | None] = ["a", "a", "a", "b", "b", "b", "b"]
    weights = [1.0, 2.0, 1.0, 0.5, 0.5, 1.5, 1.5]
    table = analysis.crosstab(single("q", "ja", "nej"), answers, groups, weights=weights)
    weighted = np.array([[3.0, 0.5], [1.0, 3.5]])  # ja: 1 + 2 | 0.5; nej: 1 | 0.5 + 1.5 + 1.5
    assert table.counts == [[pytest.approx(3.0), pytest.approx(0.5)], [pytest.approx(1.0), pytest.approx(3.5)]]
    assert table.respondents == [[2, 1], [1, 3]]
    assert table.group_n == [3, 4]
    assert table.rows[0].cells[0].percent == pytest.approx(75)
    reference = chi2_contingency(weighted * 7 / 8, correction=False)  # Σw = 8, seven respondents
    assert table.test is not None
    assert table.test.n == 7
    assert table.test.chi2 == pytest.approx(reference.statistic)
    assert table.test.cramers_v == pytest.approx(math.sqrt(reference.statistic / 7))


def test_crosstab_leaves_dont_know_and_responses_without_a_group_out_and_follows_the_group_order() -> None:
    question = Question("q", LIKERT, {"da": "Tilfreds?"}, choices=likert_scale(), dont_know=True)
    answers = [{"q": "5"}, {"q": "1"}, {"q": DONT_KNOW}, {"q": "5"}, {"q": "4"}, {}]
    groups: list[str | None] = ["Kommune", "Boligselskab", "Kommune", None, "Andre", "Kommune"]
    table = analysis.crosstab(question, answers, groups, group_order=["Kommune", "Boligselskab"])
    assert table.groups == ["Kommune", "Boligselskab", "Andre"]
    assert table.group_n == [1, 1, 1]
    assert [row.value for row in table.rows] == ["1", "2", "3", "4", "5"]
    counted_in = analysis.crosstab(question, answers, groups, include_dont_know=True)
    assert counted_in.groups == ["Andre", "Boligselskab", "Kommune"]
    assert counted_in.rows[-1].value == DONT_KNOW
    assert counted_in.rows[-1].cells[2].percent == pytest.approx(50)


def test_a_multiple_choice_crosstab_has_shares_of_each_groups_respondents_and_no_test() -> None:
    question = Question("q", MULTIPLE_CHOICE, {"da": "Kanaler?"},
                        choices=[Choice("web", {"da": "Web"}), Choice("brev", {"da": "Brev"})])
    answers = [{"q": ["web", "brev"]}, {"q": ["web"]}, {"q": ["brev"]}, {"q": ["web", "brev"]}]
    table = analysis.crosstab(question, answers, ["a", "a", "b", "b"])
    assert table.test is None
    assert table.group_totals == [2, 2]
    assert [cell.percent for cell in table.rows[0].cells] == pytest.approx([100, 50])
    assert [cell.percent for cell in table.rows[1].cells] == pytest.approx([50, 100])
    assert all(cell.residual is None and not cell.notable for row in table.rows for cell in row.cells)


def test_an_option_nobody_chose_is_shown_but_left_out_of_the_test() -> None:
    answers, groups = table_answers({"by": {"ja": 12, "nej": 5}, "land": {"ja": 7, "nej": 9}})
    table = analysis.crosstab(single("q", "ja", "nej", "maaske"), answers, groups)
    assert table.test is not None
    assert table.test.df == 1
    assert table.test.chi2 == pytest.approx(chi2_contingency(np.array([[12, 5], [7, 9]]), correction=False).statistic)
    assert [cell.residual for cell in table.rows[2].cells] == [None, None]


# --- weighting ----------------------------------------------------------------------------------------------


def sample(cells: dict[tuple[str, str], int]) -> list[dict[str, str | None]]:
    return [{"segment": segment, "medlem": member} for (segment, member), count in cells.items() for _ in range(count)]


def test_raking_a_sample_where_the_two_margins_do_not_interact_by_hand() -> None:
    # Segment and membership are independent in the sample (A 1/4, yes 1/2 in both segments), so one pass
    # finds the weights: A × 0.5/0.25 = 2, B × 0.5/0.75 = 2/3; yes × 0.25/0.5 = 0.5, no × 0.75/0.5 = 1.5.
    rows = sample({("A", "ja"): 10, ("A", "nej"): 10, ("B", "ja"): 30, ("B", "nej"): 30})
    raking = analysis.rake(rows, {"segment": {"A": 0.5, "B": 0.5}, "medlem": {"ja": 0.25, "nej": 0.75}})
    expected = {("A", "ja"): 1.0, ("A", "nej"): 3.0, ("B", "ja"): 1 / 3, ("B", "nej"): 1.0}
    assert raking.weights == pytest.approx([expected[row["segment"], row["medlem"]] for row in rows])  # type: ignore[index]
    summary = raking.summary
    assert summary.converged
    assert (summary.minimum, summary.maximum, summary.mean) == pytest.approx((1 / 3, 3.0, 1.0))
    # Kish: n·Σw²/(Σw)² = 80 · (10·1 + 10·9 + 30·1/9 + 30·1) / 80² = 133⅓ / 80 = 5/3
    assert summary.design_effect == pytest.approx(5 / 3)
    assert summary.efficiency == pytest.approx(3 / 5)
    assert summary.effective_n == pytest.approx(48)
    assert summary.largest_gap == pytest.approx(0, abs=1e-6)


def test_margins_as_counts_rake_like_shares() -> None:
    rows = sample({("A", "ja"): 10, ("A", "nej"): 10, ("B", "ja"): 30, ("B", "nej"): 30})
    as_shares = analysis.rake(rows, {"segment": {"A": 0.5, "B": 0.5}, "medlem": {"ja": 0.25, "nej": 0.75}})
    as_counts = analysis.rake(rows, {"segment": {"A": 400, "B": 400}, "medlem": {"ja": 200, "nej": 600}})
    assert as_counts.weights == pytest.approx(as_shares.weights)


def test_raking_agrees_with_solving_the_calibration_equations_directly() -> None:
    # Raking converges to weights of the form exp(λ_segment + μ_member) whose margins hit the targets
    # (Deville & Särndal 1992, the raking distance). Solve those equations with SciPy and compare.
    cells = {("Kommune", "ja"): 5, ("Kommune", "nej"): 15, ("Bolig", "ja"): 20, ("Bolig", "nej"): 10,
             ("Andre", "ja"): 30, ("Andre", "nej"): 20}
    targets = {"segment": {"Kommune": 0.3, "Bolig": 0.3, "Andre": 0.4}, "medlem": {"ja": 0.6, "nej": 0.4}}
    rows = sample(cells)
    raking = analysis.rake(rows, targets, trim=None, tolerance=1e-12, max_iterations=1000)

    segments, members = list(targets["segment"]), list(targets["medlem"])
    n = len(rows)

    def weights(parameters: np.ndarray) -> dict[tuple[str, str], float]:
        return {(segment, member): math.exp(parameters[segments.index(segment)]
                                            + parameters[len(segments) + members.index(member)])
                for segment, member in cells}

    def gaps(parameters: np.ndarray) -> list[float]:
        weight = weights(parameters)
        return ([sum(cells[key] * weight[key] for key in cells if key[0] == segment) - n * targets["segment"][segment]
                 for segment in segments]
                + [sum(cells[key] * weight[key] for key in cells if key[1] == member) - n * targets["medlem"][member]
                   for member in members])

    solution = least_squares(gaps, np.zeros(len(segments) + len(members)), xtol=1e-15, ftol=1e-15, gtol=1e-15)
    solved = weights(solution.x)
    assert raking.summary.converged
    assert raking.weights == pytest.approx([solved[row["segment"], row["medlem"]] for row in rows],  # type: ignore[index]
                                           rel=1e-6)


def test_trimming_caps_weights_at_the_bounds_and_reports_the_margin_it_gives_up() -> None:
    # A is 2 of 10 in the sample and 80 % of the population: raked weights A 4, B 0.25. Cut at 3 × the mean,
    # the weights that keep a mean of 1 are A 3 and B (10 − 2·3)/8 = 0.5, which is above 0.3 × the mean.
    # A's weighted share is then 2·3/10 = 60 %, 20 points short of 80 %.
    rows: list[dict[str, str | None]] = [{"segment": segment} for segment in "AABBBBBBBB"]
    raking = analysis.rake(rows, {"segment": {"A": 0.8, "B": 0.2}})
    assert raking.weights == pytest.approx([3.0] * 2 + [0.5] * 8, abs=1e-5)
    assert raking.summary.converged
    assert raking.summary.largest_gap == pytest.approx(20, abs=1e-3)
    untrimmed = analysis.rake(rows, {"segment": {"A": 0.8, "B": 0.2}}, trim=None)
    assert untrimmed.weights == pytest.approx([4.0] * 2 + [0.25] * 8)


def test_trimmed_raking_keeps_every_weight_within_its_bounds() -> None:
    generator = random.Random(7)
    rows: list[dict[str, str | None]] = [
        {"segment": generator.choice("AAAAAAB"), "medlem": generator.choice("jjn"), "region": generator.choice("xyz")}
        for _ in range(200)]
    margins = {"segment": {"A": 0.3, "B": 0.7}, "medlem": {"j": 0.2, "n": 0.8},
               "region": {"x": 0.5, "y": 0.3, "z": 0.2}}
    raking = analysis.rake(rows, margins, trim=(0.5, 2.0))
    weights = np.array(raking.weights)
    assert weights.mean() == pytest.approx(1)
    assert weights.min() >= 0.5 - 1e-5
    assert weights.max() <= 2.0 + 1e-5
    assert raking.summary.design_effect == pytest.approx(len(weights) * (weights**2).sum() / weights.sum() ** 2)


def test_raked_weights_make_the_analysis_match_the_population() -> None:
    rows = sample({("A", "ja"): 10, ("A", "nej"): 10, ("B", "ja"): 30, ("B", "nej"): 30})
    raking = analysis.rake(rows, {"segment": {"A": 0.5, "B": 0.5}, "medlem": {"ja": 0.25, "nej": 0.75}})
    result = analysis.analyse_question(single("medlem", "ja", "nej"), [{"medlem": row["medlem"]} for row in rows],
                                       weights=raking.weights)
    assert option(result, "ja").percent == pytest.approx(25)
    assert option(result, "ja").count == pytest.approx(20)


@pytest.mark.parametrize(("rows", "margins", "message"), [
    ([{"segment": "A"}, {"segment": None}], {"segment": {"A": 1, "B": 1}}, "Response 2 has no"),
    ([{"segment": "A"}, {"segment": "C"}], {"segment": {"A": 1, "B": 1}}, "“C”"),
    ([{"segment": "A"}, {"segment": "A"}], {"segment": {"A": 1, "B": 1}}, "No response is in “B”"),
    ([{"segment": "A"}, {"segment": "B"}], {"segment": {"A": 1, "B": 0}}, "above 0"),
    ([], {"segment": {"A": 1}}, "no responses"),
])
def test_raking_refuses_what_it_cannot_match(rows: list[dict[str, str | None]], margins: dict[str, dict[str, float]],
                                             message: str) -> None:
    with translation.override("en"), pytest.raises(ValueError, match=message):
        analysis.rake(rows, margins)


# --- small cells ------------------------------------------------------------------------------------------

Published = list[list[float | None]]


def published_table(original: Sequence[Sequence[float]], suppression: analysis.Suppression) -> Published:
    """The table as published, with the row totals as the last column and the column totals as the last row:
    the totals are always published (the overall result and each group's size show them)."""
    columns = range(len(original[0]))
    return ([[*row, sum(values)] for row, values in zip(suppression.cells, original, strict=True)]
            + [[*(sum(values[column] for values in original) for column in columns), sum(map(sum, original))]])


def recovered_by_subtraction(table: Published) -> dict[tuple[int, int], float]:
    """What an attacker works out by subtracting shown numbers from shown totals, again and again, each number
    found helping to find the next."""
    known = [list(row) for row in table]
    last_row, last_column = len(known) - 1, len(known[0]) - 1
    lines = ([[(row, column) for column in range(last_column + 1)] for row in range(last_row + 1)]
             + [[(row, column) for row in range(last_row + 1)] for column in range(last_column + 1)])
    found: dict[tuple[int, int], float] = {}
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [position for position in line if known[position[0]][position[1]] is None]
            if len(unknown) != 1:
                continue
            *parts, total = line
            row, column = unknown[0]
            shown = sum(known[r][c] or 0 for r, c in parts if (r, c) != (row, column))
            total_value = known[total[0]][total[1]]
            value = shown if (row, column) == total else (total_value or 0) - shown
            known[row][column] = found[row, column] = value
            progress = True
    return found


def bounds(table: Published) -> dict[tuple[int, int], tuple[float, float]]:
    """The least and greatest value each hidden number can take, given the shown ones, that every row and column
    adds up to its total, and that no count is negative (linear programming: a second, independent check)."""
    last_row, last_column = len(table) - 1, len(table[0]) - 1
    hidden = [(row, column) for row in range(last_row + 1) for column in range(last_column + 1)
              if table[row][column] is None]
    equations, constants = [], []
    lines = ([[(row, column) for column in range(last_column + 1)] for row in range(last_row + 1)]
             + [[(row, column) for row in range(last_row + 1)] for column in range(last_column + 1)])
    for line in lines:
        coefficients = np.zeros(len(hidden))
        constant = 0.0
        for position in line:
            sign = -1 if position == line[-1] else 1
            if position in hidden:
                coefficients[hidden.index(position)] = sign
            else:
                constant -= sign * (table[position[0]][position[1]] or 0)
        equations.append(coefficients)
        constants.append(constant)
    ranges = {}
    for index, position in enumerate(hidden):
        objective = np.zeros(len(hidden))
        objective[index] = 1
        least = linprog(objective, A_eq=equations, b_eq=constants, bounds=(0, None))
        greatest = linprog(-objective, A_eq=equations, b_eq=constants, bounds=(0, None))
        ranges[position] = (least.fun, -greatest.fun if greatest.status == 0 else math.inf)
    return ranges


def assert_nothing_recoverable(original: Sequence[Sequence[int]], suppression: analysis.Suppression,
                               threshold: int) -> None:
    table = published_table(original, suppression)
    small_groups = {column for column in range(len(original[0]))
                    if 0 < sum(values[column] for values in original) < threshold}
    # What the totals alone give away (a small group in a table whose other rows are empty) no hiding can keep.
    totals_only = published_table(original, analysis.Suppression(
        cells=[[None for _value in values] for values in original], hidden_groups=[]))
    given = set(recovered_by_subtraction(totals_only)) | {
        position for position, (least, greatest) in bounds(totals_only).items() if greatest - least < 1}
    secret = {(row, column) for row, values in enumerate(original) for column, value in enumerate(values)
              if (0 < value < threshold or column in small_groups) and (row, column) not in given}
    # A zero hidden beside a small count may be worked out: it is there to cover, and tells of nobody.
    assert set(recovered_by_subtraction(table)) & secret == set()
    for position, (least, greatest) in bounds(table).items():
        if position in secret:
            assert greatest - least >= 1, f"the small count at {position} is pinned to {least}"
    for row, values in enumerate(original):
        for column, value in enumerate(values):
            if 0 < value < threshold:
                assert table[row][column] is None, f"{value} at {row, column} is shown"
            elif table[row][column] is not None:
                assert table[row][column] == value


def hidden_positions(suppression: analysis.Suppression) -> set[tuple[int, int]]:
    return {(row, column) for row, values in enumerate(suppression.cells)
            for column, value in enumerate(values) if value is None}


def test_one_small_cell_in_a_row_hides_a_second_cell_in_its_row_and_its_column() -> None:
    table = [[2, 10, 12], [8, 15, 20], [9, 11, 30]]
    suppression = analysis.suppress(table, 5)
    hidden = hidden_positions(suppression)
    # the 2, the row's smallest other cell (10), the column's (8), and the cell that closes the rectangle
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert suppression.hidden_groups == []
    assert_nothing_recoverable(table, suppression, 5)


def test_a_zero_is_shown_and_not_used_as_the_second_hidden_cell() -> None:
    table = [[3, 0, 40], [20, 25, 30]]
    suppression = analysis.suppress(table, 5)
    # 40 rather than the 0 beside the 3; below the 20, 30 closes the rectangle where 25 would open column 1
    assert hidden_positions(suppression) == {(0, 0), (0, 2), (1, 0), (1, 2)}
    assert_nothing_recoverable(table, suppression, 5)


def test_a_small_total_is_published_and_its_cells_still_hidden() -> None:
    # "maaske" was chosen by 3 in all, which the overall result shows: 1 + 2 = 3 gives neither away. Column 0
    # takes its second hidden cell from the row that has none yet (15 before 20 would not matter; 15 is
    # smaller), column 1 the 10 in that same row, which closes the rectangle.
    table = [[1, 2, 0], [20, 30, 25], [15, 10, 30]]
    suppression = analysis.suppress(table, 5)
    assert hidden_positions(suppression) == {(0, 0), (0, 1), (2, 0), (2, 1)}
    assert_nothing_recoverable(table, suppression, 5)


def test_a_group_below_the_threshold_shows_no_counts_at_all() -> None:
    table = [[2, 20, 30], [0, 25, 10], [1, 12, 9]]  # the first group has 3 respondents
    suppression = analysis.suppress(table, 5)
    assert suppression.hidden_groups == [0]
    assert [row[0] for row in suppression.cells] == [None, None, None]  # its zero too
    assert_nothing_recoverable(table, suppression, 5)


def test_two_hidden_numbers_in_every_line_are_not_always_enough() -> None:
    # Two blocks joined by the 1:   10 12  0  0 | 22   Hiding the 1 and a rectangle in each block leaves two
    #                               11 14  1  0 | 26   or more hidden numbers in every row and column, yet
    #                                0  0 13 15 | 28   rows 0 and 1 less columns 0 and 1 leave only the 1 and
    #                                0  0 16 17 | 33   the zeros beside it: 48 − 21 − 26 = 1.
    #                               21 26 30 32 |109
    table = [[10, 12, 0, 0], [11, 14, 1, 0], [0, 0, 13, 15], [0, 0, 16, 17]]
    two_per_line = {(0, 0), (0, 1), (1, 0), (1, 1), (1, 2), (2, 2), (2, 3), (3, 2), (3, 3)}
    naive: Published = [[None if (row, column) in two_per_line else value for column, value in enumerate(values)]
                        for row, values in enumerate(published_table(table, analysis.suppress(table, 1)))]
    assert recovered_by_subtraction(naive) == {}  # no single line gives it away...
    assert bounds(naive)[1, 2] == pytest.approx((1, 1))  # ...but the lines together do

    assert_nothing_recoverable(table, analysis.suppress(table, 5), 5)


def test_a_weighted_table_is_hidden_where_its_respondents_are_few() -> None:
    respondents = [[2, 10, 12], [8, 15, 20], [9, 11, 30]]
    weighted = [[1.5, 12.25, 10.0], [9.0, 14.0, 21.5], [7.25, 13.0, 28.0]]
    suppression = analysis.suppress(weighted, 5, respondents=respondents)
    assert hidden_positions(suppression) == hidden_positions(analysis.suppress(respondents, 5))
    assert suppression.cells[2] == [7.25, 13.0, 28.0]


def test_a_crosstab_can_be_suppressed_by_its_respondents() -> None:
    answers, groups = table_answers({"by": {"ja": 2, "nej": 12}, "land": {"ja": 9, "nej": 10}})
    table = analysis.crosstab(single("q", "ja", "nej"), answers, groups)
    suppression = analysis.suppress(table.counts, 5, respondents=table.respondents)
    assert suppression.cells == [[None, None], [None, None]]
    assert_nothing_recoverable(table.respondents, suppression, 5)


def test_no_suppressed_number_can_be_recovered_from_many_random_tables() -> None:
    generator = random.Random(20250)
    for _ in range(150):
        rows, columns = generator.randint(2, 5), generator.randint(2, 5)
        table = [[generator.choice([0, 0, 1, 2, 3, 4, 5, 7, 10, 20]) for _ in range(columns)] for _ in range(rows)]
        threshold = generator.choice([3, 5])
        assert_nothing_recoverable(table, analysis.suppress(table, threshold), threshold)
