"""The demo's strategy content holds together without a database: the conditions quote the evidence base word for
word, every member weighs and scores what the content says, and the scores make the close call the demo is meant to
show. What evidence_build.py says is read from its source with ``ast`` (the module itself needs the ORM), so the
quotes are checked against the file, not against this module's copy of it."""

from __future__ import annotations

import ast
import math
import re
from collections import Counter
from dataclasses import fields
from itertools import combinations, product
from pathlib import Path

import numpy as np
import pytest

from evidens.demo import data
from evidens.demo.strategy_content import (
    BOARD,
    CRITERIA,
    DECISION,
    OPTIONS,
    SCENARIO_SCORES,
    SCENARIOS,
    SCORES,
    VALIDATION,
    BoardMemberText,
    OptionText,
)
from evidens.strategy.mcda import CONSISTENCY_RATIO_LIMIT, ahp_priorities, weighted_sum

EVIDENCE_BUILD = Path(__file__).resolve().parents[2] / "evidens" / "demo" / "evidence_build.py"
CRITERION_KEYS = [criterion.key for criterion in CRITERIA]
OPTION_KEYS = [option.key for option in OPTIONS]
MEMBER_KEYS = [member.key for member in BOARD]
SAATY_SCALE = [*(1 / value for value in range(9, 1, -1)), *range(1, 10)]
SLUG = re.compile(r"[a-z][a-z0-9_]*")


def _plan_statements(plan: str) -> set[str]:
    """The statements (second argument) of every ``plan(...)`` call in evidence_build.py that is plain text; a
    statement built with an f-string holds figures from the demo data and cannot be quoted."""
    tree = ast.parse(EVIDENCE_BUILD.read_text(encoding="utf-8"))
    return {node.args[1].value for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == plan
            and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)}


def _ahp(member: BoardMemberText) -> tuple[float, list[float], tuple[str, str] | None]:
    """CR, weights and the judgement to revise of an AHP member's comparisons."""
    matrix = [[1.0] * len(CRITERIA) for _ in CRITERIA]
    for (a, b), value in member.judgements.items():
        i, j = CRITERION_KEYS.index(a), CRITERION_KEYS.index(b)
        matrix[i][j], matrix[j][i] = value, 1 / value
    result = ahp_priorities(matrix)
    pair = result.most_inconsistent
    return result.cr, result.weights, None if pair is None else (CRITERION_KEYS[pair[0]], CRITERION_KEYS[pair[1]])


def _weights(member: BoardMemberText) -> np.ndarray:
    if member.method == "ahp":
        return np.array(_ahp(member)[1])
    points = np.array([member.points[key] for key in CRITERION_KEYS], dtype=float)
    return points / points.sum()


def _group_weights() -> np.ndarray:
    """The geometric mean of the members' normalised weights, per criterion, normalised again."""
    logs = np.log(np.array([_weights(member) for member in BOARD]))
    means = np.exp(logs.mean(axis=0))
    return means / means.sum()


def _score_table() -> list[list[float]]:
    """Options × criteria: the mean of the members' scores where given, a cost criterion's score turned round
    (6 − s) so that higher is better throughout."""
    benefit = {criterion.key: criterion.benefit for criterion in CRITERIA}
    given: dict[tuple[str, str], list[int]] = {}
    for score in SCORES:
        value = score.value if benefit[score.criterion] else 6 - score.value
        given.setdefault((score.option, score.criterion), []).append(value)
    return [[float(np.mean(given[option, criterion])) for criterion in CRITERION_KEYS] for option in OPTION_KEYS]


def _ranking(values: list[float]) -> list[str]:
    return [OPTION_KEYS[index] for index in np.argsort(values)[::-1]]


# --- the evidence the options rest on --------------------------------------------------------------------------------


def test_the_plan_reader_finds_the_evidence_base() -> None:
    # evidence_build.py holds eleven assumptions (two per challenge, one under the last) and eight findings written
    # as plain text (the interview findings but the one about green transition, whose count comes from the data).
    assert len(_plan_statements("AssumptionPlan")) == 11
    assert len(_plan_statements("FindingPlan")) == 8
    assert "Vi når ikke de små boligorganisationer." in _plan_statements("AssumptionPlan")


def test_conditions_quote_assumptions_and_findings_word_for_word() -> None:
    assumptions, findings = _plan_statements("AssumptionPlan"), _plan_statements("FindingPlan")
    for option in OPTIONS:
        assert 2 <= len(option.conditions) <= 4, option.key
        for condition in option.conditions:
            assert condition.statement.strip()
            assert condition.assumptions, condition.statement
            assert set(condition.assumptions) <= assumptions, condition.statement
            assert set(condition.findings) <= findings, condition.statement
            assert len(set(condition.assumptions)) == len(condition.assumptions)
            assert len(set(condition.findings)) == len(condition.findings)


