"""What the results show, and what an anonymous survey keeps back: cases built to break the anonymity."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from evidens.surveys import analysis, results
from evidens.surveys import definition as d
from evidens.surveys.results import OTHER_GROUPS, Respondents, Selection
from tests.surveys.conftest import questionnaire

SURVEY = questionnaire()


def _respondents(rows: list[tuple[str, str, str]]) -> Respondents:
    """(segment, medlem, tilfreds) per respondent."""
    return Respondents(answers=[{"medlem": member, "tilfreds": scale} for _segment, member, scale in rows],
                       segments=[segment for segment, _member, _scale in rows])


def _shown(people: Respondents, anonymous: bool = True, **selection: Any) -> results.Results:
    return results.results(SURVEY, people, Selection(**selection), anonymous=anonymous, threshold=5, language="en")


def _published_vectors(shown: results.Results, question: str) -> list[tuple[str, tuple[float | None, ...]]]:
    """Every column of counts a reader sees for ``question``: the overall one and each group's."""
    view = next(view for view in shown.questions if view.result.name == question)
    vectors = [("all", tuple(option.count for option in view.result.options))]
    if view.comparison is not None:
        vectors += [(group.name, tuple(None if option is None else option.count for option in group.options))
                    for group in view.comparison.groups if not group.suppressed]
    return vectors


def test_an_anonymous_survey_shows_nothing_for_fewer_than_five() -> None:
    four = _respondents([("A", "ja", "4")] * 4)
    assert _shown(four).questions == [] and "Fewer than 5" in _shown(four).hidden
    assert _shown(four, anonymous=False).questions[0].result.n == 4


def test_a_filter_that_leaves_out_a_few_shows_nothing() -> None:
    people = _respondents([("A", "ja", "4")] * 9 + [("B", "nej", "2")] * 3)
    # Filtered next to unfiltered would give away the three left out.
    assert _shown(people, filters={"medlem": "ja"}).questions == []
    assert _shown(people, filters={"medlem": "ja"}, anonymous=False).questions[0].result.n == 9


def test_small_segments_are_folded_into_other_groups_everywhere() -> None:
    # A: 8, B: 6, C: 2. C alone is too small; C with B is not, so B is folded too (B could otherwise be
    # shown by a filter and subtracted from "other groups" to leave C).
    people = _respondents([("A", "ja", "5")] * 8 + [("B", "nej", "3")] * 6 + [("C", "nej", "1")] * 2)
    choices = {variable: values for variable, _label, values in
               results.filter_choices(SURVEY, people, anonymous=True, threshold=5, language="en")}
    assert choices["segment"] == [("A", "A"), (OTHER_GROUPS, "Other groups")]
    by_segment = _shown(people, by="segment")
    groups = next(view for view in by_segment.questions if view.result.name == "medlem").comparison
    assert groups is not None
    assert [(group.name, group.n) for group in groups.groups] == [("A", 8), ("Other groups", 8)]
    # Asking for C by name finds nobody: the filter only knows the groups it offers.
    assert _shown(people, filters={"segment": "C"}).questions == []


def test_no_view_by_segment_singles_out_a_folded_segment() -> None:
    people = _respondents([("A", "ja", "5")] * 8 + [("A", "nej", "4")] * 3 + [("B", "nej", "3")] * 6
                          + [("C", "ja", "1")] * 2 + [("D", "ja", "2")] * 7)
    c_alone = (2.0, 0.0)  # medlem: ja, nej among C's two
    b_alone = (0.0, 6.0)
    segment_keys = {variable: values for variable, _label, values in results.filter_choices(
        SURVEY, people, anonymous=True, threshold=5, language="da")}["segment"]
    published: list[tuple[float | None, ...]] = []
    for filters in [{}] + [{"segment": key} for key, _label in segment_keys]:
        for by in ("", "segment"):
            shown = _shown(people, by=by, filters=filters)
            if shown.questions:
                published += [vector for _name, vector in _published_vectors(shown, "medlem")]
    known = [vector for vector in published if None not in vector]
    differences = {tuple(a - b for a, b in zip(first, second, strict=True))  # type: ignore[operator]
                   for first, second in itertools.permutations(known, 2)}
    for secret in (c_alone, b_alone):
        assert secret not in known, secret
        assert secret not in differences, secret


