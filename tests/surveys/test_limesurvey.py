"""LimeSurvey .lss import against the real files in tests/data/limesurvey and surveys built here.

Expected values for the real files were read from their XML; the built surveys state their own expectations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from evidens.surveys.definition import (
    DATE,
    DECIMAL,
    INFORMATION,
    LIKERT,
    LONG_TEXT,
    MATRIX,
    MULTIPLE_CHOICE,
    RANKING,
    SHORT_TEXT,
    SINGLE_CHOICE,
    Choice,
    Item,
    Question,
)
from evidens.surveys.inspection import ImportResult, SurveyFileError
from evidens.surveys.limesurvey import plain_text, read_lss

DATA = Path(__file__).resolve().parents[1] / "data" / "limesurvey"
CONDITION = DATA / "limesurvey_survey_allinoneCondition.lss"
QUESTION_LIST = DATA / "limesurvey_survey_question_list.lss"
CORRUPTED = DATA / "limesurvey_survey_CorruptedSurvey.lss"


def _read(source: Path | bytes) -> ImportResult:
    with translation.override("en"):
        return read_lss(source)


def _question(result: ImportResult, name: str) -> Question:
    question = result.definition.question(name)
    assert question is not None, name
    return question


def _notes(result: ImportResult, where: str) -> list[str]:
    return [note.message for note in result.report if note.where == where]


# --- the real files -------------------------------------------------------------------------------------------


def test_relevance_is_translated_to_the_question_code() -> None:
    result = _read(CONDITION)
    definition = result.definition
    assert definition.title == {"en": "Test 18035"}
    assert definition.languages == ["en"]
    assert [section.title for section in definition.sections] == [
        {"en": "My first question group {Q00.NAOK}"}, {"en": "Group 2"}]
    assert [section.name for section in definition.sections] == ["my_first_question_group", "group_2"]
    # the description's HTML <code> element is gone, its text kept
    assert definition.sections[0].description == {"en": "G02Q02 : {G02Q02.NAOK}"}

    gender = _question(result, "Q00")  # qid 481, type G
    assert gender.type == SINGLE_CHOICE
    assert gender.choices == [Choice("F", {"en": "Female"}), Choice("M", {"en": "Male"})]
    assert gender.label == {"en": "A first example question. Please answer this question:"}
    assert gender.hint == {"en": "This is a question help text."}
    assert not gender.required  # mandatory N

    long_text = _question(result, "G02Q02")  # qid 482, type T, relevance ((Q481.NAOK == "F"))
    assert long_text.type == LONG_TEXT
    assert long_text.relevance == "${Q00} = 'F'"
    assert definition.section("group_2") is not None
    assert any("{Q00.NAOK}" in message for message in _notes(result, "my_first_question_group"))


def test_the_conditions_table_stands_in_for_missing_relevance() -> None:
    text = CONDITION.read_text(encoding="utf-8")
    written = '<relevance><![CDATA[((Q481.NAOK == "F"))]]></relevance>'
    assert written in text
    result = _read(text.replace(written, "<relevance/>").encode())
    # conditions row: qid 482, cqid 481, cfieldname Q481, method ==, value F
    assert _question(result, "G02Q02").relevance == "${Q00} = 'F'"


def test_minimal_survey_and_its_mail_templates() -> None:
    result = _read(QUESTION_LIST)
    definition = result.definition
    assert definition.title == {"en": "Survey Master 01"}
    assert [(section.name, [question.name for question in section.questions]) for section in definition.sections] == [
        ("my_first_question_group", ["Q00"])]
    assert _question(result, "Q00").type == LONG_TEXT
    invitation = result.mail_templates["invitation"]["en"]
    assert invitation["subject"] == "Invitation to participate in a survey"
    assert invitation["body"].startswith("Dear {FIRSTNAME},\n\nyou have been invited to participate in a survey.\n\n"
                                         "The survey is titled:\n\"{SURVEYNAME}\"\n")
    assert invitation["body"].endswith("please click the following link:\n{OPTINURL}")
    assert "<br" not in invitation["body"]
    reminder = result.mail_templates["reminder"]["en"]
    assert reminder["subject"] == "Reminder to participate in a survey"
    assert "{SURVEYURL}" in reminder["body"] and "{OPTOUTURL}" in reminder["body"]
    assert set(result.mail_templates) == {"invitation", "reminder"}
    assert result.report == []


def test_german_survey_with_columns_in_another_order() -> None:
    result = _read(CORRUPTED)
    definition = result.definition
    # surveyls_language and surveyls_title come after the e-mail columns in this file
    assert definition.languages == ["de"]
    assert definition.title == {"de": "Corrupted survey - missing language"}
    assert definition.intro == {"de": "test"}  # surveyls_welcometext
    assert [section.title for section in definition.sections] == [{"de": "test"}]
    assert _question(result, "test").label == {"de": "test"}
    invitation = result.mail_templates["invitation"]["de"]
    assert invitation["subject"] == "Einladung zu einer Umfrage"
    assert "Mit freundlichen Grüßen,\n\n{ADMINNAME} ({ADMINEMAIL})" in invitation["body"]
    assert result.mail_templates["reminder"]["de"]["subject"] == "Erinnerung an die Teilnahme an einer Umfrage"


# --- broken files ---------------------------------------------------------------------------------------------


def _refusal(data: bytes) -> str:
    with translation.override("en"), pytest.raises(SurveyFileError) as raised:
        read_lss(data)
    return raised.value.message


def test_broken_files_are_refused_with_a_reason() -> None:
    text = CORRUPTED.read_text(encoding="utf-8")
    assert "not well-formed XML" in _refusal(text[: len(text) // 2].encode())
    blank = text.replace("<surveyls_language><![CDATA[de]]></surveyls_language>", "<surveyls_language/>")
    assert blank != text
    assert _refusal(blank.encode()) == "The LimeSurvey file has survey settings without a language."
    without_languages = re.sub(r"<languages>.*?</languages>", "", text, flags=re.DOTALL)
    assert _refusal(without_languages.encode()) == "The LimeSurvey file names no languages."
    assert "not a LimeSurvey survey" in _refusal(b"<html><body>Hello</body></html>")
    entity = b'<?xml version="1.0"?><!DOCTYPE document [<!ENTITY a "aaaa">]><document>&a;</document>'
    assert "refused for safety" in _refusal(entity)


# --- built surveys --------------------------------------------------------------------------------------------


def _lss(tables: dict[str, list[dict[str, str]]], languages: list[str], db_version: str = "640") -> bytes:
    """A survey structure file with the given tables, columns listed in ``fields`` and filled by name."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<document>", "<LimeSurveyDocType>Survey</LimeSurveyDocType>",
             f"<DBVersion>{db_version}</DBVersion>", "<languages>",
             *(f"<language>{language}</language>" for language in languages), "</languages>"]
    for table, rows in tables.items():
        columns = list(dict.fromkeys(column for row in rows for column in row))
        parts.append(f"<{table}><fields>")
        parts.extend(f"<fieldname>{column}</fieldname>" for column in columns)
        parts.append("</fields><rows>")
        for row in rows:
            cells = "".join(f"<{column}><![CDATA[{value}]]></{column}>" if value else f"<{column}/>"
                            for column, value in row.items())
            parts.append(f"<row>{cells}</row>")
        parts.append(f"</rows></{table}>")
    parts.append("</document>")
    return "\n".join(parts).encode()


