"""LimeSurvey survey structure files (.lss) in: ``read_lss`` builds a ``SurveyDefinition``.

An .lss file is a database dump in XML: one element per table (``groups``, ``questions``, ``answers``, ...),
each with ``rows`` whose children are named after the columns. Columns are read by name, never by position,
and both layouts are understood: before LimeSurvey 4 the texts sit in the rows themselves, one row per
language; from LimeSurvey 4 on they sit in ``*_l10ns`` tables. The XML is parsed with defusedxml.

How a survey maps onto a questionnaire (``inspection.LIMESURVEY_TYPES`` is the type table):

- Each question group becomes a section, in group order; questions keep their code (``title``) as name.
- Subquestions become a matrix's statements or a multiple choice's choices; answer options become choices
  (a ranking's entries). Gender (G), yes/no (Y) and the fixed arrays (A, B, C, E) get their fixed choices,
  labelled in Danish, English and German and in English for any other language.
- "Other" (``other`` = Y) becomes the "Andet, skriv:" option; mandatory (Y) becomes required.
- The language list is the survey's base language followed by its additional languages, with LimeSurvey's
  codes ("en", "de", "de-informal"). Titles, welcome, end and privacy texts come from
  ``surveys_languagesettings``; HTML is reduced to plain text with line breaks.
- Relevance written in ExpressionScript is translated where it uses comparisons, ``and``/``or``/``!``,
  ``is_empty()`` and question codes (``Q1``, ``Q1.NAOK``, ``Q1_SQ001`` for a multiple-choice option, the SGQA
  ``12345X6X7`` form and the ``Q<qid>`` form): ``((Q481.NAOK == "F"))`` becomes ``${Q00} = 'F'`` when question
  481 has the code Q00. When a question has no relevance of its own, its rows in ``conditions`` are used
  (conditions on one question are joined with "or", on different questions with "and", scenarios with "or").
  Anything else is left out and reported.
- The invitation and reminder e-mails are returned in ``ImportResult.mail_templates`` with LimeSurvey's
  placeholders ({FIRSTNAME}, {SURVEYURL}, ...) as they are.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree
from django.utils.translation import gettext as _

from evidens.surveys.definition import (
    DECIMAL,
    MULTIPLE_CHOICE,
    RANKING,
    SINGLE_CHOICE,
    Choice,
    Item,
    Question,
    Section,
    SurveyDefinition,
    Text,
)
from evidens.surveys.inspection import (
    CHANGED,
    LIMESURVEY_TYPES,
    UNSUPPORTED,
    ImportNote,
    ImportResult,
    NameBook,
    SurveyFileError,
    checked_condition,
    condition_left_out,
    identifier,
    item_names,
    limesurvey_type_label,
    piping_noted,
    reserved_value_notes,
    type_changed,
    type_left_out,
    unreadable,
    unwrapped,
)

MAIL_FIELDS = {  # kind → (subject column, body column) in surveys_languagesettings
    "invitation": ("surveyls_email_invite_subj", "surveyls_email_invite"),
    "reminder": ("surveyls_email_remind_subj", "surveyls_email_remind"),
}

_WORDS = {
    "female": {"en": "Female", "da": "Kvinde", "de": "Weiblich"},
    "male": {"en": "Male", "da": "Mand", "de": "Männlich"},
    "yes": {"en": "Yes", "da": "Ja", "de": "Ja"},
    "no": {"en": "No", "da": "Nej", "de": "Nein"},
    "uncertain": {"en": "Uncertain", "da": "Usikker", "de": "Unsicher"},
    "increase": {"en": "Increase", "da": "Stigning", "de": "Zunahme"},
    "same": {"en": "Same", "da": "Uændret", "de": "Gleich"},
    "decrease": {"en": "Decrease", "da": "Fald", "de": "Abnahme"},
}
_FIXED_CHOICES: dict[str, list[tuple[str, str | None]]] = {  # type → (value, word or None for the value itself)
    "G": [("F", "female"), ("M", "male")],
    "Y": [("Y", "yes"), ("N", "no")],
    "C": [("Y", "yes"), ("N", "no"), ("U", "uncertain")],
    "E": [("I", "increase"), ("S", "same"), ("D", "decrease")],
    "A": [(str(number), None) for number in range(1, 6)],
    "5": [(str(number), None) for number in range(1, 6)],
    "B": [(str(number), None) for number in range(1, 11)],
}
_SUBQUESTION_CHOICES = frozenset("MP")  # subquestions are the choices
_SUBQUESTION_ITEMS = frozenset("FHABCE")  # subquestions are the statements
_ANSWER_CHOICES = frozenset("L!OFH")  # answer options are the choices
_WITHOUT_COMMENTS = frozenset("OP")  # imported without their comment fields
# Question attributes that change what is asked or accepted; others only change the look and are not reported.
_REPORTED_ATTRIBUTES = ("array_filter", "array_filter_exclude", "em_validation_q", "em_validation_sq",
                        "exclude_all_others", "equals_num_value", "hidden", "max_answers", "min_answers",
                        "random_order", "preg")
_PIPING = re.compile(r"\{[^{}\s][^{}]*\}")
_SGQA = re.compile(r"^\+?\d+X\d+X")


class _Untranslatable(Exception):
    """An ExpressionScript construct Evidens's condition language has no counterpart for."""