def test_conditions_bear_on_most_of_the_workshop() -> None:
    quoted = {statement for option in OPTIONS for condition in option.conditions
              for statement in condition.assumptions}
    assert len(quoted) >= 9


# --- options, criteria, board ----------------------------------------------------------------------------------------


def test_four_options_with_the_status_quo_once() -> None:
    assert len(OPTIONS) == 4
    assert len(set(OPTION_KEYS)) == 4
    assert all(SLUG.fullmatch(key) for key in OPTION_KEYS)
    assert [option.is_status_quo for option in OPTIONS].count(True) == 1
    texts = [item.name for item in fields(OptionText) if item.type == "str"]
    assert "summary" in texts and "fee" in texts
    for option in OPTIONS:
        assert all(getattr(option, name).strip() for name in texts), option.key


def test_first_drafts_are_earlier_wordings_of_one_to_three_fields() -> None:
    texts = {item.name for item in fields(OptionText) if item.type == "str"} - {"key"}
    for option in OPTIONS:
        assert 1 <= len(option.first_draft) <= 3, option.key
        for name, earlier in option.first_draft.items():
            assert name in texts
            assert earlier.strip() and earlier != getattr(option, name)


def test_seven_criteria_in_three_groups_with_cost_criteria_and_full_scales() -> None:
    assert len(CRITERIA) == 7
    assert len(set(CRITERION_KEYS)) == 7
    assert all(SLUG.fullmatch(key) for key in CRITERION_KEYS)
    assert len({criterion.group for criterion in CRITERIA}) == 3
    assert any(not criterion.benefit for criterion in CRITERIA)
    for criterion in CRITERIA:
        assert len(criterion.scale) == 5
        assert all(step.strip() for step in criterion.scale), criterion.key
        assert len(set(criterion.scale)) == 5, criterion.key
        assert criterion.name.strip() and criterion.description.strip()


def test_six_members_and_the_board_login_is_birgit_lindholm_toft() -> None:
    assert len(BOARD) == 6
    assert len(set(MEMBER_KEYS)) == 6
    assert all(SLUG.fullmatch(key) for key in MEMBER_KEYS)
    board_user = next(user for user in data.DEMO_USERS if user.role == "board")
    with_login = [member for member in BOARD if member.username is not None]
    assert [(member.username, member.name) for member in with_login] == [
        (board_user.username, f"{board_user.first_name} {board_user.last_name}")]
    assert with_login[0].username == "bestyrelse"
    assert [member.title.split(",")[0] for member in BOARD].count("Formand") == 1


def test_weighting_methods_are_mixed() -> None:
    methods = Counter(member.method for member in BOARD)
    assert set(methods) == {"direct", "swing", "ahp"}
    assert 2 <= methods["ahp"] <= 3
    assert methods["direct"] == 2
    assert 1 <= methods["swing"] <= 2


def test_points_and_judgements_fit_each_method() -> None:
    pairs = set(combinations(CRITERION_KEYS, 2))
    for member in BOARD:
        if member.method == "ahp":
            assert member.points == {}, member.key
            # Each unordered pair once: the pairs in the order of CRITERIA, none the other way round.
            assert set(member.judgements) == pairs, member.key
            for value in member.judgements.values():
                assert any(math.isclose(value, step) for step in SAATY_SCALE), (member.key, value)
        else:
            assert member.judgements == {}, member.key
            assert set(member.points) == set(CRITERION_KEYS), member.key
            assert all(points > 0 for points in member.points.values()), member.key
        if member.method == "swing":
            assert max(member.points.values()) == 100
            assert list(member.points.values()).count(100) == 1
        if member.method == "direct":
            assert sum(member.points.values()) == 100


def test_one_ahp_member_has_a_judgement_to_revise() -> None:
    results = {member.key: _ahp(member) for member in BOARD if member.method == "ahp"}
    above = [key for key, (cr, _weights, _pair) in results.items() if cr > CONSISTENCY_RATIO_LIMIT]
    assert len(above) == 1
    assert all(cr < CONSISTENCY_RATIO_LIMIT for key, (cr, _weights, _pair) in results.items() if key != above[0])
    member = next(member for member in BOARD if member.key == above[0])
    cr, _weights, pair = results[member.key]
    assert cr < 0.15  # a bit above the limit: one slip, not a careless matrix
    assert member.username == "bestyrelse"  # the demo's board login meets the prompt to revise
    # The slip the content describes: everyday use (nytte) judged a quarter of secretariat capacity. Turned round
    # to 3, as the rest of her judgements imply, the matrix is consistent.
    assert pair == ("nytte", "kapacitet")
    assert member.judgements[pair] == pytest.approx(1 / 4)
    revised = BoardMemberText(member.key, member.name, member.title, member.username, member.method,
                              judgements={**member.judgements, pair: 3})
    assert _ahp(revised)[0] < CONSISTENCY_RATIO_LIMIT


# --- scores ----------------------------------------------------------------------------------------------------------


