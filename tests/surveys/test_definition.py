"""The questionnaire as data: JSON, the checks before publishing, the differences between versions."""

from __future__ import annotations

from evidens.demo.survey import member_survey
from evidens.surveys import building, xlsform
from evidens.surveys.definition import (
    SHORT_TEXT,
    SINGLE_CHOICE,
    Choice,
    Question,
    Section,
    SurveyDefinition,
    check,
    differences,
    readers_of,
)
from tests.surveys.conftest import questionnaire


def test_json_round_trip_keeps_everything() -> None:
    survey = questionnaire()
    assert SurveyDefinition.from_dict(survey.to_dict()) == survey


def test_the_test_questionnaire_and_the_demo_survey_check_clean() -> None:
    assert check(questionnaire()) == []
    assert check(member_survey()) == []


def test_check_finds_each_kind_of_problem() -> None:
    survey = SurveyDefinition(title={}, sections=[
        Section("s", {"da": "S"}, [
            Question("1a", SHORT_TEXT, {"da": "Navn"}),
            Question("valg", SINGLE_CHOICE, {"da": "Valg"}, choices=[Choice("a", {"da": "A"})]),
            Question("valg", SHORT_TEXT, {}, relevance="${senere} = 1"),
            Question("s", SHORT_TEXT, {"da": "Samme navn som afsnittet"}),
        ]),
    ])
    found = {(problem.where, problem.field) for problem in check(survey)}
    assert found == {("", "title"), ("1a", "name"), ("valg", "choices"), ("valg", "name"), ("valg", "label"),
                     ("valg", "relevance"), ("s", "name")}


def test_differences_name_what_was_added_removed_changed_and_moved() -> None:
    old = questionnaire()
    new = building.question_remove(old, "kommentar")
    new = building.question_move(new, "kanaler", -1)
    new = building.question_put(new, "om", Question("alder", SHORT_TEXT, {"da": "Alder"}))
    changed = new.question("tilfreds")
    assert changed is not None
    changed.required = False
    found = {(change.kind, change.name) for change in differences(old, new)}
    assert found == {("removed", "kommentar"), ("moved", "kanaler"), ("added", "alder"), ("changed", "tilfreds"),
                     ("moved", "medlem")}


def test_readers_of_a_question() -> None:
    assert readers_of(questionnaire(), "medlem") == ["tilfredshed"]
    assert readers_of(questionnaire(), "tilfreds") == ["hvorfor"]
    assert readers_of(questionnaire(), "kommentar") == []


def test_the_demo_survey_survives_an_xlsform_round_trip(tmp_path: object) -> None:
    survey = member_survey()
    back = xlsform.read_xlsform(xlsform.write_xlsform(survey))
    assert [q.name for _s, q in back.definition.questions()] == [q.name for _s, q in survey.questions()]
    assert [s.name for s in back.definition.sections] == [s.name for s in survey.sections]
    assert check(back.definition) == []
