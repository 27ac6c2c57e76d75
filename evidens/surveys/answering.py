"""Filling in a questionnaire: which pages and questions show, reading a page's form, checking answers.

The respondent form and the server's checks both run through here, with the one condition language
of ``expressions``: a question the form hides is a question the server neither asks for nor keeps.
Form fields are named after the question (``q``); a choice's "Andet, skriv:" text is ``q.other``;
a matrix statement or a ranking entry is ``q.<item>``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils.translation import gettext as _

from evidens.core.numbers import whole_number
from evidens.surveys import definition as d
from evidens.surveys.expressions import holds

Answers = dict[str, Any]


class FormData(Protocol):
    """What a page's POST looks like: Django's QueryDict fits."""

    def get(self, key: str, default: Any = ...) -> Any: ...

    def getlist(self, key: str) -> list[str]: ...


def section_shown(section: d.Section, answers: Mapping[str, Any]) -> bool:
    return holds(section.relevance, answers)


def questions_shown(section: d.Section, answers: Mapping[str, Any]) -> list[d.Question]:
    return [question for question in section.questions if holds(question.relevance, answers)]


def shown_sections(definition: d.SurveyDefinition, answers: Mapping[str, Any]) -> list[int]:
    """The indexes of the pages a respondent with these answers goes through, in order."""
    return [index for index, section in enumerate(definition.sections)
            if section_shown(section, answers) and questions_shown(section, answers)]


def next_section(definition: d.SurveyDefinition, answers: Mapping[str, Any], index: int) -> int | None:
    return next((shown for shown in shown_sections(definition, answers) if shown > index), None)


def previous_section(definition: d.SurveyDefinition, answers: Mapping[str, Any], index: int) -> int | None:
    return next((shown for shown in reversed(shown_sections(definition, answers)) if shown < index), None)


def progress(definition: d.SurveyDefinition, answers: Mapping[str, Any], index: int) -> int:
    """How far through the pages this respondent is, in percent, counting the page being shown as begun."""
    shown = shown_sections(definition, answers)
    if not shown:
        return 100
    done = sum(1 for page in shown if page < index)
    return round(100 * done / len(shown))


def kept_answers(definition: d.SurveyDefinition, answers: Mapping[str, Any]) -> Answers:
    """The answers to questions still shown: a changed earlier answer can hide a later question."""
    kept: Answers = {}
    changed = True
    current = dict(answers)
    while changed:  # hiding one question can hide another that depends on it
        kept = {}
        for section in definition.sections:
            if not section_shown(section, current):
                continue
            for question in questions_shown(section, current):
                for key in answer_keys(question):
                    if key in current:
                        kept[key] = current[key]
        changed = kept != current
        current = kept
    return kept


def answer_keys(question: d.Question) -> list[str]:
    if question.type == d.INFORMATION:
        return []
    if question.other:
        return [question.name, f"{question.name}.other"]
    return [question.name]


# --- reading one page -------------------------------------------------------------------------------


@dataclass
class PageResult:
    answers: Answers = field(default_factory=dict)  # what the page holds now, to merge into the draft
    errors: dict[str, str] = field(default_factory=dict)  # field name → message

    @property
    def valid(self) -> bool:
        return not self.errors


def read_page(definition: d.SurveyDefinition, index: int, data: FormData,
              earlier: Mapping[str, Any], *, check_required: bool = True, language: str = "da") -> PageResult:
    """Read the answers of page ``index`` from ``data`` and check them.

    ``earlier`` are the answers saved so far (conditions on this page may read them and answers on this
    page). Going back does not require the page to be complete (``check_required=False``), but what is
    there must still be well-formed.
    """
    section = definition.sections[index]
    result = PageResult()
    raw: Answers = {}
    for question in section.questions:
        value, error = _read(question, data)
        if error:
            result.errors[question.name] = error
        elif not d.unanswered(value):
            raw[question.name] = value
        if question.other:
            other_text = (data.get(f"{question.name}.other") or "").strip()
            if other_text:
                raw[f"{question.name}.other"] = other_text
    combined = {**earlier, **raw}
    for key in [key for question in section.questions for key in answer_keys(question)]:
        if key not in raw:
            combined.pop(key, None)
    for question in questions_shown(section, combined):
        if question.name in result.errors or question.type == d.INFORMATION:
            continue
        value = combined.get(question.name)
        if d.unanswered(value):
            if check_required and question.required:
                result.errors[question.name] = _("Please answer this question.")
            continue
        problem = _check(question, value, combined, language)
        if problem:
            result.errors[question.name] = problem
        elif check_required and _chose_other(question, value) and not combined.get(f"{question.name}.other"):
            result.errors[f"{question.name}.other"] = _("Please write what “other” is.")
    shown = {key for question in questions_shown(section, combined) for key in answer_keys(question)}
    result.answers = {key: value for key, value in raw.items() if key in shown}
    return result


def _chose_other(question: d.Question, value: Any) -> bool:
    return question.other and (value == d.OTHER or (isinstance(value, list) and d.OTHER in value))


def _read(question: d.Question, data: FormData) -> tuple[Any, str]:
    """The typed answer the form holds for ``question``, or an error for what cannot be read."""
    name = question.name
    kind = question.type
    if kind == d.INFORMATION:
        return None, ""
    if kind in (d.SINGLE_CHOICE, d.LIKERT):
        value = (data.get(name) or "").strip()
        allowed = _choice_values(question)
        return (value, "") if not value or value in allowed else (None, _("Choose one of the options."))
    if kind == d.MULTIPLE_CHOICE:
        values = [value for value in data.getlist(name) if value]
        allowed = _choice_values(question)
        if any(value not in allowed for value in values):
            return None, _("Choose among the options.")
        return [value for value in allowed if value in values], ""  # the questionnaire's order, not the click order
    if kind == d.MATRIX:
        allowed = _choice_values(question)
        rows = {item.name: (data.get(f"{name}.{item.name}") or "").strip() for item in question.items}
        if any(value and value not in allowed for value in rows.values()):
            return None, _("Choose one of the options.")
        return {item: value for item, value in rows.items() if value}, ""
    if kind == d.RANKING:
        return _read_ranking(question, data)
    text = (data.get(name) or "").strip()
    if not text:
        return None, ""
    if kind in d.NUMBER_TYPES:
        return _read_number(question, text)
    if kind == d.DATE:
        iso = _iso_date(text)
        return (iso, "") if iso else (None, _("Write the date as day-month-year, e.g. 24-11-2020."))
    return text, ""


def _iso_date(text: str) -> str:
    """The date as ISO text, from ISO (what a date field sends) or the Danish 24-11-2020 / 24.11.2020; else ""."""
    try:
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    for separator in "-./":
        parts = text.split(separator)
        numbers = [number for part in parts if (number := whole_number(part, largest=9999)) is not None]
        if len(parts) == 3 and len(numbers) == 3:
            day, month, year = numbers
            try:
                return datetime.date(year, month, day).isoformat()
            except ValueError:
                return ""
    return ""


def _read_number(question: d.Question, text: str) -> tuple[Any, str]:
    cleaned = text.replace(" ", "").replace(".", "").replace(",", ".") if "," in text else text.replace(" ", "")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None, _("Write a number.")
    if question.type != d.DECIMAL:
        if number != number.to_integral_value():
            return None, _("Write a whole number.")
        return int(number), ""
    return float(number), ""


def _read_ranking(question: d.Question, data: FormData) -> tuple[Any, str]:
    ranks: dict[str, int] = {}
    for item in question.items:
        text = (data.get(f"{question.name}.{item.name}") or "").strip()
        if not text:
            continue
        place = whole_number(text)
        if place is None or not 1 <= place <= len(question.items):
            return None, _("Give each entry a place from 1 to %(count)s.") % {"count": len(question.items)}
        ranks[item.name] = place
    if len(set(ranks.values())) != len(ranks):
        return None, _("Two entries have the same place.")
    return sorted(ranks, key=ranks.__getitem__), ""


def _choice_values(question: d.Question) -> list[str]:
    values = [choice.value for choice in question.choices]
    if question.other:
        values.append(d.OTHER)
    if question.dont_know:
        values.append(d.DONT_KNOW)
    return values


def _check(question: d.Question, value: Any, answers: Mapping[str, Any], language: str) -> str:
    """The message for an answer that breaks the question's limits or constraint, or ""."""
    if question.type == d.NPS and not 0 <= value <= 10:
        return _("Choose a number from 0 to 10.")
    if question.type in (d.INTEGER, d.DECIMAL):
        if question.minimum is not None and value < question.minimum:
            return _("The number must be at least %(minimum)s.") % {"minimum": _number_text(question.minimum)}
        if question.maximum is not None and value > question.maximum:
            return _("The number must be at most %(maximum)s.") % {"maximum": _number_text(question.maximum)}
    if question.constraint and not holds(question.constraint, answers, current=value):
        return d.text_in(question.constraint_message, language) or _("The answer is not accepted.")
    return ""


def _number_text(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number).replace(".", ",")


def missing_required(definition: d.SurveyDefinition, answers: Mapping[str, Any]) -> list[int]:
    """The pages that still lack a required answer, for a submit that skipped ahead."""
    return [index for index in shown_sections(definition, answers)
            if any(question.required and question.answers and d.unanswered(answers.get(question.name))
                   for question in questions_shown(definition.sections[index], answers))]
