"""Survey responses as data files: CSV and XLSX to read, SPSS ``.sav`` to analyse, each with its codebook.

One list of columns (``variables``) serves every format, so a column means the same in all three:

    reference, status, version, submitted_on, segment   the response itself (status 1 = complete, 2 = partial)
    name, email, organisation                           who answered: only when some response is identified
    single_choice, likert     one number; a choice whose value is a whole number keeps it as its code (all or
                              none of a question's choices do), else the choices are numbered 1..n in order;
                              "Andet" is the code after the highest, with its text in ``<name>_other``
    multiple_choice           ``<name>_<value>`` per choice, 0 = not chosen, 1 = chosen (all empty when nothing
                              is chosen; all the "Ved ikke" code when that is); ``<name>_other`` text
    matrix                    ``<name>_<item>`` per statement, coded as a single choice on the shared scale
    ranking                   ``<name>_<item>`` per entry: its place, 1 = first; empty for an entry not ranked
    nps, integer, decimal     the number;  short_text, long_text: the text;  date: a date
    information               no column

Three kinds of missing:

    empty (system missing)    not answered
    9 (99, 999, ...)          "Ved ikke": the first of these that is not already a code of the scale
    8 (98, 998, ...)          not asked: skip logic hid the question. Only coded columns of questions with a
                              condition get this code; other columns of a hidden question stay empty.

"Ved ikke" and "not asked" are value labels and declared user-missing in the ``.sav``. Whether a question
was hidden is worked out from the response's answers with the form's own conditions, so an answer kept
from before the respondent changed an earlier one is not exported. In an unfinished response a condition
that reads an unanswered question is undecided (the respondent may have stopped before it): empty, not 8.

CSV and XLSX show the label of a coded value ("Helt enig", "Ved ikke"); the ``.sav`` holds the codes with
their labels. The CSV is for Danish Excel: UTF-8 with a byte order mark, ``;`` between columns and ``,`` as
the decimal separator (Excel in Danish reads ``,`` as the decimal comma), dates as YYYY-MM-DD, and a text
that would start a formula is prefixed with an apostrophe.

Variable names are valid in SPSS: ASCII letters, digits and ``_`` (Æ Ø Å become AE OE AA), beginning with
a letter, at most 64 bytes, no reserved word, and unique ignoring case (a later one gets ``_2``, ``_3``, ...).
``Variable.question`` keeps which question a column answers.

``export_csv`` and ``export_xlsx`` write to a binary stream, ``export_sav`` to a path (pyreadstat writes only
files; it needs pandas). An answer that does not fit its question stops the export with ``ExportError``
rather than leave a hole that looks like "not answered".
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import count
from typing import Any, BinaryIO

from django.utils import translation
from django.utils.translation import gettext as _

from evidens.stakeholders.exporting import formula_safe
from evidens.surveys import definition as d
from evidens.surveys import expressions

# The media type of each export file, for the web page and the API alike.
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "codebook": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsform": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "sav": "application/x-spss-sav",
}

EXPORT_FORMATS = ("csv", "xlsx", "sav")

NUMBER = "number"
TEXT = "text"
DATE = "date"

COMPLETE = "complete"
PARTIAL = "partial"
STATUSES = (COMPLETE, PARTIAL)  # coded 1 and 2

RESPONDENT_FIELDS = ("name", "email", "organisation")

# Limits of the .sav format, in bytes of UTF-8: readstat refuses longer texts or cuts them mid-letter.
SPSS_NAME_BYTES = 64
SPSS_VARIABLE_LABEL_BYTES = 256
SPSS_VALUE_LABEL_BYTES = 120
SPSS_FILE_LABEL_BYTES = 64
SPSS_NOTE_LINE_BYTES = 80
SPSS_STRING_BYTES = 32767
SPSS_RESERVED = frozenset({"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"})

Value = int | float | str | date | None


class ExportError(ValueError):
    """An answer that does not fit its question: a choice it does not have, text where a number belongs."""


@dataclass(frozen=True)
class ResponseRecord:
    reference: str  # opaque: says nothing about who answered
    status: str  # COMPLETE or PARTIAL
    version: int
    submitted_on: date | None
    segment: str
    answers: Mapping[str, Any]
    respondent: Mapping[str, str] | None = None  # name, email, organisation; None in an anonymous survey

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, not {self.status!r}")


@dataclass(frozen=True)
class Variable:
    """One column of the export, described as SPSS describes a variable."""

    name: str
    label: str
    kind: str  # NUMBER, TEXT or DATE
    measure: str  # "nominal", "ordinal" or "scale"
    question: str = ""  # the question whose answer (or part of it) the column holds; "" for the response's own
    value_labels: Mapping[int, str] = field(default_factory=dict)  # the missing codes' labels included
    dont_know: int | None = None
    not_asked: int | None = None

    @property
    def missing_codes(self) -> tuple[int, ...]:
        return tuple(code for code in (self.dont_know, self.not_asked) if code is not None)


@dataclass(frozen=True)
class _Column:
    variable: Variable
    read: Callable[[ResponseRecord], Value]


@dataclass(frozen=True)
class _Coding:
    codes: Mapping[str, int]  # answer value → code
    labels: Mapping[int, str]
    dont_know: int | None
    not_asked: int | None


# --- the columns ------------------------------------------------------------------------------------


def variables(definition: d.SurveyDefinition, language: str = "da", *, respondent: bool = False) -> list[Variable]:
    """The columns of an export, in order; ``respondent`` adds name, e-mail and organisation."""
    with translation.override(language):
        return [column.variable for column in _columns(definition, language, respondent)]


def _columns(definition: d.SurveyDefinition, language: str, respondent: bool) -> list[_Column]:
    columns = _response_columns(respondent)
    for section, question in definition.questions():
        columns.extend(_question_columns(section, question, language))
    return _with_unique_names(columns)


def _response_columns(respondent: bool) -> list[_Column]:
    columns = [
        _Column(Variable("reference", _("Reference"), TEXT, "nominal"), lambda record: record.reference),
        _Column(Variable("status", _("Status"), NUMBER, "nominal", value_labels={1: _("Complete"), 2: _("Partial")}),
                lambda record: STATUSES.index(record.status) + 1),
        _Column(Variable("version", _("Questionnaire version"), NUMBER, "ordinal"), lambda record: record.version),
        _Column(Variable("submitted_on", _("Submitted on"), DATE, "scale"), lambda record: record.submitted_on),
        _Column(Variable("segment", _("Segment"), TEXT, "nominal"), lambda record: record.segment or None),
    ]
    if respondent:
        labels = {"name": _("Name"), "email": _("E-mail"), "organisation": _("Organisation")}
        columns.extend(_Column(Variable(key, labels[key], TEXT, "nominal"), _respondent_reader(key))
                       for key in RESPONDENT_FIELDS)
    return columns


def _respondent_reader(key: str) -> Callable[[ResponseRecord], Value]:
    return lambda record: (record.respondent or {}).get(key) or None


def _question_columns(section: d.Section, question: d.Question, language: str) -> list[_Column]:
    name = question.name
    label = d.text_in(question.label, language) or name
    skippable = bool(section.relevance.strip() or question.relevance.strip())

    def variable(suffix: str, part: str, kind: str, measure: str, coding: _Coding | None = None) -> Variable:
        return Variable(
            name=spss_name(f"{name}_{suffix}" if suffix else name),
            label=_("%(question)s: %(part)s") % {"question": label, "part": part} if part else label,
            kind=kind, measure=measure, question=name,
            value_labels=coding.labels if coding else {},
            dont_know=coding.dont_know if coding else None,
            not_asked=coding.not_asked if coding else None,
        )

    kind = question.type
    columns: list[_Column] = []
    if kind in (d.SINGLE_CHOICE, d.LIKERT):
        coding = choice_coding(question, skippable, language)
        measure = "ordinal" if kind == d.LIKERT else "nominal"
        columns.append(_Column(variable("", "", NUMBER, measure, coding),
                               _choice_reader(question, coding, lambda record: record.answers.get(name))))
    elif kind == d.MULTIPLE_CHOICE:
        coding = _coding({}, {0: _("Not chosen"), 1: _("Chosen")}, dont_know=question.dont_know,
                         skippable=skippable, language=language)
        columns.extend(
            _Column(variable(choice.value, d.text_in(choice.label, language) or choice.value, NUMBER, "nominal",
                             coding), _chosen_reader(question, choice.value, coding))
            for choice in question.choices
        )
    elif kind == d.MATRIX:
        coding = choice_coding(question, skippable, language)
        columns.extend(
            _Column(variable(item.name, d.text_in(item.label, language) or item.name, NUMBER, "ordinal", coding),
                    _choice_reader(question, coding, _statement_getter(question, item.name)))
            for item in question.items
        )
    elif kind == d.RANKING:
        ranks = _coding({}, {}, in_use=range(1, len(question.items) + 1), dont_know=False, skippable=skippable,
                        language=language)
        columns.extend(
            _Column(variable(item.name, d.text_in(item.label, language) or item.name, NUMBER, "ordinal", ranks),
                    _rank_reader(question, item.name))
            for item in question.items
        )
    elif kind in d.NUMBER_TYPES:
        columns.append(_Column(variable("", "", NUMBER, "scale"), _number_reader(question)))
    elif kind in (d.SHORT_TEXT, d.LONG_TEXT):
        columns.append(_Column(variable("", "", TEXT, "nominal"), _text_reader(question, name)))
    elif kind == d.DATE:
        columns.append(_Column(variable("", "", DATE, "scale"), _date_reader(question)))
    if question.other and kind in (d.SINGLE_CHOICE, d.MULTIPLE_CHOICE):
        columns.append(_Column(variable(d.OTHER, _("Other (text)"), TEXT, "nominal"),
                               _text_reader(question, f"{name}.other")))
    return columns


_WHOLE_NUMBER = re.compile(r"-?\d+")


def choice_coding(question: d.Question, skippable: bool, language: str) -> _Coding:
    values = [choice.value for choice in question.choices]
    numbers = [int(value) for value in values if _WHOLE_NUMBER.fullmatch(value)]
    if len(numbers) != len(values) or len(set(numbers)) != len(numbers):
        numbers = list(range(1, len(values) + 1))
    codes = dict(zip(values, numbers, strict=True))
    labels = {code: d.text_in(choice.label, language) or choice.value
              for choice, code in zip(question.choices, numbers, strict=True)}
    if question.other:
        codes[d.OTHER] = max(numbers, default=0) + 1
        labels[codes[d.OTHER]] = _("Other")
    return _coding(codes, labels, dont_know=question.dont_know, skippable=skippable, language=language)


def _coding(codes: Mapping[str, int], labels: Mapping[int, str], *, in_use: Iterable[int] = (), dont_know: bool,
            skippable: bool, language: str) -> _Coding:
    """Add the codes of "Ved ikke" and "not asked", clear of the labelled codes and those ``in_use``."""
    taken = set(labels) | set(in_use)
    all_labels = dict(labels)
    dont_know_code = not_asked = None
    if dont_know:
        dont_know_code = _free_code(1, taken)
        all_labels[dont_know_code] = d.text_in(d.DONT_KNOW_LABEL, language)
        taken.add(dont_know_code)
    if skippable:
        not_asked = _free_code(2, taken)
        all_labels[not_asked] = _("Not asked")
    return _Coding(codes, all_labels, dont_know_code, not_asked)


def _free_code(below_power_of_ten: int, taken: set[int]) -> int:
    """The first of 9, 99, 999, ... (1 below a power of ten) or 8, 98, 998, ... (2 below) that is not taken."""
    return next(code for code in (10**digits - below_power_of_ten for digits in count(1)) if code not in taken)


DANISH_LETTERS = str.maketrans({"Æ": "AE", "Ø": "OE", "Å": "AA", "æ": "ae", "ø": "oe", "å": "aa"})


def spss_name(text: str) -> str:
    """A valid SPSS variable name made from ``text`` (not yet checked for being unique)."""
    plain = unicodedata.normalize("NFKD", text.translate(DANISH_LETTERS)).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9_]+", "_", plain).strip("_")
    if not name[:1].isalpha():
        name = "v" + name
    if name.upper() in SPSS_RESERVED:
        name += "_"
    return name[:SPSS_NAME_BYTES]


def _with_unique_names(columns: list[_Column]) -> list[_Column]:
    seen: set[str] = set()
    unique = []
    for column in columns:
        base = name = column.variable.name
        number = 1
        while name.lower() in seen:  # SPSS does not tell "Q1" from "q1"
            number += 1
            suffix = f"_{number}"
            name = base[:SPSS_NAME_BYTES - len(suffix)] + suffix
        seen.add(name.lower())
        unique.append(replace(column, variable=replace(column.variable, name=name)))
    return unique


# --- reading answers ----------------------------------------------------------------------------------


def _unfit(record: ResponseRecord, question: d.Question, value: Any) -> ExportError:
    return ExportError(_("Response %(reference)s answers “%(value)s” to “%(question)s”, which does not fit "
                         "the question.") % {"reference": record.reference, "value": value, "question": question.name})


def _choice_reader(question: d.Question, coding: _Coding,
                   answer_of: Callable[[ResponseRecord], Any]) -> Callable[[ResponseRecord], Value]:
    def read(record: ResponseRecord) -> Value:
        value = answer_of(record)
        if d.unanswered(value):
            return None
        if value == d.DONT_KNOW and coding.dont_know is not None:
            return coding.dont_know
        code = coding.codes.get(str(value))
        if code is None:
            raise _unfit(record, question, value)
        return code

    return read


def _statement_getter(question: d.Question, item: str) -> Callable[[ResponseRecord], Any]:
    known = {statement.name for statement in question.items}

    def statement(record: ResponseRecord) -> Any:
        answer = record.answers.get(question.name)
        if d.unanswered(answer):
            return None
        if not isinstance(answer, Mapping) or not set(answer) <= known:
            raise _unfit(record, question, answer)
        return answer.get(item)

    return statement


def _chosen_reader(question: d.Question, value: str, coding: _Coding) -> Callable[[ResponseRecord], Value]:
    allowed = {choice.value for choice in question.choices}
    if question.other:
        allowed.add(d.OTHER)
    if question.dont_know:
        allowed.add(d.DONT_KNOW)

    def read(record: ResponseRecord) -> Value:
        answer = record.answers.get(question.name)
        if d.unanswered(answer):
            return None
        if not isinstance(answer, list | tuple) or not {str(chosen) for chosen in answer} <= allowed:
            raise _unfit(record, question, answer)
        chosen = {str(item) for item in answer}
        if d.DONT_KNOW in chosen:
            return coding.dont_know
        return int(value in chosen)

    return read


def _rank_reader(question: d.Question, item: str) -> Callable[[ResponseRecord], Value]:
    known = {entry.name for entry in question.items}

    def read(record: ResponseRecord) -> Value:
        answer = record.answers.get(question.name)
        if d.unanswered(answer):
            return None
        order = [str(entry) for entry in answer] if isinstance(answer, list | tuple) else []
        if not order or len(set(order)) != len(order) or not set(order) <= known:
            raise _unfit(record, question, answer)
        return order.index(item) + 1 if item in order else None

    return read


def _number_reader(question: d.Question) -> Callable[[ResponseRecord], Value]:
    def read(record: ResponseRecord) -> Value:
        answer = record.answers.get(question.name)
        if d.unanswered(answer):
            return None
        try:
            if isinstance(answer, bool):
                raise InvalidOperation
            number = Decimal(answer.strip() if isinstance(answer, str) else str(answer))
        except InvalidOperation:
            raise _unfit(record, question, answer) from None
        if not number.is_finite():
            raise _unfit(record, question, answer)
        if question.type == d.DECIMAL:
            return float(number)
        if number != number.to_integral_value():
            raise _unfit(record, question, answer)
        return int(number)

    return read


def _text_reader(question: d.Question, key: str) -> Callable[[ResponseRecord], Value]:
    def read(record: ResponseRecord) -> Value:
        answer = record.answers.get(key)
        if d.unanswered(answer):
            return None
        if not isinstance(answer, str):
            raise _unfit(record, question, answer)
        return answer

    return read


def _date_reader(question: d.Question) -> Callable[[ResponseRecord], Value]:
    def read(record: ResponseRecord) -> Value:
        answer = record.answers.get(question.name)
        if d.unanswered(answer) or isinstance(answer, date):
            return answer
        try:
            return date.fromisoformat(str(answer))
        except ValueError:
            raise _unfit(record, question, answer) from None

    return read


# --- the table ----------------------------------------------------------------------------------------

_Condition = tuple[expressions.Node, frozenset[str]]  # a parsed condition and the questions it reads


def _conditions(definition: d.SurveyDefinition) -> dict[str, list[_Condition]]:
    conditions: dict[str, list[_Condition]] = {}
    for section, question in definition.questions():
        for text in (section.relevance, question.relevance):
            if text.strip():
                node = expressions.parse(text)
                conditions.setdefault(question.name, []).append((node, frozenset(expressions.references(node))))
    return conditions


def _hidden(conditions: Mapping[str, list[_Condition]], record: ResponseRecord) -> set[str]:
    """The questions that skip logic hid from this respondent, as far as the answers tell."""
    answers = record.answers

    def decided_false(condition: _Condition) -> bool:
        node, reads = condition
        decided = record.status == COMPLETE or not any(d.unanswered(answers.get(name)) for name in reads)
        return decided and not expressions.holds(node, answers)

    return {name for name, held in conditions.items() if any(decided_false(condition) for condition in held)}


def _table(definition: d.SurveyDefinition, records: Iterable[ResponseRecord],
           language: str) -> tuple[list[Variable], list[list[Value]]]:
    records = list(records)
    columns = _columns(definition, language, respondent=any(record.respondent for record in records))
    conditions = _conditions(definition)
    rows = []
    for record in records:
        hidden = _hidden(conditions, record)
        rows.append([column.variable.not_asked if column.variable.question in hidden else column.read(record)
                     for column in columns])
    return [column.variable for column in columns], rows


def _readable(variable: Variable, value: Value) -> Value:
    """What a person reads in a cell: the label of a coded value, anything else as it is."""
    if isinstance(value, int) and value in variable.value_labels:
        return variable.value_labels[value]
    return value


def codebook_table(definition: d.SurveyDefinition, language: str = "da", *,
                   respondent: bool = False) -> tuple[list[str], list[list[str]]]:
    """The codebook's headings and one row per variable, in the language of ``language``."""
    with translation.override(language):
        return _codebook(definition, variables(definition, language, respondent=respondent))