# --- reading the XML ----------------------------------------------------------------------------------------


def read_lss(source: str | Path | bytes) -> ImportResult:
    """The questionnaire in a LimeSurvey .lss file (a path or the file's bytes), with a report of what changed."""
    if isinstance(source, bytes):
        data = source
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as error:
            raise unreadable(Path(source), error) from error
    try:
        root = SafeElementTree.fromstring(data)
    except ParseError as error:
        line, column = error.position
        raise SurveyFileError(_("The LimeSurvey file is not well-formed XML (line %(line)s, column %(column)s); "
                                "it may be cut off.") % {"line": line, "column": column}) from error
    except DefusedXmlException as error:
        raise SurveyFileError(_("The LimeSurvey file uses XML features that are refused for safety (%(detail)s).")
                              % {"detail": error}) from error
    doc_type = (root.findtext("LimeSurveyDocType") or "").strip()
    if root.tag != "document" or doc_type not in ("", "Survey"):
        raise SurveyFileError(_("The file is not a LimeSurvey survey structure file (.lss)."))
    return _Reader(root).result()


def _table(root: Element, name: str) -> list[dict[str, str]]:
    """The rows of one table as column name → text (an empty element is "")."""
    return [{cell.tag: cell.text or "" for cell in row} for row in root.findall(f"{name}/rows/row")]


def _required(row: Mapping[str, str], table: str, *columns: str) -> None:
    for column in columns:
        if not row.get(column, "").strip():
            raise SurveyFileError(_("A row of “%(table)s” in the LimeSurvey file lacks “%(field)s”.")
                                  % {"table": table, "field": column})


def _order(row: Mapping[str, str], column: str) -> int:
    try:
        return int(row.get(column) or 0)
    except ValueError:
        return 0


class _PlainText(HTMLParser):
    """The text of an HTML fragment, with line breaks where the browser would break lines."""

    BLOCKS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table",
                        "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0  # inside <script> or <style>

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.hidden += 1
        elif tag == "br" or tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(re.sub(r"\s+", " ", data))


def plain_text(text: str) -> str:
    """``text`` without HTML: tags dropped, entities resolved, line breaks kept; text without tags as it is."""
    if not re.search(r"</?[A-Za-z][^>]*>", text):
        return html.unescape(text).strip()
    parser = _PlainText()
    parser.feed(text)
    parser.close()
    joined = re.sub(r"[ \t]*\n[ \t]*", "\n", "".join(parser.parts))
    return re.sub(r"\n{3,}", "\n\n", joined).strip()


# --- the survey ---------------------------------------------------------------------------------------------


@dataclass
class _Answer:
    code: str
    order: int
    texts: dict[str, str] = field(default_factory=dict)  # LimeSurvey language → text


