"""Validating strategy options with stakeholders: the generated questionnaire, counts worked out by hand, and
anonymity cases built to break it. Where a figure is worked out here, the arithmetic is in the comment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evidens.strategy.validation import (
    ConditionForValidation,
    ConditionTally,
    GroupShare,
    OptionForValidation,
    question_names,
    questionnaire,
    segment_values,
    tally,
    workshop_tally,
)
from evidens.surveys import answering, pages
from evidens.surveys import definition as d

GROW = OptionForValidation(
    key=1, title="Vækst gennem nye medlemmer", summary="AlmenNet åbner for kommuner og rådgivere.",
    is_status_quo=False, conditions=(ConditionForValidation(11, "Kommunerne vil betale kontingent."),
                                     ConditionForValidation(12, "Sekretariatet kan betjene flere medlemmer.")))
FOCUS = OptionForValidation(
    key=2, title="Fokus på netværk", summary="Færre aktiviteter, stærkere netværk.", is_status_quo=False,
    conditions=(ConditionForValidation(21, "Netværkene er det, medlemmerne bruger mest."),))
AS_NOW = OptionForValidation(key=3, title="Fortsæt som nu", summary="", is_status_quo=True, conditions=())
OPTIONS = (GROW, FOCUS, AS_NOW)
SEGMENTS = ("Boligorganisationer", "Kommuner", "Rådgivere")


def _answers(**values: str) -> dict[str, Any]:
    return dict(values)


# --- the questionnaire ------------------------------------------------------------------------------------------


def test_the_questionnaire_passes_the_surveys_check_and_has_the_agreed_names() -> None:
    survey = questionnaire(OPTIONS, title="Validering af strategimuligheder", segments=SEGMENTS)
    assert d.check(survey) == []
    assert survey.languages == ["da", "en"]
    # The status quo has no conditions, so no page of its own; it is still a preference.
    assert [section.name for section in survey.sections] == ["intro", "option_1", "option_2", "preference"]
    assert [question.name for _section, question in survey.questions()] == [
        "about", "background", "c11", "c12", "comment_o1", "c21", "comment_o2", "preferred"]
    preferred = survey.question("preferred")
    assert preferred is not None and preferred.type == d.SINGLE_CHOICE
    assert [(choice.value, choice.label["da"]) for choice in preferred.choices] == [
        ("o1", "Vækst gennem nye medlemmer"), ("o2", "Fokus på netværk"), ("o3", "Fortsæt som nu")]
    # The JSON a published version is frozen as gives the same questionnaire back.
    assert d.SurveyDefinition.from_dict(survey.to_dict()) == survey


def test_a_condition_is_a_statement_on_the_standard_agreement_scale_with_dont_know() -> None:
    survey = questionnaire(OPTIONS, title="Validering")
    condition = survey.question("c11")
    assert condition is not None
    assert condition.type == d.LIKERT and condition.dont_know and not condition.required
    assert condition.choices == d.likert_scale()
    assert condition.label == {"da": "Kommunerne vil betale kontingent.",
                               "en": "Kommunerne vil betale kontingent."}
    # What the respondent's form offers: the five steps and "Ved ikke" apart.
    page = pages.page_view(survey, 1, {}, "da")
    offered = [(option.value, option.label) for option in page.questions[0].options]
    assert offered == [("1", "Helt uenig"), ("2", "Overvejende uenig"), ("3", "Hverken enig eller uenig"),
                       ("4", "Overvejende enig"), ("5", "Helt enig"), ("dont_know", "Ved ikke")]


def test_the_texts_are_danish_and_english() -> None:
    survey = questionnaire(OPTIONS, title="Validering", segments=SEGMENTS)
    intro, grow, _focus, preference = survey.sections
    assert intro.title == {"da": "Om undersøgelsen", "en": "About this survey"}
    about = intro.questions[0].label
    assert about["da"].startswith("Bestyrelsen overvejer flere mulige strategier")
    assert "»Ved ikke«" in about["da"] and "omkring 5 minutter" in about["da"]
    assert "“Don't know”" in about["en"] and "about 5 minutes" in about["en"]
    segment = survey.question("background")
    assert segment is not None and segment.type == d.SINGLE_CHOICE
    assert segment.label == {"da": "Hvad beskriver dig bedst?", "en": "What describes you best?"}
    assert [(choice.value, choice.label["da"]) for choice in segment.choices] == [
        ("boligorganisationer", "Boligorganisationer"), ("kommuner", "Kommuner"), ("raadgivere", "Rådgivere")]
    assert grow.title["da"] == "Vækst gennem nye medlemmer"
    assert grow.description["da"] == ("AlmenNet åbner for kommuner og rådgivere.\n\n"
                                      "Hvis muligheden skal lykkes, skal følgende være sandt. Hvor enig er du?")
    assert grow.description["en"].endswith("the following would have to be true. How much do you agree?")
    comment = survey.question("comment_o1")
    assert comment is not None and comment.type == d.LONG_TEXT
    assert comment.label == {"da": "Kommentarer til denne mulighed", "en": "Comments on this option"}
    assert preference.questions[0].label == {"da": "Hvilken mulighed foretrækker du?",
                                             "en": "Which option do you prefer?"}
    assert survey.thanks["da"] == "Tak for dine svar. De indgår i bestyrelsens valg af strategi."


def test_every_page_is_shown_to_a_respondent() -> None:
    # The surveys app skips a page with no questions: the intro must hold one even without segments.
    survey = questionnaire(OPTIONS, title="Validering")
    assert survey.question("background") is None
    assert answering.shown_sections(survey, {}) == list(range(len(survey.sections)))


def test_a_status_quo_with_conditions_gets_its_page() -> None:
    as_now = OptionForValidation(3, "Fortsæt som nu", "", True,
                                 (ConditionForValidation(31, "Medlemmerne er tilfredse."),))
    survey = questionnaire((GROW, as_now), title="Validering")
    assert [section.name for section in survey.sections] == ["intro", "option_1", "option_3", "preference"]
    page = survey.section("option_3")
    assert page is not None and page.description == {
        "da": "Hvis muligheden skal lykkes, skal følgende være sandt. Hvor enig er du?",
        "en": "For this option to succeed, the following would have to be true. How much do you agree?"}
    assert question_names((GROW, as_now))["c31"] == ("condition", 31)


def test_one_segment_is_no_question() -> None:
    assert questionnaire(OPTIONS, title="Validering", segments=["Kommuner", " "]).question("background") is None


def test_question_names_map_back_to_conditions_and_options() -> None:
    assert question_names(OPTIONS) == {
        "c11": ("condition", 11), "c12": ("condition", 12), "comment_o1": ("comment", 1),
        "c21": ("condition", 21), "comment_o2": ("comment", 2), "preferred": ("preferred", 0)}
    survey = questionnaire(OPTIONS, title="Validering")
    counted = {question.name for _section, question in survey.questions() if question.name != "about"}
    assert counted == set(question_names(OPTIONS))


def test_segment_values_are_plain_unique_and_not_reserved() -> None:
    assert segment_values(["Rådgivere", "Øvrige aktører", "Kommune", "kommune", "Other", "Kommune", "", "!!!",
                           "Dont know"]) == {
        "raadgivere": "Rådgivere", "oevrige_aktoerer": "Øvrige aktører", "kommune": "Kommune",
        "kommune_2": "kommune", "other_2": "Other", "segment": "!!!", "dont_know_2": "Dont know"}


def test_options_that_cannot_make_a_questionnaire_are_refused() -> None:
    twin = OptionForValidation(4, "Tvilling", "", False, (ConditionForValidation(11, "Samme nøgle."),))
    with pytest.raises(ValueError, match="c11"):
        questionnaire((GROW, twin), title="Validering")
    with pytest.raises(ValueError):
        questionnaire(OPTIONS, title="")


# --- counting: by hand ------------------------------------------------------------------------------------------


def _share(group: str, n: int, agree: int, disagree: int) -> GroupShare:
    return GroupShare(group, n, agree, disagree, agree / n, False)


def _hidden(group: str) -> GroupShare:
    return GroupShare(group, None, None, None, None, True)


def test_a_small_case_by_hand() -> None:
    responses = [
        # Kommuner, 6 respondents: on c11 two agree (4, 5), one is neutral, two disagree, one does not know.
        ("Kommuner", _answers(c11="5", c21="4", preferred="o1")),
        ("Kommuner", _answers(c11="4", c21="4", preferred="o1")),
        ("Kommuner", _answers(c11="3", c21="4", preferred="o1")),
        ("Kommuner", _answers(c11="2", c21="2", preferred="o2")),
        ("Kommuner", _answers(c11="1", c21="3", preferred="o2")),
        ("Kommuner", _answers(c11="dont_know", c21="5", preferred="o3")),
        # Boligorganisationer, 7 respondents: on c11 four agree, one disagrees, one blank, one does not know.
        ("Boligorganisationer", _answers(c11="5", c21="5", preferred="o3")),
        ("Boligorganisationer", _answers(c11="5", c21="5", preferred="o3")),
        ("Boligorganisationer", _answers(c11="5", c21="5", preferred="o3")),
        ("Boligorganisationer", _answers(c11="4", c21="1", preferred="o3")),
        ("Boligorganisationer", _answers(c11="1", c21="1", preferred="o1")),
        ("Boligorganisationer", _answers(c11="", c21="dont_know", preferred="")),
        ("Boligorganisationer", _answers(c11="dont_know", preferred="o9")),  # o9: an option since withdrawn
    ]
    result = tally(OPTIONS, responses, segments=SEGMENTS)
    assert result.responses == 13
    # c11: Kommuner 5 on the scale (2 agree, 2 disagree), Boligorganisationer 5 (4 agree, 1 disagree);
    # all 10 on the scale, 6 agree, 3 disagree. Groups in the order of the segments.
    assert result.conditions[11] == ConditionTally(11, [
        _share("", 10, 6, 3), _share("Boligorganisationer", 5, 4, 1), _share("Kommuner", 5, 2, 2)])
    assert result.conditions[11].groups[0].share == pytest.approx(0.6)
    # c12: nobody answered: fewer than 5, nothing shown.
    assert result.conditions[12] == ConditionTally(12, [_hidden(""), _hidden("Boligorganisationer"),
                                                        _hidden("Kommuner")])
    # c21: Kommuner 6 on the scale (4, 4, 4, 5 agree; 2 disagrees; 3 is neutral), Boligorganisationer 5 (5, 5, 5
    # agree; 1, 1 disagree; "Ved ikke" and the missing answer are not counted): all 11, 7 agree, 3 disagree.
    assert result.conditions[21] == ConditionTally(21, [
        _share("", 11, 7, 3), _share("Boligorganisationer", 5, 3, 2), _share("Kommuner", 6, 4, 1)])
    # Preference: Kommuner o1 3, o2 2, o3 1 (n 6); Boligorganisationer o1 1, o3 4 (n 5; blank and o9 not counted).
    all_groups, housing, municipalities = result.preference.groups
    assert (all_groups.group, all_groups.n, all_groups.counts) == ("", 11, {1: 4, 2: 2, 3: 5})
    assert all_groups.shares == pytest.approx({1: 4 / 11, 2: 2 / 11, 3: 5 / 11})
    assert (housing.group, housing.n, housing.counts) == ("Boligorganisationer", 5, {1: 1, 2: 0, 3: 4})
    assert housing.shares == pytest.approx({1: 0.2, 2: 0.0, 3: 0.8})
    assert (municipalities.group, municipalities.n, municipalities.counts) == ("Kommuner", 6, {1: 3, 2: 2, 3: 1})
    assert result.comments == {1: [], 2: [], 3: []}


def test_dont_know_and_blank_are_not_in_n() -> None:
    # Kommuner has 7 respondents but only 4 answers on the scale: suppressed although the group is 7 people.
    # Boligorganisationer then is the only other group: suppressed as its complement.
    responses = ([("Kommuner", _answers(c11="4"))] * 4 + [("Kommuner", _answers(c11="dont_know"))] * 2
                 + [("Kommuner", _answers(c12="5"))] + [("Boligorganisationer", _answers(c11="2"))] * 6)
    conditions = tally(OPTIONS, responses, segments=SEGMENTS).conditions
    assert conditions[11].groups == [_share("", 10, 4, 6), _hidden("Boligorganisationer"), _hidden("Kommuner")]


def test_a_value_off_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="c11"):
        tally(OPTIONS, [("", _answers(c11="6"))])


def test_the_segment_comes_from_the_invitation_else_from_the_answer() -> None:
    responses = ([("", _answers(background="raadgivere", c21="5"))] * 5  # open link: the answer names the group
                 + [("Kommuner", _answers(background="raadgivere", c21="1"))] * 5)  # the invitation's segment wins
    groups = tally(OPTIONS, responses, segments=SEGMENTS).conditions[21].groups
    assert groups == [_share("", 10, 5, 5), _share("Kommuner", 5, 0, 5), _share("Rådgivere", 5, 5, 0)]


# --- anonymity: cases built to break it ---------------------------------------------------------------------------


def _condition(sizes: Mapping[str, int], ungrouped: int = 0, threshold: int = 5) -> list[GroupShare]:
    """c11's rows when each group in ``sizes`` (and ``ungrouped`` respondents without one) all agree."""
    responses = [(group, _answers(c11="4")) for group, size in sizes.items() for _ in range(size)]
    responses += [("", _answers(c11="4"))] * ungrouped
    return tally(OPTIONS, responses, segments=list(sizes), threshold=threshold).conditions[11].groups