def _codebook(definition: d.SurveyDefinition, columns: Sequence[Variable]) -> tuple[list[str], list[list[str]]]:
    headings = [_("Variable"), _("Question"), _("Label"), _("Question type"), _("Format"), _("Values"),
                _("Missing values")]
    formats = {NUMBER: _("Number"), TEXT: _("Text"), DATE: _("Date")}
    rows = []
    for variable in columns:
        question = definition.question(variable.question) if variable.question else None
        missing = variable.missing_codes
        rows.append([
            variable.name,
            variable.question,
            variable.label,
            str(d.QUESTION_TYPES.get(question.type, question.type)) if question else "",
            formats[variable.kind],
            "\n".join(f"{code} = {label}" for code, label in variable.value_labels.items() if code not in missing),
            "\n".join(f"{code} = {variable.value_labels[code]}" for code in missing),
        ])
    return headings, rows


def _missing_note() -> str:
    return _("An empty cell (system missing in SPSS) is a question not answered, or a number, text or date "
             "question that skip logic hid. The codes under missing values are user-missing: “don't know”, and "
             "“not asked” where skip logic hid a question with choices.")


# --- the files ----------------------------------------------------------------------------------------


def export_csv(definition: d.SurveyDefinition, records: Iterable[ResponseRecord], out: BinaryIO,
               language: str = "da") -> None:
    """Write the responses as CSV for Danish Excel (see the module's docstring), labels in place of codes."""
    with translation.override(language):
        columns, rows = _table(definition, records, language)
    _write_csv(out, [variable.name for variable in columns],
               [[_readable(variable, value) for variable, value in zip(columns, row, strict=True)] for row in rows])


