"""A questionnaire as plain data: sections, questions, choices and texts in several languages.

One shape serves every place a questionnaire lives: the builder edits it, a published version
freezes it as JSON, the importers (XLSForm, LimeSurvey) produce it, the exports and the respondent
form read it. ``check`` finds what would stop a respondent (duplicate names, references to
unknown questions, malformed conditions) before anyone is asked anything.

Answers are a mapping from question name to value:

    single_choice, likert   the chosen value ("3"; a Likert scale's "Ved ikke" is ``DONT_KNOW``)
    multiple_choice         a list of values; "Andet, skriv:" adds ``OTHER`` and text under ``<name>.other``
    matrix                  a mapping item name → scale value
    ranking                 the item names, most important first
    nps, integer            an int;  decimal: a number
    short_text, long_text   text;    date: "YYYY-MM-DD"
    information             no answer
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidens.surveys import expressions

Text = dict[str, str]  # language code → text

SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
LIKERT = "likert"
MATRIX = "matrix"
NPS = "nps"
INTEGER = "integer"
DECIMAL = "decimal"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
DATE = "date"
RANKING = "ranking"
INFORMATION = "information"

QUESTION_TYPES = {
    SINGLE_CHOICE: gettext_lazy("Single choice"),
    MULTIPLE_CHOICE: gettext_lazy("Multiple choice"),
    LIKERT: gettext_lazy("Likert scale"),
    MATRIX: gettext_lazy("Matrix (several statements on one scale)"),
    NPS: gettext_lazy("Net Promoter Score (0–10)"),
    INTEGER: gettext_lazy("Whole number"),
    DECIMAL: gettext_lazy("Decimal number"),
    SHORT_TEXT: gettext_lazy("Short text"),
    LONG_TEXT: gettext_lazy("Long text"),
    DATE: gettext_lazy("Date"),
    RANKING: gettext_lazy("Ranking"),
    INFORMATION: gettext_lazy("Information text"),
}
CHOICE_TYPES = frozenset({SINGLE_CHOICE, MULTIPLE_CHOICE, LIKERT, MATRIX})  # answered from ``choices``
ITEM_TYPES = frozenset({MATRIX, RANKING})  # ``items`` are the statements or the entries to rank
NUMBER_TYPES = frozenset({NPS, INTEGER, DECIMAL})

OTHER = "other"
DONT_KNOW = "dont_know"
LANGUAGES = ("da", "en")
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def likert_scale() -> list[Choice]:
    """The five-point agreement scale a new Likert question starts with (its labels can be edited)."""
    labels = [
        ("Helt uenig", "Strongly disagree"),
        ("Overvejende uenig", "Somewhat disagree"),
        ("Hverken enig eller uenig", "Neither agree nor disagree"),
        ("Overvejende enig", "Somewhat agree"),
        ("Helt enig", "Strongly agree"),
    ]
    return [Choice(str(number), {"da": da, "en": en}) for number, (da, en) in enumerate(labels, start=1)]


DONT_KNOW_LABEL: Text = {"da": "Ved ikke", "en": "Don't know"}
OTHER_LABEL: Text = {"da": "Andet, skriv:", "en": "Other, please specify:"}


@dataclass
class Choice:
    value: str
    label: Text


@dataclass
class Item:
    name: str
    label: Text


@dataclass
class Question:
    name: str
    type: str
    label: Text
    hint: Text = field(default_factory=dict)
    required: bool = False
    relevance: str = ""  # shown only when this condition holds; "" always
    constraint: str = ""  # an answer is accepted only when this holds ("." is the answer)
    constraint_message: Text = field(default_factory=dict)
    choices: list[Choice] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    other: bool = False  # multiple/single choice: an "Andet, skriv:" option with a text field
    dont_know: bool = False  # likert and matrix: a "Ved ikke" option outside the scale
    minimum: float | None = None  # numbers: the smallest accepted; ranking: -
    maximum: float | None = None

    @property
    def answers(self) -> bool:
        return self.type != INFORMATION


@dataclass
class Section:
    name: str
    title: Text
    questions: list[Question] = field(default_factory=list)
    relevance: str = ""
    description: Text = field(default_factory=dict)


@dataclass
class SurveyDefinition:
    title: Text
    sections: list[Section] = field(default_factory=list)
    languages: list[str] = field(default_factory=lambda: ["da"])
    intro: Text = field(default_factory=dict)
    thanks: Text = field(default_factory=dict)
    privacy: Text = field(default_factory=dict)

    def questions(self) -> Iterator[tuple[Section, Question]]:
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question(self, name: str) -> Question | None:
        return next((question for _section, question in self.questions() if question.name == name), None)

    def section(self, name: str) -> Section | None:
        return next((section for section in self.sections if section.name == name), None)

    # --- JSON ------------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        return _plain(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SurveyDefinition:
        return cls(
            title=dict(data.get("title") or {}),
            languages=list(data.get("languages") or ["da"]),
            intro=dict(data.get("intro") or {}),
            thanks=dict(data.get("thanks") or {}),
            privacy=dict(data.get("privacy") or {}),
            sections=[
                Section(
                    name=section["name"],
                    title=dict(section.get("title") or {}),
                    relevance=section.get("relevance") or "",
                    description=dict(section.get("description") or {}),
                    questions=[_question_from_dict(question) for question in section.get("questions") or []],
                )
                for section in data.get("sections") or []
            ],
        )


def _question_from_dict(data: Mapping[str, Any]) -> Question:
    known = {item.name for item in fields(Question)}
    values = {key: value for key, value in data.items() if key in known}
    values["choices"] = [Choice(str(choice["value"]), dict(choice.get("label") or {}))
                         for choice in data.get("choices") or []]
    values["items"] = [Item(item["name"], dict(item.get("label") or {})) for item in data.get("items") or []]
    for key in ("label", "hint", "constraint_message"):
        values[key] = dict(data.get(key) or {})
    for key in ("relevance", "constraint"):
        values[key] = data.get(key) or ""
    return Question(**values)


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return {item.name: _plain(getattr(value, item.name)) for item in fields(value)}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def unanswered(value: Any) -> bool:
    """Whether an answer value is no answer: nothing, empty text, nothing chosen."""
    return value is None or value == "" or (isinstance(value, list | tuple | Mapping) and not value)


def text_in(text: Mapping[str, str], language: str, fallbacks: tuple[str, ...] = LANGUAGES) -> str:
    """The text in ``language``, else in the first fallback that has one, else in any language."""
    for code in (language, *fallbacks):
        if text.get(code):
            return text[code]
    return next((value for value in text.values() if value), "")


def copy_definition(definition: SurveyDefinition) -> SurveyDefinition:
    return SurveyDefinition.from_dict(definition.to_dict())


# --- checking ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something in a questionnaire that must be fixed before it can be published."""

    where: str  # the question or section name, or "" for the survey as a whole
    field: str  # "name", "relevance", "constraint", "choices", ...
    message: str