QUESTIONS = [  # qid, code, type, group, relevance, mandatory, other
    ("10", "Q1", "L", "1", "1", "Y", "Y"),
    ("11", "Q2", "M", "1", "", "N", "N"),
    ("12", "Q3", "F", "1", "", "N", "N"),
    ("13", "Q4", "5", "1", "", "N", "N"),
    ("14", "Q5", "N", "1", "", "N", "N"),
    ("15", "Q6", "G", "1", "", "N", "N"),
    ("16", "Q7", "Y", "1", "", "N", "N"),
    ("17", "Q8", "D", "1", "", "N", "N"),
    ("18", "Q9", "R", "1", "", "N", "N"),
    ("19", "Q10", "X", "1", "", "N", "N"),
    ("20", "Q11", "K", "1", "", "N", "N"),
    ("21", "Q12", "S", "1", 'Q2_SQ001 == "Y" and !is_empty(Q1)', "N", "N"),
    ("22", "Q13", "T", "1", "", "N", "N"),
    ("23", "Q14", "U", "1", "count(Q2) > 1", "N", "N"),
    ("24", "Q15", "O", "1", "", "S", "N"),
    ("25", "Q16", "S", "1", 'Q11 == "1"', "N", "N"),
    ("26", "Q17", "!", "2", "9999X1X10.NAOK ne 'A2'", "N", "N"),
    ("27", "Q18", "A", "2", "", "N", "N"),
]
SUBQUESTIONS = [("100", "11", "SQ001", "Web"), ("101", "11", "SQ002", "Mail"), ("102", "12", "SQ001", "Price"),
                ("103", "12", "SQ002", "Speed"), ("104", "27", "1", "First"), ("105", "27", "2", "Second")]
