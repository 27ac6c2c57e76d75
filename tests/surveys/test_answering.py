"""Reading the respondent form's pages, page flow and skip logic, without the database."""

from __future__ import annotations

from django.http import QueryDict

from evidens.surveys import answering
from evidens.surveys.definition import (
    DATE,
    DECIMAL,
    DONT_KNOW,
    INTEGER,
    MATRIX,
    NPS,
    OTHER,
    RANKING,
    Choice,
    Item,
    Question,
    Section,
    SurveyDefinition,
    likert_scale,
)
from tests.surveys.conftest import questionnaire


def form(text: str) -> QueryDict:
    return QueryDict(text, mutable=False)


def test_non_members_skip_the_satisfaction_page() -> None:
    survey = questionnaire()
    assert answering.shown_sections(survey, {"medlem": "nej"}) == [0, 2]
    assert answering.shown_sections(survey, {"medlem": "ja"}) == [0, 1, 2]
    assert answering.next_section(survey, {"medlem": "nej"}, 0) == 2
    assert answering.previous_section(survey, {"medlem": "nej"}, 2) == 0


def test_progress_counts_only_the_pages_this_respondent_sees() -> None:
    survey = questionnaire()
    assert answering.progress(survey, {"medlem": "nej"}, 2) == 50  # one of two pages done
    assert answering.progress(survey, {"medlem": "ja"}, 2) == 67  # two of three


def test_a_required_question_left_empty_is_an_error_in_danish() -> None:
    result = answering.read_page(questionnaire(), 0, form(""), {})
    assert result.errors == {"medlem": "Besvar venligst spørgsmålet."}


def test_going_back_does_not_require_answers() -> None:
    result = answering.read_page(questionnaire(), 0, form(""), {}, check_required=False)
    assert result.valid


def test_a_value_that_is_not_a_choice_is_refused() -> None:
    result = answering.read_page(questionnaire(), 0, form("medlem=maaske"), {})
    assert "medlem" in result.errors


def test_multiple_choice_keeps_the_questionnaires_order_and_the_other_text() -> None:
    result = answering.read_page(questionnaire(), 0,
                                 form("medlem=ja&kanaler=other&kanaler=web&kanaler.other=Kollegaer"), {})
    assert result.valid
    assert result.answers == {"medlem": "ja", "kanaler": ["web", OTHER], "kanaler.other": "Kollegaer"}


def test_choosing_other_without_saying_what_is_an_error() -> None:
    result = answering.read_page(questionnaire(), 0, form("medlem=ja&kanaler=other"), {})
    assert result.errors == {"kanaler.other": "Skriv venligst, hvad »andet« er."}


def test_a_hidden_follow_up_is_neither_required_nor_kept() -> None:
    survey = questionnaire()
    page = answering.read_page(survey, 1, form("tilfreds=4&hvorfor=Skjult+svar"), {"medlem": "ja"})
    assert page.valid
    assert page.answers == {"tilfreds": "4"}  # "hvorfor" shows only when tilfreds <= 2
    shown = answering.read_page(survey, 1, form("tilfreds=2&hvorfor=For+dyrt"), {"medlem": "ja"})
    assert shown.answers == {"tilfreds": "2", "hvorfor": "For dyrt"}


def test_dont_know_is_accepted_on_a_likert_scale_that_offers_it() -> None:
    page = answering.read_page(questionnaire(), 1, form(f"tilfreds={DONT_KNOW}"), {"medlem": "ja"})
    assert page.answers == {"tilfreds": DONT_KNOW}


def test_changing_an_early_answer_drops_answers_it_now_hides() -> None:
    survey = questionnaire()
    answers = {"medlem": "nej", "tilfreds": "1", "hvorfor": "For dyrt", "kommentar": "Hej"}
    assert answering.kept_answers(survey, answers) == {"medlem": "nej", "kommentar": "Hej"}


def _one_question(question: Question) -> SurveyDefinition:
    return SurveyDefinition(title={"da": "T"}, sections=[Section("s", {"da": "S"}, [question])])


