"""``{{ question.label|text_in:"da" }}``: a questionnaire text in one language, falling back to another."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from evidens.surveys.definition import text_in as _text_in

register = template.Library()


@register.filter
def text_in(text: Mapping[str, str] | None, language: str) -> str:
    return _text_in(text or {}, language)