ANSWERS = [("201", "10", "A2", "2", "Two"), ("200", "10", "A1", "1", "One"), ("202", "12", "1", "1", "Bad"),
           ("203", "12", "2", "2", "Good"), ("204", "18", "R1", "1", "Rank one"), ("205", "18", "R2", "2", "Rank two"),
           ("206", "24", "O1", "1", "Yes"), ("207", "24", "O2", "2", "No"), ("208", "26", "X1", "1", "Ex one"),
           ("209", "26", "X2", "2", "Ex two")]


def _member_survey() -> bytes:
    """A LimeSurvey 6 layout survey in English and German with one question of each type and some logic."""
    languages = ["en", "de"]
    return _lss({
        "groups": [{"gid": "1", "sid": "9999", "group_order": "1", "grelevance": ""},
                   {"gid": "2", "sid": "9999", "group_order": "2", "grelevance": "Q1.NAOK == 'A1'"}],
        "group_l10ns": [
            {"id": "1", "gid": "1", "group_name": "About you", "description": "<p>Some <b>words</b></p>",
             "language": "en"},
            {"id": "2", "gid": "1", "group_name": "Über Sie", "description": "", "language": "de"},
            {"id": "3", "gid": "2", "group_name": "More", "description": "", "language": "en"},
            {"id": "4", "gid": "2", "group_name": "Mehr", "description": "", "language": "de"}],
        "questions": [{"qid": qid, "parent_qid": "0", "sid": "9999", "gid": gid, "type": kind, "title": title,
                       "preg": "", "other": other, "mandatory": mandatory, "question_order": str(order),
                       "scale_id": "0", "relevance": relevance}
                      for order, (qid, title, kind, gid, relevance, mandatory, other) in enumerate(QUESTIONS)],
        "subquestions": [{"qid": qid, "parent_qid": parent, "sid": "9999", "gid": "1", "type": "T", "title": title,
                          "question_order": str(order), "scale_id": "0"}
                         for order, (qid, parent, title, _text) in enumerate(SUBQUESTIONS)],
        "question_l10ns": [
            *({"id": qid, "qid": qid, "question": f"<p>Question {title}</p>", "help": f"Help {title}",
               "language": "en"} for qid, title, *_rest in QUESTIONS),
            *({"id": f"{qid}0", "qid": qid, "question": f"Frage {title}", "help": "", "language": "de"}
              for qid, title, *_rest in QUESTIONS),
            *({"id": qid, "qid": qid, "question": text, "help": "", "language": "en"}
              for qid, _parent, _title, text in SUBQUESTIONS)],
        "answers": [{"aid": aid, "qid": qid, "code": code, "sortorder": order, "scale_id": "0"}
                    for aid, qid, code, order, _text in ANSWERS],
        "answer_l10ns": [{"id": aid, "aid": aid, "answer": text, "language": "en"}
                         for aid, _qid, _code, _order, text in ANSWERS],
        "question_attributes": [{"qid": "14", "attribute": "min_num_value_n", "value": "0", "language": ""},
                                {"qid": "14", "attribute": "max_num_value_n", "value": "100", "language": ""},
                                {"qid": "11", "attribute": "hidden", "value": "0", "language": ""},
                                {"qid": "11", "attribute": "array_filter", "value": "Q9", "language": ""}],
        "conditions": [
            {"cid": "1", "qid": "22", "cqid": "10", "cfieldname": "9999X1X10", "method": "==", "value": "A1",
             "scenario": "1"},
            {"cid": "2", "qid": "22", "cqid": "10", "cfieldname": "9999X1X10", "method": "==", "value": "A2",
             "scenario": "1"},
            {"cid": "3", "qid": "22", "cqid": "16", "cfieldname": "9999X1X16", "method": "==", "value": "Y",
             "scenario": "1"},
            {"cid": "4", "qid": "22", "cqid": "11", "cfieldname": "+9999X1X11SQ002", "method": "==", "value": "Y",
             "scenario": "2"}],
        "surveys": [{"sid": "9999", "language": "en", "additional_languages": "de"}],
        "surveys_languagesettings": [
            {"surveyls_survey_id": "9999", "surveyls_language": "en", "surveyls_title": "Member survey",
             "surveyls_welcometext": "<p>Welcome &amp; thanks</p>", "surveyls_endtext": "Bye",
             "surveyls_email_invite_subj": "Join us", "surveyls_email_invite": "Hello {FIRSTNAME}"},
            {"surveyls_survey_id": "9999", "surveyls_language": "de", "surveyls_title": "Mitgliederumfrage"}],
    }, languages)