def test_a_small_cell_is_hidden_with_a_second_so_the_totals_do_not_give_it_away() -> None:
    # By medlem: among "ja" (10) two answered 1 on the scale; among "nej" (10) nobody did.
    people = _respondents([("A", "ja", "1")] * 2 + [("A", "ja", "5")] * 8 + [("A", "nej", "4")] * 10)
    view = next(view for view in _shown(people, by="medlem").questions if view.result.name == "tilfreds")
    assert view.comparison is not None
    cells = [[None if group.suppressed else option for option in group.options]
             for group in view.comparison.groups]
    hidden = {(column, row) for column, options in enumerate(cells) for row, option in enumerate(options)
              if option is None}
    assert (0, 0) in hidden  # the two "ja" who answered 1
    # A hidden cell alone in its row or column could be worked out from the totals (the overall result and
    # each group's n): so it has a hidden neighbour in both.
    for column, row in hidden:
        assert sum(1 for _c, other_row in hidden if other_row == row) >= 2
        assert sum(1 for other_column, _r in hidden if other_column == column) >= 2
    assert view.comparison.test is None  # with the totals known, chi-square would pin the hidden cells down


def test_two_filters_are_refused_for_an_anonymous_survey() -> None:
    people = _respondents([("A", "ja", "4")] * 20)
    with pytest.raises(ValueError):
        _shown(people, filters={"segment": "A", "medlem": "ja"})


def test_the_command_line_json_has_no_counts_for_hidden_groups() -> None:
    people = _respondents([("A", "ja", "1")] * 2 + [("A", "ja", "5")] * 8 + [("A", "nej", "4")] * 10)
    document = results.results_json("Test", _shown(people, by="medlem"))
    tilfreds = next(question for question in document["questions"] if question["name"] == "tilfreds")
    hidden = [option for group in tilfreds["groups"] for option in group["options"] if option.get("suppressed")]
    assert hidden and all(set(option) == {"value", "label", "suppressed"} for option in hidden)
    assert document["responses"] == 20 and document["weighted"] is False


def test_a_small_group_is_hidden_in_a_multiple_choice_comparison_though_it_ticked_many() -> None:
    # Six "nej", of whom three answered the question, ticking both channels: six ticks, but three people.
    answers = ([{"medlem": "ja", "kanaler": ["web"]}] * 10 + [{"medlem": "nej", "kanaler": ["web", "nyhedsbrev"]}] * 3
               + [{"medlem": "nej"}] * 3)
    people = Respondents(answers=answers, segments=["A"] * 16)
    view = next(view for view in _shown(people, by="medlem").questions if view.result.name == "kanaler")
    assert view.comparison is not None
    hidden = {group.name: group.suppressed for group in view.comparison.groups}
    assert hidden["No"] is True and all(group.n is None for group in view.comparison.groups if group.suppressed)


def _comments(rows: list[tuple[str, str]]) -> Respondents:
    return Respondents(answers=[{"kommentar": text} for _segment, text in rows],
                       segments=[segment for segment, _text in rows])


def test_open_answers_of_small_groups_are_kept_back_in_an_anonymous_survey() -> None:
    # B (3) is folded with the next smallest, C (6): "other groups" has 9 answers, under the 10 open answers need.
    people = _comments([("A", f"Svar {number} fra A") for number in range(12)]
                       + [("B", "Jeg er den eneste rådgiver i Tønder")] * 3 + [("C", "Fint")] * 6)
    shown = results.free_text(SURVEY, "kommentar", people, by="segment", anonymous=True, threshold=5,
                              language="en")
    assert [group.name for group in shown.groups] == ["A"]
    assert shown.hidden == 9 and shown.answered == 21
    assert all("Tønder" not in text for group in shown.groups for text in group.answers)
    identified = results.free_text(SURVEY, "kommentar", people, by="segment", anonymous=False, threshold=5,
                                   language="en")
    assert [group.name for group in identified.groups] == ["A", "B", "C"] and identified.hidden == 0