class _Reader:
    def __init__(self, root: Element) -> None:
        self.root = root
        self.report: list[ImportNote] = []
        self.question_names = NameBook(self.report)
        self.section_names = NameBook(self.report)
        self.languages = self._languages()
        self.settings = self._language_settings()
        self.groups, self.group_texts = self._rows_with_texts("groups", "group_l10ns", "gid", ("group_name",
                                                                                            "description"))
        questions, self.question_texts = self._rows_with_texts("questions", "question_l10ns", "qid",
                                                               ("question", "help"))
        subquestions, subquestion_texts = self._rows_with_texts("subquestions", "question_l10ns", "qid",
                                                                ("question", "help"))
        self.question_texts.update(subquestion_texts)
        self.questions = {qid: row for qid, row in questions.items() if row.get("parent_qid", "0") in ("", "0")}
        self.qid_by_title = {row["title"]: qid for qid, row in self.questions.items() if row.get("title")}
        self.subquestions: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in [*questions.values(), *subquestions.values()]:
            if row.get("parent_qid", "0") not in ("", "0"):
                self.subquestions[row["parent_qid"]].append(row)
        self.answers = self._answers()
        self.attributes: dict[str, dict[str, str]] = defaultdict(dict)
        for row in _table(root, "question_attributes"):
            if row.get("value", "").strip():
                self.attributes[row.get("qid", "")].setdefault(row.get("attribute", ""), row["value"])
        self.conditions: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in _table(root, "conditions"):
            self.conditions[row.get("qid", "")].append(row)
        # (target, relevance as written, where): translated once every question has its name
        self.relevance: list[tuple[Question | Section, str, str, str]] = []
        self.name_of: dict[str, str] = {}  # qid → name of an imported question
        self.type_of: dict[str, str] = {}  # qid → LimeSurvey type

    # tables

    def _languages(self) -> list[str]:
        listed = [language.text.strip() for language in self.root.findall("languages/language")
                  if language.text and language.text.strip()]
        if not listed:
            raise SurveyFileError(_("The LimeSurvey file names no languages."))
        survey = next(iter(_table(self.root, "surveys")), {})
        ordered = [survey.get("language", "").strip(), *survey.get("additional_languages", "").split(), *listed]
        return list(dict.fromkeys(language for language in ordered if language))

    def _language_settings(self) -> dict[str, dict[str, str]]:
        settings = {}
        for row in _table(self.root, "surveys_languagesettings"):
            language = row.get("surveyls_language", "").strip()
            if not language:
                raise SurveyFileError(_("The LimeSurvey file has survey settings without a language."))
            settings[language] = row
        return settings

    def _rows_with_texts(self, table: str, l10n_table: str, key: str, text_columns: tuple[str, ...],
                         ) -> tuple[dict[str, dict[str, str]], dict[str, dict[str, dict[str, str]]]]:
        """The rows of ``table`` by ``key`` and their texts (key → language → column → text) from either layout."""
        rows: dict[str, dict[str, str]] = {}
        texts: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
        for row in _table(self.root, table):
            _required(row, table, key)
            rows.setdefault(row[key], row)
        for row in [*_table(self.root, table), *_table(self.root, l10n_table)]:
            if row.get(key) in rows and row.get("language") and any(column in row for column in text_columns):
                texts[row[key]][row["language"]] = row
        return rows, texts

    def _answers(self) -> dict[tuple[str, str], list[_Answer]]:
        """Answer options by (qid, scale), in their order, with their texts in each language."""
        options: dict[tuple[str, str, str], _Answer] = {}
        by_aid: dict[str, _Answer] = {}
        for row in _table(self.root, "answers"):
            _required(row, "answers", "qid", "code")
            answer = options.setdefault((row["qid"], row.get("scale_id") or "0", row["code"]),
                                        _Answer(row["code"], _order(row, "sortorder")))
            if row.get("aid"):
                by_aid[row["aid"]] = answer
            if row.get("language") and "answer" in row:
                answer.texts[row["language"]] = row["answer"]
        for row in _table(self.root, "answer_l10ns"):
            if row.get("aid") in by_aid and row.get("language"):
                by_aid[row["aid"]].texts[row["language"]] = row.get("answer", "")
        answers: dict[tuple[str, str], list[_Answer]] = defaultdict(list)
        for (qid, scale, _code), answer in options.items():
            answers[(qid, scale)].append(answer)
        for listed in answers.values():
            listed.sort(key=lambda answer: answer.order)
        return answers

    def text(self, texts: Mapping[str, str]) -> Text:
        return {language: plain for language, value in texts.items()
                if language in self.languages and (plain := plain_text(value))}

    def texts_of(self, table: Mapping[str, Mapping[str, Mapping[str, str]]], key: str, column: str) -> Text:
        return self.text({language: row.get(column, "") for language, row in table.get(key, {}).items()})

    # the result

    def result(self) -> ImportResult:
        sections = []
        for gid, group in sorted(self.groups.items(), key=lambda pair: _order(pair[1], "group_order")):
            title = self.texts_of(self.group_texts, gid, "group_name")
            readable = _PIPING.sub("", title.get(self.languages[0], "")).strip().lower()[:40]
            name = self.section_names.free(identifier(readable, fallback=f"group_{gid}"))
            section = Section(name=name, title=title, description=self.texts_of(self.group_texts, gid, "description"))
            self._piping_noted(name, section.title, section.description)
            self.relevance.append((section, group.get("grelevance", ""), "", name))
            members = [row for row in self.questions.values() if row.get("gid") == gid]
            for row in sorted(members, key=lambda row: _order(row, "question_order")):
                question = self._question(row)
                if question is not None:
                    section.questions.append(question)
            if section.questions:  # a group of questions Evidens cannot ask would stay empty
                sections.append(section)
        self._translate_relevance()
        description, welcome = self._survey_text("surveyls_description"), self._survey_text("surveyls_welcometext")
        intro = {language: "\n\n".join(part for part in (description.get(language), welcome.get(language)) if part)
                 for language in self.languages}
        definition = SurveyDefinition(
            title=self._survey_text("surveyls_title"),
            sections=sections,
            languages=self.languages,
            intro={language: text for language, text in intro.items() if text},
            thanks=self._survey_text("surveyls_endtext"),
            privacy=self._survey_text("surveyls_policy_notice"),
        )
        self.report.extend(reserved_value_notes(definition))
        return ImportResult(definition=definition, report=self.report, mail_templates=self._mail_templates())

    def _survey_text(self, column: str) -> Text:
        return self.text({language: row.get(column, "") for language, row in self.settings.items()})

    def _mail_templates(self) -> dict[str, dict[str, dict[str, str]]]:
        templates: dict[str, dict[str, dict[str, str]]] = {}
        for kind, (subject_column, body_column) in MAIL_FIELDS.items():
            for language, row in self.settings.items():
                subject, body = plain_text(row.get(subject_column, "")), plain_text(row.get(body_column, ""))
                if subject or body:
                    templates.setdefault(kind, {})[language] = {"subject": subject, "body": body}
        return templates

    # questions

    def _question(self, row: Mapping[str, str]) -> Question | None:
        _required(row, "questions", "qid", "type", "title")
        qid, code, where = row["qid"], row["type"], row["title"]
        evidens_type = LIMESURVEY_TYPES.get(code)
        if evidens_type is None:
            self.report.append(ImportNote(where, type_left_out(limesurvey_type_label(code)), UNSUPPORTED))
            return None
        if code in _WITHOUT_COMMENTS:
            self.report.append(ImportNote(where, type_changed(limesurvey_type_label(code), evidens_type), CHANGED))
        question = Question(name=self.question_names.assign(where), type=evidens_type,
                            label=self.texts_of(self.question_texts, qid, "question"),
                            hint=self.texts_of(self.question_texts, qid, "help"),
                            required=self._mandatory(where, row.get("mandatory", "")))
        self.name_of[qid], self.type_of[qid] = question.name, code
        rows = sorted(self.subquestions.get(qid, []), key=lambda sub: _order(sub, "question_order"))
        subquestions = [(sub["title"], self.texts_of(self.question_texts, sub["qid"], "question"))
                        for sub in rows if (sub.get("scale_id") or "0") == "0" and sub.get("title")]
        for sub in rows:
            if sub.get("relevance", "").strip() not in ("", "1"):
                self._setting_left_out(where, f"{sub.get('title', '')}: relevance", sub["relevance"])
        answers = [(answer.code, self.text(answer.texts)) for answer in self.answers.get((qid, "0"), [])]
        if code in _FIXED_CHOICES:
            question.choices = self._fixed_choices(code)
        elif code in _ANSWER_CHOICES:
            question.choices = [Choice(value, label) for value, label in answers]
        elif code in _SUBQUESTION_CHOICES:
            question.choices = [Choice(value, label) for value, label in subquestions]
        if code in _SUBQUESTION_ITEMS:
            names = item_names([value for value, _label in subquestions], where, self.report)
            question.items = [Item(name, label) for name, (_value, label) in zip(names, subquestions, strict=True)]
        elif evidens_type == RANKING:
            names = item_names([value for value, _label in answers], where, self.report)
            question.items = [Item(name, label) for name, (_value, label) in zip(names, answers, strict=True)]
        question.other = row.get("other") == "Y" and evidens_type in (MULTIPLE_CHOICE, SINGLE_CHOICE)
        attributes = self.attributes.get(qid, {})
        if evidens_type == DECIMAL:
            question.minimum = self._bound(where, attributes, "min_num_value_n")
            question.maximum = self._bound(where, attributes, "max_num_value_n")
        for attribute in _REPORTED_ATTRIBUTES:
            value = row.get(attribute, "") if attribute == "preg" else attributes.get(attribute, "")
            if value.strip() not in ("", "0", "N"):
                self._setting_left_out(where, attribute, value)
        self._piping_noted(where, question.label, question.hint)
        self.relevance.append((question, row.get("relevance", ""), qid, where))
        return question

    def _fixed_choices(self, code: str) -> list[Choice]:
        choices = []
        for value, word in _FIXED_CHOICES[code]:
            words = _WORDS[word] if word else {}
            choices.append(Choice(value, {language: words.get(language.split("-")[0], words.get("en", value))
                                          for language in self.languages}))
        return choices

    def _mandatory(self, where: str, value: str) -> bool:
        if value == "S":
            self.report.append(ImportNote(where, _("“Soft mandatory” (the respondent may go on after a warning) "
                                                   "became optional."), CHANGED))
        return value == "Y"

    def _bound(self, where: str, attributes: Mapping[str, str], attribute: str) -> float | None:
        value = attributes.get(attribute, "").strip()
        if not value:
            return None
        try:
            return float(value)
        except ValueError:
            self._setting_left_out(where, attribute, value)
            return None

    def _setting_left_out(self, where: str, setting: str, value: str) -> None:
        self.report.append(ImportNote(where, _("The LimeSurvey setting “%(setting)s” (%(value)s) was left out.")
                                      % {"setting": setting, "value": value}, UNSUPPORTED))

    def _piping_noted(self, where: str, *texts: Text) -> None:
        references = sorted({found for text in texts for value in text.values() for found in _PIPING.findall(value)})
        if references:
            self.report.append(piping_noted(where, references))

    # conditions

    def _translate_relevance(self) -> None:
        known = set(self.name_of.values())
        for target, relevance, qid, where in self.relevance:
            written = relevance.strip()
            conditions = self.conditions.get(qid) if qid else None
            condition = ""
            if written not in ("", "1"):
                try:
                    condition = _ExpressionScript(written, self).translated()
                except _Untranslatable as error:
                    if not conditions:
                        self.report.append(ImportNote(where, condition_left_out(written, str(error)), UNSUPPORTED))
                        continue
            if not condition and conditions:
                try:
                    condition = self._from_conditions(conditions)
                except _Untranslatable as error:
                    self.report.append(ImportNote(where, condition_left_out(
                        _describe_conditions(conditions), str(error)), UNSUPPORTED))
                    continue
            target.relevance = checked_condition(unwrapped(condition), where=where, constraint=False, known=known,
                                                 report=self.report)

    def _from_conditions(self, rows: list[dict[str, str]]) -> str:
        """LimeSurvey's rule: tests of one question are joined with "or", of different questions with "and",
        and the scenarios with "or"."""
        scenarios: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in rows:
            scenarios[row.get("scenario") or "1"][row.get("cqid", "")].append(self._condition(row))
        ordered = sorted(scenarios.items(), key=lambda pair: _order({"scenario": pair[0]}, "scenario"))
        alternatives = [[_grouped(tests) for tests in by_question.values()] for _scenario, by_question in ordered]
        return " or ".join(f"({' and '.join(tests)})" if len(tests) > 1 and len(alternatives) > 1
                           else " and ".join(tests) for tests in alternatives)

    def _condition(self, row: Mapping[str, str]) -> str:
        cqid, method, value = row.get("cqid", ""), row.get("method", ""), row.get("value", "")
        operator = _COMPARISONS.get(method)
        if operator is None:
            raise _Untranslatable(_("the comparison “%(method)s” has no counterpart in Evidens") % {"method": method})
        if value.startswith("@"):
            raise _Untranslatable(_("comparing with another answer is not supported"))
        name = self.name_of.get(cqid) or self.questions.get(cqid, {}).get("title") or cqid
        field_name = row.get("cfieldname", "")
        prefix = _SGQA.match(field_name)
        rest = field_name[prefix.end():] if prefix else field_name.lstrip("+").removeprefix("Q")
        option = rest.removeprefix(cqid) if rest.startswith(cqid) else ""
        if option:
            return self.option_test(name, cqid, option, operator, value)
        return f"${{{name}}} {operator} {_literal(value)}"

    def option_test(self, name: str, qid: str, option: str, operator: str, value: str) -> str:
        """An option of a multiple-choice question compared with "Y" (checked) or "" (not checked)."""
        if self.type_of.get(qid) not in _SUBQUESTION_CHOICES or operator not in ("=", "!="):
            raise _Untranslatable(_("only options of a multiple-choice question can be tested"))
        if value not in ("Y", ""):
            raise _Untranslatable(_("an option can only be compared with “Y” or “”"))
        checked = (value == "Y") == (operator == "=")
        test = f"selected(${{{name}}}, {_literal(option)})"
        return test if checked else f"not({test})"

    def resolve(self, variable: str) -> tuple[str, str, str]:
        """(question name, qid, option code or "") for an ExpressionScript variable such as ``Q1_SQ001.NAOK``."""
        base, _dot, suffix = variable.partition(".")
        if suffix not in ("", "NAOK", "value", "code", "valueNAOK"):
            raise _Untranslatable(_("“%(variable)s” is not an answer") % {"variable": variable})
        if base in self.qid_by_title:
            qid = self.qid_by_title[base]
            return self.name_of.get(qid, base), qid, ""
        sgqa = _SGQA.match(base)
        if sgqa:
            numeric = base[sgqa.end():]  # 12345X6X7 or, for an option, 12345X6X7SQ001
        elif re.fullmatch(r"Q\d+", base):
            numeric = base[1:]  # Q7: question 7
        else:
            numeric = ""
        for qid in sorted(self.questions, key=len, reverse=True):
            if numeric.startswith(qid):
                return self.name_of.get(qid, self.questions[qid].get("title", qid)), qid, numeric[len(qid):]
        question_title, _underscore, option = base.rpartition("_")
        if question_title in self.qid_by_title and option:
            qid = self.qid_by_title[question_title]
            return self.name_of.get(qid, question_title), qid, option
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", base):
            raise _Untranslatable(_("“%(variable)s” is not an answer") % {"variable": variable})
        return base, "", ""  # an unknown code: the check reports it as a question that was not imported