def test_each_limesurvey_type_becomes_its_evidens_type() -> None:
    result = _read(_member_survey())
    definition = result.definition
    assert definition.languages == ["en", "de"]
    assert definition.title == {"en": "Member survey", "de": "Mitgliederumfrage"}
    assert definition.intro == {"en": "Welcome & thanks"}
    assert definition.thanks == {"en": "Bye"}
    assert result.mail_templates == {"invitation": {"en": {"subject": "Join us", "body": "Hello {FIRSTNAME}"}}}
    assert [section.name for section in definition.sections] == ["about_you", "more"]
    assert definition.sections[0].title == {"en": "About you", "de": "Über Sie"}
    assert definition.sections[0].description == {"en": "Some words"}
    types = {question.name: question.type for _section, question in definition.questions()}
    assert types == {
        "Q1": SINGLE_CHOICE, "Q2": MULTIPLE_CHOICE, "Q3": MATRIX, "Q4": LIKERT, "Q5": DECIMAL, "Q6": SINGLE_CHOICE,
        "Q7": SINGLE_CHOICE, "Q8": DATE, "Q9": RANKING, "Q10": INFORMATION, "Q12": SHORT_TEXT, "Q13": LONG_TEXT,
        "Q14": LONG_TEXT, "Q15": SINGLE_CHOICE, "Q16": SHORT_TEXT, "Q17": SINGLE_CHOICE, "Q18": MATRIX}
    assert _notes(result, "Q11") == [
        "Questions of the type “K (Multiple numerical input)” cannot be imported; the question was left out."]

    q1 = _question(result, "Q1")
    assert q1.label == {"en": "Question Q1", "de": "Frage Q1"}
    assert q1.hint == {"en": "Help Q1"}
    assert q1.required and q1.other
    assert q1.choices == [Choice("A1", {"en": "One"}), Choice("A2", {"en": "Two"})]  # by sortorder
    assert _question(result, "Q2").choices == [Choice("SQ001", {"en": "Web"}), Choice("SQ002", {"en": "Mail"})]
    assert any("array_filter" in message for message in _notes(result, "Q2"))
    q3 = _question(result, "Q3")
    assert q3.items == [Item("SQ001", {"en": "Price"}), Item("SQ002", {"en": "Speed"})]
    assert [choice.value for choice in q3.choices] == ["1", "2"]
    assert [choice.value for choice in _question(result, "Q4").choices] == ["1", "2", "3", "4", "5"]
    assert (_question(result, "Q5").minimum, _question(result, "Q5").maximum) == (0, 100)
    assert _question(result, "Q6").choices == [Choice("F", {"en": "Female", "de": "Weiblich"}),
                                               Choice("M", {"en": "Male", "de": "Männlich"})]
    assert _question(result, "Q7").choices == [Choice("Y", {"en": "Yes", "de": "Ja"}),
                                               Choice("N", {"en": "No", "de": "Nein"})]
    assert _question(result, "Q9").items == [Item("R1", {"en": "Rank one"}), Item("R2", {"en": "Rank two"})]
    q18 = _question(result, "Q18")
    assert [item.name for item in q18.items] == ["_1", "_2"]  # subquestion codes 1 and 2 are not names
    assert _notes(result, "Q18") == ["Entry names were changed to valid names: 1 → _1, 2 → _2."]
    q15 = _question(result, "Q15")
    assert not q15.required
    assert _notes(result, "Q15") == [
        "The type “O (List with comment)” was imported as “Single choice”.",
        "“Soft mandatory” (the respondent may go on after a warning) became optional."]


