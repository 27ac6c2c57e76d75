"""Open answers prepared for coding, counted per group by code and by tone (pure functions, checked by hand)."""

from __future__ import annotations

from evidens.surveys.results import (
    FreeText,
    TextGroup,
    answers_for_coding,
    codes_by_group,
    tone_by_group,
    tone_chart,
)

SHOWN = FreeText(question="ris", label="Ris og ros", answered=3, hidden=0, groups=[
    TextGroup("Medlemmer", ["Gode kurser", "For dyrt"]), TextGroup("Rådgivere", ["Æøå-netværk"])])


def test_the_answers_become_one_text_with_a_turn_per_answer_spoken_by_its_group() -> None:
    text, turns = answers_for_coding(SHOWN)

    assert text == "Gode kurser\n\nFor dyrt\n\nÆøå-netværk"
    # "Gode kurser" is 11 characters; two for the blank line; "For dyrt" 8; two more; "Æøå-netværk" 11.
    assert turns == [("Medlemmer", 0, 11), ("Medlemmer", 13, 21), ("Rådgivere", 23, 34)]
    assert [text[start:end] for _group, start, end in turns] == ["Gode kurser", "For dyrt", "Æøå-netværk"]


def test_an_answer_counts_once_per_code_and_a_coding_across_two_answers_counts_both() -> None:
    _text, turns = answers_for_coding(SHOWN)
    codings = [("Pris", 13, 21), ("Pris", 17, 21), ("Kurser", 0, 4), ("Ros", 5, 30)]

    assert codes_by_group(turns, codings) == {
        "Pris": {"Medlemmer": 1, "Rådgivere": 0},
        "Kurser": {"Medlemmer": 1, "Rådgivere": 0},
        "Ros": {"Medlemmer": 2, "Rådgivere": 1},  # 5-30 touches all three answers
    }
    # The blank line between two answers belongs to neither.
    assert codes_by_group(turns, [("Mellemrum", 11, 13)]) == {}


def test_tones_are_counted_per_group_and_drawn_as_shares() -> None:
    tones = {"Gode kurser": "positive", "For dyrt": "negative", "Æøå-netværk": "neutral"}

    groups = tone_by_group(SHOWN, tones.__getitem__)

    assert [(group.name, group.n, dict(group.counts)) for group in groups] == [
        ("Medlemmer", 2, {"negative": 1, "neutral": 0, "positive": 1}),
        ("Rådgivere", 1, {"negative": 0, "neutral": 1, "positive": 0})]
    chart = tone_chart(groups, "Ris og ros", "da")
    assert chart is not None
    shares = {(value["row"], value["point"]): value["share"] for value in chart["data"]["values"]}
    assert shares == {("Medlemmer", "negativ"): 50.0, ("Medlemmer", "positiv"): 50.0, ("Rådgivere", "neutral"): 100.0}
    assert tone_chart([], "Ris og ros", "da") is None