def test_a_group_of_four_with_the_total_shown_takes_the_smallest_other_group_with_it() -> None:
    # 10 + 6 + 4 = 20. Showing 20, 10 and 6 would leave 20 − 10 − 6 = 4: the hidden group's answers.
    assert _condition({"A": 10, "B": 6, "C": 4}) == [
        _share("", 20, 20, 0), _share("A", 10, 10, 0), _hidden("B"), _hidden("C")]


def test_two_groups_where_subtracting_would_reveal_the_small_one() -> None:
    # 8 + 3 = 11: showing 11 and 8 leaves 3.
    assert _condition({"A": 8, "B": 3}) == [_share("", 11, 11, 0), _hidden("A"), _hidden("B")]


def test_two_small_groups_whose_sum_is_still_small() -> None:
    # 1 + 2 = 3 hidden; 13 − 10 would give the two together, so A goes too. With 3 + 4 = 7 hidden, A may stay.
    assert _condition({"A": 10, "B": 1, "C": 2}) == [_share("", 13, 13, 0), _hidden("A"), _hidden("B"),
                                                      _hidden("C")]
    assert _condition({"A": 10, "B": 3, "C": 4}) == [_share("", 17, 17, 0), _share("A", 10, 10, 0),
                                                      _hidden("B"), _hidden("C")]


