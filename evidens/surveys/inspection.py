"""What the survey file importers share: the result, its report, the type mapping and the inspection JSON.

``read_survey_file`` picks the importer by the file's extension or, failing that, its first bytes:
an XLSForm workbook (.xlsx, ``xlsform.read_xlsform``) or a LimeSurvey structure file (.lss,
``limesurvey.read_lss``). Both return an ``ImportResult``: the questionnaire as a
``SurveyDefinition`` and a report of everything that could not be carried over unchanged, so
nothing in the file disappears without a word. ``inspection_json`` is the plain-data view of a
result that the CLI prints and the import preview shows.

``TYPE_MAPPING`` is the one table of which question type in each format becomes which Evidens type
(``None``: not importable); the importers look their types up in it, so the table cannot drift from
what they do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.utils.translation import gettext as _

from evidens.surveys import expressions
from evidens.surveys.definition import (
    DATE,
    DECIMAL,
    DONT_KNOW,
    DONT_KNOW_LABEL,
    INFORMATION,
    INTEGER,
    LIKERT,
    LONG_TEXT,
    MATRIX,
    MULTIPLE_CHOICE,
    NAME_PATTERN,
    OTHER,
    OTHER_LABEL,
    QUESTION_TYPES,
    RANKING,
    SHORT_TEXT,
    SINGLE_CHOICE,
    SurveyDefinition,
    text_in,
)

NoteKind = Literal["unsupported", "changed", "warning"]
UNSUPPORTED: NoteKind = "unsupported"  # in the file, but left out: Evidens has no place for it
CHANGED: NoteKind = "changed"  # carried over in a different form
WARNING: NoteKind = "warning"  # carried over as it is, but worth a look before publishing


class SurveyFileError(ValueError):
    """A file that cannot be read as a questionnaire at all; ``message`` says why, in the reader's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportNote:
    where: str  # the question, section or row concerned, as named in the file; "" for the file as a whole
    message: str
    kind: NoteKind


@dataclass
class ImportResult:
    definition: SurveyDefinition
    report: list[ImportNote] = field(default_factory=list)
    # kind ("invitation", "reminder") → language → {"subject": ..., "body": ...}
    mail_templates: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    # sections the importer made for questions that stood outside any group in the file
    implicit_sections: set[str] = field(default_factory=set)


# --- the type mapping -------------------------------------------------------------------------------

XLSFORM_MATRIX = "begin_group (table of select_one rows sharing one list)"

XLSFORM_TYPES: dict[str, str | None] = {
    "select_one": SINGLE_CHOICE,
    "select_one (appearance likert)": LIKERT,
    "select_multiple": MULTIPLE_CHOICE,
    "select_one_from_file": SINGLE_CHOICE,
    "select_multiple_from_file": MULTIPLE_CHOICE,
    XLSFORM_MATRIX: MATRIX,
    "rank": RANKING,
    "text": SHORT_TEXT,
    "string": SHORT_TEXT,
    "text (appearance multiline)": LONG_TEXT,
    "string (appearance multiline)": LONG_TEXT,
    "phone number": SHORT_TEXT,
    "integer": INTEGER,
    "int": INTEGER,
    "range": INTEGER,
    "decimal": DECIMAL,
    "date": DATE,
    "note": INFORMATION,
    "time": None,
    "datetime": None,
    "geopoint": None,
    "geotrace": None,
    "geoshape": None,
    "start-geopoint": None,
    "image": None,
    "audio": None,
    "video": None,
    "file": None,
    "background-audio": None,
    "barcode": None,
    "acknowledge": None,
    "calculate": None,
    "hidden": None,
    "xml-external": None,
    "csv-external": None,
    "select_one_external": None,
    "start": None,
    "end": None,
    "today": None,
    "deviceid": None,
    "subscriberid": None,
    "simserial": None,
    "phonenumber": None,
    "username": None,
    "email": None,
    "audit": None,
}

LIMESURVEY_TYPES: dict[str, str | None] = {
    "L": SINGLE_CHOICE,
    "!": SINGLE_CHOICE,
    "O": SINGLE_CHOICE,
    "G": SINGLE_CHOICE,
    "Y": SINGLE_CHOICE,
    "M": MULTIPLE_CHOICE,
    "P": MULTIPLE_CHOICE,
    "F": MATRIX,
    "H": MATRIX,
    "A": MATRIX,
    "B": MATRIX,
    "C": MATRIX,
    "E": MATRIX,
    "5": LIKERT,
    "N": DECIMAL,
    "S": SHORT_TEXT,
    "T": LONG_TEXT,
    "U": LONG_TEXT,
    "D": DATE,
    "R": RANKING,
    "X": INFORMATION,
    "1": None,
    "K": None,
    "Q": None,
    ":": None,
    ";": None,
    "|": None,
    "*": None,
    "I": None,
}

