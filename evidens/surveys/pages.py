"""What one page of the respondent form shows: the questions in the respondent's language, with the
answers given so far and the errors to fix. Templates only lay this out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from evidens.surveys import answering
from evidens.surveys import definition as d


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool
    exclusive: bool = False  # "Ved ikke": set apart from the scale


@dataclass(frozen=True)
class Row:
    """A matrix statement or a ranking entry."""

    name: str  # the form field
    label: str
    value: str
    error: str = ""


@dataclass
class QuestionView:
    name: str
    type: str
    label: str
    hint: str
    required: bool
    shown: bool
    error: str = ""
    options: list[Option] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    value: str = ""
    other_value: str = ""
    other_error: str = ""
    minimum: float | None = None
    maximum: float | None = None

    @property
    def field_id(self) -> str:
        return f"q-{self.name}"

    @property
    def number_mode(self) -> str:
        return "decimal" if self.type == d.DECIMAL else "numeric"

    @property
    def limits(self) -> str:
        if self.minimum is not None and self.maximum is not None:
            return _("A number from %(minimum)s to %(maximum)s.") % {
                "minimum": _plain_number(self.minimum), "maximum": _plain_number(self.maximum)}
        if self.minimum is not None:
            return _("At least %(minimum)s.") % {"minimum": _plain_number(self.minimum)}
        if self.maximum is not None:
            return _("At most %(maximum)s.") % {"maximum": _plain_number(self.maximum)}
        return ""


def _plain_number(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number).replace(".", ",")


@dataclass
class PageView:
    index: int
    title: str
    description: str
    questions: list[QuestionView]
    number: int  # 1-based among the pages this respondent sees
    count: int
    percent: int
    first: bool
    last: bool

    @property
    def shown_names(self) -> str:
        return " ".join(question.name for question in self.questions if question.shown)


def page_view(questionnaire: d.SurveyDefinition, index: int, answers: Mapping[str, Any], language: str,
              errors: Mapping[str, str] | None = None) -> PageView:
    errors = errors or {}
    section = questionnaire.sections[index]
    shown_pages = answering.shown_sections(questionnaire, answers)
    visible = {question.name for question in answering.questions_shown(section, answers)}
    position = shown_pages.index(index) + 1 if index in shown_pages else len([p for p in shown_pages if p < index]) + 1
    return PageView(
        index=index,
        title=d.text_in(section.title, language),
        description=d.text_in(section.description, language),
        questions=[_question_view(question, answers, language, errors, question.name in visible)
                   for question in section.questions],
        number=position,
        count=max(len(shown_pages), position),
        percent=answering.progress(questionnaire, answers, index),
        first=answering.previous_section(questionnaire, answers, index) is None,
        last=answering.next_section(questionnaire, answers, index) is None,
    )


def _question_view(question: d.Question, answers: Mapping[str, Any], language: str,
                   errors: Mapping[str, str], shown: bool) -> QuestionView:
    value = answers.get(question.name)
    view = QuestionView(
        name=question.name, type=question.type, label=d.text_in(question.label, language),
        hint=d.text_in(question.hint, language), required=question.required, shown=shown,
        error=errors.get(question.name, ""), other_value=str(answers.get(f"{question.name}.other") or ""),
        other_error=errors.get(f"{question.name}.other", ""), minimum=question.minimum, maximum=question.maximum)
    chosen = set(value) if isinstance(value, list) else {str(value)} if value not in (None, "") else set()
    if question.type in (d.SINGLE_CHOICE, d.MULTIPLE_CHOICE, d.LIKERT):
        view.options = _options(question, chosen, language)
    elif question.type == d.NPS:
        view.options = [Option(str(number), str(number), str(number) in chosen) for number in range(11)]
    elif question.type == d.MATRIX:
        view.options = _options(question, set(), language)
        rows = value if isinstance(value, dict) else {}
        view.rows = [Row(f"{question.name}.{item.name}", d.text_in(item.label, language), str(rows.get(item.name, "")))
                     for item in question.items]
    elif question.type == d.RANKING:
        order = value if isinstance(value, list) else []
        view.rows = [Row(f"{question.name}.{item.name}", d.text_in(item.label, language),
                         str(order.index(item.name) + 1) if item.name in order else "")
                     for item in question.items]
        view.options = [Option(str(place), str(place), False) for place in range(1, len(question.items) + 1)]
    elif value not in (None, ""):
        view.value = _number_text(value) if question.type == d.DECIMAL else str(value)
    return view


def _options(question: d.Question, chosen: set[str], language: str) -> list[Option]:
    options = [Option(choice.value, d.text_in(choice.label, language), choice.value in chosen)
               for choice in question.choices]
    if question.other:
        options.append(Option(d.OTHER, d.text_in(d.OTHER_LABEL, language), d.OTHER in chosen))
    if question.dont_know:
        options.append(Option(d.DONT_KNOW, d.text_in(d.DONT_KNOW_LABEL, language), d.DONT_KNOW in chosen,
                              exclusive=True))
    return options


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace(".", ",")