def test_respondents_without_a_group_are_protected_like_a_small_group() -> None:
    # 10 + 7 + 2 without a group = 19: showing 19, 10 and 7 would give the two. B (the smaller) goes.
    assert _condition({"A": 10, "B": 7}, ungrouped=2) == [_share("", 19, 19, 0), _share("A", 10, 10, 0),
                                                          _hidden("B")]
    # Five without a group are as many as a group may be.
    assert _condition({"A": 10, "B": 7}, ungrouped=5) == [_share("", 22, 22, 0), _share("A", 10, 10, 0),
                                                          _share("B", 7, 7, 0)]


def test_fewer_than_the_threshold_in_all_shows_nothing() -> None:
    assert _condition({"A": 4}) == [_hidden(""), _hidden("A")]


def test_the_threshold_is_never_below_three() -> None:
    # Asked for 1, counted with 3: a group of 2 is hidden, and A with it.
    assert _condition({"A": 6, "B": 2}, threshold=1) == [_share("", 8, 8, 0), _hidden("A"), _hidden("B")]


def test_the_preference_is_suppressed_by_the_same_rule() -> None:
    responses = ([("A", _answers(preferred="o1"))] * 10 + [("B", _answers(preferred="o2"))] * 6
                 + [("C", _answers(preferred="o3"))] * 4)
    groups = tally(OPTIONS, responses, segments=["A", "B", "C"]).preference.groups
    assert [(group.group, group.n, group.suppressed) for group in groups] == [
        ("", 20, False), ("A", 10, False), ("B", None, True), ("C", None, True)]
    assert groups[0].counts == {1: 10, 2: 6, 3: 4}
    assert groups[2].counts == {} and groups[2].shares == {}