def test_every_member_scores_every_option_on_every_criterion_but_a_few() -> None:
    cells = [(score.member, score.option, score.criterion) for score in SCORES]
    assert len(cells) == len(set(cells))
    grid = set(product(MEMBER_KEYS, OPTION_KEYS, CRITERION_KEYS))
    assert set(cells) <= grid
    missing = grid - set(cells)
    assert 3 <= len(missing) <= 5
    # Left out here and there, not a member skipping an option or a criterion.
    assert max(Counter(member for member, _option, _criterion in missing).values()) == 1
    assert all(1 <= score.value <= 5 for score in SCORES)


def test_reasons_on_a_third_and_on_every_extreme_score() -> None:
    with_reason = [score for score in SCORES if score.reason.strip()]
    assert 3 * len(with_reason) >= len(SCORES)
    for score in SCORES:
        if score.value in (1, 5):
            assert score.reason.strip(), score
    assert len({score.reason for score in with_reason}) == len(with_reason)


def test_group_weights_make_a_close_call_with_the_status_quo_last() -> None:
    values = weighted_sum(_score_table(), _group_weights())
    ranking = _ranking(values)
    first, second = sorted(values, reverse=True)[:2]
    assert first - second <= 0.25
    assert set(ranking[:2]) == {"videnshub", "netvaerk"}
    assert ranking[-1] == "status_quo"
    assert ranking[0] == DECISION.option


def test_members_own_weights_rank_the_options_differently() -> None:
    table = _score_table()
    group = _ranking(weighted_sum(table, _group_weights()))
    own = {member.key: _ranking(weighted_sum(table, _weights(member))) for member in BOARD}
    assert sum(ranking != group for ranking in own.values()) >= 2
    # At least one member's weights put another option first: the dissent has a reason in the numbers.
    assert any(ranking[0] != group[0] for ranking in own.values())


# --- scenarios, validation, decision ---------------------------------------------------------------------------------


def test_every_option_is_scored_in_every_scenario() -> None:
    assert len(SCENARIOS) == 3
    keys = [key for key, _name, _description in SCENARIOS]
    assert len(set(keys)) == 3 and all(SLUG.fullmatch(key) for key in keys)
    assert all(name.strip() and description.strip() for _key, name, description in SCENARIOS)
    assert set(SCENARIO_SCORES) == set(product(OPTION_KEYS, keys))
    assert all(1 <= value <= 5 for value in SCENARIO_SCORES.values())


def test_validation_checks_every_condition_once_per_segment() -> None:
    assert set(VALIDATION.participants) <= set(data.SEGMENTS)
    assert all(count > 0 for count in VALIDATION.participants.values())
    checked = Counter((check.option, check.condition) for check in VALIDATION.checks)
    expected = {(option.key, condition.statement) for option in OPTIONS for condition in option.conditions}
    assert set(checked) == expected
    assert set(checked.values()) == {1}
    for check in VALIDATION.checks:
        assert set(check.agree) == set(VALIDATION.participants)
        for segment, share in check.agree.items():
            people = VALIDATION.participants[segment]
            assert 0 <= share <= 1
            assert share * people == pytest.approx(round(share * people)), (check.condition, segment)


def test_validation_comments_and_summary() -> None:
    per_option = Counter(comment.option for comment in VALIDATION.comments)
    assert set(per_option) == set(OPTION_KEYS)
    assert all(4 <= count <= 6 for count in per_option.values())
    assert all(comment.segment in VALIDATION.participants and comment.text.strip() for comment in VALIDATION.comments)
    assert f"{sum(VALIDATION.participants.values())} deltagere" in VALIDATION.summary
    assert data.PROCESS_START <= VALIDATION.held_on < DECISION.decided_on


def test_the_decision_record() -> None:
    assert DECISION.option in ("videnshub", "netvaerk")
    assert data.PROCESS_START <= DECISION.decided_on <= data.PROCESS_END
    assert DECISION.votes_for + DECISION.votes_against + DECISION.votes_abstain == len(BOARD)
    assert DECISION.votes_for > len(BOARD) / 2
    votes = Counter(dissent.vote for dissent in DECISION.dissent)
    assert votes == Counter({"against": DECISION.votes_against, "abstain": DECISION.votes_abstain})
    dissenting = [dissent.member for dissent in DECISION.dissent]
    assert len(set(dissenting)) == len(dissenting) and set(dissenting) <= set(MEMBER_KEYS)
    assert all(dissent.reason.strip() for dissent in DECISION.dissent)
    assert DECISION.meeting.strip()
    sentences = [part for part in re.split(r"(?<=[.!?])\s+", DECISION.rationale.strip()) if part]
    assert 5 <= len(sentences) <= 8
    assert DECISION.goals
    for goal, measure, target, deadline in DECISION.goals:
        assert goal.strip() and measure.strip() and target.strip()
        assert deadline > DECISION.decided_on