def test_open_answers_are_read_in_alphabetical_order_not_the_order_they_came() -> None:
    people = _comments([("A", text) for text in ["Øl", "Bolig", "Andelsbolig"] * 4])
    shown = results.free_text(SURVEY, "kommentar", people, by="", anonymous=True, threshold=5, language="en")
    assert shown.groups[0].answers[:3] == ["Andelsbolig", "Andelsbolig", "Andelsbolig"]


def _count(value: str, label: str, percent: float) -> analysis.OptionCount:
    return analysis.OptionCount(value, label, count=percent / 10, percent=percent, ci_low=None, ci_high=None)


def test_a_matrix_a_ranking_and_a_number_are_saved_as_tables_of_their_own() -> None:
    """Evidence tables for the question types without one list of options (hand-made results, values by hand)."""
    scale = [_count("1", "Uenig", 20.0), _count("2", "Enig", 80.0)]
    matrix = analysis.QuestionResult(
        "udsagn", d.MATRIX, "Hvor enig er du?", n=10, missing=0, dont_know=0, dont_know_included=False,
        items=[analysis.ItemResult("nyttig", "Foreningen er nyttig", 10, 0, 0, scale, 1.8, 2.0),
               analysis.ItemResult("dyr", "Kontingentet er for højt", 9, 1, 0,
                                   [_count("1", "Uenig", 66.7), _count("2", "Enig", 33.3)], 1.33, 1.0)])
    headings, rows, notes = results.evidence_table(results.QuestionView(matrix, None, None))
    assert headings == ["Udsagn", "Uenig", "Enig", "n"]
    assert rows == [["Foreningen er nyttig", 20.0, 80.0, 10], ["Kontingentet er for højt", 66.7, 33.3, 9]]
    assert notes == ["n = 10; 0 uden svar, 0 »ved ikke«."]

    ranking = analysis.QuestionResult(
        "rang", d.RANKING, "Rangordn tilbuddene", n=10, missing=0, dont_know=0, dont_know_included=False,
        items=[analysis.ItemResult("kurser", "Kurser", 10, 0, 0, [], 1.4, 1.0, first=_count("1", "1", 60.0)),
               analysis.ItemResult("net", "Netværk", 10, 0, 0, [], 1.6, 2.0, first=_count("1", "1", 40.0))])
    headings, rows, _notes = results.evidence_table(results.QuestionView(ranking, None, None))
    assert headings == ["Punkt", "Gennemsnitlig plads", "Procent, der satte den først", "n"]
    assert rows == [["Kurser", 1.4, 60.0, 10], ["Netværk", 1.6, 40.0, 10]]

    number = analysis.QuestionResult("ansatte", d.INTEGER, "Antal ansatte", n=8, missing=2, dont_know=0,
                                     dont_know_included=False, mean=12.5, median=10.0)
    headings, rows, _notes = results.evidence_table(results.QuestionView(number, None, None))
    assert (headings, rows) == (["Gennemsnit", "Median", "n"], [[12.5, 10.0, 8]])


def test_a_hidden_group_is_an_empty_column_in_the_evidence_table() -> None:
    yes_no = [_count("ja", "Ja", 50.0), _count("nej", "Nej", 50.0)]
    result = analysis.QuestionResult("medlem", d.SINGLE_CHOICE, "Medlem?", n=9, missing=0, dont_know=0,
                                     dont_know_included=False, options=yes_no)
    comparison = results.Comparison("segment", [results.GroupResult("Medlemmer", 6, False, yes_no),
                                                results.GroupResult("Kommuner", None, True, [])], None, [])
    headings, rows, _notes = results.evidence_table(results.QuestionView(result, None, comparison))
    assert headings == ["Svar", "Medlemmer", "Kommuner"]
    assert rows == [["Ja", 50.0, None], ["Nej", 50.0, None]]
