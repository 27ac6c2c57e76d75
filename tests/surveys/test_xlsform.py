"""XLSForm import and export against the real forms in tests/data/xlsform.

Expected values were read from the workbooks with openpyxl (survey, choices and settings sheets), not taken
from the importer's output; broken variants are built in tmp_path.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from pyxform import create_survey_element_from_dict
from pyxform.xls2json import parse_file_to_json

from evidens.surveys.definition import (
    DATE,
    DECIMAL,
    INFORMATION,
    INTEGER,
    LIKERT,
    LONG_TEXT,
    MATRIX,
    MULTIPLE_CHOICE,
    NAME_PATTERN,
    NPS,
    QUESTION_TYPES,
    RANKING,
    SHORT_TEXT,
    SINGLE_CHOICE,
    Choice,
    Item,
    Question,
    Section,
    SurveyDefinition,
    check,
    copy_definition,
    likert_scale,
)
from evidens.surveys.inspection import ImportResult, SurveyFileError
from evidens.surveys.xlsform import read_xlsform, write_xlsform

DATA = Path(__file__).resolve().parents[1] / "data" / "xlsform"
FILES = sorted(DATA.glob("*.xlsx"))


def _read(name: str) -> ImportResult:
    with translation.override("en"):
        return read_xlsform(DATA / name)


def _question(result: ImportResult, name: str) -> Question:
    question = result.definition.question(name)
    assert question is not None, name
    return question


def _notes(result: ImportResult, where: str) -> list[str]:
    return [note.message for note in result.report if note.where == where]


def _survey_rows(path: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """(type, name, enclosing groups) of every named row of the survey sheet, read with openpyxl."""
    sheet = openpyxl.load_workbook(path, read_only=True, data_only=True)["survey"]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows)]
    type_column, name_column = header.index("type"), header.index("name")
    found: list[tuple[str, str, tuple[str, ...]]] = []
    groups: list[str] = []
    for row in rows:
        row_type = str(row[type_column] or "").strip() if len(row) > type_column else ""
        value = row[name_column] if len(row) > name_column else None
        name = str(value).upper() if isinstance(value, bool) else str(value or "").strip()  # the cell =FALSE()
        control = row_type.replace(" ", "_")
        if control in ("end_group", "end_repeat"):
            groups.pop()
        elif row_type and name:
            found.append((row_type, name, tuple(groups)))
            if control in ("begin_group", "begin_repeat"):
                groups.append(name)
    return found


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_every_row_of_every_real_form_is_imported_or_reported(path: Path) -> None:
    with translation.override("en"):
        result = read_xlsform(path)
    definition = result.definition
    questions = [question for _section, question in definition.questions()]
    names = [question.name for question in questions]
    assert names and len(names) == len(set(names))
    assert all(NAME_PATTERN.match(name) for name in names)
    assert all(question.type in QUESTION_TYPES for question in questions)
    # Every condition that survived can be evaluated and reads only imported questions.
    assert [problem for problem in check(definition) if problem.field in ("relevance", "constraint")] == []

    accounted = set(names) | {section.name for section in definition.sections} | {note.where for note in result.report}
    matrices = {question.name for question in questions if question.type == MATRIX}
    silently_dropped = [name for _type, name, groups in _survey_rows(path)
                        if name not in accounted and not set(groups) & matrices]
    assert silently_dropped == []


def test_all_types_survey_maps_each_type() -> None:
    result = _read("all_types_survey.xlsx")
    definition = result.definition
    assert definition.title == {"de": "Workshop-Feedback-Umfrage"}  # settings: form_title, default_language de
    assert definition.languages == ["de"]
    types = {question.name: question.type for _section, question in definition.questions()}
    assert types == {
        "orphan_before": SHORT_TEXT,
        "q_text": SHORT_TEXT, "q_string": SHORT_TEXT, "q_integer": INTEGER, "q_int": INTEGER,
        "q_decimal": DECIMAL, "q_date": DATE, "q_select_one": SINGLE_CHOICE, "q_select_multi": MULTIPLE_CHOICE,
        "q_rank": RANKING, "q_note": INFORMATION,
        "q_multiline_text": LONG_TEXT, "q_multiline_string": LONG_TEXT, "q_likert": LIKERT,
        "q_minimal": SINGLE_CHOICE,
        "matrix_inner": MATRIX,
        "q_sel1_other": SINGLE_CHOICE, "q_selm_other": MULTIPLE_CHOICE, "q_rank_other": RANKING,
        "q_mandatory": SHORT_TEXT, "q_hint": SHORT_TEXT, "q_constraint": INTEGER, "q_default": SHORT_TEXT,
        "q_relevant": SHORT_TEXT, "q_all_features": SHORT_TEXT,
        "orphan_after": INFORMATION,
    }
    for left_out in ("start", "end", "today", "deviceid", "username", "calc1", "hidden1", "audit", "q_time",
                     "q_datetime"):
        assert any("cannot be imported" in message for message in _notes(result, left_out)), left_out

    assert _question(result, "q_select_one").choices == [Choice("yes", {"de": "Ja"}), Choice("no", {"de": "Nein"})]
    assert [choice.value for choice in _question(result, "q_likert").choices] == ["low", "mid", "high"]
    assert _question(result, "q_rank").items == [
        Item("fam", {"de": "Vernetzung"}), Item("work", {"de": "Fachliche Inhalte"}),
        Item("fun", {"de": "Location & Verpflegung"})]

    matrix = _question(result, "matrix_inner")
    assert matrix.label == {"de": "Wie schätzen Sie Ihre Kenntnisse ein?"}  # the header row
    assert [item.name for item in matrix.items] == ["skill_python", "skill_js", "skill_sql"]
    assert [item.label["de"] for item in matrix.items] == ["Python", "JavaScript", "SQL"]
    assert [choice.value for choice in matrix.choices] == ["none", "basic", "adv", "exp"]

    # or_other gives the question an "other" option; the shared "topics" list stays as the sheet has it
    assert _question(result, "q_sel1_other").other
    assert _question(result, "q_selm_other").other
    assert not _question(result, "q_select_multi").other
    assert [choice.value for choice in _question(result, "q_selm_other").choices] == ["red", "blue", "green"]
    assert [choice.value for choice in _question(result, "q_select_multi").choices] == ["red", "blue", "green"]
    assert any("or_other" in message for message in _notes(result, "q_rank_other"))

    assert _question(result, "q_mandatory").required
    assert not _question(result, "q_hint").required
    assert _question(result, "q_hint").hint == {"de": "Format: +49 123 456789"}
    constrained = _question(result, "q_constraint")  # ". >= 18 and . <= 120"
    assert (constrained.minimum, constrained.maximum, constrained.constraint) == (18, 120, "")
    assert constrained.constraint_message == {"de": "Bitte geben Sie ein gültiges Alter zwischen 18 und 120 ein"}
    assert _question(result, "q_relevant").relevance == "${q_mandatory} != ''"
    assert _notes(result, "q_default") == ["These columns were left out: default."]


def test_questions_outside_groups_get_sections_of_their_own() -> None:
    result = _read("all_types_survey.xlsx")
    sections = result.definition.sections
    assert [section.name for section in sections] == [
        "section_1", "basic_types", "appearances", "matrix_wrapper", "or_other_types", "features", "section_7"]
    assert result.implicit_sections == {"section_1", "section_7"}
    assert [question.name for question in sections[0].questions] == ["orphan_before"]
    assert [question.name for question in sections[-1].questions] == ["orphan_after"]
    assert sections[1].title == {"de": "Persönliche Angaben"}


def test_or_other_becomes_the_other_option() -> None:
    result = _read("or_other.xlsx")
    colours = ["red", "green", "blue", "mauve", "apricot"]
    favourite = _question(result, "fav_color")
    assert favourite.other and favourite.type == SINGLE_CHOICE
    assert [choice.value for choice in favourite.choices] == colours  # no generated "other" choice
    assert result.definition.question("fav_color_other") is None  # nor pyxform's generated text question
    pastel = _question(result, "fav_pastel")
    assert not pastel.other
    assert [choice.value for choice in pastel.choices] == colours
    assert _notes(result, "fav_pastel") == ["The choice filter “pastel=yes” was left out: every choice is shown."]
    # no settings sheet and no language columns: the file name is the title, Danish the language
    assert result.definition.title == {"da": "or_other"}
    assert result.definition.languages == ["da"]


def test_legacy_single_colon_label_and_a_group() -> None:
    result = _read("group.xlsx")
    definition = result.definition
    assert definition.languages == ["en"]
    assert [section.name for section in definition.sections] == ["section_1", "father"]
    assert result.implicit_sections == {"section_1"}
    assert _question(result, "family_name").label == {"en": "What's your family name?"}
    father = definition.section("father")
    assert father is not None and father.title == {"en": "Father"}
    assert [(question.name, question.type) for question in father.questions] == [
        ("phone_number", SHORT_TEXT), ("age", INTEGER)]
    assert _notes(result, "phone_number") == ["The type “phone number” was imported as “Short text”."]


def test_choice_filters_are_reported_and_repeated_values_kept_once() -> None:
    result = _read("choice_filter_test.xlsx")
    assert result.definition.title == {"da": "cascading selects"}
    county = _question(result, "county")
    # the counties list has king (washington), pierce, king (texas), cameron
    assert [choice.value for choice in county.choices] == ["king", "pierce", "cameron"]
    assert _notes(result, "county") == [
        "The choice filter “${state}=cf” was left out: every choice is shown.",
        "The choice value “king” appears more than once; only the first was kept."]
    assert len(_question(result, "city").choices) == 8


def test_bilingual_form_with_extra_sheets() -> None:
    result = _read("testB.xlsx")
    definition = result.definition
    assert definition.languages == ["de", "en"]  # settings: default_language "Deutsch (de)"
    assert definition.title == {"de": "testB"}
    sheet_names = {name for _type, name, _groups in _survey_rows(DATA / "testB.xlsx")}
    renamed = {"project_role_project_alpha", "project_role_project_beta", "project_role_project_gamma"}
    assert {question.name for _section, question in definition.questions()} <= sheet_names | renamed

    gender = _question(result, "gender")
    assert gender.choices[0] == Choice("female", {"de": "Weiblich", "en": "Female"})
    assert len(gender.choices) == 5
    assert gender.required
    assert _question(result, "gender_self_identification").relevance == "${gender} = 'self_identification'"

    alpha = _question(result, "project_role_project_alpha")
    assert alpha.label["en"].startswith("Which role do you think you could fill")
    assert alpha.relevance == "selected(${project_id}, 'project-alpha')"
    # references to a renamed question follow the new name
    assert _question(result, "sosci_survey").relevance == (
        "selected(${project_role_project_alpha}, 'role-survey-design')")
    assert any("“project_role_project-alpha” was changed to “project_role_project_alpha”" in message
               for message in _notes(result, "project_role_project-alpha"))
    # a table whose rows have their own conditions stays rows; its header row becomes a text
    assert _question(result, "rating_technologies_tools_header").type == INFORMATION
    assert _question(result, "python").type == SINGLE_CHOICE
    # the constraint uses regex(), which Evidens cannot evaluate
    email = _question(result, "email_address")
    assert email.constraint == ""
    assert any("regex(" in message and "left out" in message for message in _notes(result, "email_address"))
    assert any("group_pr7pr34" in message for message in _notes(result, "group_pr7pr34"))


def test_swahili_form_with_missing_choice_files_and_repeats() -> None:
    result = _read("UCL_Biomass_Plot_Form.xlsx")
    definition = result.definition
    assert definition.languages == ["sw", "en"]
    assert _question(result, "leader_name").label == {"sw": "Jina Lako", "en": "Your Name"}
    for name, file in (("region_id", "UCL_regions.csv"), ("district_id", "UCL_districts.csv"),
                       ("village", "UCL_villages.csv"), ("latin_name_id", "species_names.csv")):
        assert definition.question(name) is None
        assert any(f"“{file}”, which is not included" in message for message in _notes(result, name))
    trees = definition.section("trees")
    assert trees is not None and trees.relevance == "${any_trees} = 'yes'"
    assert any("repeat" in message for message in _notes(result, "trees"))
    assert _question(result, "latin_name_other").relevance == ""  # it read latin_name_id, which was left out
    assert any("“latin_name_id”, which was not imported" in message for message in _notes(result, "latin_name_other"))
    assert any("reserved" in message for message in _notes(result, "leader_name"))  # the choice "other"


def test_choices_from_a_csv_file_next_to_the_form(tmp_path: Path) -> None:
    shutil.copy(DATA / "UCL_Biomass_Plot_Form.xlsx", tmp_path)
    (tmp_path / "UCL_regions.csv").write_text("name,label::Swahili (sw),label::English (en)\n"
                                              "1,Arusha,Arusha\n2,Pwani,Coast\n", encoding="utf-8")
    with translation.override("en"):
        result = read_xlsform(tmp_path / "UCL_Biomass_Plot_Form.xlsx")
    region = _question(result, "region_id")
    assert region.choices == [Choice("1", {"sw": "Arusha", "en": "Arusha"}),
                              Choice("2", {"sw": "Pwani", "en": "Coast"})]
    assert result.definition.question("district_id") is None  # its file is still missing


def test_spec_form_languages_and_names() -> None:
    result = _read("xlsform_spec_test.xlsx")
    definition = result.definition
    assert definition.title == {"en": "Spec test"}
    assert definition.languages == ["en", "chinese"]  # "english" is known; "chinese" names no code
    assert any("“chinese” has no language code" in note.message for note in result.report)
    assert _question(result, "address").label == {"en": "Enter an address", "chinese": "您好"}
    everything = definition.section("everything")
    assert everything is not None and everything.relevance == "not(selected(${skip_to_end}, 'yes'))"
    assert _question(result, "compact_2_test").type == SINGLE_CHOICE
    assert definition.question("email_note") is not None
    assert _question(result, "email_note").relevance == ""  # regex() again


def _workbook(survey: list[list[str]], choices: list[list[str]] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    if choices:
        choice_sheet = workbook.create_sheet("choices")
        for row in choices:
            choice_sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_a_broken_row_is_named_in_the_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(_workbook([["type", "name", "label"], ["text", "navn", "Navn"], ["text", "mit navn", "X"]]))
    with translation.override("en"), pytest.raises(SurveyFileError) as raised:
        read_xlsform(path)
    assert raised.value.message.startswith("The XLSForm file has an error in sheet “survey”, row 3, column “name”:")


def test_a_missing_choice_list_and_garbage_are_refused() -> None:
    with translation.override("en"):
        with pytest.raises(SurveyFileError) as raised:
            read_xlsform(_workbook([["type", "name", "label"], ["select_one yn", "svar", "Svar"]]))
        assert "choices sheet" in raised.value.message
        with pytest.raises(SurveyFileError):
            read_xlsform(b"this is not a workbook")


def test_a_number_constraint_with_or_keeps_its_meaning() -> None:
    survey = [["type", "name", "label", "constraint"],
              ["integer", "a", "A", ". >= 1 and . <= 5 or . = 99"],
              ["integer", "b", "B", ". >= 1 and (. <= 5 or . = 99)"]]
    result = read_xlsform(_workbook(survey))
    a, b = _question(result, "a"), _question(result, "b")
    assert (a.minimum, a.maximum, a.constraint) == (None, None, ". >= 1 and . <= 5 or . = 99")
    assert (b.minimum, b.maximum, b.constraint) == (1, None, ". <= 5 or . = 99")


# --- export ---------------------------------------------------------------------------------------------


def _every_type() -> SurveyDefinition:
    return SurveyDefinition(
        title={"da": "Medlemsundersøgelse"},
        languages=["da", "en"],
        sections=[
            Section("om_dig", {"da": "Om dig", "en": "About you"},
                    description={"da": "Lidt om dig", "en": "A little about you"}, questions=[
                Question("medlem", SINGLE_CHOICE, {"da": "Er du medlem?", "en": "Are you a member?"},
                         hint={"da": "Vælg én", "en": "Pick one"}, required=True, other=True,
                         choices=[Choice("ja", {"da": "Ja", "en": "Yes"}), Choice("nej", {"da": "Nej", "en": "No"})]),
                Question("kanaler", MULTIPLE_CHOICE, {"da": "Kanaler", "en": "Channels"}, other=True,
                         relevance="${medlem} = 'ja'",
                         choices=[Choice("web", {"da": "Web", "en": "Web"}),
                                  Choice("mail", {"da": "Mail", "en": "Mail"})]),
                Question("tilfreds", LIKERT, {"da": "Er du tilfreds?", "en": "Are you satisfied?"},
                         choices=likert_scale(), dont_know=True),
                Question("udsagn", MATRIX, {"da": "Hvor enig er du?", "en": "How far do you agree?"},
                         choices=likert_scale(), dont_know=True, required=True,
                         items=[Item("nyttig", {"da": "Nyttig", "en": "Useful"}),
                                Item("hurtig", {"da": "Hurtig", "en": "Fast"})]),
                Question("anbefal", NPS, {"da": "Vil du anbefale os?", "en": "Would you recommend us?"}),
                Question("antal", INTEGER, {"da": "Antal ansatte", "en": "Employees"}, minimum=1, maximum=500,
                         constraint=". != 13 or . = 0", constraint_message={"da": "Ikke 13", "en": "Not 13"}),
                Question("beloeb", DECIMAL, {"da": "Beløb", "en": "Amount"}, minimum=0.5),
            ]),
            Section("mere", {"da": "Mere", "en": "More"}, relevance="selected(${kanaler}, 'web')", questions=[
                Question("navn", SHORT_TEXT, {"da": "Navn", "en": "Name"}),
                Question("kommentar", LONG_TEXT, {"da": "Kommentar", "en": "Comment"}),
                Question("dato", DATE, {"da": "Dato", "en": "Date"}),
                Question("rang", RANKING, {"da": "Ranger", "en": "Rank"},
                         items=[Item("pris", {"da": "Pris", "en": "Price"}), Item("tid", {"da": "Tid", "en": "Time"})]),
                Question("tak", INFORMATION, {"da": "Tak for hjælpen", "en": "Thank you"}),
            ]),
        ],
    )


def test_an_exported_workbook_is_a_valid_xlsform(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(write_xlsform(_every_type()))
    form = parse_file_to_json(str(path))
    assert form["title"] == "Medlemsundersøgelse"
    assert form["default_language"] == "Danish (da)"
    create_survey_element_from_dict(form).to_xml()  # pyxform builds the XForm without complaint
    sheet = openpyxl.load_workbook(path)["survey"]
    header = [cell.value for cell in sheet[1]]
    assert {"label::Danish (da)", "label::English (en)", "hint::English (en)"} <= set(header)


def test_export_and_import_give_back_the_questionnaire() -> None:
    original = _every_type()
    result = read_xlsform(write_xlsform(original))
    expected = copy_definition(original)
    nps = expected.question("anbefal")
    assert nps is not None
    nps.type, nps.minimum, nps.maximum = INTEGER, 0, 10  # documented: a Net Promoter Score comes back as 0–10
    assert result.definition == expected
    assert result.implicit_sections == set()
