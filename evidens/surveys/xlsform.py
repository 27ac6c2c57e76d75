"""XLSForm workbooks in and out: ``read_xlsform`` builds a ``SurveyDefinition``, ``write_xlsform`` writes one.

Reading goes through pyxform, so a workbook ODK and KoboToolbox accept reads the same here, and a broken one
is refused with pyxform's own diagnosis (sheet, row, column) wrapped in a ``SurveyFileError``.

How the workbook maps onto a questionnaire (``inspection.XLSFORM_TYPES`` is the type table):

- A top-level group (or repeat) becomes a section; its label is the section title, its hint the description
  and its ``relevant`` the section's condition. Questions outside any group go into sections of their own,
  one for each run of them, listed in ``ImportResult.implicit_sections``. A group inside a group is merged
  into its section, its condition joined to each of its questions' conditions. A repeat is asked once.
- A group of ``select_one`` rows on one list, with a first row of appearance ``label`` (the header) and the
  others of appearance ``list-nolabel`` — the XLSForm way of drawing a table — becomes one matrix question:
  the header gives the text and the rows the statements. ``select_one`` with appearance ``likert`` becomes a
  Likert question, and a choice with the value ``dont_know`` becomes its "don't know" option.
- ``or_other`` becomes the "Andet, skriv:" option (pyxform's generated text field and "other" choice are not
  imported). Choices from a CSV file (``select_one_from_file``) are read when the file lies next to the
  workbook; otherwise the question is left out and reported.
- A number constraint of the form ``. >= a and . <= b`` becomes the question's smallest and largest number.
- Texts are kept in every language. A column like ``label::English (en)`` (or the older ``label:English (en)``)
  is the language with the code in parentheses; a column named only by a language ("english") is matched
  against Django's language names; unsuffixed columns are in the form's ``default_language``, else in the first
  language the form names, else Danish ("da") — Evidens's installation language, the likeliest one of a form
  without language columns.
- Conditions are kept as written when Evidens's condition language (``expressions``) can evaluate them;
  any other is left out with a note naming the question and the expression.

``write_xlsform`` writes the survey, choices and settings sheets with ``label::<Language> (<code>)`` columns.
Every type reads back as itself, except: a Net Promoter Score is written as an integer with the constraint
``. >= 0 and . <= 10`` and reads back as an integer from 0 to 10; the title is written in the first language
only; the introduction, thanks and privacy texts have no place in an XLSForm and are not written.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from django.conf.locale import LANG_INFO
from django.utils.translation import gettext as _
from openpyxl import Workbook
from pyxform import aliases
from pyxform.errors import PyXFormError
from pyxform.xls2json import RE_SELECT, workbook_to_json
from pyxform.xls2json_backends import DefinitionData, get_xlsform

from evidens.surveys import expressions
from evidens.surveys.definition import (
    DATE,
    DECIMAL,
    DONT_KNOW,
    DONT_KNOW_LABEL,
    INFORMATION,
    LIKERT,
    LONG_TEXT,
    MATRIX,
    MULTIPLE_CHOICE,
    NPS,
    NUMBER_TYPES,
    OTHER,
    RANKING,
    SHORT_TEXT,
    SINGLE_CHOICE,
    Choice,
    Item,
    Question,
    Section,
    SurveyDefinition,
    Text,
    text_in,
)
from evidens.surveys.inspection import (
    CHANGED,
    UNSUPPORTED,
    WARNING,
    XLSFORM_MATRIX,
    XLSFORM_TYPES,
    ImportNote,
    ImportResult,
    NameBook,
    SurveyFileError,
    checked_condition,
    identifier,
    item_names,
    piping_noted,
    reserved_value_notes,
    type_changed,
    type_left_out,
    unreadable,
    unwrapped,
)
from evidens.text.ziparchive import ZipArchiveError, ZipTooLarge, check_members

DEFAULT_LANGUAGE = "da"
# A workbook is unpacked by openpyxl: these keep a zip bomb from being inflated into memory.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 10_000

# pyxform's JSON spells some types differently from the survey sheet; the type table uses the sheet's words.
_SHEET_SPELLING = {
    "select one": "select_one",
    "select all that apply": "select_multiple",
    "select one external": "select_one_external",
    "photo": "image",
    "dateTime": "datetime",
    "trigger": "acknowledge",
}
_APPROXIMATE_TYPES = frozenset({"phone number", "range"})  # imported, but without their own input rules
_EXTERNAL_CHOICES = (".csv", ".xml", ".geojson")
_PYXFORM_HEADER = "reserved_name_for_field_list_labels_"  # the header row pyxform adds to a table-list group
_PIPING = re.compile(r"\$\{[^}]*\}")

# JSON keys of a question that the import carries over; any other is reported under its column name.
_KEPT_KEYS = frozenset({"type", "name", "label", "hint", "bind", "control", "choices", "itemset", "list_name",
                        "parameters", "choice_filter"})
_KEPT_BIND = frozenset({"required", "relevant", "constraint", "jr:constraintMsg"})
_COLUMN_NAMES = {
    "readonly": "read_only", "calculate": "calculation", "jr:requiredMsg": "required_message",
    "jr:noAppErrorString": "no_app_error_string", "jr:count": "repeat_count",
}
_BOUND = re.compile(r"^\s*\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*(?:\band\b\s*|$)")


# --- reading ---------------------------------------------------------------------------------------------


def read_xlsform(source: str | Path | bytes) -> ImportResult:
    """The questionnaire in an XLSForm workbook (a path or the file's bytes), with a report of what changed."""
    if isinstance(source, bytes):
        data, folder, stem = source, None, None
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise unreadable(path, error) from error
        folder, stem = path.parent, path.stem
    try:
        check_members(data, max_members=MAX_MEMBERS, max_bytes=MAX_UNPACKED_BYTES)
    except ZipTooLarge as error:
        raise SurveyFileError(_("The XLSForm file unpacks to more than %(megabytes)s MB; it cannot be read.")
                              % {"megabytes": MAX_UNPACKED_BYTES // (1024 * 1024)}) from error
    except ZipArchiveError as error:
        raise SurveyFileError(_file_error(str(error), {})) from error
    try:
        workbook = get_xlsform(data, file_type=".xlsx")
    except PyXFormError as error:
        raise SurveyFileError(_file_error(str(error), error.context)) from error
    except Exception as error:  # openpyxl lets many kinds through for a damaged workbook (XML, value, index errors)
        raise SurveyFileError(_file_error(str(error), {})) from error
    try:
        workbook, or_other = _without_or_other(workbook)
        warnings: list[str] = []
        form = workbook_to_json(workbook_dict=workbook, fallback_form_name=stem, warnings=warnings)
    except PyXFormError as error:
        raise SurveyFileError(_file_error(str(error), error.context)) from error
    settings = (workbook.settings or [{}])[0]
    title = settings.get("form_title") or settings.get("set_form_title") or stem or _("Imported survey")
    return _Reader(form, or_other=or_other, folder=folder, warnings=warnings).result(str(title))


def _without_or_other(workbook: DefinitionData) -> tuple[DefinitionData, set[str]]:
    """The workbook with "or_other" cut from select types, and the names of those questions.

    pyxform would add an "other" choice to the shared list (so to every question using it) and a text question
    of its own; Evidens has an "other" option per question instead.
    """
    or_other: set[str] = set()
    rows = []
    for row in workbook.survey or []:
        match = RE_SELECT.match(str(row.get("type", "")))
        if match and match.group("specify_other"):
            row = {**row, "type": row["type"][: match.start("specify_other")].rstrip()}
            or_other.add(str(row.get("name", "")))
        rows.append(row)
    return dataclasses.replace(workbook, survey=rows), or_other


def _file_error(detail: str, context: Mapping[str, Any]) -> str:
    """A Danish-translatable message that names the sheet, row and column where pyxform names them."""
    row = context.get("row") or _first(r"\[row\s*:\s*(\d+)\]", detail)
    sheet = context.get("sheet") or _first(r"On the '([^']+)' sheet", detail)
    column = context.get("column") or _first(r"the '([^']+)' value", detail)
    places = []
    if sheet:
        places.append(_("sheet “%(sheet)s”") % {"sheet": sheet})
    if row:
        places.append(_("row %(row)s") % {"row": row})
    if column:
        places.append(_("column “%(column)s”") % {"column": column})
    if places:
        return _("The XLSForm file has an error in %(place)s: %(detail)s") % {"place": ", ".join(places),
                                                                             "detail": detail}
    return _("The XLSForm file cannot be read: %(detail)s") % {"detail": detail}


def _first(pattern: str, text: str) -> str | None:
    match = re.search(pattern, text)
    return match.group(1) if match else None


def _language_code(name: str) -> str | None:
    """The language code of a column language like "English (en)", "english" or "de"; None if none is known."""
    match = re.search(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)\s*\)\s*$", name)
    if match:
        return match.group(1)
    lowered = name.strip().lower()
    if lowered in LANG_INFO and "name" in LANG_INFO[lowered]:
        return lowered
    return next((code for code, info in LANG_INFO.items()
                 if lowered in (str(info.get("name", "")).lower(), str(info.get("name_local", "")).lower())), None)


def _language_names(node: Any) -> Iterator[str]:
    """Every language a form's texts name, in the order they appear (which is the order of the columns)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "hint", "jr:constraintMsg") and isinstance(value, dict):
                yield from value
            else:
                yield from _language_names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _language_names(item)


def _appearance(node: Mapping[str, Any]) -> list[str]:
    return str((node.get("control") or {}).get("appearance", "")).split()


class _Reader:
    """One pass over pyxform's JSON form, collecting sections, questions and the report."""

    def __init__(self, form: dict[str, Any], *, or_other: set[str], folder: Path | None,
                 warnings: list[str]) -> None:
        self.form = form
        self.or_other = or_other
        self.folder = folder
        self.report: list[ImportNote] = [
            ImportNote("", _("The XLSForm converter warns: %(warning)s") % {"warning": warning}, WARNING)
            for warning in warnings]
        self.question_names = NameBook(self.report)
        self.section_names = NameBook(self.report)
        self.sections: list[Section] = []
        self.implicit: set[str] = set()
        self.loose: Section | None = None  # the implicit section that takes questions outside groups
        # (object, attribute, condition as written, where, is a constraint): checked once every name is known
        self.conditions: list[tuple[Question | Section, str, str, str, bool]] = []
        self._set_languages()

    # languages

    def _set_languages(self) -> None:
        explicit: dict[str, str] = {}  # language name in the file → code
        for name in _language_names(self.form.get("children", [])):
            if name != "default" and name not in explicit:
                explicit[name] = self._code_for(name)
        configured = str(self.form.get("default_language") or "default")
        if configured != "default":
            self.default = explicit.get(configured) or self._code_for(configured)
        else:
            self.default = next(iter(explicit.values()), DEFAULT_LANGUAGE)
        self.codes = {**explicit, "default": self.default}
        self.languages = list(dict.fromkeys([self.default, *explicit.values()]))

    def _code_for(self, name: str) -> str:
        code = _language_code(name)
        if code is None:
            code = identifier(name.strip().lower(), fallback=DEFAULT_LANGUAGE)
            self.report.append(ImportNote("", _("The language “%(language)s” has no language code; its texts "
                                                "are kept under “%(code)s”.") % {"language": name, "code": code},
                                          WARNING))
        return code

    def text(self, value: Any) -> Text:
        if value is None or value == "":
            return {}
        if not isinstance(value, dict):
            return {self.default: str(value)}
        text: Text = {}
        for name, content in value.items():  # an explicit language wins over the unsuffixed column
            code = self.codes.get(name, self.default)
            if content and (name != "default" or code not in text):
                text[code] = str(content)
        return text

    # the walk

    def result(self, title: str) -> ImportResult:
        for node in self._top_level_nodes():
            if node["type"] in ("group", "repeat") and self._matrix_rows(node) is None:
                self.loose = None
                self._group_section(node)
            else:
                self._add(self._loose_section(), node, "")
        self._check_conditions()
        definition = SurveyDefinition(
            title={self.default: title},
            sections=[section for section in self.sections if section.questions],
            languages=self.languages,
        )
        self.report.extend(reserved_value_notes(definition))
        implicit = {section.name for section in definition.sections if section.name in self.implicit}
        return ImportResult(definition=definition, report=self.report, implicit_sections=implicit)

    def _top_level_nodes(self) -> Iterator[Mapping[str, Any]]:
        """The form's rows, with the "meta" group pyxform adds opened up: it moves rows such as "audit" there."""
        for node in self.form.get("children", []):
            if node.get("name") == "meta" and (node.get("control") or {}).get("bodyless"):
                yield from (child for child in node.get("children", []) if child.get("name") != "instanceID")
            else:
                yield node

    def _is_generated(self, node: Mapping[str, Any]) -> bool:
        """The header row pyxform adds to a table-list group."""
        return str(node.get("name", "")).startswith(_PYXFORM_HEADER)

    def _loose_section(self) -> Section:
        if self.loose is None:
            name = self.section_names.free(f"section_{len(self.sections) + 1}")
            self.loose = Section(name=name, title={})
            self.sections.append(self.loose)
            self.implicit.add(name)
        return self.loose

    def _group_section(self, node: Mapping[str, Any]) -> None:
        section = Section(name=self.section_names.assign(node["name"]), title=self.text(node.get("label")),
                          description=self.text(node.get("hint")))
        self.sections.append(section)
        self._repeat_noted(node)
        self._condition(section, "relevance", (node.get("bind") or {}).get("relevant", ""), node["name"], False)
        for child in node.get("children", []):
            self._add(section, child, "")

    def _repeat_noted(self, node: Mapping[str, Any]) -> None:
        if node["type"] == "repeat":
            self.report.append(ImportNote(node["name"], _(
                "The repeat “%(name)s” was imported as ordinary questions: Evidens asks them once.")
                % {"name": node["name"]}, UNSUPPORTED))

    def _add(self, section: Section, node: Mapping[str, Any], inherited: str) -> None:
        """Add the question (or the questions of the group) ``node`` to ``section``."""
        if self._is_generated(node):
            return
        relevance = _joined(inherited, (node.get("bind") or {}).get("relevant", ""))
        if node["type"] in ("group", "repeat"):
            rows = self._matrix_rows(node)
            if rows is not None:
                section.questions.append(self._matrix(node, rows, relevance))
                return
            self._repeat_noted(node)
            if node["type"] == "group":
                self.report.append(ImportNote(node["name"], _(
                    "The group “%(name)s” inside another group was merged into the section “%(section)s”.")
                    % {"name": node["name"], "section": section.name}, CHANGED))
            for child in node.get("children", []):
                self._add(section, child, relevance)
            return
        question = self._question(node, relevance)
        if question is not None:
            section.questions.append(question)

    def _file_type(self, node: Mapping[str, Any]) -> str:
        """The row's type as the type table spells it, with the appearances that change the Evidens type."""
        file_type = _SHEET_SPELLING.get(node["type"], node["type"])
        if file_type in ("select_one", "select_multiple") and str(node.get("itemset", "")).endswith(
                _EXTERNAL_CHOICES):
            file_type += "_from_file"
        appearance = _appearance(node)
        if file_type == "select_one" and "likert" in appearance:
            return "select_one (appearance likert)"
        if file_type in ("text", "string") and "multiline" in appearance:
            return f"{file_type} (appearance multiline)"
        return file_type

    def _question(self, node: Mapping[str, Any], relevance: str) -> Question | None:
        where = str(node["name"])
        file_type = self._file_type(node)
        evidens_type = XLSFORM_TYPES.get(file_type)
        if evidens_type is None:
            self.report.append(ImportNote(where, type_left_out(file_type), UNSUPPORTED))
            return None
        choices = self._choices(node)
        if choices is None:
            return None
        bind = node.get("bind") or {}
        if "label" in _appearance(node) and file_type == "select_one":
            evidens_type = INFORMATION  # a table's header row outside a table: only its text remains
            self.report.append(ImportNote(where, _(
                "The header row “%(name)s” of a table was imported as an information text.") % {"name": where},
                CHANGED))
        elif file_type in _APPROXIMATE_TYPES:
            self.report.append(ImportNote(where, type_changed(file_type, evidens_type), CHANGED))
        question = Question(name=self.question_names.assign(where), type=evidens_type,
                            label=self.text(node.get("label")), hint=self.text(node.get("hint")),
                            required=evidens_type != INFORMATION and self._required(where, bind.get("required")),
                            constraint_message=self.text(bind.get("jr:constraintMsg")))
        if evidens_type == RANKING:
            question.items = [Item(name, choice.label) for name, choice in
                              zip(item_names([choice.value for choice in choices], where, self.report), choices,
                                  strict=True)]
        elif evidens_type != INFORMATION:
            question.choices = choices
            question.other = where in self.or_other and evidens_type in (SINGLE_CHOICE, MULTIPLE_CHOICE)
            self._special_choices(question)
        if where in self.or_other and not question.other:
            self.report.append(ImportNote(where, _(
                "“or_other” was left out: only single and multiple choice questions have an “other” option."),
                UNSUPPORTED))
        if file_type == "range":
            parameters = node.get("parameters") or {}
            question.minimum, question.maximum = _number(parameters.get("start")), _number(parameters.get("end"))
        constraint = str(bind.get("constraint", ""))
        if evidens_type in NUMBER_TYPES:
            question.minimum, question.maximum, constraint = _bounds(constraint, question.minimum,
                                                                     question.maximum)
        self._condition(question, "relevance", relevance, where, False)
        self._condition(question, "constraint", constraint, where, True)
        self._left_out_columns(where, node)
        self._piping_noted(where, question.label, question.hint)
        return question

    def _required(self, where: str, value: Any) -> bool:
        if value is None or value == "":
            return False
        if str(value) in aliases.yes_no:
            return aliases.yes_no[str(value)]
        self.report.append(ImportNote(where, _(
            "The answer is required only when “%(expression)s” holds; Evidens cannot do that, so the question "
            "is optional.") % {"expression": value}, UNSUPPORTED))
        return False

    def _choices(self, node: Mapping[str, Any]) -> list[Choice] | None:
        """The question's choices; None (and a note) when they live in a file that cannot be read."""
        where = str(node["name"])
        if node.get("choice_filter"):
            self.report.append(ImportNote(where, _(
                "The choice filter “%(filter)s” was left out: every choice is shown.")
                % {"filter": node["choice_filter"]}, UNSUPPORTED))
        itemset = str(node.get("itemset", ""))
        if not itemset.endswith(_EXTERNAL_CHOICES):
            return self._distinct(where, [
                Choice(str(choice["name"]), self.text(choice.get("label")) or {self.default: str(choice["name"])})
                for choice in node.get("choices") or []])
        path = self.folder / itemset if self.folder is not None else None
        if path is None or not path.is_file():
            self.report.append(ImportNote(where, _(
                "The choices come from the file “%(file)s”, which is not included; the question was left out.")
                % {"file": itemset}, UNSUPPORTED))
            return None
        if path.suffix != ".csv":
            self.report.append(ImportNote(where, _(
                "The choices come from the file “%(file)s”, which Evidens cannot read; the question was left out.")
                % {"file": itemset}, UNSUPPORTED))
            return None
        return self._distinct(where, self._csv_choices(path))

    def _distinct(self, where: str, choices: list[Choice]) -> list[Choice]:
        """The choices with each value once: a list may repeat values that its choice filter told apart."""
        distinct: dict[str, Choice] = {}
        for choice in choices:
            if choice.value in distinct:
                self.report.append(ImportNote(where, _(
                    "The choice value “%(value)s” appears more than once; only the first was kept.")
                    % {"value": choice.value}, CHANGED))
            else:
                distinct[choice.value] = choice
        return list(distinct.values())

    def _csv_choices(self, path: Path) -> list[Choice]:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        choices = []
        for row in rows:
            labels = {re.split(r"::?", key, maxsplit=1)[1] if ":" in key else "default": value
                      for key, value in row.items() if key and key.split(":")[0] == "label" and value}
            choices.append(Choice(row.get("name", ""), self.text(labels) or {self.default: row.get("name", "")}))
        return choices

    def _special_choices(self, question: Question) -> None:
        """Choices that stand for Evidens's own options: "other" beside or_other, and "dont_know"."""
        if question.other:
            question.choices = [choice for choice in question.choices if choice.value != OTHER]
        if question.type != MULTIPLE_CHOICE and any(choice.value == DONT_KNOW for choice in question.choices):
            question.choices = [choice for choice in question.choices if choice.value != DONT_KNOW]
            question.dont_know = True
            self.report.append(ImportNote(question.name, _(
                "The choice “%(value)s” became Evidens's own “don't know” option.") % {"value": DONT_KNOW},
                CHANGED))

    def _matrix_rows(self, node: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
        """The statement rows when ``node`` is a group drawn as a table of select_one rows, else None."""
        if node["type"] != "group":
            return None
        children = node.get("children") or []
        if len(children) < 3:
            return None
        header, rows = children[0], children[1:]
        header_list = header.get("list_name") or header.get("itemset")
        if header["type"] != "select one" or "label" not in _appearance(header):
            return None
        for row in rows:
            bind = row.get("bind") or {}
            if (row["type"] != "select one" or "list-nolabel" not in _appearance(row)
                    or (row.get("list_name") or row.get("itemset")) != header_list
                    or bind.get("relevant") or bind.get("constraint") or row.get("choice_filter")
                    or row["name"] in self.or_other):
                return None
        return rows

    def _matrix(self, node: Mapping[str, Any], rows: list[Mapping[str, Any]], relevance: str) -> Question:
        where = str(node["name"])
        header = node["children"][0]
        self.report.append(ImportNote(where, _("The group “%(name)s” was imported as one matrix question.")
                                      % {"name": where}, CHANGED))
        prefix = f"{where}_"
        row_names = [str(row["name"]) for row in rows]
        if all(name.startswith(prefix) and len(name) > len(prefix) for name in row_names):
            row_names = [name[len(prefix):] for name in row_names]
        question = Question(
            name=self.question_names.assign(where), type=str(XLSFORM_TYPES[XLSFORM_MATRIX]),
            label=self.text(header.get("label")) or self.text(node.get("label")),
            hint=self.text(header.get("hint")),
            required=all(self._required(str(row["name"]), (row.get("bind") or {}).get("required")) for row in rows),
            choices=self._choices(rows[0]) or [],
            items=[Item(name, self.text(row.get("label"))) for name, row in
                   zip(item_names(row_names, where, self.report), rows, strict=True)],
        )
        self._special_choices(question)
        self._condition(question, "relevance", relevance, where, False)
        self._piping_noted(where, question.label, question.hint)
        return question

    def _left_out_columns(self, where: str, node: Mapping[str, Any]) -> None:
        columns = [key for key in node if key not in _KEPT_KEYS and key != "media"]
        columns += list(node.get("media") or {})
        columns += [_COLUMN_NAMES.get(key, key) for key in node.get("bind") or {} if key not in _KEPT_BIND]
        columns += [_COLUMN_NAMES.get(key, key) for key in node.get("control") or {} if key != "appearance"]
        if node.get("parameters") and node["type"] != "range":
            columns.append("parameters")
        if columns:
            self.report.append(ImportNote(where, _("These columns were left out: %(columns)s.")
                                          % {"columns": ", ".join(columns)}, UNSUPPORTED))

    def _piping_noted(self, where: str, *texts: Text) -> None:
        references = sorted({found for text in texts for value in text.values() for found in _PIPING.findall(value)})
        if references:
            self.report.append(piping_noted(where, references))

    # conditions

    def _condition(self, target: Question | Section, attribute: str, text: str, where: str,
                   constraint: bool) -> None:
        if str(text).strip():
            self.conditions.append((target, attribute, str(text), where, constraint))

    def _check_conditions(self) -> None:
        """Rename references to renamed questions, then keep each condition Evidens can evaluate."""
        renamed = self.question_names.renamed

        def rename(match: re.Match[str]) -> str:
            return "${" + renamed.get(match.group(1), match.group(1)) + "}"

        known = self.question_names.taken
        for target, attribute, text, where, constraint in self.conditions:
            condition = re.sub(r"\$\{\s*([^}]*?)\s*\}", rename, text)
            setattr(target, attribute, checked_condition(condition, where=where, constraint=constraint,
                                                         known=known, report=self.report))


def _joined(first: str, second: str) -> str:
    """Two conditions that must both hold, as one."""
    if not str(first).strip():
        return str(second)
    if not str(second).strip():
        return str(first)
    return f"({first}) and ({second})"


def _number(text: Any) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _bounds(constraint: str, minimum: float | None, maximum: float | None) -> tuple[float | None, float | None, str]:
    """The leading ``. >= a`` and ``. <= b`` of a number constraint as minimum and maximum, and what remains."""
    remainder = constraint
    while match := _BOUND.match(remainder):
        rest = remainder[match.end():]
        if rest.strip() and not _stands_alone(rest):
            break
        if match.group(1) == ">=":
            minimum = float(match.group(2))
        else:
            maximum = float(match.group(2))
        remainder = rest
    return minimum, maximum, unwrapped(remainder)


def _stands_alone(text: str) -> bool:
    """Whether ``text`` after "x and" still means the same on its own: wrapped in parentheses or without "or"."""
    stripped = text.strip()
    try:
        node = expressions.parse(stripped)
    except expressions.ExpressionError:
        return False
    return unwrapped(stripped) != stripped or not (isinstance(node, expressions.Logical) and node.operator == "or")


# --- writing ---------------------------------------------------------------------------------------------


def write_xlsform(definition: SurveyDefinition) -> bytes:
    """An XLSForm workbook (survey, choices and settings sheets) holding ``definition``."""
    languages = definition.languages or [DEFAULT_LANGUAGE]
    columns = {code: _column_language(code) for code in languages}
    writer = _SheetWriter(columns)
    for section in definition.sections:
        group = identifier(section.name, fallback="section")  # XLSForm names are stricter than section names
        writer.row("begin_group", group, label=section.title, hint=section.description, relevant=section.relevance)
        for question in section.questions:
            writer.question(question)
        writer.row("end_group", group)
    workbook = Workbook()
    survey = workbook.active
    assert survey is not None  # a new workbook always has a sheet
    survey.title = "survey"
    writer.fill(survey, workbook.create_sheet("choices"))
    settings = workbook.create_sheet("settings")
    title = text_in(definition.title, languages[0])
    settings.append(["form_title", "form_id", "default_language"])
    settings.append([title, identifier(title, fallback="survey"), columns[languages[0]]])
    for sheet in workbook.worksheets:
        for cells in sheet.iter_rows():
            for cell in cells:
                if cell.data_type == "f":  # a text that starts with "=" is text, not a formula to run
                    cell.data_type = "s"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _column_language(code: str) -> str:
    """ "English (en)": how an XLSForm column names a language, so that tools show its name and know its code."""
    info = LANG_INFO.get(code)
    return f"{info['name']} ({code})" if info and "name" in info else code


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


class _SheetWriter:
    """Collects the rows of the survey and choices sheets."""

    def __init__(self, columns: dict[str, str]) -> None:
        self.columns = columns
        self.survey: list[dict[str, str]] = []
        self.choices: list[dict[str, str]] = []

    def row(self, row_type: str, name: str, *, label: Text | None = None, hint: Text | None = None,
            constraint_message: Text | None = None, **values: str) -> None:
        row = {"type": row_type, "name": name, **{key: value for key, value in values.items() if value}}
        for column, text in (("label", label), ("hint", hint), ("constraint_message", constraint_message)):
            for code, content in (text or {}).items():
                if code in self.columns and content:
                    row[f"{column}::{self.columns[code]}"] = content
        self.survey.append(row)

    def choice_list(self, list_name: str, choices: list[tuple[str, Text]]) -> None:
        for value, label in choices:
            row = {"list_name": list_name, "name": value}
            row.update({f"label::{self.columns[code]}": text for code, text in label.items()
                        if code in self.columns and text})
            self.choices.append(row)

    def question(self, question: Question) -> None:
        name = question.name
        choices = [(choice.value, choice.label) for choice in question.choices]
        if question.dont_know:
            choices.append((DONT_KNOW, DONT_KNOW_LABEL))
        common: dict[str, Any] = {"label": question.label, "hint": question.hint,
                                  "required": "yes" if question.required else "", "relevant": question.relevance}
        if question.type == MATRIX:
            rows = {f"{name}_{item.name}" for item in question.items}
            header = f"{name}_header"
            while header in rows:  # a statement called "header"
                header += "_"
            self.row("begin_group", name, appearance="field-list", relevant=question.relevance)
            self.row(f"select_one {name}", header, label=question.label, hint=question.hint, appearance="label")
            for item in question.items:
                self.row(f"select_one {name}", f"{name}_{item.name}", label=item.label,
                         required=common["required"], appearance="list-nolabel")
            self.row("end_group", name)
            self.choice_list(name, choices)
            return
        other = " or_other" if question.other else ""
        if question.type in (SINGLE_CHOICE, LIKERT, MULTIPLE_CHOICE):
            select = "select_multiple" if question.type == MULTIPLE_CHOICE else "select_one"
            self.row(f"{select} {name}{other}", name, appearance="likert" if question.type == LIKERT else "",
                     constraint=question.constraint, constraint_message=question.constraint_message, **common)
            self.choice_list(name, choices)
        elif question.type == RANKING:
            self.row(f"rank {name}", name, **common)
            self.choice_list(name, [(item.name, item.label) for item in question.items])
        elif question.type in NUMBER_TYPES:
            minimum, maximum = (0, 10) if question.type == NPS else (question.minimum, question.maximum)
            bounds = [f". {operator} {_number_text(bound)}" for operator, bound in ((">=", minimum), ("<=", maximum))
                      if bound is not None]
            if question.constraint:
                bounds.append(f"({question.constraint})" if bounds else question.constraint)
            self.row("decimal" if question.type == DECIMAL else "integer", name, constraint=" and ".join(bounds),
                     constraint_message=question.constraint_message, **common)
        else:
            row_type = {SHORT_TEXT: "text", LONG_TEXT: "text", DATE: "date", INFORMATION: "note"}[question.type]
            if question.type == INFORMATION:
                common["required"] = ""
            self.row(row_type, name, appearance="multiline" if question.type == LONG_TEXT else "",
                     constraint=question.constraint, constraint_message=question.constraint_message, **common)

    def fill(self, survey_sheet: Any, choices_sheet: Any) -> None:
        for sheet, rows, first in ((survey_sheet, self.survey, ["type", "name"]),
                                   (choices_sheet, self.choices, ["list_name", "name"])):
            header = list(dict.fromkeys([*first, *(key for row in rows for key in row)]))
            sheet.append(header)
            for row in rows:
                sheet.append([row.get(column, "") for column in header])