def _literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    raise _Untranslatable(_("the text holds both kinds of quotation mark"))


def _grouped(tests: list[str]) -> str:
    """Tests of which one must hold, parenthesised when there are several so that "and" cannot split them."""
    return tests[0] if len(tests) == 1 else "(" + " or ".join(tests) + ")"


def _describe_conditions(rows: Iterable[Mapping[str, str]]) -> str:
    return "; ".join(f"{row.get('cfieldname', '')} {row.get('method', '')} {row.get('value', '')}" for row in rows)


# --- ExpressionScript ---------------------------------------------------------------------------------------

_SCRIPT_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<word>\d+X\d+X[A-Za-z0-9_.]+|[A-Za-z_][A-Za-z0-9_.]*)  # a code, or the SGQA form 12345X6X7
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<text>"[^"\\]*"|'[^'\\]*')
  | (?P<operator>==|!=|<=|>=|&&|\|\||<|>|!|\(|\)|,)
""", re.VERBOSE)
_WORD_OPERATORS = {"and": "&&", "or": "||", "not": "!", "eq": "==", "ne": "!=", "lt": "<", "le": "<=",
                   "gt": ">", "ge": ">="}
_COMPARISONS = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


@dataclass(frozen=True)
class _Operand:
    text: str  # in Evidens's condition language
    option: tuple[str, str, str] | None = None  # (question name, qid, option code) of a multiple-choice option


class _ExpressionScript:
    """A small recursive-descent translator from LimeSurvey's ExpressionScript to Evidens's condition language."""

    def __init__(self, text: str, reader: _Reader) -> None:
        self.reader = reader
        self.tokens: list[tuple[str, str]] = []
        stripped = text.strip()
        if stripped.startswith("{") and stripped.endswith("}"):
            stripped = stripped[1:-1]
        position = 0
        while position < len(stripped):
            match = _SCRIPT_TOKEN.match(stripped, position)
            if match is None:
                raise _Untranslatable(_("“%(text)s” has no counterpart in Evidens") % {"text": stripped[position:]})
            kind, value = match.lastgroup or "", match.group(0)
            if kind == "word" and value.lower() in _WORD_OPERATORS:
                kind, value = "operator", _WORD_OPERATORS[value.lower()]
            if kind != "space":
                self.tokens.append((kind, value))
            position = match.end()
        self.tokens.append(("end", ""))
        self.index = 0

    def translated(self) -> str:
        text = self.disjunction()
        if self.tokens[self.index][0] != "end":
            raise _Untranslatable(_("“%(text)s” has no counterpart in Evidens") % {"text": self.tokens[self.index][1]})
        return text

    def take(self, value: str) -> bool:
        if self.tokens[self.index] == ("operator", value):
            self.index += 1
            return True
        return False

    def disjunction(self) -> str:
        parts = [self.conjunction()]
        while self.take("||"):
            parts.append(self.conjunction())
        return " or ".join(parts)

    def conjunction(self) -> str:
        parts = [self.negation()]
        while self.take("&&"):
            parts.append(self.negation())
        return " and ".join(parts)

    def negation(self) -> str:
        if self.take("!"):
            return f"not({self.negation()})"
        return self.comparison()

    def comparison(self) -> str:
        left = self.operand()
        kind, value = self.tokens[self.index]
        if kind != "operator" or value not in _COMPARISONS:
            if left.option is not None:
                name, qid, option = left.option
                return self.reader.option_test(name, qid, option, "=", "Y")
            return left.text
        self.index += 1
        right = self.operand()
        operator = _COMPARISONS[value]
        for option_side, other in ((left, right), (right, left)):
            if option_side.option is not None:
                name, qid, option = option_side.option
                return self.reader.option_test(name, qid, option, operator, other.text.strip("'\""))
        return f"{left.text} {operator} {right.text}"

    def operand(self) -> _Operand:
        kind, value = self.tokens[self.index]
        self.index += 1
        if kind == "number":
            return _Operand(value)
        if kind == "text":
            return _Operand(_literal(value[1:-1]))
        if (kind, value) == ("operator", "("):
            inner = self.disjunction()
            if not self.take(")"):
                raise _Untranslatable(_("a parenthesis is not closed"))
            return _Operand(f"({inner})")
        if kind == "word" and value == "is_empty" and self.take("("):
            argument = self.operand()
            if not self.take(")"):
                raise _Untranslatable(_("a parenthesis is not closed"))
            if argument.option is not None:
                name, qid, option = argument.option
                return _Operand(self.reader.option_test(name, qid, option, "=", ""))
            return _Operand(f"{argument.text} = ''")
        if kind == "word" and self.tokens[self.index] == ("operator", "("):
            raise _Untranslatable(_("the function “%(function)s()” has no counterpart in Evidens")
                                  % {"function": value})
        if kind == "word":
            name, qid, option = self.reader.resolve(value)
            if option:
                return _Operand("", (name, qid, option))
            return _Operand(f"${{{name}}}")
        raise _Untranslatable(_("“%(text)s” has no counterpart in Evidens") % {"text": value or "…"})