def test_expression_script_and_conditions_become_conditions() -> None:
    result = _read(_member_survey())
    more = result.definition.section("more")
    assert more is not None and more.relevance == "${Q1} = 'A1'"
    assert _question(result, "Q12").relevance == "selected(${Q2}, 'SQ001') and not(${Q1} = '')"
    assert _question(result, "Q13").relevance == (
        "((${Q1} = 'A1' or ${Q1} = 'A2') and ${Q7} = 'Y') or selected(${Q2}, 'SQ002')")
    assert _question(result, "Q17").relevance == "${Q1} != 'A2'"  # the SGQA form 9999X1X10 is question 10
    assert _question(result, "Q14").relevance == ""
    assert _notes(result, "Q14") == ["The skip condition “count(Q2) > 1” was left out: the function “count()” has "
                                     "no counterpart in Evidens"]
    assert _question(result, "Q16").relevance == ""
    assert _notes(result, "Q16") == ["The skip condition “${Q11} = '1'” was left out: it refers to “Q11”, "
                                     "which was not imported"]


def test_the_older_layout_with_texts_in_the_rows() -> None:
    data = _lss({
        "groups": [{"gid": "5", "sid": "1", "group_name": "Gruppe", "group_order": "0", "language": "da"},
                   {"gid": "5", "sid": "1", "group_name": "Group", "group_order": "0", "language": "en"}],
        "questions": [
            {"qid": "50", "parent_qid": "0", "gid": "5", "type": "L", "title": "farve", "question": "Farve?",
             "help": "", "mandatory": "Y", "other": "N", "question_order": "1", "language": "da"},
            {"qid": "50", "parent_qid": "0", "gid": "5", "type": "L", "title": "farve", "question": "Colour?",
             "help": "", "mandatory": "Y", "other": "N", "question_order": "1", "language": "en"},
            {"qid": "51", "parent_qid": "0", "gid": "5", "type": "P", "title": "kanal", "question": "Kanal?",
             "help": "", "mandatory": "N", "other": "Y", "question_order": "2", "language": "da"}],
        "subquestions": [
            {"qid": "52", "parent_qid": "51", "gid": "5", "type": "T", "title": "web", "question": "Hjemmeside",
             "question_order": "1", "language": "da"},
            {"qid": "52", "parent_qid": "51", "gid": "5", "type": "T", "title": "web", "question": "Website",
             "question_order": "1", "language": "en"}],
        "answers": [{"qid": "50", "code": "r", "answer": "Rød", "sortorder": "1", "language": "da"},
                    {"qid": "50", "code": "r", "answer": "Red", "sortorder": "1", "language": "en"},
                    {"qid": "50", "code": "b", "answer": "Blå", "sortorder": "2", "language": "da"}],
        "surveys": [{"sid": "1", "language": "da", "additional_languages": "en"}],
        "surveys_languagesettings": [{"surveyls_language": "da", "surveyls_title": "Farver"},
                                     {"surveyls_language": "en", "surveyls_title": "Colours"}],
    }, ["da", "en"], db_version="355")
    result = _read(data)
    assert result.definition.languages == ["da", "en"]
    assert result.definition.title == {"da": "Farver", "en": "Colours"}
    assert result.definition.sections[0].title == {"da": "Gruppe", "en": "Group"}
    colour = _question(result, "farve")
    assert colour.label == {"da": "Farve?", "en": "Colour?"}
    assert colour.required
    assert colour.choices == [Choice("r", {"da": "Rød", "en": "Red"}), Choice("b", {"da": "Blå"})]
    channel = _question(result, "kanal")
    assert channel.other
    assert channel.choices == [Choice("web", {"da": "Hjemmeside", "en": "Website"})]


@pytest.mark.parametrize(("html", "text"), [
    ("Plain text\nwith a line break", "Plain text\nwith a line break"),
    ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
    ("Line<br />\n<br />\nNext", "Line\n\nNext"),
    ("<b>Bold</b> <script>alert(1)</script>text", "Bold text"),
    ("A &lt;b&gt; tag", "A <b> tag"),
])
def test_html_becomes_plain_text(html: str, text: str) -> None:
    assert plain_text(html) == text