def export_codebook_csv(definition: d.SurveyDefinition, out: BinaryIO, language: str = "da", *,
                        respondent: bool = False) -> None:
    """Write the codebook alone as CSV, for a CSV export (the XLSX and the .sav carry it inside)."""
    headings, rows = codebook_table(definition, language, respondent=respondent)
    _write_csv(out, headings, rows)


def _write_csv(out: BinaryIO, headings: Sequence[str], rows: Iterable[Sequence[Value]]) -> None:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows([_csv_text(value) for value in row] for row in rows)
    out.write(text.getvalue().encode("utf-8-sig"))


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return formula_safe(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f").replace(".", ",")
    return str(value)


def export_xlsx(definition: d.SurveyDefinition, records: Iterable[ResponseRecord], out: BinaryIO,
                language: str = "da") -> None:
    """Write a workbook: the responses with labels in place of codes, and the codebook."""
    from openpyxl import Workbook

    with translation.override(language):
        columns, rows = _table(definition, records, language)
        headings, codebook = _codebook(definition, columns)
        sheet_names = _("Responses"), _("Codebook")
        note = _missing_note()
    workbook = Workbook(write_only=True)
    _write_sheet(workbook, sheet_names[0], [variable.name for variable in columns],
                 [[_readable(variable, value) for variable, value in zip(columns, row, strict=True)] for row in rows])
    codebook_sheet = _write_sheet(workbook, sheet_names[1], headings, codebook, wrap=True)
    codebook_sheet.append([])
    codebook_sheet.append([note])
    workbook.save(out)


def _write_sheet(workbook: Any, title: str, headings: Sequence[str], rows: Sequence[Sequence[Value]], *,
                 wrap: bool = False) -> Any:
    """A sheet with bold, frozen headings and columns as wide as their contents (within reason)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(title)
    sheet.freeze_panes = "A2"
    for index, heading in enumerate(headings):
        longest = max((len(line) for row in rows for line in str(row[index] or "").splitlines()), default=0)
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(8, min(50, max(longest, len(heading)) + 2))

    def cell(value: Value, *, bold: bool = False) -> Any:
        if isinstance(value, str):  # control characters pasted into an answer would make the file unreadable
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        written = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]  # openpyxl writes dates too
        if isinstance(value, date):
            written.number_format = "yyyy-mm-dd"
        elif written.data_type == "f":  # an answer that starts with "=" is text, not a formula
            written.data_type = "s"
        if bold:
            written.font = Font(bold=True)
        if wrap:
            written.alignment = Alignment(wrap_text=True, vertical="top")
        return written

    sheet.append([cell(heading, bold=True) for heading in headings])
    for row in rows:
        sheet.append([cell(value) for value in row])
    return sheet


def export_sav(definition: d.SurveyDefinition, records: Iterable[ResponseRecord], path: str | os.PathLike[str],
               language: str = "da") -> None:
    """Write an SPSS data file: codes with value labels, variable labels, user-missing codes, measures."""
    import pandas as pd
    import pyreadstat

    with translation.override(language):
        columns, rows = _table(definition, records, language)
        note = _missing_note()
    decimals = {question.name for _section, question in definition.questions() if question.type == d.DECIMAL}
    data = {}
    for index, variable in enumerate(columns):
        values = [row[index] for row in rows]
        if variable.kind == TEXT:
            data[variable.name] = pd.Series([_fit(str(value or ""), SPSS_STRING_BYTES) for value in values],
                                            dtype=object)
        elif variable.kind == DATE:  # pyreadstat 1.3.7 writes datetime64[s] as 1970-01-01; milliseconds work
            data[variable.name] = pd.Series(values, dtype="datetime64[ms]")
        else:
            data[variable.name] = pd.Series([float("nan") if value is None else value for value in values],
                                            dtype="float64")
    pyreadstat.write_sav(
        pd.DataFrame(data),
        os.fspath(path),
        file_label=_fit(d.text_in(definition.title, language), SPSS_FILE_LABEL_BYTES),
        note=_lines(note, SPSS_NOTE_LINE_BYTES),
        column_labels={variable.name: _fit(variable.label, SPSS_VARIABLE_LABEL_BYTES) for variable in columns},
        variable_value_labels={
            variable.name: {code: _fit(label, SPSS_VALUE_LABEL_BYTES) for code, label in variable.value_labels.items()}
            for variable in columns if variable.value_labels
        },
        missing_ranges={variable.name: list(variable.missing_codes) for variable in columns if variable.missing_codes},
        variable_measure={variable.name: variable.measure for variable in columns},
        variable_format={
            variable.name: "EDATE10" if variable.kind == DATE else "F8.0"
            for variable in columns
            if variable.kind == DATE or (variable.kind == NUMBER and variable.question not in decimals)
        },
    )


def _lines(text: str, limit: int) -> list[str]:
    """``text`` wrapped at spaces into lines of at most ``limit`` bytes of UTF-8."""
    lines: list[str] = []
    for word in text.split():
        longer = f"{lines[-1]} {word}" if lines else word
        if lines and len(longer.encode()) <= limit:
            lines[-1] = longer
        else:
            lines.append(_fit(word, limit))
    return lines


def _fit(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` bytes of UTF-8 between two letters, with "…" where it was cut."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit - len("…".encode())].decode(errors="ignore") + "…"
