"""Reading any survey file and the inspection JSON the CLI prints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from django.utils import translation

from evidens.surveys.definition import OTHER, OTHER_LABEL, QUESTION_TYPES
from evidens.surveys.inspection import (
    LIMESURVEY_TYPES,
    TYPE_MAPPING,
    XLSFORM_TYPES,
    SurveyFileError,
    inspection_json,
    read_survey_file,
)

XLSFORM = Path(__file__).resolve().parents[1] / "data" / "xlsform"
LIMESURVEY = Path(__file__).resolve().parents[1] / "data" / "limesurvey"
CONDITION = LIMESURVEY / "limesurvey_survey_allinoneCondition.lss"


def _inspect(path: Path) -> dict:
    with translation.override("en"):
        return inspection_json(read_survey_file(path))


def test_the_file_type_is_chosen_by_extension_or_content(tmp_path: Path) -> None:
    assert _inspect(XLSFORM / "group.xlsx")["title"] == "group"
    assert _inspect(CONDITION)["title"] == "Test 18035"
    # without a telling extension the first bytes decide: a zip is a workbook, XML a LimeSurvey file
    shutil.copy(XLSFORM / "or_other.xlsx", tmp_path / "form.bin")
    shutil.copy(CONDITION, tmp_path / "survey.export")
    assert _inspect(tmp_path / "form.bin")["title"] == "form"
    assert _inspect(tmp_path / "survey.export")["title"] == "Test 18035"


def test_other_files_are_refused_with_their_name(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("Spørgsmål 1: Hvordan går det?\n", encoding="utf-8")
    with translation.override("en"):
        with pytest.raises(SurveyFileError) as raised:
            read_survey_file(text)
        assert raised.value.message == ("“notes.txt” is not a survey file Evidens can read: use an XLSForm workbook "
                                        "(.xlsx) or a LimeSurvey survey structure file (.lss).")
        with pytest.raises(SurveyFileError) as raised:
            read_survey_file(tmp_path / "missing.lss")
        assert "“missing.lss” cannot be opened" in raised.value.message


def test_the_json_of_a_form_with_an_other_option() -> None:
    inspected = _inspect(XLSFORM / "or_other.xlsx")
    assert set(inspected) == {"title", "languages", "questions", "report", "type_mapping"}
    assert inspected["title"] == "or_other"
    assert inspected["languages"] == ["da"]
    favourite, pastel = inspected["questions"]
    assert favourite == {
        "name": "fav_color",
        "type": "single_choice",
        "label": {"da": "What is your favorite color?"},
        "choices": [{"value": value, "label": {"da": value}} for value in ("red", "green", "blue", "mauve", "apricot")]
        + [{"value": OTHER, "label": OTHER_LABEL}],
        "items": [],
        "relevance": None,
        "required": False,
        "group": None,  # outside any group in the file
    }
    assert pastel["name"] == "fav_pastel" and len(pastel["choices"]) == 5
    assert inspected["report"] == [{"where": "fav_pastel", "kind": "unsupported",
                                    "message": "The choice filter “pastel=yes” was left out: every choice is shown."}]
    json.dumps(inspected)  # plain data all the way down


def test_the_json_of_a_limesurvey_file_with_conditions() -> None:
    inspected = _inspect(CONDITION)
    assert [(question["name"], question["group"], question["relevance"]) for question in inspected["questions"]] == [
        ("Q00", "my_first_question_group", None), ("G02Q02", "group_2", "${Q00} = 'F'")]
    assert inspected["questions"][0]["choices"] == [{"value": "F", "label": {"en": "Female"}},
                                                    {"value": "M", "label": {"en": "Male"}}]
    assert inspected["report"][0]["kind"] == "warning"


def test_a_bilingual_form_keeps_both_languages_and_matrix_items() -> None:
    inspected = _inspect(XLSFORM / "testB.xlsx")
    assert inspected["languages"] == ["de", "en"]
    consent = next(question for question in inspected["questions"] if question["name"] == "consent_privacy_policy")
    assert consent["label"] == {"de": "Einwilligung in die Datenschutzerklärung", "en": "Consent to privacy policy"}
    assert consent["required"] is True
    matrix = next(question for question in _inspect(XLSFORM / "all_types_survey.xlsx")["questions"]
                  if question["type"] == "matrix")
    assert matrix["items"] == [{"name": "skill_python", "label": {"de": "Python"}},
                               {"name": "skill_js", "label": {"de": "JavaScript"}},
                               {"name": "skill_sql", "label": {"de": "SQL"}}]
    assert matrix["group"] == "matrix_wrapper"


def test_the_type_mapping_documents_what_the_importers_do() -> None:
    mapping = _inspect(XLSFORM / "group.xlsx")["type_mapping"]
    assert mapping == TYPE_MAPPING
    assert mapping["xlsform"]["select_one"] == "single_choice"
    assert mapping["xlsform"]["select_one (appearance likert)"] == "likert"
    assert mapping["xlsform"]["geopoint"] is None
    assert mapping["limesurvey"]["L (List (radio))"] == "single_choice"
    assert mapping["limesurvey"]["F (Array)"] == "matrix"
    assert mapping["limesurvey"]["K (Multiple numerical input)"] is None
    assert len(mapping["limesurvey"]) == len(LIMESURVEY_TYPES)
    for evidens_type in [*XLSFORM_TYPES.values(), *LIMESURVEY_TYPES.values()]:
        assert evidens_type is None or evidens_type in QUESTION_TYPES