@given(sizes=st.lists(st.integers(min_value=0, max_value=12), max_size=5),
       ungrouped=st.integers(min_value=0, max_value=6), threshold=st.integers(min_value=3, max_value=8))
def test_nothing_hidden_can_be_worked_out_from_what_is_shown(sizes: list[int], ungrouped: int, threshold: int) -> None:
    # Every respondent answers, so a group's n is its size. From the shown rows a reader learns the shown groups and
    # the total; whatever is not shown must be nothing at all, or at least ``threshold`` answers.
    groups = {f"g{index}": size for index, size in enumerate(sizes) if size}
    rows = _condition(groups, ungrouped=ungrouped, threshold=threshold)
    everyone, *by_group = rows
    assert all(row.suppressed or (row.n is not None and row.n >= threshold) for row in rows)
    if everyone.suppressed:
        assert all(row.suppressed for row in by_group)
        return
    assert everyone.n is not None
    unseen = everyone.n - sum(row.n or 0 for row in by_group)
    assert unseen == 0 or unseen >= threshold


# --- comments ----------------------------------------------------------------------------------------------------


def _commenters(sizes: Mapping[str, int], ungrouped: int = 0) -> list[tuple[str, str]]:
    """Option 1's comments when every respondent writes one naming their group."""
    responses = [(group, _answers(comment_o1=f" fra {group} ")) for group, size in sizes.items()
                 for _ in range(size)]
    responses += [("", _answers(comment_o1="uden gruppe"))] * ungrouped
    return tally(OPTIONS, responses, segments=list(sizes)).comments[1]


