"""Reads of qualitative coding: agreement between coders on a hand-worked case, the code × group matrix,
co-occurrence, search with Danish inflection, segments with their context and keyword suggestions.

Every expected value is worked out by hand in the comments; positions are code points counted in the comments.
"""

from __future__ import annotations

from typing import Any

import pytest

from evidens.coding import selectors, services
from evidens.coding.models import Code, Coding, Document, DocumentOrigin
from evidens.coding.suggest import Suggestion
from evidens.processes import services as process_services
from evidens.processes.models import StrategyProcess
from tests.conftest import PASSWORD, Cast


def text_document(process: StrategyProcess, text: str, title: str = "I01", group: str = "member",
                  turns: tuple[tuple[str, int, int], ...] = ()) -> Document:
    return services.document_create(process=process, origin=DocumentOrigin.INTERVIEW, title=title, text=text,
                                    group=group, label=title, turns=turns)


def code(process: StrategyProcess, name: str, **values: Any) -> Code:
    return services.code_create(process=process, actor=None, name=name, **values)


def apply(document: Document, actor: Any, codes: list[Code], start: int, end: int) -> list[Coding]:
    return services.coding_apply(document=document, actor=actor, codes=codes, start=start, end=end)


# --- agreement ------------------------------------------------------------------------------------------------------


def test_agreement_on_a_case_worked_by_hand(cast: Cast) -> None:
    coder_a = process_services.user_create(username="a", password=PASSWORD)
    coder_b = process_services.user_create(username="b", password=PASSWORD)
    document = text_document(cast.process, "abcdefghij")  # 10 characters, one unit each
    x, y = code(cast.process, "X"), code(cast.process, "Y")
    apply(document, coder_a, [x], 0, 5)
    apply(document, coder_b, [x], 0, 5)
    apply(document, coder_b, [y], 5, 10)

    found = selectors.document_agreement(document)

    assert found.coders == ["a", "b"]
    by_code = {row.code.name: row for row in found.codes}
    assert list(by_code) == ["X", "Y"]
    # X: both coders mark 0–4 and leave 5–9 → no disagreement at all: α = 1. κ: p_o = 1, p_e = 0.5·0.5 + 0.5·0.5
    # = 0.5, κ = (1 − 0.5) / (1 − 0.5) = 1.
    assert by_code["X"].alpha == pytest.approx(1.0)
    assert by_code["X"].kappa == pytest.approx(1.0)
    # Y: a has nothing, b marks 5–9. Coincidences: o_00 = 2·5 = 10 (units 0–4), o_01 = o_10 = 5 (units 5–9);
    # n_0 = 15, n_1 = 5, n = 20. α = 1 − (n − 1)·(o_01 + o_10) / (n_0·n_1 + n_1·n_0) = 1 − 19·10/150 = −0.26667.
    assert by_code["Y"].alpha == pytest.approx(1 - 19 * 10 / 150)
    assert by_code["Y"].alpha == pytest.approx(-0.26667, abs=1e-5)
    # κ(Y): p_o = 5/10 = 0.5; a says 0 ten times, b 0 five times and 1 five times: p_e = (10·5 + 0·5)/100 = 0.5;
    # κ = (0.5 − 0.5) / (1 − 0.5) = 0.
    assert by_code["Y"].kappa == pytest.approx(0.0)
    # Over both codes end to end (20 units): o_11 = 10 (X 0–4), o_00 = 2·(5 + 5) = 20 (X 5–9, Y 0–4),
    # o_01 = o_10 = 5 (Y 5–9); n_0 = 25, n_1 = 15, n = 40. α = 1 − 39·10/(2·25·15) = 1 − 390/750 = 0.48.
    assert found.overall == pytest.approx(0.48)
    assert found.overall_undefined == ""
    assert [(row.code.name, row.start, row.end, row.passage, row.coded_by, row.not_coded_by)
            for row in found.disagreements] == [("Y", 5, 10, "fghij", ("b",), ("a",))]


def test_agreement_of_one_coder_is_not_measured(cast: Cast) -> None:
    document = text_document(cast.process, "abcdefghij")
    apply(document, cast.users["analyst"], [code(cast.process, "X")], 0, 5)
    # The agreement page opens for any text (a link, or a second coder who has undone everything): with one coder
    # no unit has two values to pair, so nothing is measured, and nothing differs.
    found = selectors.document_agreement(document)
    assert (found.coders, found.overall, found.disagreements) == (["u-analyst"], None, [])
    assert all(row.alpha is None and row.kappa is None for row in found.codes)


# --- matrix and co-occurrence ---------------------------------------------------------------------------------------