# LimeSurvey's own names for its type codes, so a reader of the mapping or the report knows what "K" is.
LIMESURVEY_TYPE_NAMES = {
    "L": "List (radio)",
    "!": "List (dropdown)",
    "O": "List with comment",
    "G": "Gender",
    "Y": "Yes/No",
    "M": "Multiple choice",
    "P": "Multiple choice with comments",
    "F": "Array",
    "H": "Array by column",
    "A": "Array (5 point choice)",
    "B": "Array (10 point choice)",
    "C": "Array (Yes/No/Uncertain)",
    "E": "Array (Increase/Same/Decrease)",
    "5": "5 point choice",
    "N": "Numerical input",
    "S": "Short free text",
    "T": "Long free text",
    "U": "Huge free text",
    "D": "Date/Time",
    "R": "Ranking",
    "X": "Text display",
    "1": "Array dual scale",
    "K": "Multiple numerical input",
    "Q": "Multiple short text",
    ":": "Array (Numbers)",
    ";": "Array (Texts)",
    "|": "File upload",
    "*": "Equation",
    "I": "Language switch",
}


def limesurvey_type_label(code: str) -> str:
    """ "K (Multiple numerical input)": the code as it stands in the file, with LimeSurvey's name for it."""
    name = LIMESURVEY_TYPE_NAMES.get(code)
    return f"{code} ({name})" if name else code


TYPE_MAPPING: dict[str, dict[str, str | None]] = {
    "xlsform": XLSFORM_TYPES,
    "limesurvey": {limesurvey_type_label(code): evidens for code, evidens in LIMESURVEY_TYPES.items()},
}


# --- what both importers need -------------------------------------------------------------------------