def check(definition: SurveyDefinition) -> list[Problem]:
    """Every problem that would stop the questionnaire from working, in the order a reader meets them."""
    problems: list[Problem] = []
    if not any(definition.title.values()):
        problems.append(Problem("", "title", _("The survey has no title.")))
    if not definition.sections:
        problems.append(Problem("", "sections", _("The survey has no sections.")))
    seen: set[str] = set()
    section_names: set[str] = set()
    question_names = {question.name for _section, question in definition.questions()}
    for section in definition.sections:
        if section.name in section_names:
            problems.append(Problem(section.name, "name", _("Two sections are called “%(name)s”.")
                                    % {"name": section.name}))
        section_names.add(section.name)
        problems.extend(_condition_problems(section.name, "relevance", section.relevance, seen))
        if section.name in question_names:
            problems.append(Problem(section.name, "name", _("A section and a question are both called "
                                                            "“%(name)s”; XLSForm and exports need them apart.")
                                    % {"name": section.name}))
        for question in section.questions:
            problems.extend(_question_problems(question, seen))
            seen.add(question.name)
    return problems


def _question_problems(question: Question, earlier: set[str]) -> list[Problem]:
    problems = []
    name = question.name

    def problem(field_name: str, message: str) -> None:
        problems.append(Problem(name, field_name, message))

    if not NAME_PATTERN.match(name):
        problem("name", _("“%(name)s” is not a valid question name: use letters, digits and _, "
                          "and start with a letter.") % {"name": name})
    if name in earlier:
        problem("name", _("Two questions are called “%(name)s”.") % {"name": name})
    if question.type not in QUESTION_TYPES:
        problem("type", _("“%(type)s” is not a question type Evidens knows.") % {"type": question.type})
    if not any(question.label.values()):
        problem("label", _("The question has no text."))
    if question.type in CHOICE_TYPES and len(question.choices) < 2:
        problem("choices", _("A question of this type needs at least two choices."))
    values = [choice.value for choice in question.choices]
    if len(set(values)) != len(values):
        problem("choices", _("Two choices have the same value."))
    if any(value in (OTHER, DONT_KNOW) for value in values):
        problem("choices", _("The values “%(other)s” and “%(dont_know)s” are reserved.")
                % {"other": OTHER, "dont_know": DONT_KNOW})
    if question.type in ITEM_TYPES and len(question.items) < 2:
        problem("items", _("A question of this type needs at least two statements or entries."))
    item_names = [item.name for item in question.items]
    if len(set(item_names)) != len(item_names) or not all(NAME_PATTERN.match(item) for item in item_names):
        problem("items", _("Each statement or entry needs its own name of letters, digits and _."))
    if question.minimum is not None and question.maximum is not None and question.minimum > question.maximum:
        problem("minimum", _("The smallest accepted number is larger than the largest."))
    problems.extend(_condition_problems(name, "relevance", question.relevance, earlier))
    problems.extend(_condition_problems(name, "constraint", question.constraint, earlier | {name}))
    return problems


