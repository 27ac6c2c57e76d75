"""Suggested segments for a code from its keywords: sentences, Danish stems, phrases, taken ranges and order.

Expected positions are found by slicing the known text in the test (``str.index`` of the sentence as written) or
counted by hand in the comments; the stems are those of the Snowball Danish stemmer that tests/text checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidens.coding.suggest import Suggestion, parse_keywords, suggest_segments


def sentence(text: str, written: str, matched: tuple[str, ...]) -> Suggestion:
    start = text.index(written)
    return Suggestion(start, start + len(written), matched)


TEXT = (
    "Interviewer: Hvad med renovering?\n"
    "I07: Renoveringen af blok 3 er i gang. Grøn omstilling og flere renoveringer hænger sammen!  Ærligt talt 👍.\n"
    "Vi talte f.eks. om ca. 20 boliger i alt? Ja, grønne omstillinger koster.\n"
    "Grøn, omstilling og økonomi er ikke det samme."
)


def test_inflected_forms_and_phrases() -> None:
    assert suggest_segments(TEXT, ["renovering", "grøn omstilling"]) == [
        # Two different keywords first ...
        sentence(TEXT, "Grøn omstilling og flere renoveringer hænger sammen!", ("Grøn omstilling", "renoveringer")),
        # ... then one keyword each, in the order of the text.
        sentence(TEXT, "Interviewer: Hvad med renovering?", ("renovering",)),
        sentence(TEXT, "I07: Renoveringen af blok 3 er i gang.", ("Renoveringen",)),
        sentence(TEXT, "Ja, grønne omstillinger koster.", ("grønne omstillinger",)),
        # "Grøn, omstilling" has a comma between the words: not the phrase.
    ]


def test_positions_are_code_points_around_an_emoji() -> None:
    text = "Godt 👍. Økonomien er stram.\r\nØkonomi igen"
    # "Godt 👍." is G, o, d, t, space, emoji, full stop: 0..7 (the emoji counts one). A space follows, so the next
    # sentence starts at 8 and "Økonomien er stram." (19 code points) ends at 27. The line break is "\r\n" at 27
    # and 28; the last line starts at 29 and "Økonomi igen" (12) ends at 41.
    assert suggest_segments(text, ["økonomi", "godt"]) == [
        Suggestion(0, 7, ("Godt",)),
        Suggestion(8, 27, ("Økonomien",)),
        Suggestion(29, 41, ("Økonomi",)),
    ]
    assert text[8:27] == "Økonomien er stram."
    assert text[29:41] == "Økonomi igen"


def test_sentence_boundaries() -> None:
    text = ("Hun sagde »Nej.« Så gik hun. Det kostede ca. 20 kr. pr. bolig, f.eks. i blok 3. Hvad?! Nej\n"
            "   linje med beboere   \n\nbeboere.Uden mellemrum")
    keywords = ["nej", "bolig", "beboer", "hvad", "hun", "mellemrum"]
    by_position = sorted(suggest_segments(text, keywords), key=lambda suggestion: suggestion.start)
    assert [text[s.start:s.end] for s in by_position] == [
        "Hun sagde »Nej.«",  # closing quotation marks stay with their sentence
        "Så gik hun.",
        "Det kostede ca. 20 kr. pr. bolig, f.eks. i blok 3.",  # lower case or a digit next: an abbreviation
        "Hvad?!",
        "Nej",  # a line break ends a sentence too
        "linje med beboere",  # without the whitespace around it
        "beboere.Uden mellemrum",  # no space after the full stop: one sentence
    ]


def test_taken_ranges_leave_sentences_out() -> None:
    text = "Renovering her. Renovering der. Renovering til sidst."
    # The sentences run 0..15, 16..31 and 32..53.
    assert [(s.start, s.end) for s in suggest_segments(text, ["renovering"])] == [(0, 15), (16, 31), (32, 53)]
    # A range overlapping the second sentence by one code point leaves it out; ranges that only touch a
    # sentence (ending where it starts, starting where it ends) do not.
    assert [(s.start, s.end) for s in suggest_segments(text, ["renovering"], taken=[(30, 31)])] == [(0, 15),
                                                                                                    (32, 53)]
    assert [(s.start, s.end) for s in suggest_segments(text, ["renovering"], taken=[(15, 16), (31, 32)])] == [
        (0, 15), (16, 31), (32, 53)]
    assert suggest_segments(text, ["renovering"], taken=[(0, 53)]) == []
    # Many ranges, unsorted and nested: only the first sentence is free.
    many = [(40, 41), (17, 18), (16, 50), (20, 21)]
    assert [(s.start, s.end) for s in suggest_segments(text, ["renovering"], taken=many)] == [(0, 15)]


def test_limit_keeps_the_best() -> None:
    text = "Bolig. Bolig og økonomi. Bolig."
    assert suggest_segments(text, ["bolig", "økonomi"], limit=2) == [
        sentence(text, "Bolig og økonomi.", ("Bolig", "økonomi")),
        Suggestion(0, 6, ("Bolig",)),
    ]


def test_matched_words_once_each_in_order() -> None:
    text = "Beboerne og beboerne og Beboerne, beboer for beboer."
    assert suggest_segments(text, ["beboer", "Beboere"]) == [
        Suggestion(0, len(text), ("Beboerne", "beboerne", "beboer")),
    ]


def test_keywords_without_words() -> None:
    assert suggest_segments("Alt om 2025 og 👍.", ["2025", "👍", " ", ""]) == []
    assert suggest_segments("", ["bolig"]) == []


def test_a_keyword_phrase_of_stop_words_still_matches() -> None:
    text = "Det fungerer ikke godt. Det er godt."
    assert suggest_segments(text, ["ikke godt"]) == [sentence(text, "Det fungerer ikke godt.", ("ikke godt",))]


def test_a_sentence_that_grows_in_lower_case() -> None:
    # "İ" (capital I with a dot) lower-cases to two code points, so the words are quoted in lower case; the sentence
    # itself keeps its place: "İzmir: " is 7 code points and "Grøn omstilling." 16, 0..23.
    text = "İzmir: Grøn omstilling."
    assert suggest_segments(text, ["grøn omstilling"]) == [Suggestion(0, 23, ("grøn omstilling",))]


@pytest.mark.parametrize(("text", "expected"), [
    ("renovering, grøn omstilling\nøkonomi", ["renovering", "grøn omstilling", "økonomi"]),
    ("  Renovering ,renovering,RENOVERING\r\n\n,, ", ["Renovering"]),
    ("grøn   omstilling, Grøn omstilling", ["grøn omstilling"]),
    ("", []),
    ("Æble, æble, ÆBLE, øko", ["Æble", "øko"]),
])
def test_parse_keywords(text: str, expected: list[str]) -> None:
    assert parse_keywords(text) == expected


@given(st.lists(st.sampled_from([*"abø .!?\n\r👍,«»", "Renoveringen", "grøn omstilling", "renovering"]),
                max_size=60).map("".join),
       st.lists(st.tuples(st.integers(0, 200), st.integers(0, 30)).map(lambda pair: (pair[0], pair[0] + pair[1])),
                max_size=5))
def test_suggestions_are_trimmed_sentences_outside_taken_ranges(text: str, taken: list[tuple[int, int]]) -> None:
    suggestions = suggest_segments(text, ["renovering", "grøn omstilling", "ø"], taken=taken)
    for suggestion in suggestions:
        part = text[suggestion.start:suggestion.end]
        assert part and part == part.strip() and "\n" not in part
        assert all(not (start < suggestion.end and suggestion.start < end) for start, end in taken)
        assert all(written in part for written in suggestion.matched)
    assert len({(s.start, s.end) for s in suggestions}) == len(suggestions)