def test_the_matrix_counts_passages_and_texts_per_code_and_group(cast: Cast) -> None:
    analyst, secretariat = cast.users["analyst"], cast.users["secretariat"]
    text = "Første sætning. Anden sætning. Tredje sætning."  # sentences at 0–15, 16–30, 31–46
    first = text_document(cast.process, text, "I01", "member")
    second = text_document(cast.process, text, "I02", "member")
    third = text_document(cast.process, text, "I03", "municipality")
    text_document(cast.process, text, "I04", "municipality")  # no codings, but a text of the group
    x, y = code(cast.process, "X"), code(cast.process, "Y")
    apply(first, analyst, [x], 0, 15)
    apply(first, analyst, [x], 16, 30)
    apply(second, analyst, [x], 0, 15)
    apply(second, secretariat, [x], 0, 15)  # the secretariat double codes a passage
    apply(third, analyst, [y], 31, 46)

    found = selectors.matrix(cast.process)
    # Groups in StakeholderGroup order, each with its number of texts: members I01, I02; municipality I03, I04.
    assert [(key, size) for key, _label, size in found.groups] == [("member", 2), ("municipality", 2)]
    cells = {row.code.name: [(cell.group, cell.passages, cell.documents) for cell in row_cells]
             for row, row_cells in found.rows}
    # X among members: I01 twice and I02 by two coders = 4 codings in 2 texts; none in the municipalities.
    assert cells == {"X": [("member", 4, 2), ("municipality", 0, 0)],
                     "Y": [("member", 0, 0), ("municipality", 1, 1)]}
    # One coder: the analyst's X among members is I01 twice and I02 once.
    analyst_cells = {row.code.name: [(c.passages, c.documents) for c in row_cells]
                     for row, row_cells in selectors.matrix(cast.process, "u-analyst").rows}
    assert analyst_cells == {"X": [(3, 2), (0, 0)], "Y": [(0, 0), (1, 1)]}


def test_cooccurrence_counts_overlapping_codings_of_one_coder(cast: Cast) -> None:
    analyst, secretariat = cast.users["analyst"], cast.users["secretariat"]
    document = text_document(cast.process, "abcdefghijklmnopqrst")  # 20 letters, no white space to trim
    x, y, z = code(cast.process, "X"), code(cast.process, "Y"), code(cast.process, "Z")
    apply(document, analyst, [x], 0, 10)
    apply(document, analyst, [y], 5, 15)  # overlaps X on 5–9: one pair X–Y
    apply(document, analyst, [z], 15, 20)  # touches Y at 15 but shares no character: no pair
    apply(document, secretariat, [z], 0, 5)  # overlaps the analyst's X, but another coder's: no pair
    apply(document, secretariat, [y], 2, 4)  # overlaps the secretariat's own Z: one pair Y–Z

    codes, pairs = selectors.cooccurrence(cast.process)
    assert [c.name for c in codes] == ["X", "Y", "Z"]
    assert pairs == {(x.pk, y.pk): 1, (y.pk, z.pk): 1}
    assert selectors.cooccurrence(cast.process, "u-analyst")[1] == {(x.pk, y.pk): 1}


# --- search ---------------------------------------------------------------------------------------------------------


def test_search_finds_inflected_forms_and_exact_phrases(cast: Cast) -> None:
    # A: "Renoveringerne" 0–13 (14 letters), then " tager"(6) " tid."(5) " Vi"(3) " taler"(6) " om"(3) " "(1):
    # "grøn" starts at 14 + 6 + 5 + 3 + 6 + 3 + 1 = 38, and "grøn omstilling" (15) is 38–53.
    # B: "Omstilling grøn er ikke det samme." is 0–33, " Ingen " 34–40, "renovering" 41–50.
    first = text_document(cast.process, "Renoveringerne tager tid. Vi taler om grøn omstilling.", "A")
    second = text_document(cast.process, "Omstilling grøn er ikke det samme. Ingen renovering her!", "B")

    hits = selectors.search(cast.process, "renovering")
    assert [(hit.document.title, hit.start, hit.end, hit.match) for hit in hits] == [
        ("A", 0, 14, "Renoveringerne"), ("B", 41, 51, "renovering")]

    phrase = selectors.search(cast.process, '"grøn omstilling"')
    assert [(hit.document.pk, hit.start, hit.end, hit.match) for hit in phrase] == [
        (first.pk, 38, 53, "grøn omstilling")]
    # Without quotes each word is found on its own, in both texts: grøn, omstilling in A; Omstilling, grøn in B.
    words = selectors.search(cast.process, "grøn omstilling")
    assert [(hit.document.pk, hit.match) for hit in words] == [
        (first.pk, "grøn"), (first.pk, "omstilling"), (second.pk, "Omstilling"), (second.pk, "grøn")]
    assert selectors.search(cast.process, "   ") == []


# --- segments -------------------------------------------------------------------------------------------------------

# Counted by hand: "Interviewer: " is 13, so the question is 13–32 ("Hvad med boligerne?" is 19); "\n" 32;
# "I01: " 33–37, the answer 38–67 ("De er gamle. Vi renoverer nu." is 29); "\n" 67; "Interviewer: " 68–80, "Tak." 81–85.
DIALOGUE = "Interviewer: Hvad med boligerne?\nI01: De er gamle. Vi renoverer nu.\nInterviewer: Tak."
TURNS = (("Interviewer", 13, 32), ("I01", 38, 67), ("Interviewer", 81, 85))