def test_a_comment_carries_its_group_only_from_ten_respondents() -> None:
    # A 12 and B 10 are named; C 6 and D 4 are not, and 6 + 4 = 10 unnamed is enough to hide among.
    comments = _commenters({"A": 12, "B": 10, "C": 6, "D": 4})
    assert comments == ([("A", "fra A")] * 12 + [("B", "fra B")] * 10 + [("", "fra C")] * 6 + [("", "fra D")] * 4)


def test_unnamed_comments_need_a_pool_of_ten_too() -> None:
    # C's 3 unnamed comments would be C's, since every other group is named: A (10, the smallest named) is unnamed.
    comments = _commenters({"A": 10, "B": 11, "C": 3})
    assert comments == [("B", "fra B")] * 11 + [("", "fra A")] * 10 + [("", "fra C")] * 3
    # The same for respondents without a group.
    assert _commenters({"A": 10}, ungrouped=1) == [("", "fra A")] * 10 + [("", "uden gruppe")]


def test_comments_are_sorted_and_blank_ones_left_out() -> None:
    responses = [("A", _answers(comment_o2=text)) for text in ("ønske", "bedre", "  ", "Aldrig")] * 3
    comments = tally(OPTIONS, responses, segments=["A"]).comments
    assert comments[2] == [("A", "Aldrig")] * 3 + [("A", "bedre")] * 3 + [("A", "ønske")] * 3
    assert comments[1] == [] and comments[3] == []


def test_the_comment_threshold_is_never_below_the_threshold() -> None:
    responses = [("A", _answers(comment_o1="x"))] * 7 + [("B", _answers(comment_o1="y"))] * 7
    comments = tally(OPTIONS, responses, segments=["A", "B"], threshold=8, comment_threshold=3).comments[1]
    assert comments == [("", "x")] * 7 + [("", "y")] * 7


# --- workshops ---------------------------------------------------------------------------------------------------


def test_workshop_results_are_summed_per_condition_and_group() -> None:
    tallies = workshop_tally([
        (11, "Kommuner", 3, 5),
        (11, "Boligorganisationer", 4, 4),
        (11, "Kommuner", 1, 3),  # a second workshop with municipalities: 3 + 1 of 5 + 3
        (12, "", 2, 6),  # a workshop without groups counts in "all" only
        (12, "Rådgivere", 0, 2),
    ])
    assert list(tallies) == [11, 12]
    # 11: all 3 + 4 + 1 = 8 of 5 + 4 + 3 = 12.
    assert tallies[11] == ConditionTally(11, [
        GroupShare("", 12, 8, None, 8 / 12, False), GroupShare("Kommuner", 8, 4, None, 0.5, False),
        GroupShare("Boligorganisationer", 4, 4, None, 1.0, False)])
    # 12: 2 + 0 of 6 + 2; no suppression however small the group.
    assert tallies[12] == ConditionTally(12, [GroupShare("", 8, 2, None, 0.25, False),
                                              GroupShare("Rådgivere", 2, 0, None, 0.0, False)])
    assert workshop_tally([(13, "Kommuner", 0, 0)])[13].groups[0] == GroupShare("", 0, 0, None, None, False)


@pytest.mark.parametrize("entry", [(11, "Kommuner", 6, 5), (11, "Kommuner", -1, 5)])
def test_a_workshop_count_that_cannot_be_is_refused(entry: tuple[int, str, int, int]) -> None:
    with pytest.raises(ValueError, match="condition 11"):
        workshop_tally([entry])