def _condition_problems(where: str, field_name: str, condition: str, known: set[str]) -> list[Problem]:
    if not condition.strip():
        return []
    try:
        node = expressions.parse(condition)
    except expressions.ExpressionError as error:
        return [Problem(where, field_name, str(error))]
    unknown = sorted(expressions.references(node) - known)
    return [Problem(where, field_name, _("“%(name)s” is not a question that comes before this one.") % {"name": name})
            for name in unknown]


def readers_of(definition: SurveyDefinition, name: str) -> list[str]:
    """The sections and questions whose conditions read question ``name``."""
    readers = []
    for section in definition.sections:
        holders: list[Section | Question] = [section, *section.questions]
        for holder in holders:
            conditions = [holder.relevance, holder.constraint if isinstance(holder, Question) else ""]
            if any(_reads(condition, name) for condition in conditions):
                readers.append(holder.name)
    return readers


def _reads(condition: str, name: str) -> bool:
    try:
        return bool(condition.strip()) and name in expressions.references(expressions.parse(condition))
    except expressions.ExpressionError:
        return False


# --- comparing versions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    kind: str  # "added", "removed", "changed", "moved"
    name: str  # the question or section
    detail: str = ""


def differences(old: SurveyDefinition, new: SurveyDefinition) -> list[Difference]:
    """What changed between two versions, question by question, in the order of the new version."""
    changes: list[Difference] = []
    old_sections = {section.name: section for section in old.sections}
    for section in new.sections:
        old_section = old_sections.get(section.name)
        if old_section is None:
            changes.append(Difference("added", section.name, _("section")))
        elif _without_questions(old_section) != _without_questions(section):
            changes.append(Difference("changed", section.name, _("section")))
    changes.extend(Difference("removed", name, _("section"))
                   for name in old_sections if new.section(name) is None)

    old_questions = {question.name: (section.name, question) for section, question in old.questions()}
    old_order = list(old_questions)
    new_order = [question.name for _section, question in new.questions()]
    common_old = [name for name in old_order if name in new_order]
    common_new = [name for name in new_order if name in old_questions]
    for section, question in new.questions():
        if question.name not in old_questions:
            changes.append(Difference("added", question.name, str(QUESTION_TYPES.get(question.type, question.type))))
            continue
        old_section_name, before = old_questions[question.name]
        changed = [item.name for item in fields(Question) if getattr(before, item.name) != getattr(question, item.name)]
        if changed:
            changes.append(Difference("changed", question.name, ", ".join(changed)))
        if old_section_name != section.name or common_old.index(question.name) != common_new.index(question.name):
            changes.append(Difference("moved", question.name, section.name))
    changes.extend(Difference("removed", name) for name in old_order if name not in new_order)
    return changes


def _without_questions(section: Section) -> Section:
    return replace(section, questions=[])