def test_the_hand_counted_turns() -> None:
    assert [DIALOGUE[start:end] for _speaker, start, end in TURNS] == [
        "Hvad med boligerne?", "De er gamle. Vi renoverer nu.", "Tak."]
    assert len(DIALOGUE) == 85


def test_a_segments_context_stays_within_its_turn(cast: Cast) -> None:
    document = text_document(cast.process, DIALOGUE, turns=TURNS)
    age = code(cast.process, "Alder")
    apply(document, cast.users["analyst"], [age], 44, 49)  # "gamle": "De er " is 38–43

    (segment,) = selectors.segments(cast.process, code=age)
    assert segment.passage == "gamle"
    # Without turns the 160 characters around would reach the interviewer's question and thanks.
    assert segment.before.lstrip("…") == "De er "
    assert segment.after.rstrip("…") == ". Vi renoverer nu."
    assert "boligerne" not in segment.before and "Tak" not in segment.after


def test_no_ellipsis_where_the_context_is_the_whole_turn(cast: Cast) -> None:
    # The context runs from the turn's first to its last character, so nothing of what the speaker said is left out;
    # "…" (text left out) belongs only where the 160 characters cut a turn or a text without turns.
    document = text_document(cast.process, DIALOGUE, turns=TURNS)
    age = code(cast.process, "Alder")
    apply(document, cast.users["analyst"], [age], 44, 49)
    (segment,) = selectors.segments(cast.process, code=age)
    assert (segment.before, segment.after) == ("De er ", ". Vi renoverer nu.")


def test_a_segment_in_a_long_turn_is_cut_at_160_characters_with_an_ellipsis(cast: Cast) -> None:
    # "I01: " then 200 a's, "X", 200 b's: the turn is 5–406, "X" at 205. 160 back from 205 is 45, 160 on from
    # 206 is 366: both inside the turn, so the context is cut there and marked.
    text = "I01: " + "a" * 200 + "X" + "b" * 200
    document = text_document(cast.process, text, turns=(("I01", 5, 406),))
    letter = code(cast.process, "Bogstav")
    apply(document, cast.users["analyst"], [letter], 205, 206)
    (segment,) = selectors.segments(cast.process, code=letter)
    assert (segment.before, segment.passage, segment.after) == ("…" + "a" * 160, "X", "b" * 160 + "…")


def test_segments_filter_by_group_quote_and_coder(cast: Cast) -> None:
    analyst, secretariat = cast.users["analyst"], cast.users["secretariat"]
    member = text_document(cast.process, "Første sætning. Anden sætning.", "I01", "member")
    other = text_document(cast.process, "Første sætning. Anden sætning.", "I02", "municipality")
    x = code(cast.process, "X")
    (quote,) = apply(member, analyst, [x], 0, 15)
    services.coding_quote_set(coding=quote, actor=analyst, quote=True)
    apply(member, secretariat, [x], 16, 30)
    apply(other, analyst, [x], 0, 15)
    assert [(s.coding.document.title, s.coding.start) for s in selectors.segments(cast.process, code=x)] == [
        ("I01", 0), ("I01", 16), ("I02", 0)]
    assert [s.coding.document.title for s in selectors.segments(cast.process, group="municipality")] == ["I02"]
    assert [s.coding.pk for s in selectors.segments(cast.process, quotes_only=True)] == [quote.pk]
    assert [s.coding.start for s in selectors.segments(cast.process, coder="u-secretariat")] == [16]


# --- suggestions ----------------------------------------------------------------------------------------------------

# Sentences counted by hand: "Renoveringen er i gang." 0–23 (12 + 11); "Vi taler om renoveringer." 24–49 (25);
# "Og renovering igen." 50–69 (19); "Intet her." 70–80.
SUGGESTIBLE = "Renoveringen er i gang. Vi taler om renoveringer. Og renovering igen. Intet her."


def test_suggestions_leave_out_coded_and_rejected_sentences(cast: Cast) -> None:
    document = text_document(cast.process, SUGGESTIBLE)
    renovation = code(cast.process, "Renovering", keywords="renovering")
    other = code(cast.process, "Tid")
    assert selectors.suggestions(renovation, document) == [
        Suggestion(0, 23, ("Renoveringen",)), Suggestion(24, 49, ("renoveringer",)),
        Suggestion(50, 69, ("renovering",))]

    apply(document, cast.users["analyst"], [renovation], 0, 23)
    apply(document, cast.users["analyst"], [other], 50, 69)  # another code does not take the sentence
    services.suggestion_reject(document=document, code=renovation, start=24, end=49)
    assert selectors.suggestions(renovation, document) == [Suggestion(50, 69, ("renovering",))]
    assert selectors.suggestions(other, document) == []  # a code without keywords suggests nothing