def identifier(text: str, fallback: str = "q") -> str:
    """``text`` made into a name that satisfies ``NAME_PATTERN``: accents dropped, other characters to "_"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9_]+", "_", ascii_text).strip("_")
    if not name:
        return fallback
    return name if NAME_PATTERN.match(name) else f"_{name}"


class NameBook:
    """Hands out unique names that satisfy ``NAME_PATTERN`` and reports every name it had to change."""

    def __init__(self, report: list[ImportNote]) -> None:
        self.report = report
        self.taken: set[str] = set()
        self.renamed: dict[str, str] = {}  # name in the file → name in Evidens, for the first holder

    def assign(self, original: str) -> str:
        name = identifier(original)
        if name != original:
            self.report.append(ImportNote(original, _(
                "The name “%(old)s” was changed to “%(new)s”: names may only hold letters, digits and _, "
                "and cannot start with a digit.") % {"old": original, "new": name}, CHANGED))
        unique = self.free(name)
        if unique != name:
            self.report.append(ImportNote(original, _(
                "The name “%(old)s” is used more than once; this one was renamed “%(new)s”.")
                % {"old": name, "new": unique}, CHANGED))
        self.renamed.setdefault(original, unique)
        return unique

    def free(self, stem: str) -> str:
        """``stem``, or else ``stem_2``, ``stem_3``...: the first name not yet taken, now taken."""
        name, number = stem, 1
        while name in self.taken:
            number += 1
            name = f"{stem}_{number}"
        self.taken.add(name)
        return name


def item_names(values: list[str], where: str, report: list[ImportNote]) -> list[str]:
    """Names for a matrix's statements or a ranking's entries, each satisfying ``NAME_PATTERN`` and unique."""
    names: list[str] = []
    for value in values:
        name = identifier(value, fallback="item")
        while name in names:
            name += "_"
        names.append(name)
    changes = [f"{value} → {name}" for value, name in zip(values, names, strict=True) if value != name]
    if changes:
        report.append(ImportNote(where, _("Entry names were changed to valid names: %(changes)s.")
                                 % {"changes": ", ".join(changes)}, CHANGED))
    return names


def checked_condition(text: str, *, where: str, constraint: bool, known: Iterable[str],
                      report: list[ImportNote]) -> str:
    """``text`` if Evidens can evaluate it and it reads only imported questions; else "" and a note saying why."""
    if not text.strip():
        return ""
    try:
        node = expressions.parse(text)
    except expressions.ExpressionError as error:
        reason = str(error)
    else:
        missing = sorted(expressions.references(node) - set(known))
        if not missing:
            return text
        reason = _("it refers to “%(name)s”, which was not imported") % {"name": missing[0]}
    report.append(ImportNote(where, condition_left_out(text, reason, constraint=constraint), UNSUPPORTED))
    return ""


def unwrapped(text: str) -> str:
    """``text`` without the parentheses around the whole of it: "((${a} = 1))" becomes "${a} = 1"."""
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        inner = text[1:-1].strip()
        try:
            expressions.parse(inner)
        except expressions.ExpressionError:
            break  # "(a) or (b)": the parentheses do not wrap the whole
        text = inner
    return text


def condition_left_out(text: str, reason: str, *, constraint: bool = False) -> str:
    if constraint:
        return _("The answer check “%(expression)s” was left out: %(reason)s") % {"expression": text,
                                                                                  "reason": reason}
    return _("The skip condition “%(expression)s” was left out: %(reason)s") % {"expression": text, "reason": reason}


def type_left_out(file_type: str) -> str:
    return _("Questions of the type “%(type)s” cannot be imported; the question was left out.") % {"type": file_type}


def type_changed(file_type: str, evidens_type: str) -> str:
    return _("The type “%(type)s” was imported as “%(evidens)s”.") % {
        "type": file_type, "evidens": QUESTION_TYPES[evidens_type]}


def piping_noted(where: str, references: list[str]) -> ImportNote:
    return ImportNote(where, _("The text shows other answers (%(references)s); Evidens shows it as written.")
                      % {"references": ", ".join(references)}, WARNING)


def reserved_value_notes(definition: SurveyDefinition) -> list[ImportNote]:
    """A note for each choice whose value Evidens keeps for "other" and "don't know" answers."""
    return [
        ImportNote(question.name, _("The choice value “%(value)s” is reserved in Evidens; give the choice "
                                    "another value before publishing.") % {"value": choice.value}, WARNING)
        for _section, question in definition.questions()
        for choice in question.choices
        if choice.value in (OTHER, DONT_KNOW)
    ]


# --- reading any survey file ------------------------------------------------------------------------------


def unreadable(path: Path, error: OSError) -> SurveyFileError:
    return SurveyFileError(_("The file “%(name)s” cannot be opened: %(error)s")
                           % {"name": path.name, "error": error.strerror or error})


def read_survey_file(path: str | Path) -> ImportResult:
    """The questionnaire in an XLSForm (.xlsx) or LimeSurvey (.lss) file, chosen by extension or content."""
    # The importers build on this module's types, so they are imported when needed, not at the top.
    from evidens.surveys.limesurvey import read_lss
    from evidens.surveys.xlsform import read_xlsform

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise unreadable(path, error) from error
    suffix = path.suffix.lower()
    if suffix == ".xlsx" or (suffix != ".lss" and data.startswith(b"PK\x03\x04")):
        return read_xlsform(path)
    if suffix == ".lss" or data.lstrip().startswith((b"<?xml", b"<document")):
        return read_lss(data)
    raise SurveyFileError(_("“%(name)s” is not a survey file Evidens can read: use an XLSForm workbook (.xlsx) "
                            "or a LimeSurvey survey structure file (.lss).") % {"name": path.name})


# --- the inspection JSON ------------------------------------------------------------------------------------


def inspection_json(result: ImportResult) -> dict[str, Any]:
    """The imported questionnaire as plain data: questions with their texts in every language, and the report.

    A question with an "other, please specify" field or a "don't know" option lists it among its choices
    under the values ``other`` and ``dont_know``, as answers record them.
    """
    definition = result.definition
    first_language = definition.languages[0] if definition.languages else "da"
    questions = []
    for section, question in definition.questions():
        choices = [{"value": choice.value, "label": dict(choice.label)} for choice in question.choices]
        if question.other:
            choices.append({"value": OTHER, "label": dict(OTHER_LABEL)})
        if question.dont_know:
            choices.append({"value": DONT_KNOW, "label": dict(DONT_KNOW_LABEL)})
        questions.append({
            "name": question.name,
            "type": question.type,
            "label": dict(question.label),
            "choices": choices,
            "items": [{"name": item.name, "label": dict(item.label)} for item in question.items],
            "relevance": question.relevance or None,
            "required": question.required,
            "group": None if section.name in result.implicit_sections else section.name,
        })
    return {
        "title": text_in(definition.title, first_language),
        "languages": list(definition.languages),
        "questions": questions,
        "report": [{"where": note.where, "message": note.message, "kind": note.kind} for note in result.report],
        "type_mapping": {file_format: dict(mapping) for file_format, mapping in TYPE_MAPPING.items()},
    }