def test_numbers_accept_the_danish_decimal_comma_and_check_limits() -> None:
    survey = _one_question(Question("boliger", DECIMAL, {"da": "Antal"}, minimum=1, maximum=100000))
    assert answering.read_page(survey, 0, form("boliger=1.234,5"), {}).answers == {"boliger": 1234.5}
    assert answering.read_page(survey, 0, form("boliger=0"), {}).errors == {"boliger": "Tallet skal være mindst 1."}
    assert answering.read_page(survey, 0, form("boliger=mange"), {}).errors == {"boliger": "Skriv et tal."}


def test_a_whole_number_question_refuses_decimals() -> None:
    survey = _one_question(Question("ansatte", INTEGER, {"da": "Ansatte"}))
    assert answering.read_page(survey, 0, form("ansatte=2,5"), {}).errors == {"ansatte": "Skriv et helt tal."}
    assert answering.read_page(survey, 0, form("ansatte=12"), {}).answers == {"ansatte": 12}


def test_a_constraint_uses_the_question_message() -> None:
    survey = _one_question(Question("alder", INTEGER, {"da": "Alder"}, constraint=". >= 18",
                                    constraint_message={"da": "Du skal være myndig.", "en": "Adults only."}))
    assert answering.read_page(survey, 0, form("alder=17"), {}).errors == {"alder": "Du skal være myndig."}
    assert answering.read_page(survey, 0, form("alder=17"), {}, language="en").errors == {"alder": "Adults only."}
    assert answering.read_page(survey, 0, form("alder=18"), {}).valid


def test_nps_takes_zero_to_ten() -> None:
    survey = _one_question(Question("nps", NPS, {"da": "Anbefal"}))
    assert answering.read_page(survey, 0, form("nps=0"), {}).answers == {"nps": 0}
    assert answering.read_page(survey, 0, form("nps=11"), {}).errors == {"nps": "Vælg et tal fra 0 til 10."}


def test_a_date_may_be_written_the_danish_way() -> None:
    survey = _one_question(Question("dato", DATE, {"da": "Dato"}))
    assert answering.read_page(survey, 0, form("dato=24-11-2020"), {}).answers == {"dato": "2020-11-24"}
    assert answering.read_page(survey, 0, form("dato=2020-11-24"), {}).answers == {"dato": "2020-11-24"}
    assert "dato" in answering.read_page(survey, 0, form("dato=31-02-2020"), {}).errors
    for odd in ("1.2.²", "1-2-" + "9" * 5000):  # digits int() refuses: an error to correct, not a server error
        assert "dato" in answering.read_page(survey, 0, form(f"dato={odd}"), {}).errors


def test_matrix_rows_and_ranking_places() -> None:
    matrix = _one_question(Question("m", MATRIX, {"da": "Udsagn"}, choices=likert_scale(), dont_know=True,
                                    items=[Item("kurser", {"da": "Kurser"}), Item("net", {"da": "Netværk"})]))
    assert answering.read_page(matrix, 0, form(f"m.kurser=5&m.net={DONT_KNOW}"), {}).answers == {
        "m": {"kurser": "5", "net": DONT_KNOW}}
    ranking = _one_question(Question("r", RANKING, {"da": "Rangér"},
                                     items=[Item("a", {"da": "A"}), Item("b", {"da": "B"}), Item("c", {"da": "C"})]))
    assert answering.read_page(ranking, 0, form("r.a=3&r.b=1&r.c=2"), {}).answers == {"r": ["b", "c", "a"]}
    assert answering.read_page(ranking, 0, form("r.a=1&r.b=1"), {}).errors == {
        "r": "To punkter har fået samme plads."}
    assert answering.read_page(ranking, 0, form("r.a=²&r.b=1"), {}).errors == {
        "r": "Giv hvert punkt en plads fra 1 til 3."}


def test_missing_required_names_the_page_to_return_to() -> None:
    survey = questionnaire()
    assert answering.missing_required(survey, {"medlem": "ja"}) == [1]
    assert answering.missing_required(survey, {"medlem": "nej"}) == []
    assert answering.missing_required(survey, {}) == [0]


def test_single_choice_other_option() -> None:
    survey = _one_question(Question("farve", "single_choice", {"da": "Farve"}, other=True,
                                    choices=[Choice("r", {"da": "Rød"}), Choice("b", {"da": "Blå"})]))
    result = answering.read_page(survey, 0, form("farve=other&farve.other=Grøn"), {})
    assert result.answers == {"farve": OTHER, "farve.other": "Grøn"}
