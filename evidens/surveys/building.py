"""Edits the builder makes to a questionnaire: add, replace, remove and move sections and questions.

Each edit takes a definition and returns a new one; the caller decides whether to keep it.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from evidens.surveys.definition import Question, Section, SurveyDefinition, copy_definition


class EditError(ValueError):
    pass


def _locate(definition: SurveyDefinition, name: str) -> tuple[int, int]:
    for section_index, section in enumerate(definition.sections):
        for question_index, question in enumerate(section.questions):
            if question.name == name:
                return section_index, question_index
    raise EditError(_("There is no question called “%(name)s”.") % {"name": name})


def _section_index(definition: SurveyDefinition, name: str) -> int:
    for index, section in enumerate(definition.sections):
        if section.name == name:
            return index
    raise EditError(_("There is no section called “%(name)s”.") % {"name": name})


def question_put(definition: SurveyDefinition, section_name: str, question: Question,
                 replacing: str | None = None) -> SurveyDefinition:
    """Add ``question`` at the end of a section, or put it where ``replacing`` was."""
    edited = copy_definition(definition)
    if replacing is not None:
        section_index, question_index = _locate(edited, replacing)
        if edited.sections[section_index].name == section_name:
            edited.sections[section_index].questions[question_index] = question
            return edited
        del edited.sections[section_index].questions[question_index]
    edited.sections[_section_index(edited, section_name)].questions.append(question)
    return edited


def question_remove(definition: SurveyDefinition, name: str) -> SurveyDefinition:
    edited = copy_definition(definition)
    section_index, question_index = _locate(edited, name)
    del edited.sections[section_index].questions[question_index]
    return edited


def question_move(definition: SurveyDefinition, name: str, offset: int) -> SurveyDefinition:
    """Move a question up (-1) or down (+1); past the edge of its section it moves into the next one."""
    edited = copy_definition(definition)
    section_index, question_index = _locate(edited, name)
    questions = edited.sections[section_index].questions
    target = question_index + offset
    if 0 <= target < len(questions):
        questions[question_index], questions[target] = questions[target], questions[question_index]
        return edited
    neighbour = section_index + (1 if offset > 0 else -1)
    if not 0 <= neighbour < len(edited.sections):
        return edited
    question = questions.pop(question_index)
    if offset > 0:
        edited.sections[neighbour].questions.insert(0, question)
    else:
        edited.sections[neighbour].questions.append(question)
    return edited


def section_put(definition: SurveyDefinition, section: Section, replacing: str | None = None) -> SurveyDefinition:
    """Add a section at the end, or replace the texts and condition of ``replacing`` (its questions stay)."""
    edited = copy_definition(definition)
    if replacing is None:
        edited.sections.append(section)
        return edited
    index = _section_index(edited, replacing)
    section.questions = edited.sections[index].questions
    edited.sections[index] = section
    return edited


def section_remove(definition: SurveyDefinition, name: str) -> SurveyDefinition:
    edited = copy_definition(definition)
    index = _section_index(edited, name)
    if edited.sections[index].questions:
        raise EditError(_("Move or delete the section's questions first."))
    del edited.sections[index]
    return edited


def section_move(definition: SurveyDefinition, name: str, offset: int) -> SurveyDefinition:
    edited = copy_definition(definition)
    index = _section_index(edited, name)
    target = index + offset
    if 0 <= target < len(edited.sections):
        edited.sections[index], edited.sections[target] = edited.sections[target], edited.sections[index]
    return edited


def unused_name(definition: SurveyDefinition, stem: str) -> str:
    taken = {question.name for _section, question in definition.questions()} | {s.name for s in definition.sections}
    number = 1
    while f"{stem}{number}" in taken:
        number += 1
    return f"{stem}{number}"
